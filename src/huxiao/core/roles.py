"""The roles of SPEC 1, seeded as data (``ensure_default_roles``) and editable afterwards.

Permissions are "app_label.codename" strings. Each module grants its own to these roles from
its ``registry.py`` (``Module.permissions``, by role code); ``huxiao seed roles`` adds what is
missing to existing roles without taking away what an administrator granted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import DataScope

# Permission strings used by the foundation.
VIEW_ORGS = "core.view_organization"
CHANGE_ORGS = "core.change_organization"
ADD_ORGS = "core.add_organization"
VIEW_USERS = "core.view_user"
MANAGE_USERS = "core.change_user"
ADD_USERS = "core.add_user"
VIEW_ROLES = "core.view_role"
MANAGE_ROLES = "core.change_role"
VIEW_AUDIT = "core.view_audit"
# Asking for a role for someone, and deciding on another administrator's request.
ROLE_GRANTS = ("core.view_rolegrant", "core.add_rolegrant", "core.change_rolegrant")
RESET_SECOND_FACTOR = "core.reset_second_factor"
MANAGE_TOKENS = "core.add_apitoken"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    description: str
    data_scope: str
    permissions: tuple[str, ...]
    is_police: bool = False
    # A second factor at sign-in: every police role, and the administrators of the platform.
    requires_second_factor: bool | None = None  # None: the same as is_police

    @property
    def second_factor(self) -> bool:
        return (
            self.is_police if self.requires_second_factor is None else self.requires_second_factor
        )


_BASE = (VIEW_ORGS, MANAGE_TOKENS)

DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    # 三权分立 (等保2.0 level 3): the system administrator keeps organisations, accounts and
    # settings; the security administrator keeps roles and who holds them; the auditor reads
    # the trail. None of them holds another's permissions (tests/core/test_separation_of_duties).
    RoleSpec(
        "sysadmin",
        _("系统管理员"),
        _("维护单位、用户账号和系统设置；不能授予角色"),
        DataScope.ALL,
        (*_BASE, CHANGE_ORGS, ADD_ORGS, VIEW_USERS, MANAGE_USERS, ADD_USERS),
    ),
    RoleSpec(
        "secadmin",
        _("安全管理员"),
        _("维护角色与权限，办理角色授予（涉及公安数据的须另一名安全管理员批准）"),
        DataScope.ALL,
        (VIEW_ORGS, VIEW_USERS, VIEW_ROLES, MANAGE_ROLES, *ROLE_GRANTS, RESET_SECOND_FACTOR),
        requires_second_factor=True,
    ),
    RoleSpec(
        "commander",
        _("公安局指挥长"),
        _("查看辖区全部数据，审批挂牌督办"),
        DataScope.SUBTREE,
        (*_BASE, VIEW_USERS),
        is_police=True,
    ),
    RoleSpec(
        "officer",
        _("民警"),
        _("派出所或警种民警：检查、巡逻、重点人员、报警处置"),
        DataScope.SUBTREE,
        (*_BASE, VIEW_USERS),
        is_police=True,
    ),
    RoleSpec(
        "community_officer",
        _("社区民警"),
        _("社区民警：护学岗、走访、周边巡查"),
        DataScope.SUBTREE,
        _BASE,
        is_police=True,
    ),
    RoleSpec(
        "legal_vice_principal",
        _("法制副校长"),
        _("到校开展法制教育的民警"),
        DataScope.SUBTREE,
        _BASE,
        is_police=True,
    ),
    RoleSpec(
        "education_officer",
        _("教育局工作人员"),
        _("学校、隐患整改、演练；不可查看重点人员身份"),
        DataScope.SUBTREE,
        (*_BASE, VIEW_USERS),
    ),
    RoleSpec(
        "school_security_chief",
        _("学校安保负责人"),
        _("本校保安、设备、来访、整改报告、演练"),
        DataScope.SUBTREE,
        (*_BASE, VIEW_USERS),
    ),
    RoleSpec(
        "gate_guard",
        _("门卫/保安"),
        _("来访、车辆、接送、打卡、报警"),
        DataScope.SUBTREE,
        (VIEW_ORGS,),
    ),
    RoleSpec("volunteer", _("志愿者"), _("本人的值守班次和线索"), DataScope.SELF, ()),
    RoleSpec("auditor", _("审计员"), _("只读审计日志"), DataScope.ALL, (VIEW_AUDIT,)),
    # Delegated administration (issue 21): a city or county administrator who keeps the
    # accounts, organisations and dictionaries of its own subtree; platform-wide settings stay
    # with the system administrator. Its grants come from the system module's registry.
    RoleSpec(
        "org_admin",
        _("单位管理员"),
        _("维护本单位及下级单位的用户账号和单位；不能授予公安角色"),
        DataScope.SUBTREE,
        (*_BASE, CHANGE_ORGS, ADD_ORGS, VIEW_USERS, MANAGE_USERS, ADD_USERS),
        requires_second_factor=True,
    ),
)


def permissions_for(spec: RoleSpec) -> tuple[str, ...]:
    """The role's own permissions and what each installed module grants it (its registry)."""
    from huxiao.core import modules

    return tuple(dict.fromkeys((*spec.permissions, *modules.role_permissions(spec.code))))


def ensure_default_roles() -> int:
    """Create missing roles and add missing default permissions; returns roles created."""
    from huxiao.core.models import Role

    created = 0
    with transaction.atomic():
        for order, spec in enumerate(DEFAULT_ROLES):
            role, was_created = Role.objects.get_or_create(
                code=spec.code,
                defaults={
                    "name": str(spec.name),
                    "description": str(spec.description),
                    "data_scope": spec.data_scope,
                    "permissions": sorted(permissions_for(spec)),
                    "is_police": spec.is_police,
                    "requires_second_factor": spec.second_factor,
                    "sort_order": order,
                    "is_builtin": True,
                },
            )
            if was_created:
                created += 1
                continue
            missing = set(permissions_for(spec)) - set(role.permissions)
            if missing or not role.is_builtin:
                role.permissions = sorted(set(role.permissions) | missing)
                role.is_builtin = True
                role.save(update_fields=["permissions", "is_builtin"])
    return created
