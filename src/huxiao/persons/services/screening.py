"""Writes of rolling screening (滚动排查): a batch, and the persons it checked.

A batch lists who was checked (``ScreeningEntry``); what follows from an entry goes through
the key-person services, never around them:

- 核查在控 (checked): the person must be listed (在控 or 失控); nothing else changes;
- 新增列管 (listed): a new person is listed by ``key_person_create``; an existing one is linked
  when the listing date lies within the batch's period, and a revoked one is listed again by
  ``key_person_update``;
- 撤销列管 (removed): ``key_person_update`` ends the listing, with the approval it demands
  (``persons.revoke_keyperson``: an officer is refused until the commander approves); a
  person the commander already revoked is recorded once.

The batch's 排查人数, 新增列管 and 撤销列管 are then recounted from its entries in the same
transaction. Only a batch imported from history (``imported``) has typed totals, and no
entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.persons.choices import PersonStatus, ScreeningOutcome
from huxiao.persons.models import KeyPerson, ScreeningBatch, ScreeningEntry
from huxiao.persons.services.persons import key_person_create, key_person_update

ACTIVE = (PersonStatus.IN_CONTROL, PersonStatus.LOST)


@transaction.atomic
def screening_batch_create(
    *,
    organization,
    period_start: dt.date,
    period_end: dt.date,
    campaign=None,
    note: str = "",
    actor=None,
    imported: bool = False,
    screened: int = 0,
    newly_listed: int = 0,
    removed: int = 0,
) -> ScreeningBatch:
    """A round of rolling screening. Its persons are added with ``screening_entries_add``;
    only a batch imported from history (``imported``) carries typed totals."""
    if not organization.is_police:
        raise ValidationError({"organization": _("排查单位须为公安机关。")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("结束日期不能早于开始日期。")})
    if not imported and (screened or newly_listed or removed):
        raise ValidationError(
            {
                "imported": _(
                    "排查人数、新增列管、撤销列管由逐人登记的排查人员得出，不能直接填写；"
                    "只有无名单的历史数据才勾选“历史导入”并填写合计。"
                )
            }
        )
    if imported and newly_listed > screened:
        raise ValidationError({"newly_listed": _("新增列管人数不能超过排查人数。")})
    batch = ScreeningBatch(
        organization=organization,
        period_start=period_start,
        period_end=period_end,
        imported=bool(imported),
        screened=screened,
        newly_listed=newly_listed,
        removed=removed,
        campaign=campaign,
        note=(note or "").strip(),
        created_by=actor,
    )
    batch.full_clean(exclude=["organization", "campaign", "created_by"])
    batch.save()
    return batch


def _in_batch_area(person: KeyPerson, batch: ScreeningBatch) -> bool:
    return person.station.path.startswith(batch.organization.path)


def _out_of_area(person: KeyPerson, batch: ScreeningBatch) -> ValidationError:
    return ValidationError(
        {
            "persons": _("%(name)s不在本批次排查单位（%(org)s）的辖区内，不能登记。")
            % {"name": person.name, "org": batch.organization.name}
        }
    )


def _follow(batch, person, outcome, note, actor, today) -> KeyPerson:
    """Apply what the entry says to the person, through the key-person services."""
    name = person.name
    if outcome == ScreeningOutcome.CHECKED:
        if person.status not in ACTIVE:
            raise ValidationError(
                {"persons": _("%(name)s已撤销列管，不能登记为“核查在控”。") % {"name": name}}
            )
        return person
    if outcome == ScreeningOutcome.LISTED:
        if person.status == PersonStatus.REVOKED:
            return key_person_update(
                person=person,
                actor=actor,
                status=PersonStatus.IN_CONTROL,
                status_note=note,
                listed_on=min(today, batch.period_end),
                today=today,
            )
        listed_on = person.listed_on
        if listed_on is None or not batch.period_start <= listed_on <= batch.period_end:
            raise ValidationError(
                {
                    "persons": _(
                        "%(name)s的列管日期不在本批次期间内：此前已列管的人员请登记为“核查在控”。"
                    )
                    % {"name": name}
                }
            )
        return person
    # Removed (撤销列管).
    if not note:
        raise ValidationError({"note": _("撤销列管须填写理由。")})
    if person.status == PersonStatus.REVOKED:
        if ScreeningEntry.objects.filter(person=person, outcome=ScreeningOutcome.REMOVED).exists():
            raise ValidationError(
                {"persons": _("%(name)s的撤销列管已在排查批次中登记过。") % {"name": name}}
            )
        return person  # revoked (approved) before: recorded once, here
    try:
        return key_person_update(
            person=person,
            actor=actor,
            status=PersonStatus.REVOKED,
            status_note=note,
            today=today,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "status" in exc.error_dict:
            raise ValidationError(
                {
                    "outcome": _(
                        "撤销%(name)s的列管须经指挥长审批，您没有审批权限：请先由指挥长在人员信息中"
                        "批准撤销，再登记本条。"
                    )
                    % {"name": name}
                }
            ) from exc
        raise


def screening_recount(batch: ScreeningBatch) -> ScreeningBatch:
    """The batch's counts from its entries (imported batches keep their typed totals)."""
    if batch.imported:
        return batch
    counts = ScreeningEntry.objects.filter(batch=batch).aggregate(
        screened=Count("id"),
        newly_listed=Count("id", filter=Q(outcome=ScreeningOutcome.LISTED)),
        removed=Count("id", filter=Q(outcome=ScreeningOutcome.REMOVED)),
    )
    changed = [k for k, v in counts.items() if getattr(batch, k) != v]
    for key, value in counts.items():
        setattr(batch, key, value)
    if changed:
        batch.save(update_fields=changed)
    return batch


