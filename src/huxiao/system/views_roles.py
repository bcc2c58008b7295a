"""Pages of 角色管理 and 角色授予 (the security administrator's, 三权分立).

Roles: list (holders in scope), detail (permissions as the tree, data scope, holders), create,
copy, edit, retire and delete. Grants: the list (pending first), a request for a user in scope,
and the second administrator's decision. Every write is a service; a refusal comes back on the
form, or as a message, with a 4xx status and nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core import services as core_services
from huxiao.core.forms import apply_service_errors
from huxiao.core.models import User
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.system import permissions_tree, selectors_roles
from huxiao.system.filtersets_roles import GrantFilterSet, RoleFilterSet
from huxiao.system.forms_roles import GrantForm, RoleForm, role_initial
from huxiao.system.services import roles as services

VIEW, ADD, CHANGE, DELETE = (
    "core.view_role",
    "core.add_role",
    "core.change_role",
    "core.delete_role",
)
VIEW_GRANTS, ADD_GRANTS, DECIDE_GRANTS = (
    "core.view_rolegrant",
    "core.add_rolegrant",
    "core.change_rolegrant",
)
HOLDERS_SHOWN = 50


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


# ---- roles ---------------------------------------------------------------------------------

roles = ScopedList(
    permission=VIEW,
    selector=lambda user: selectors_roles.role_list(user=user),
    filterset_class=RoleFilterSet,
    template="system/role_list.html",
    export_filename=gettext_lazy("角色列表"),
    object_type="core.role",
    columns=(
        Column(gettext_lazy("角色名称"), lambda r: r.name),
        Column(gettext_lazy("角色代码"), lambda r: r.code),
        Column(gettext_lazy("数据范围"), lambda r: r.get_data_scope_display()),
        Column(gettext_lazy("权限数"), lambda r: len(r.permissions)),
        Column(gettext_lazy("持有人数"), lambda r: r.holders),
        Column(gettext_lazy("公安角色"), lambda r: _yes(r.is_police)),
        Column(gettext_lazy("须双因素认证"), lambda r: _yes(r.requires_second_factor)),
        Column(gettext_lazy("内置角色"), lambda r: _yes(r.is_builtin)),
        Column(gettext_lazy("状态"), lambda r: _("启用") if r.is_active else _("停用")),
        Column(gettext_lazy("说明"), lambda r: r.description),
    ),
)
role_list = roles.list_view
role_export = roles.export_view


def _can(user, *perms) -> dict[str, bool]:
    return {perm.split(".")[1].replace("_role", ""): user.has_perm(perm) for perm in perms}


@require(VIEW)
def role_detail(request, pk: int):
    user = request.user
    role = selectors_roles.role_get(user=user, pk=pk)
    holders = selectors_roles.role_holders(user=user, role=role)
    context = {
        "role": role,
        "tree": permissions_tree.held(role.permissions),
        "unknown": permissions_tree.unknown(role.permissions),
        "scope_organizations": list(role.scope_organizations.order_by("path")),
        "holders_page": page_of(request, holders),
        "delete_refusal": services.delete_refusal(role),
        "is_own": role.pk == user.role_id,
        "can": _can(user, ADD, CHANGE, DELETE),
        "can_grant": user.has_perm(ADD_GRANTS),
    }
    return render(request, "system/role_detail.html", context)


def _render_form(request, form, *, mode: str, role=None, source=None, status=200):
    context = {
        "form": form,
        "mode": mode,
        "role": role,
        "source": source,
        "tree": permissions_tree.tree(),
        "selected": form.selected_permissions(),
        "custom_scope": form["data_scope"].value() == "custom",
    }
    return render(request, "system/role_form.html", context, status=status)


def _create(request, *, source=None):
    user = request.user
    mode = "copy" if source else "create"
    if request.method != "POST":
        initial = role_initial(source, copy=True) if source else {"sort_order": 100}
        return _render_form(
            request, RoleForm(initial=initial, actor=user), mode=mode, source=source
        )
    form = RoleForm(request.POST, actor=user)
    if form.is_valid():
        try:
            role = services.role_create(actor=user, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("角色“%(name)s”已创建。") % {"name": role.name})
            return redirect("system:role_detail", pk=role.pk)
    return _render_form(request, form, mode=mode, source=source, status=400)


@require(ADD)
@require_http_methods(["GET", "POST"])
def role_create(request):
    return _create(request)


@require(ADD)
@require_http_methods(["GET", "POST"])
def role_copy(request, pk: int):
    return _create(request, source=selectors_roles.role_get(user=request.user, pk=pk))


@require(CHANGE)
@require_http_methods(["GET", "POST"])
def role_edit(request, pk: int):
    user = request.user
    role = selectors_roles.role_get(user=user, pk=pk)
    if role.pk == user.role_id:
        # 三权分立: nobody widens the role they hold.
        raise PermissionDenied(_("不能修改自己所持有的角色。"))
    if request.method != "POST":
        form = RoleForm(initial=role_initial(role), actor=user, role=role)
        return _render_form(request, form, mode="edit", role=role)
    form = RoleForm(request.POST, initial=role_initial(role), actor=user, role=role)
    if form.is_valid():
        try:
            services.role_update(role=role, actor=user, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("角色“%(name)s”已保存。") % {"name": role.name})
            return redirect("system:role_detail", pk=role.pk)
    return _render_form(
        request, form, mode="edit", role=selectors_roles.role_get(user=user, pk=pk), status=400
    )


@require(CHANGE)
@require_POST
def role_retire(request, pk: int):
    """Retire (停用) an active role, or restore a retired one."""
    role = selectors_roles.role_get(user=request.user, pk=pk)
    try:
        role = services.role_set_active(role=role, actor=request.user, active=not role.is_active)
    except ValidationError as exc:
        return render(
            request, "system/role_refused.html", {"role": role, "errors": exc.messages}, status=409
        )
    if role.is_active:
        messages.success(request, _("角色“%(name)s”已启用。") % {"name": role.name})
    else:
        messages.success(
            request, _("角色“%(name)s”已停用，不再授予新的用户。") % {"name": role.name}
        )
    return redirect("system:role_detail", pk=role.pk)


@require(DELETE)
@require_http_methods(["GET", "POST"])
def role_delete(request, pk: int):
    user = request.user
    role = selectors_roles.role_get(user=user, pk=pk)
    if request.method != "POST":
        context = {"role": role, "refusal": services.delete_refusal(role)}
        return render(request, "system/role_confirm_delete.html", context)
    try:
        services.role_delete(role=role, actor=user)
    except ValidationError as exc:
        return render(
            request, "system/role_refused.html", {"role": role, "errors": exc.messages}, status=409
        )
    messages.success(request, _("角色“%(name)s”已删除。") % {"name": role.name})
    return redirect("system:role_list")


# ---- role grants ---------------------------------------------------------------------------

grants = ScopedList(
    permission=VIEW_GRANTS,
    selector=lambda user: selectors_roles.grant_list(user=user),
    filterset_class=GrantFilterSet,
    template="system/grant_list.html",
    export_filename=gettext_lazy("角色授予"),
    object_type="core.rolegrant",
    columns=(
        Column(gettext_lazy("用户名"), lambda g: g.user.username),
        Column(gettext_lazy("姓名"), lambda g: g.user.full_name),
        Column(
            gettext_lazy("所属单位"),
            lambda g: g.user.organization.name if g.user.organization else "",
        ),
        Column(gettext_lazy("原角色"), lambda g: g.previous_role.name if g.previous_role else ""),
        Column(gettext_lazy("授予角色"), lambda g: g.role.name),
        Column(gettext_lazy("理由"), lambda g: g.reason),
        Column(gettext_lazy("状态"), lambda g: g.get_state_display()),
        Column(gettext_lazy("申请人"), lambda g: g.requested_by.display_name),
        Column(gettext_lazy("申请时间"), lambda g: local_time(g.requested_at)),
        Column(gettext_lazy("批准人"), lambda g: g.decided_by.display_name if g.decided_by else ""),
        Column(gettext_lazy("批准时间"), lambda g: local_time(g.decided_at)),
    ),
)
grant_list = grants.list_view
grant_export = grants.export_view


@require(ADD_GRANTS)
@require_http_methods(["GET", "POST"])
def grant_create(request):
    actor = request.user
    if request.method != "POST":
        initial = {}
        if request.GET.get("user"):
            pk = request.GET["user"]
            target = get_object_or_404(
                User.objects.visible_to(actor), pk=pk if str(pk).isdigit() else 0
            )
            initial["username"] = target.username
        if str(request.GET.get("role", "")).isdigit():
            initial["role"] = int(request.GET["role"])
        form = GrantForm(initial=initial, actor=actor)
        return render(request, "system/grant_form.html", {"form": form})
    form = GrantForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            grant = core_services.role_grant_request(
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                actor=actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"user": "username"})
        else:
            if grant.state == grant.State.PENDING:
                messages.warning(
                    request,
                    _("该角色涉及公安数据，申请已提交，须另一名安全管理员批准后生效。"),
                )
            else:
                messages.success(request, _("角色已授予，立即生效。"))
            return redirect("system:grant_list")
    return render(request, "system/grant_form.html", {"form": form}, status=400)


@require(DECIDE_GRANTS)
@require_http_methods(["GET", "POST"])
def grant_decide(request, pk: int):
    actor = request.user
    grant = selectors_roles.grant_get(user=actor, pk=pk)
    context = {
        "grant": grant,
        "is_requester": actor.pk in (grant.requested_by_id, grant.user_id),
        "police": core_services.reads_police_data(grant.role),
    }
    if request.method != "POST":
        return render(request, "system/grant_decide.html", context)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        context["errors"] = [_("请选择批准或驳回。")]
        return render(request, "system/grant_decide.html", context, status=400)
    try:
        core_services.role_grant_decide(grant=grant, approve=decision == "approve", actor=actor)
    except ValidationError as exc:
        context["errors"] = exc.messages
        return render(request, "system/grant_decide.html", context, status=409)
    if decision == "approve":
        messages.success(request, _("已批准，角色已生效。"))
    else:
        messages.success(request, _("已驳回该申请。"))
    return redirect("system:grant_list")
