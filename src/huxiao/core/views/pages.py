"""Pages of the shell: home, organisations, users, audit trail, inbox and profile.

Every read starts from the user's scope (a selector, or ``visible_to``): an object
out of scope answers 404 exactly like a missing one, and a page the role may not
open answers 403 (the permission is the one its menu entry names). Lists
are declared as ``ScopedList`` (views/generic.py): filtered by a FilterSet, paginated,
and exported to .xlsx with the same filters, so the download is the list on screen.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huxiao.core import crypto, selectors, services
from huxiao.core.choices import OrgKind
from huxiao.core.filtersets import OrganizationFilterSet, UserFilterSet
from huxiao.core.forms import AlertSettingsForm, ProfileForm, TokenCreateForm
from huxiao.core.models import Organization
from huxiao.core.templatetags.huxiao_ui import local_link
from huxiao.core.views import audit as audit_views
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require

CHILDREN_SHOWN = 200


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


# ---- home ----------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    org_cards = []
    if user.has_perm("core.view_organization"):
        counts = selectors.organization_counts(user=user)
        org_cards = [
            {"kind": kind, "label": OrgKind(kind).label, "count": n}
            for kind, n in counts.items()
            if n
        ]
    audit_today = None
    if user.has_perm("core.view_audit"):
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        audit_today = selectors.audit_list(user=user).filter(ts__gte=midnight).count()
    context = {
        "org_cards": org_cards,
        "audit_today": audit_today,
        "today": timezone.localdate(),
        "recent_notifications": list(selectors.notification_list(user=user)[:5]),
    }
    return render(request, "core/home.html", context)


# ---- organisations -------------------------------------------------------------------------


organizations = ScopedList(
    permission="core.view_organization",
    # Level by level, then by code: a list of bureaus, then stations, then schools reads
    # better on a page than the depth-first tree order of the path.
    selector=lambda user: selectors.organization_list(user=user).order_by(
        "depth", "sort_order", "code"
    ),
    filterset_class=OrganizationFilterSet,
    template="core/organization_list.html",
    export_filename=gettext_lazy("单位列表"),
    object_type="core.organization",
    columns=(
        Column(gettext_lazy("名称"), lambda o: o.name),
        Column(gettext_lazy("类型"), lambda o: o.get_kind_display()),
        Column(gettext_lazy("单位代码"), lambda o: o.code),
        Column(gettext_lazy("行政区划代码"), lambda o: o.division_code),
        Column(gettext_lazy("上级单位"), lambda o: o.parent.name if o.parent else ""),
        Column(
            gettext_lazy("主管教育局"),
            lambda o: o.education_bureau.name if o.education_bureau else "",
        ),
        Column(gettext_lazy("地址"), lambda o: o.address),
        Column(gettext_lazy("启用"), lambda o: o.is_active),
    ),
)
organization_list = organizations.list_view
organization_export = organizations.export_view


@require("core.view_organization")
def organization_detail(request, pk: int):
    user = request.user
    org = selectors.organization_get(user=user, pk=pk)
    visible = Organization.objects.visible_to(user)
    # Breadcrumbs name only the ancestors inside the user's scope.
    ancestors = list(visible.filter(pk__in=org.ancestor_ids()).order_by("depth"))
    children = list(visible.filter(parent=org).order_by("sort_order", "code")[: CHILDREN_SHOWN + 1])
    linkable = {a.pk for a in ancestors}
    if org.education_bureau_id and visible.filter(pk=org.education_bureau_id).exists():
        linkable.add(org.education_bureau_id)
    user_count = None
    if user.has_perm("core.view_user"):
        user_count = selectors.user_list(user=user, organization_id=org.pk).count()
    context = {
        "org": org,
        "ancestors": ancestors,
        "children": children[:CHILDREN_SHOWN],
        "children_truncated": len(children) > CHILDREN_SHOWN,
        "linkable": linkable,
        "user_count": user_count,
    }
    return render(request, "core/organization_detail.html", context)


# ---- users ---------------------------------------------------------------------------------


users = ScopedList(
    permission="core.view_user",
    selector=lambda user: selectors.user_list(user=user),
    filterset_class=UserFilterSet,
    template="core/user_list.html",
    export_filename=gettext_lazy("用户列表"),
    object_type="core.user",
    columns=(
        Column(gettext_lazy("用户名"), lambda u: u.username),
        Column(gettext_lazy("姓名"), lambda u: u.full_name),
        Column(gettext_lazy("所属单位"), lambda u: u.organization.name if u.organization else ""),
        Column(gettext_lazy("角色"), lambda u: u.role.name if u.role else ""),
        Column(gettext_lazy("手机号"), lambda u: crypto.mask_phone(u.phone or "")),
        Column(gettext_lazy("警号"), lambda u: u.police_number),
        Column(gettext_lazy("状态"), lambda u: _("启用") if u.is_active else _("停用")),
        Column(gettext_lazy("最近登录"), lambda u: local_time(u.last_login)),
    ),
)
user_list = users.list_view
user_export = users.export_view


# ---- audit trail ---------------------------------------------------------------------------

# The auditor's page has a module of its own (labels, picker, streamed export, chain check).
audit_list = audit_views.audit_list
audit_export = audit_views.audit_export
audit_verify_start = audit_views.audit_verify_start
audit_verify_status = audit_views.audit_verify_status


# ---- notifications -------------------------------------------------------------------------


def _inbox(request, show: str):
    unread_only = show == "unread"
    queryset = selectors.notification_list(user=request.user, unread_only=unread_only)
    show = "unread" if unread_only else "all"
    inbox_url = reverse("core:notification_list") + ("?show=unread" if unread_only else "")
    return {"page_obj": page_of(request, queryset), "show": show, "inbox_url": inbox_url}


@login_required
def notification_list(request):
    context = _inbox(request, request.GET.get("show", ""))
    template = (
        "core/partials/notification_inbox.html" if request.htmx else "core/notification_list.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(user=request.user, ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        return render(
            request, "core/partials/notification_item.html", {"n": notification, "oob_badge": True}
        )
    return redirect(_next_url(request, "core:notification_list"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    if request.htmx:
        context = _inbox(request, request.POST.get("show", ""))
        context["oob_badge"] = True
        return render(request, "core/partials/notification_inbox.html", context)
    messages.success(request, _("已标记 %(n)d 条为已读。") % {"n": count})
    return redirect(_next_url(request, "core:notification_list"))


@login_required
@require_POST
def notification_alert(request, pk: int):
    """A page claims an urgent message's toast: 200 with its text to the first page of any tab
    (which shows it and plays the sound), and the next message still to be shown (``next``, the
    page claims it in turn); 204 to every later page; someone else's message is 404."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    if not services.notification_mark_alerted(user=request.user, notification=notification):
        return HttpResponse(status=204)
    return JsonResponse(
        {
            "id": notification.pk,
            "title": notification.title,
            "body": notification.body,
            "link": local_link(notification.link),
            "next": selectors.urgent_alert_next(user=request.user),
        }
    )