@transaction.atomic
def screening_entries_add(
    *,
    batch: ScreeningBatch,
    actor,
    persons: Iterable[KeyPerson] = (),
    outcome: str = ScreeningOutcome.CHECKED,
    note: str = "",
    new_person: dict | None = None,
    today: dt.date | None = None,
) -> list[ScreeningEntry]:
    """Record that the batch checked ``persons`` (all with one outcome), or lists
    ``new_person`` (the arguments of ``key_person_create``; 新增列管 only). All or nothing:
    one refusal and no entry, no person's change, is written."""
    today = today or timezone.localdate()
    locked = (
        ScreeningBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
    )
    if locked.imported:
        raise ValidationError(_("历史导入的批次只有合计，不能逐人登记排查人员。"))
    if outcome not in ScreeningOutcome.values:
        raise ValidationError({"outcome": _("未知的排查结果：%(v)s") % {"v": outcome}})
    note = (note or "").strip()
    # Read afresh (and locked): the rules look at the persons as they are now.
    ids = list(dict.fromkeys(p.pk for p in persons or ()))
    fresh = (
        KeyPerson.objects.select_for_update().select_related("station").in_bulk(ids) if ids else {}
    )
    people = [fresh[pk] for pk in ids if pk in fresh]
    if new_person is not None:
        if outcome != ScreeningOutcome.LISTED:
            raise ValidationError({"outcome": _("新登记的人员只能是“新增列管”。")})
        fields = dict(new_person)
        station = fields.get("station")
        if station is None or not station.path.startswith(locked.organization.path):
            raise ValidationError(
                {
                    "station": _("责任单位须在本批次排查单位（%(org)s）的辖区内。")
                    % {"org": locked.organization.name}
                }
            )
        fields["listed_on"] = fields.get("listed_on") or min(today, locked.period_end)
        if not locked.period_start <= fields["listed_on"] <= locked.period_end:
            raise ValidationError({"listed_on": _("列管日期须在本批次的起止日期之内。")})
        fields.setdefault("actor", actor)
        fields.setdefault("today", today)
        people.append(key_person_create(**fields))
        created = people[-1]
    else:
        created = None
    if not people:
        raise ValidationError({"persons": _("请至少选择一名重点人员。")})
    already = set(
        ScreeningEntry.objects.filter(batch=locked, person__in=people).values_list(
            "person_id", flat=True
        )
    )
    entries, seen = [], set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        if not _in_batch_area(person, locked):
            raise _out_of_area(person, locked)
        if person.pk in already:
            raise ValidationError(
                {"persons": _("%(name)s已在本批次中登记。") % {"name": person.name}}
            )
        if person is not created:
            person = _follow(locked, person, outcome, note, actor, today)
        entry = ScreeningEntry(
            batch=locked, person=person, outcome=outcome, note=note, created_by=actor
        )
        entry.full_clean(exclude=["batch", "person", "created_by"], validate_constraints=False)
        entries.append(entry)
    # One insert and one audit record for the lot (a batch may list hundreds of persons).
    entries = ScreeningEntry.objects.bulk_create(entries)
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        actor=actor,
        object_type="persons.screeningentry",
        object_id=str(locked.pk),
        object_repr=_("滚动排查批次%(id)d：登记排查人员 %(n)d 人（%(outcome)s）")
        % {
            "id": locked.pk,
            "n": len(entries),
            "outcome": ScreeningOutcome(outcome).label,
        },
        after={
            "batch": locked.pk,
            "outcome": outcome,
            "count": len(entries),
            "persons": [e.person_id for e in entries],
        },
    )
    screening_recount(locked)
    return entries
