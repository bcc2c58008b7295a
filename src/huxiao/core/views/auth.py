"""Sign-in, sign-out, password change and the lockout page (django-axes)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.services import user_change_password


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("用户名或密码错误。连续失败5次将锁定账号。"),
        "inactive": gettext_lazy("该账号已停用，请联系系统管理员。"),
    }


class LoginView(auth_views.LoginView):
    """Sign-in. Besides django-axes' lock of an account after repeated failures, one address
    that keeps failing over many accounts (password spraying) is refused for a while."""

    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = _ip_failures_key(request)
        if cache.get(key, 0) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return render(
                request,
                "errors/error.html",
                {
                    "status": 429,
                    "message": _("该地址登录失败次数过多，请 %(minutes)s 分钟后再试。")
                    % {"minutes": settings.LOGIN_IP_WINDOW_MINUTES},
                },
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:  # the form came back: the sign-in failed
            _count_failure(key)
        return response


def _count_failure(key: str) -> None:
    from huxiao.core.cache import CacheUnavailable

    timeout = settings.LOGIN_IP_WINDOW_MINUTES * 60
    try:
        if cache.add(key, 1, timeout=timeout):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=timeout)
    except CacheUnavailable:
        # Redis is down (core.cache warned the operator): the per-account lockout, which
        # django-axes keeps in the database, still holds; the per-address count waits for Redis.
        return


def _ip_failures_key(request) -> str:
    from huxiao.core.middleware import client_ip

    return f"login-failures-ip:{client_ip(request)}"


def lockout_response(request, credentials=None, *args, **kwargs):
    """What django-axes shows once the failure limit is reached: a 403 page in Chinese."""
    if request.path.startswith("/api/"):
        from huxiao.core.views.errors import json_error

        return json_error(_("登录失败次数过多，账号已被锁定，请稍后再试或联系管理员。"), 403)
    return render(request, "core/locked_out.html", status=403)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=gettext_lazy("当前密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("确认新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("当前密码不正确。"))
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        if p1 and data.get("old_password") == p1:
            self.add_error("new_password1", _("新密码不能与当前密码相同。"))
        return data


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("core:home")
    return render(
        request, "core/password_change.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def second_factor(request):
    """After the password: enrol an authenticator (QR code, then its first code) or enter its
    current code (or a recovery code). Nothing else opens until this passes."""
    import base64

    import segno
    from django.utils.http import url_has_allowed_host_and_scheme

    from huxiao.core import secondfactor

    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    target = target or reverse("core:home")
    if secondfactor.satisfied(request.user):
        return redirect(target)
    enrolling = not secondfactor.enrolled(request.user)
    context = {"next": target, "enrolling": enrolling, "error": ""}
    device = secondfactor.pending_device(request.user) if enrolling else None
    if request.method == "POST":
        token = request.POST.get("token", "")
        if enrolling:
            codes = secondfactor.confirm(request, device, token)
            if codes is not None:
                return render(request, "core/second_factor.html", {**context, "codes": codes})
        elif secondfactor.verify(request, token):
            return redirect(target)
        context["error"] = _("动态口令不正确或已过期，请输入验证器当前显示的数字。")
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=_("身份验证器二维码")
        )
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
    status = 400 if context["error"] else 200
    return render(request, "core/second_factor.html", context, status=status)
