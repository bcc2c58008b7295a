"""The roles of SPEC 1, seeded as data (``ensure_default_roles``) and editable afterwards.

Permissions are "app_label.codename" strings. A module that lands later adds its
permissions to ``DEFAULT_ROLES`` here; ``huxiao seed roles`` adds what is missing to
existing roles without taking away what an administrator granted.
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
MANAGE_TOKENS = "core.add_apitoken"


# Schools module (issue 3).
SCHOOL_VIEW = (
    "schools.view_school",
    "schools.view_guard",
    "schools.view_device",
    "schools.view_equipmentstock",
)
SCHOOL_LEDGERS = (
    "schools.add_guard",
    "schools.change_guard",
    "schools.delete_guard",
    "schools.add_device",
    "schools.change_device",
    "schools.delete_device",
    "schools.add_equipmentstock",
    "schools.change_equipmentstock",
)
SCHOOL_ADMIN = ("schools.add_school", "schools.change_school", *SCHOOL_LEDGERS)

# Inspections and the rectification loop (issue 4).
INSPECTIONS_VIEW = (
    "inspections.view_campaign",
    "inspections.view_checklisttemplate",
    "inspections.view_inspection",
    "inspections.view_hazard",
    "inspections.view_rectificationnotice",
    "inspections.view_escalation",
)
INSPECTIONS_INSPECT = (
    "inspections.add_inspection",
    "inspections.change_inspection",
    "inspections.add_hazard",
    "inspections.change_hazard",
)
INSPECTIONS_POLICE = (
    *INSPECTIONS_INSPECT,
    "inspections.add_campaign",
    "inspections.change_campaign",
    "inspections.recheck_hazard",
    "inspections.add_rectificationnotice",
)
INSPECTIONS_SCHOOL = (
    "inspections.view_hazard",
    "inspections.view_rectificationnotice",
    "inspections.view_inspection",
    "inspections.view_campaign",
    "inspections.view_checklisttemplate",
    "inspections.add_hazard",
    "inspections.rectify_hazard",
)


# Key persons and disputes (issue 5): police only. Education, school, guard, volunteer,
# auditor and system-administrator roles get nothing that shows an identity (SPEC 2.3);
# gate guards and security chiefs may only ask the watchlist "is this visitor listed?".
PERSONS_VIEW = (
    "persons.view_keyperson",
    "persons.view_keypersonschool",
    "persons.view_followup",
    "persons.view_screeningbatch",
    "persons.view_dispute",
    "persons.view_mediationrecord",
)
PERSONS_WORK = (
    "persons.add_keyperson",
    "persons.change_keyperson",
    "persons.reveal_keyperson",
    "persons.add_followup",
    "persons.add_screeningbatch",
    "persons.add_dispute",
    "persons.change_dispute",
    "persons.add_mediationrecord",
    "persons.match_watchlist",
)
PERSONS_MATCH = ("persons.match_watchlist",)

# 护学岗 and patrols (issue 6).
PATROLS_VIEW = (
    "patrols.view_guardpost",
    "patrols.view_dutyshift",
    "patrols.view_checkin",
    "patrols.view_stats",
)
PATROLS_POLICE = (
    *PATROLS_VIEW,
    "patrols.add_guardpost",
    "patrols.change_guardpost",
    "patrols.add_dutyshift",
    "patrols.change_dutyshift",
    "patrols.add_checkin",
    "patrols.record_checkin",
    "patrols.view_patrolroute",
    "patrols.add_patrolroute",
    "patrols.change_patrolroute",
    "patrols.view_patrollog",
    "patrols.add_patrollog",
    "patrols.change_patrollog",
    "patrols.view_videopatrol",
    "patrols.add_videopatrol",
)
PATROLS_SCHOOL = (
    *PATROLS_VIEW,
    "patrols.change_guardpost",
    "patrols.add_dutyshift",
    "patrols.change_dutyshift",
    "patrols.add_checkin",
    "patrols.record_checkin",
)


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    description: str
    data_scope: str
    permissions: tuple[str, ...]
    is_police: bool = False


_BASE = (VIEW_ORGS, MANAGE_TOKENS)

DEFAULT_ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        "sysadmin",
        _("系统管理员"),
        _("维护单位、用户、角色和系统设置"),
        DataScope.ALL,
        (
            *_BASE,
            CHANGE_ORGS,
            ADD_ORGS,
            VIEW_USERS,
            MANAGE_USERS,
            ADD_USERS,
            VIEW_ROLES,
            MANAGE_ROLES,
        ),
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
)


# Each module's permissions by role code; a module that lands adds its entry here.
MODULE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # 工作日历 (holidays and 调休 workdays), kept by administrators in the admin.
    "calendar": {
        "sysadmin": (
            "core.view_calendarday",
            "core.add_calendarday",
            "core.change_calendarday",
            "core.delete_calendarday",
        ),
    },
    "schools": {
        "sysadmin": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "commander": SCHOOL_VIEW,
        "officer": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "community_officer": SCHOOL_VIEW,
        "legal_vice_principal": ("schools.view_school",),
        "education_officer": SCHOOL_VIEW,
        "school_security_chief": (*SCHOOL_VIEW, "schools.change_school", *SCHOOL_LEDGERS),
        "gate_guard": ("schools.view_school",),
    },
    "inspections": {
        "sysadmin": (
            *INSPECTIONS_VIEW,
            "inspections.add_checklisttemplate",
            "inspections.change_checklisttemplate",
        ),
        "commander": (
            *INSPECTIONS_VIEW,
            *INSPECTIONS_POLICE,
            "inspections.supervise_hazard",
            "inspections.add_checklisttemplate",
            "inspections.change_checklisttemplate",
        ),
        "officer": (*INSPECTIONS_VIEW, *INSPECTIONS_POLICE, "inspections.supervise_hazard"),
        "community_officer": (*INSPECTIONS_VIEW, *INSPECTIONS_INSPECT),
        "legal_vice_principal": ("inspections.view_hazard",),
        "education_officer": INSPECTIONS_VIEW,
        "school_security_chief": INSPECTIONS_SCHOOL,
    },
    "patrols": {
        "sysadmin": PATROLS_VIEW,
        "commander": (
            *PATROLS_VIEW,
            "patrols.view_patrolroute",
            "patrols.view_patrollog",
            "patrols.view_videopatrol",
        ),
        "officer": PATROLS_POLICE,
        "community_officer": PATROLS_POLICE,
        "legal_vice_principal": ("patrols.view_guardpost",),
        "education_officer": (*PATROLS_VIEW, "patrols.view_videopatrol"),
        "school_security_chief": PATROLS_SCHOOL,
        "gate_guard": ("patrols.view_guardpost", "patrols.view_dutyshift", "patrols.add_checkin"),
        "volunteer": ("patrols.view_dutyshift", "patrols.add_checkin"),
    },
    "persons": {
        "commander": (
            *PERSONS_VIEW,
            "persons.reveal_keyperson",
            # 撤销列管 is the commander's approval, given on the person's edit page.
            "persons.change_keyperson",
            "persons.revoke_keyperson",
            *PERSONS_MATCH,
        ),
        "officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "community_officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "school_security_chief": PERSONS_MATCH,
        "gate_guard": PERSONS_MATCH,
    },
}


def permissions_for(spec: RoleSpec) -> tuple[str, ...]:
    extra = (p for module in MODULE_PERMISSIONS.values() for p in module.get(spec.code, ()))
    return tuple(dict.fromkeys((*spec.permissions, *extra)))


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
                    "sort_order": order,
                },
            )
            if was_created:
                created += 1
                continue
            missing = set(permissions_for(spec)) - set(role.permissions)
            if missing:
                role.permissions = sorted(set(role.permissions) | missing)
                role.save(update_fields=["permissions"])
    return created
