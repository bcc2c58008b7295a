"""Rules of system administration (系统管理), each with its source.

Areas append their own sections below, each under its own heading.
"""

from __future__ import annotations

from django.db.models import QuerySet

from huxiao.core.choices import OrgKind
from huxiao.core.models import Role

# ==== 用户管理 (users) =========================================================================
#
# Source: 三权分立 of GB/T 22239-2019 (等保2.0) level 3, 8.1.4.2 访问控制 and 8.1.10.5 集中管控:
# "应授予管理用户所需的最小权限，实现管理用户的权限分离" — the system administrator keeps accounts,
# the security administrator keeps roles and who holds them, the auditor reads the trail
# (core.roles). Issue 21, delegated administration: a unit administrator (单位管理员) keeps the
# accounts of its own subtree and cannot grant police roles. Issue 13 (security): a role that
# reads police-only data needs a security administrator's approval (core.services.role_grant_*).

# The three administrators of 三权分立: never given from the account pages; a security
# administrator grants them (core.services.role_grant_request).
SEPARATED_ROLES = frozenset({"sysadmin", "secadmin", "auditor"})
# 单位管理员: only a platform-wide system administrator makes one.
UNIT_ADMIN_ROLE = "org_admin"


def is_platform_admin(actor) -> bool:
    """The system administrator of the whole platform (not a unit administrator)."""
    return bool(
        actor.is_active
        and (actor.is_superuser or (actor.role_id and actor.role.code == "sysadmin"))
    )


def assignable_roles(actor) -> QuerySet:
    """The roles ``actor`` may choose for an account it creates or imports.

    - retired roles (``is_active`` False) are never offered;
    - the 三权分立 roles (system administrator, security administrator, auditor) are not:
      a security administrator grants those;
    - 单位管理员 (org_admin) only to a platform-wide system administrator (delegation goes
      down from the platform, never sideways between units);
    - roles that read police-only data are offered but only *requested*: see
      ``grants_directly``.
    """
    roles = Role.objects.filter(is_active=True).exclude(code__in=SEPARATED_ROLES)
    if not is_platform_admin(actor):
        roles = roles.exclude(code=UNIT_ADMIN_ROLE)
    return roles.order_by("sort_order", "code")


def grants_directly(role: Role) -> bool:
    """An administrator gives a role at once unless it reads police-only data; such a role
    becomes a pending role grant that a security administrator approves (等保2.0 access
    control, the two-person rule of core.services.role_grant_decide)."""
    from huxiao.core.services import reads_police_data

    return not reads_police_data(role)


def may_manage(actor, target) -> bool:
    """Whether ``actor`` may edit, disable, reset or unlock ``target`` (already in its scope).

    A unit administrator manages only accounts holding no role or a role it may assign: it
    cannot take over a system or security administrator, an auditor or another unit
    administrator inside its subtree (a password reset would hand it their account). The
    platform's system administrator manages every account.
    """
    if is_platform_admin(actor):
        return True
    if target.role_id is None:
        return True
    return assignable_roles(actor).filter(pk=target.role_id).exists()


# ==== 单位管理 (organisations): which kinds may sit under which ================================
# SPEC 1 (users, organisations and jurisdiction): one tree with the police hierarchy as its
# spine, 市公安局 › 分局/县局 › 派出所 › 学校; police units (治安大队, 巡特警, 交警) under a
# bureau; 教育局 one per city and per district; 综治办/政法委 and 保安公司 beside them. A school
# sits under its police station (and points at its education bureau), never elsewhere: the
# schools module registers it there (schools.services.school_create).

_CHILD_KINDS: dict[str, tuple[str, ...]] = {
    OrgKind.CITY_BUREAU: (OrgKind.SUB_BUREAU, OrgKind.STATION, OrgKind.POLICE_UNIT),
    OrgKind.SUB_BUREAU: (OrgKind.STATION, OrgKind.POLICE_UNIT),
    OrgKind.POLICE_UNIT: (OrgKind.POLICE_UNIT,),
    OrgKind.STATION: (OrgKind.SCHOOL,),
    OrgKind.EDUCATION_BUREAU: (OrgKind.EDUCATION_BUREAU,),
    OrgKind.COORDINATION_OFFICE: (OrgKind.COORDINATION_OFFICE,),
    OrgKind.SECURITY_COMPANY: (),
    OrgKind.SCHOOL: (),
}


def child_kinds(parent_kind: str) -> tuple[str, ...]:
    """The kinds of organisation that may be created or moved under a ``parent_kind`` node."""
    return _CHILD_KINDS.get(parent_kind, ())


def may_hold(parent_kind: str, kind: str) -> bool:
    """Whether a ``kind`` organisation may sit directly under a ``parent_kind`` one."""
    return kind in child_kinds(parent_kind)
