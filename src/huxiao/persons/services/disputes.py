"""Writes of school-related disputes (涉校涉生矛盾纠纷): registration, mediation, closure.

The status machine is explicit: ``TRANSITIONS`` lists every allowed move; anything else is
refused with a message that names the current and the requested status.

    登记 ──► 化解中 ──► 已化解
      │         │
      └────────►└──► 移交
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import dictionaries, parameters
from huxiao.core.choices import OrgKind
from huxiao.core.exceptions import ConflictError
from huxiao.persons.choices import DISPUTE_KIND, DisputeStatus, PersonStatus, ResponsibleKind
from huxiao.persons.models import Dispute, MediationRecord

TRANSITIONS: dict[str, frozenset[str]] = {
    DisputeStatus.REGISTERED: frozenset({DisputeStatus.MEDIATING, DisputeStatus.TRANSFERRED}),
    DisputeStatus.MEDIATING: frozenset({DisputeStatus.RESOLVED, DisputeStatus.TRANSFERRED}),
    DisputeStatus.RESOLVED: frozenset(),
    DisputeStatus.TRANSFERRED: frozenset(),
}
OPEN_STATES = (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING)
# Closing a dispute says how (化解结果 / 移交去向).
NEEDS_NOTE = frozenset({DisputeStatus.RESOLVED, DisputeStatus.TRANSFERRED})
DISPUTE_FIELDS = {"kind", "parties", "summary", "due_date", "responsible_kind", "responsible_org"}
_ORG_KIND = {
    ResponsibleKind.SCHOOL: OrgKind.SCHOOL,
    ResponsibleKind.EDUCATION_BUREAU: OrgKind.EDUCATION_BUREAU,
    ResponsibleKind.STATION: OrgKind.STATION,
}


def _default_responsible(school, kind: str):
    org = school.organization
    if kind == ResponsibleKind.SCHOOL:
        return org
    if kind == ResponsibleKind.EDUCATION_BUREAU:
        return org.education_bureau
    return org.parent


def check_kind(kind: str, *, current: str | None = None) -> None:
    """An enabled entry of the dispute types (字典管理); a dispute keeps its own ``current`` type
    even after it was disabled."""
    if not dictionaries.is_valid(DISPUTE_KIND, kind, allow_disabled_current=current):
        raise ValidationError({"kind": _("纠纷类型不存在或已停用，请重新选择。")})


def _validate(dispute: Dispute) -> None:
    errors = {}
    if dispute.threat_of_revenge:
        if dispute.key_person_id is None:
            errors["key_person"] = _("有扬言报复倾向的纠纷须关联重点人员。")
        elif dispute.key_person.status == PersonStatus.REVOKED:
            errors["key_person"] = _("关联的重点人员已撤销列管。")
    org = dispute.responsible_org if dispute.responsible_org_id else None
    expected = _ORG_KIND.get(dispute.responsible_kind)
    if org is None:
        errors["responsible_org"] = _("请指定责任单位。")
    elif expected is not None and org.kind != expected:
        errors["responsible_org"] = _("责任单位的类型与所选责任单位类型不符。")
    if dispute.due_date and dispute.registered_on and dispute.due_date < dispute.registered_on:
        errors["due_date"] = _("化解期限不能早于登记日期。")
    if errors:
        raise ValidationError(errors)
    dispute.full_clean(exclude=["school", "station", "key_person", "responsible_org", "created_by"])


@transaction.atomic
def dispute_create(
    *,
    school,
    kind: str,
    parties: str,
    summary: str,
    responsible_kind: str,
    actor=None,
    responsible_org=None,
    threat_of_revenge: bool = False,
    key_person=None,
    registered_on: dt.date | None = None,
    due_date: dt.date | None = None,
) -> Dispute:
    """Register a dispute of a school; its police station follows it (scope)."""
    station = school.organization.parent
    if station is None or station.kind != OrgKind.STATION:
        raise ValidationError({"school": _("学校须隶属于派出所。")})
    registered_on = registered_on or timezone.localdate()
    check_kind(kind)
    dispute = Dispute(
        school=school,
        station=station,
        kind=kind,
        parties=(parties or "").strip(),
        summary=(summary or "").strip(),
        threat_of_revenge=threat_of_revenge,
        key_person=key_person,
        responsible_kind=responsible_kind,
        responsible_org=responsible_org or _default_responsible(school, responsible_kind),
        registered_on=registered_on,
        due_date=due_date
        or registered_on + dt.timedelta(days=parameters.get("PERSONS_DISPUTE_DUE_DAYS")),
        created_by=actor,
    )
    _validate(dispute)
    dispute.save()
    return dispute


def _lock(dispute: Dispute, expected_version) -> Dispute:
    locked = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("school__organization", "key_person")
        .get(pk=dispute.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(
            _("该纠纷已被他人修改（当前版本%(now)d，您的版本%(yours)d），请刷新后重试。")
            % {"now": locked.version, "yours": int(expected_version)}
        )
    return locked


@transaction.atomic
def dispute_update(*, dispute: Dispute, actor=None, expected_version=None, **changes) -> Dispute:
    unknown = set(changes) - DISPUTE_FIELDS - {"threat_of_revenge", "key_person"}
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = _lock(dispute, expected_version)
    if locked.status not in OPEN_STATES:
        raise ValidationError(
            _("纠纷已办结（%(s)s），不能修改。") % {"s": locked.get_status_display()}
        )
    if "kind" in changes:
        check_kind(changes["kind"], current=locked.kind)
    for key, value in changes.items():
        setattr(locked, key, value)
    if "responsible_kind" in changes and "responsible_org" not in changes:
        locked.responsible_org = _default_responsible(locked.school, locked.responsible_kind)
    _validate(locked)
    locked.version += 1
    locked.save()
    return locked


def transition_problem(current: str, target: str) -> str | None:
    """Why ``current → target`` is refused, or None when it is allowed."""
    if target not in DisputeStatus.values:
        return _("未知的状态：%(s)s") % {"s": target}
    if target in TRANSITIONS.get(current, frozenset()):
        return None
    allowed = "、".join(str(DisputeStatus(s).label) for s in sorted(TRANSITIONS[current]))
    return _("纠纷当前为“%(now)s”，不能转为“%(to)s”（可转为：%(allowed)s）。") % {
        "now": DisputeStatus(current).label,
        "to": DisputeStatus(target).label,
        "allowed": allowed or _("无，已办结"),
    }


@transaction.atomic
def dispute_transition(
    *,
    dispute: Dispute,
    to: str,
    actor=None,
    note: str = "",
    expected_version=None,
    today: dt.date | None = None,
) -> Dispute:
    locked = _lock(dispute, expected_version)
    problem = transition_problem(locked.status, to)
    if problem:
        raise ValidationError({"status": problem})
    note = (note or "").strip()
    if to in NEEDS_NOTE and not note:
        raise ValidationError({"note": _("请填写化解结果或移交去向。")})
    locked.status = to
    if note:
        locked.outcome = note[:200]
    if to not in OPEN_STATES:
        locked.closed_on = today or timezone.localdate()
    locked.version += 1
    locked.full_clean(exclude=["school", "station", "key_person", "responsible_org", "created_by"])
    locked.save()
    return locked


@transaction.atomic
def mediation_create(
    *,
    dispute: Dispute,
    actor,
    date: dt.date,
    content: str,
    participants: str = "",
    result: str = "",
    mediator=None,
    today: dt.date | None = None,
) -> MediationRecord:
    """Record a mediation session; the first one moves a registered dispute to 化解中."""
    locked = _lock(dispute, None)
    if locked.status not in OPEN_STATES:
        raise ValidationError(
            _("纠纷已办结（%(s)s），不能再记录调解。") % {"s": locked.get_status_display()}
        )
    if date > (today or timezone.localdate()):
        raise ValidationError({"date": _("调解日期不能晚于今天。")})
    record = MediationRecord(
        dispute=locked,
        date=date,
        mediator=mediator or actor,
        content=(content or "").strip(),
        participants=(participants or "").strip(),
        result=(result or "").strip(),
    )
    record.full_clean(exclude=["dispute", "mediator"])
    record.save()
    if locked.status == DisputeStatus.REGISTERED:
        dispute_transition(dispute=locked, to=DisputeStatus.MEDIATING, actor=actor)
    return record