# ---- profile and API tokens ---------------------------------------------------------------


def _token_context(request, *, form=None, new_token: str = "", new_token_name: str = ""):
    return {
        "tokens": list(selectors.token_list(user=request.user)),
        "token_form": form or TokenCreateForm(),
        "can_create_tokens": request.user.has_perm("core.add_apitoken"),
        "new_token": new_token,
        "new_token_name": new_token_name,
    }


def _render_profile(request, *, form=None, token_context=None, status: int = 200):
    user = request.user
    context = {
        "form": form or ProfileForm(initial={"full_name": user.full_name}),
        "phone_masked": crypto.mask_phone(user.phone or ""),
        "alert_form": AlertSettingsForm(initial={"mute_urgent_sound": user.mute_urgent_sound}),
        **(token_context or _token_context(request)),
    }
    return render(request, "core/profile.html", context, status=status)


@login_required
def profile(request):
    user = request.user
    if request.method != "POST":
        return _render_profile(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.user_update_profile(
                user=user,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"] or user.phone,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("个人信息已保存。"))
            return redirect("core:profile")
    return _render_profile(request, form=form, status=400)


@login_required
@require_POST
def profile_alerts(request):
    form = AlertSettingsForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means off, so there is nothing to refuse
    services.user_update_alert_settings(
        user=request.user, mute_urgent_sound=form.cleaned_data["mute_urgent_sound"]
    )
    messages.success(request, _("提醒设置已保存。"))
    return redirect("core:profile")


@login_required
@require_POST
@permission_required("core.add_apitoken", raise_exception=True)
def token_create(request):
    form = TokenCreateForm(request.POST)
    new_token = name = ""
    status = 400
    if form.is_valid():
        token, new_token = services.token_create(
            user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        name, form, status = token.name, None, 200
    token_context = _token_context(request, form=form, new_token=new_token, new_token_name=name)
    # The secret is in this response only: it is never stored, so it cannot be shown again.
    if request.htmx:
        # htmx swaps only 2xx answers; the form errors are in the fragment.
        response = render(request, "core/partials/token_panel.html", token_context)
    else:
        response = _render_profile(request, token_context=token_context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get(user=request.user, pk=pk)
    services.token_revoke(token=token)
    if request.htmx:
        return render(request, "core/partials/token_panel.html", _token_context(request))
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("core:profile")
