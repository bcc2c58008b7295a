"""Writes of 角色管理: create, copy, edit, retire and delete roles (the security administrator's).

Rules (三权分立, 等保2.0 level 3 access control):
- permissions are "app.codename" strings the permission tree knows (``permissions_tree``);
  anything else is refused, except what the role already holds (kept, and shown apart);
- 自定义 needs at least one organisation, each within the actor's own scope; any other data
  scope clears the chosen organisations;
- nobody changes the role they hold (a security administrator widening its own powers);
- a built-in role (``core.roles``) keeps its code and is never retired or deleted; a role is
  deleted only while nobody holds it and no grant names it, otherwise it is retired;
- every change reaches the auditors (``core.services.role_update_notify``); the change itself is
  audited by the model signals, the chosen organisations (a many-to-many) here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import audit
from huxiao.core import services as core_services
from huxiao.core.choices import AuditAction, AuditKind, DataScope
from huxiao.core.models import Organization, Role, RoleGrant, User
from huxiao.system import permissions_tree

FIELDS = (
    "code",
    "name",
    "description",
    "data_scope",
    "is_police",
    "requires_second_factor",
    "sort_order",
)
FIELD_LABELS = {
    "code": gettext_lazy("角色代码"),
    "name": gettext_lazy("角色名称"),
    "description": gettext_lazy("说明"),
    "data_scope": gettext_lazy("数据范围"),
    "permissions": gettext_lazy("权限"),
    "scope_organizations": gettext_lazy("自定义数据范围"),
    "is_police": gettext_lazy("公安角色"),
    "requires_second_factor": gettext_lazy("须双因素认证"),
    "sort_order": gettext_lazy("排序"),
    "is_active": gettext_lazy("启用"),
}


def _clean_permissions(permissions: Iterable[str], *, keep: Iterable[str] = ()) -> list[str]:
    chosen = sorted(set(permissions))
    unknown = set(chosen) - permissions_tree.known() - set(keep)
    if unknown:
        raise ValidationError(
            {"permissions": _("未知的权限：%(p)s") % {"p": "、".join(sorted(unknown))}}
        )
    return chosen


def _clean_scope(*, actor: User, data_scope: str, organizations) -> list[Organization]:
    if data_scope != DataScope.CUSTOM:
        return []
    chosen = list(organizations or ())
    if not chosen:
        raise ValidationError(
            {"scope_organizations": _("数据范围为“自定义”时，请选择至少一个单位。")}
        )
    visible = set(
        Organization.objects.visible_to(actor)
        .filter(pk__in=[o.pk for o in chosen])
        .values_list("pk", flat=True)
    )
    if any(o.pk not in visible for o in chosen):
        raise ValidationError({"scope_organizations": _("只能选择您数据范围内的单位。")})
    return chosen


def _refuse_own(role: Role, actor: User) -> None:
    if role.pk is not None and role.pk == actor.role_id:
        raise ValidationError(_("不能修改自己所持有的角色（三权分立）。"))


def _scope_names(role: Role) -> list[str]:
    return sorted(role.scope_organizations.values_list("name", flat=True))


def _set_scope(role: Role, organizations: list[Organization], *, created: bool) -> None:
    before = [] if created else _scope_names(role)
    role.scope_organizations.set(organizations)
    after = sorted(o.name for o in organizations)
    if before != after:
        audit.append(
            kind=AuditKind.CHANGE,
            action=AuditAction.UPDATE,
            obj=role,
            before={"scope_organizations": before},
            after={"scope_organizations": after},
        )


def _labels(names: Iterable[str]) -> list[str]:
    return [str(FIELD_LABELS.get(n, n)) for n in names]


@transaction.atomic
def role_create(
    *,
    actor: User,
    code: str,
    name: str,
    data_scope: str,
    permissions: Iterable[str] = (),
    scope_organizations: Iterable[Organization] = (),
    description: str = "",
    is_police: bool = False,
    requires_second_factor: bool | None = None,
    sort_order: int = 100,
) -> Role:
    """A new role (新增, or 复制 from another: the page fills this from the source)."""
    organizations = _clean_scope(
        actor=actor, data_scope=data_scope, organizations=scope_organizations
    )
    role = Role(
        code=(code or "").strip(),
        name=(name or "").strip(),
        description=(description or "").strip(),
        data_scope=data_scope,
        permissions=_clean_permissions(permissions),
        is_police=is_police,
        requires_second_factor=is_police
        if requires_second_factor is None
        else requires_second_factor,
        sort_order=sort_order,
        is_builtin=False,
        is_active=True,
    )
    role.full_clean()
    role.save()
    _set_scope(role, organizations, created=True)
    core_services.tell_auditors(
        _("角色已新建"),
        _("%(actor)s 新建了角色“%(role)s”（%(police)s），含 %(n)s 项权限。")
        % {
            "actor": actor.display_name,
            "role": role.name,
            "police": _("涉及公安数据")
            if core_services.reads_police_data(role)
            else _("不涉及公安数据"),
            "n": len(role.permissions),
        },
    )
    return role


@transaction.atomic
def role_update(*, role: Role, actor: User, **changes) -> Role:
    """Edit a role: any of FIELDS, ``permissions`` and ``scope_organizations``."""
    unknown = set(changes) - set(FIELDS) - {"permissions", "scope_organizations"}
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    role = Role.objects.select_for_update().get(pk=role.pk)
    _refuse_own(role, actor)
    if role.is_builtin and "code" in changes and changes["code"] != role.code:
        raise ValidationError({"code": _("内置角色的代码不能修改。")})
    changed = []
    for field in FIELDS:
        if field in changes:
            value = changes[field]
            if isinstance(value, str):
                value = value.strip()
            if getattr(role, field) != value:
                setattr(role, field, value)
                changed.append(field)
    if "permissions" in changes:
        permissions = _clean_permissions(changes["permissions"], keep=role.permissions)
        if permissions != sorted(role.permissions):
            role.permissions = permissions
            changed.append("permissions")
    organizations = _clean_scope(
        actor=actor,
        data_scope=role.data_scope,
        organizations=changes.get("scope_organizations", role.scope_organizations.all()),
    )
    role.full_clean()
    role.save()
    before_scope = _scope_names(role)
    _set_scope(role, organizations, created=False)
    if before_scope != _scope_names(role):
        changed.append("scope_organizations")
    if changed:
        # Holders loaded elsewhere in this process keep their cached permissions until reloaded.
        core_services.role_update_notify(role=role, actor=actor, changed=_labels(changed))
    return role


@transaction.atomic
def role_set_active(*, role: Role, actor: User, active: bool) -> Role:
    """Retire (停用) or restore a role. A retired role is granted to nobody new; its holders
    keep it until moved to another role."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    _refuse_own(role, actor)
    if role.is_builtin and not active:
        raise ValidationError(_("内置角色不能停用。"))
    if role.is_active == active:
        return role
    role.is_active = active
    role.save(update_fields=["is_active"])
    core_services.role_update_notify(role=role, actor=actor, changed=_labels(["is_active"]))
    return role


def delete_refusal(role: Role) -> str | None:
    """Why ``role`` may not be deleted, or None."""
    if role.is_builtin:
        return _("内置角色不能删除。")
    if User.objects.filter(role=role).exists():
        return _("仍有用户持有该角色，不能删除；可先停用。")
    if RoleGrant.objects.filter(Q(role=role) | Q(previous_role=role)).exists():
        return _("该角色已有授予记录，不能删除；可停用。")
    return None


@transaction.atomic
def role_delete(*, role: Role, actor: User) -> None:
    role = Role.objects.select_for_update().get(pk=role.pk)
    _refuse_own(role, actor)
    refusal = delete_refusal(role)
    if refusal:
        raise ValidationError(refusal)
    name = role.name
    role.delete()
    core_services.tell_auditors(
        _("角色已删除"),
        _("%(actor)s 删除了角色“%(role)s”。") % {"actor": actor.display_name, "role": name},
    )
