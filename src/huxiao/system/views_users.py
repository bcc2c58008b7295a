"""Pages of 用户管理 (/system/users/): the accounts of the administrator's scope.

The list and a user's page are for administrators (core.view_user and core.add_user); making
accounts needs core.add_user, changing them core.change_user, resetting a second factor
core.reset_second_factor (the security administrator). An account outside the scope answers
404 like a missing one; one inside it whose role the administrator may not manage, 403.
A one-time password is in the answer to the POST that made it and nowhere else (no-store).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huxiao.core import crypto, parameters, secondfactor
from huxiao.core.exports import xlsx_download
from huxiao.core.forms import apply_service_errors
from huxiao.core.models import ApiToken, Organization, RoleGrant
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.schools.imports import ImportFileError, commit, prepare, uploads
from huxiao.schools.imports.reader import check_size, file_kind
from huxiao.schools.imports.workbook import errors_workbook, template_workbook
from huxiao.system import rules, selectors_users
from huxiao.system.filtersets_users import ManagedUserFilterSet
from huxiao.system.forms_users import UserCreateForm, UserEditForm, UserImportForm
from huxiao.system.services import users as services
from huxiao.system.services.users_import import LEDGER, MAX_ROWS

VIEW, ADD, CHANGE = "core.view_user", "core.add_user", "core.change_user"
RESET_SECOND_FACTOR = "core.reset_second_factor"
ERRORS_PER_PAGE = 100


def _once(response):
    # A one-time password must not stay in a cache or in the browser's history.
    response["Cache-Control"] = "no-store"
    return response


def _target(request, pk, *, manage=True):
    target = selectors_users.user_get(user=request.user, pk=pk)
    if manage and not rules.may_manage(request.user, target):
        raise PermissionDenied(_("该账号的角色不在您的管理权限之内。"))
    return target


# ---- list and export ------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


users = ScopedList(
    permission=ADD,
    selector=lambda user: selectors_users.user_list(user=user),
    filterset_class=ManagedUserFilterSet,
    template="system/user_list.html",
    export_filename=gettext_lazy("用户管理"),
    object_type="core.user",
    columns=(
        Column(gettext_lazy("用户名"), lambda u: u.username),
        Column(gettext_lazy("姓名"), lambda u: u.full_name),
        Column(gettext_lazy("所属单位"), lambda u: u.organization.name if u.organization else ""),
        Column(gettext_lazy("单位代码"), lambda u: u.organization.code if u.organization else ""),
        Column(gettext_lazy("角色"), lambda u: u.role.name if u.role else ""),
        Column(gettext_lazy("手机号"), lambda u: crypto.mask_phone(u.phone or "")),
        Column(gettext_lazy("警号"), lambda u: u.police_number),
        Column(gettext_lazy("状态"), lambda u: _("启用") if u.is_active else _("停用")),
        Column(
            gettext_lazy("锁定"),
            lambda u: _yes_no(u.recent_failures >= parameters.lockout_failure_limit()),
        ),
        Column(gettext_lazy("须修改密码"), lambda u: _yes_no(u.must_change_password)),
        Column(gettext_lazy("最近登录"), lambda u: local_time(u.last_login)),
        Column(gettext_lazy("创建时间"), lambda u: local_time(u.date_joined)),
    ),
)


@require(VIEW, ADD)
def user_list(request):
    filterset, queryset = users.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "lock_limit": parameters.lockout_failure_limit(),
    }
    return render(request, "system/user_list.html", context)


user_export = require(VIEW, ADD)(users.export_view)


# ---- create ---------------------------------------------------------------------------------


def _password_page(request, *, target, password, created=False, grant=None):
    context = {"target": target, "password": password, "created": created, "grant": grant}
    return _once(render(request, "system/user_password.html", context))


@require(ADD)
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.user_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _password_page(
                request, target=made.user, password=made.password, created=True, grant=made.grant
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "system/user_form.html", {"form": form, "target": None}, status=status)


# ---- detail and edit ------------------------------------------------------------------------


@require(VIEW, ADD)
def user_detail(request, pk: int):
    actor = request.user
    target = _target(request, pk, manage=False)
    ancestors = []
    if target.organization_id:
        ancestors = list(
            Organization.objects.visible_to(actor)
            .filter(pk__in=target.organization.ancestor_ids())
            .order_by("depth")
        )
    now = timezone.now()
    context = {
        "target": target,
        "ancestors": ancestors,
        "lock": services.lock_state(target),
        "second_factor_enrolled": secondfactor.enrolled(target),
        "second_factor_required": bool(target.role and target.role.requires_second_factor),
        "grants": list(
            RoleGrant.objects.filter(user=target)
            .select_related("role", "requested_by", "decided_by")
            .order_by("-requested_at")[:10]
        ),
        "tokens": ApiToken.objects.filter(user=target, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .count(),
        "activity": selectors_users.recent_activity(target=target),
        "can_manage": actor.has_perm(CHANGE) and rules.may_manage(actor, target),
        "can_reset_second_factor": actor.has_perm(RESET_SECOND_FACTOR) and actor.pk != target.pk,
        "is_self": actor.pk == target.pk,
    }
    return render(request, "system/user_detail.html", context)


@require(CHANGE)
def user_edit(request, pk: int):
    target = _target(request, pk)
    initial = {
        "full_name": target.full_name,
        "police_number": target.police_number,
        "organization": target.organization_id,
    }
    form = UserEditForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=target,
                full_name=data["full_name"],
                phone=data["phone"] or target.phone,
                police_number=data["police_number"],
                organization=data["organization"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("用户信息已保存。"))
            return redirect("system:user_detail", pk=target.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "target": target}
    return render(request, "system/user_form.html", context, status=status)


# ---- actions: a confirmation page (GET), the action (POST) --------------------------------


def _confirm(request, target, *, title, text, button, url_name, danger=False, status=200):
    context = {
        "target": target,
        "title": title,
        "text": text,
        "button": button,
        "action": reverse(url_name, args=[target.pk]),
        "danger": danger,
        "lock": services.lock_state(target),
        "second_factor_enrolled": secondfactor.enrolled(target),
    }
    return render(request, "system/user_confirm.html", context, status=status)


def _refused(request, target, exc: ValidationError, **confirm):
    for message in exc.messages:
        messages.error(request, message)
    return _confirm(request, target, status=400, **confirm)


@require(CHANGE)
def user_toggle(request, pk: int):
    target = _target(request, pk)
    disabling = target.is_active
    confirm = {
        "title": _("停用账号") if disabling else _("启用账号"),
        "text": _("停用后该账号不能登录，已登录的会话立即结束；API令牌不再有效。")
        if disabling
        else _("启用后该账号可以重新登录。"),
        "button": _("确认停用") if disabling else _("确认启用"),
        "url_name": "system:user_toggle",
        "danger": disabling,
    }
    if request.method != "POST":
        return _confirm(request, target, **confirm)
    try:
        services.user_set_active(actor=request.user, user=target, active=not disabling)
    except ValidationError as exc:
        return _refused(request, target, exc, **confirm)
    messages.success(request, _("账号已停用。") if disabling else _("账号已启用。"))
    return redirect("system:user_detail", pk=target.pk)


@require(CHANGE)
def user_reset_password(request, pk: int):
    target = _target(request, pk)
    confirm = {
        "title": _("重置密码"),
        "text": _("将生成一次性密码，仅显示一次；该用户下次登录时须修改密码。原密码立即失效。"),
        "button": _("确认重置"),
        "url_name": "system:user_reset_password",
        "danger": True,
    }
    if request.method != "POST":
        return _confirm(request, target, **confirm)
    try:
        password = services.user_reset_password(actor=request.user, user=target)
    except ValidationError as exc:
        return _refused(request, target, exc, **confirm)
    return _password_page(request, target=target, password=password)


@require(CHANGE)
def user_unlock(request, pk: int):
    target = _target(request, pk)
    confirm = {
        "title": _("解除锁定"),
        "text": _("清除该账号的登录失败记录，账号可立即重新登录。"),
        "button": _("确认解锁"),
        "url_name": "system:user_unlock",
    }
    if request.method != "POST":
        return _confirm(request, target, **confirm)
    services.user_unlock(actor=request.user, user=target)
    messages.success(request, _("已解除锁定。"))
    return redirect("system:user_detail", pk=target.pk)


@require(RESET_SECOND_FACTOR)
def user_reset_second_factor(request, pk: int):
    target = _target(request, pk, manage=False)
    confirm = {
        "title": _("重置双因素认证"),
        "text": _("删除该账号的身份验证器和恢复码（如手机丢失），下次登录时须重新绑定。"),
        "button": _("确认重置"),
        "url_name": "system:user_reset_second_factor",
        "danger": True,
    }
    if request.method != "POST":
        return _confirm(request, target, **confirm)
    try:
        services.user_reset_second_factor(actor=request.user, user=target)
    except ValidationError as exc:
        return _refused(request, target, exc, **confirm)
    messages.success(request, _("双因素认证已重置，该用户下次登录时须重新绑定身份验证器。"))
    if request.user.has_perms((VIEW, ADD)):
        return redirect("system:user_detail", pk=target.pk)
    return redirect(reverse("system:user_reset_second_factor", args=[target.pk]))


# ---- import ---------------------------------------------------------------------------------


@require(ADD)
@require_GET
def user_import_template(request):
    return xlsx_download(template_workbook(LEDGER), _("用户导入模板.xlsx"))


@require(ADD)
def user_import(request):
    form = UserImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kind = file_kind(upload.name)
            check_size(upload.size)
            data = upload.read()
            plan = prepare(LEDGER, data, upload.name, user=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            saved = uploads.create(
                data=data, kind=kind, filename=upload.name, ledger=LEDGER.key, gcj02=False,
                user=request.user, plan=plan,
            )  # fmt: skip
            return redirect("system:user_import_preview", token=saved.token)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "ledger": LEDGER, "max_rows": MAX_ROWS}
    return render(request, "system/user_import.html", context, status=status)


def _upload_for(request, token):
    upload = uploads.load(token, request.user)
    if upload is None or upload.meta.get("ledger") != LEDGER.key:
        raise Http404
    return upload


@require(ADD)
@require_GET
def user_import_preview(request, token):
    upload = _upload_for(request, token)
    context = {"upload": upload, "meta": upload.meta, "ledger": LEDGER}
    if upload.meta["state"] != "done":
        context["page_obj"] = Paginator(upload.errors(), ERRORS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "system/user_import_preview.html", context)


@require(ADD)
@require_POST
def user_import_commit(request, token):
    upload = _upload_for(request, token)
    meta = upload.meta
    if meta["state"] == "done":
        return redirect("system:user_import_preview", token=upload.token)
    data = upload.read_source()
    if data is None:
        raise Http404
    if meta["error_count"]:
        messages.error(request, _("文件有错误，不能导入。请修改后重新上传。"))
        return redirect("system:user_import_preview", token=upload.token)
    try:
        outcome = commit(LEDGER, data, meta["filename"], user=request.user)
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("system:user_import_preview", token=upload.token)
    meta.update(uploads.plan_summary(outcome.plan))
    if not outcome.ok:
        upload.save_errors([e.as_dict() for e in outcome.plan.sorted_errors()])
        upload.save_meta()
        messages.error(request, _("数据已发生变化，复核时发现错误，本次未导入任何数据。"))
        return redirect("system:user_import_preview", token=upload.token)
    passwords = outcome.result.pop("passwords")
    meta.update(state="done", result=outcome.result, committed=timezone.now().isoformat())
    upload.save_meta()
    upload.discard_source()
    context = {"upload": upload, "meta": meta, "ledger": LEDGER, "passwords": passwords}
    return _once(render(request, "system/user_import_preview.html", context))


@require(ADD)
@require_GET
def user_import_errors(request, token):
    upload = _upload_for(request, token)
    return xlsx_download(
        errors_workbook(upload.errors()), f"用户导入错误清单-{upload.token[:8]}.xlsx"
    )
