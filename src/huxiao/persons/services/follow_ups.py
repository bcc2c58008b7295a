"""Writes of a key person's reviews (走访/动态核查).

A follow-up becomes the person's 最近核查 (``KeyPerson.last_review_date``) in the same
transaction as the record, unless a later date is already there, and the next review counts
from it (``rules.next_review``). The only other source of that date is the paper ledger a
person is listed from (``key_person_create``/``key_person_update``); the person's page says
which of the two it shows (issue 14).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.persons.choices import Category, PersonStatus
from huxiao.persons.models import FollowUp, KeyPerson
from huxiao.persons.services.persons import _after_status, _lock, _plan_review, person_validate


def _build(
    person: KeyPerson,
    *,
    actor,
    date: dt.date,
    method: str,
    observations: str,
    whereabouts: str = "",
    status_after: str | None = None,
    mental_risk_level_after: int | None = None,
    officer=None,
    today: dt.date,
) -> FollowUp:
    """The follow-up record, checked (not saved)."""
    if date > today:
        raise ValidationError({"date": _("核查日期不能晚于今天。")})
    if person.status == PersonStatus.REVOKED:
        raise ValidationError(_("该人员已撤销列管，不能再记录走访核查。"))
    status_after = status_after or person.status
    if status_after == PersonStatus.REVOKED:
        raise ValidationError({"status_after": _("撤销列管须经审批，请在人员信息中办理。")})
    level = person.mental_risk_level
    if mental_risk_level_after is not None:
        if Category.MENTAL not in person.categories:
            raise ValidationError(
                {"mental_risk_level_after": _("只有“严重精神障碍患者”类别才填写危险性等级。")}
            )
        level = mental_risk_level_after
    follow = FollowUp(
        person=person,
        date=date,
        officer=officer or actor,
        method=method,
        observations=(observations or "").strip(),
        whereabouts=(whereabouts or "").strip(),
        status_after=status_after,
        mental_risk_level_after=level if Category.MENTAL in person.categories else None,
    )
    follow.full_clean(exclude=["person", "officer", "next_review_date"])
    officer_user = follow.officer
    if officer_user is None or not (officer_user.role_id and officer_user.role.is_police):
        raise ValidationError({"officer": _("走访核查须由民警记录。")})
    return follow


def _apply(person: KeyPerson, follow: FollowUp, *, actor, today: dt.date) -> None:
    """The follow-up becomes the person's last review (unless a later one is recorded) and
    moves the next one; the person is checked again and their version moves on."""
    if person.last_review_date is None or follow.date >= person.last_review_date:
        person.last_review_date = follow.date
        person.status = follow.status_after
        if follow.mental_risk_level_after is not None:
            person.mental_risk_level = follow.mental_risk_level_after
    person_validate(person, actor=actor, check_duplicate=False, today=today)
    _plan_review(person, today)
    person.version += 1
    follow.next_review_date = person.next_review_date


@transaction.atomic
def follow_up_create(
    *,
    person: KeyPerson,
    actor,
    date: dt.date,
    method: str,
    observations: str,
    whereabouts: str = "",
    status_after: str | None = None,
    mental_risk_level_after: int | None = None,
    officer=None,
    expected_version=None,
    today: dt.date | None = None,
) -> FollowUp:
    """Record a visit or check; it becomes the last review and moves the next one."""
    today = today or timezone.localdate()
    locked = _lock(person, expected_version)
    old_status = locked.status
    follow = _build(
        locked,
        actor=actor,
        date=date,
        method=method,
        observations=observations,
        whereabouts=whereabouts,
        status_after=status_after,
        mental_risk_level_after=mental_risk_level_after,
        officer=officer,
        today=today,
    )
    _apply(locked, follow, actor=actor, today=today)
    locked.save()
    follow.save()
    _after_status(locked, old_status)
    return follow


@transaction.atomic
def follow_ups_create_many(
    *, follow_ups: list[dict], actor=None, today: dt.date | None = None
) -> list[FollowUp]:
    """Record many follow-ups at once (the demo's history, a large import): each is checked and
    moves its person's last and next review as ``follow_up_create`` does; the records are
    written together and one audit record lists them (field names only: police-only content)
    instead of one per record. ``follow_ups``: dicts of ``follow_up_create``'s arguments
    (``person`` and ``date``, ``method``, ``observations``, … ; ``officer`` or ``actor``)."""
    today = today or timezone.localdate()
    rows = [dict(row) for row in follow_ups]
    persons = (
        KeyPerson.objects.select_for_update(of=("self",))
        .select_related("station", "officer__organization", "officer__role")
        .in_bulk([row["person"].pk for row in rows])
    )
    old_status = {pk: p.status for pk, p in persons.items()}
    created = []
    # In date order, so that each person's latest follow-up is their last review.
    for row in sorted(rows, key=lambda r: r["date"]):
        person = persons[row.pop("person").pk]
        follow = _build(person, actor=row.pop("actor", actor), today=today, **row)
        _apply(person, follow, actor=actor, today=today)
        created.append(follow)
    now = timezone.now()
    for person in persons.values():
        person.updated_at = now  # auto_now: not stamped by bulk_update
    KeyPerson.objects.bulk_update(
        list(persons.values()),
        ["last_review_date", "status", "mental_risk_level", "next_review_date", "review_rule"]
        + ["version", "updated_at"],
    )
    FollowUp.objects.bulk_create(created)
    for pk, person in persons.items():
        _after_status(person, old_status[pk])
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type="persons.followup",
        object_repr=_("批量记录走访核查 %(n)d 条") % {"n": len(created)},
        after={
            "count": len(created),
            "persons": sorted(persons),
            "follow_ups": [audit.snapshot(f) for f in created],
        },
    )
    return created
