"""Rules of system administration, each with its source. Each area keeps its own section."""

from __future__ import annotations

from huxiao.core.choices import OrgKind

# ---- 单位管理: which kinds of organisation may sit under which ----------------------------------
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
