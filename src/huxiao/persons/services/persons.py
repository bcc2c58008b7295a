"""Writes of the key-person registry: persons and their schools (their follow-ups, which set
the last review, are ``follow_ups``).

Services take keyword-only arguments, validate (``full_clean`` after the module's own
rules), run in one transaction and leave side effects (notifications) to ``on_commit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit, crypto, parameters
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.exceptions import ConflictError
from huxiao.core.services import notification_subject, notifications_resolve
from huxiao.core.validators import birth_date_from_id, id_number_problem
from huxiao.persons import rules
from huxiao.persons.choices import Category, ControlMeasure, PersonStatus, SchoolRelation
from huxiao.persons.models import KeyPerson, KeyPersonSchool
from huxiao.persons.services.alerts import notify_station

PERSON_FIELDS = {
    "name",
    "gender",
    "id_number",
    "phone",
    "address",
    "categories",
    "mental_risk_level",
    "risk_level",
    "officer",
    "control_measures",
    "status",
    "status_note",
    "listed_on",
    "last_review_date",  # a person moved from a paper ledger keeps their last review
    "notes",
}
# Fields that change the review cadence.
CADENCE_FIELDS = {"categories", "mental_risk_level", "risk_level", "status"}
RESPONSIBLE_KINDS = (OrgKind.STATION, OrgKind.POLICE_UNIT)
REVOKE_PERM = "persons.revoke_keyperson"


def _unknown(fields, allowed, message) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(message % {"f": ", ".join(sorted(unknown))})


def _ordered_unique(values: Iterable, allowed: set, field: str, errors: dict) -> list[str]:
    result: list[str] = []
    for value in values or ():
        if value not in allowed:
            errors[field] = _("未知的选项：%(v)s") % {"v": value}
        elif value not in result:
            result.append(str(value))
    return result


def _location_text(latitude, longitude) -> str:
    from huxiao.schools.geo import validate_point

    if latitude in (None, "") and longitude in (None, ""):
        return ""
    try:
        validate_point(longitude, latitude)
        return f"{float(latitude):.6f},{float(longitude):.6f}"
    except (TypeError, ValueError) as exc:
        raise ValidationError({"home_location": _("住址坐标应为十进制度数。")}) from exc


def parse_location(text: str) -> tuple[float, float] | None:
    if not text:
        return None
    lat, lng = text.split(",", 1)
    return float(lat), float(lng)


def person_validate(
    person: KeyPerson, *, actor=None, check_duplicate: bool = True, today: dt.date | None = None
) -> None:
    """Every rule a key person must pass; fills birth date, gender and the blind index."""
    errors: dict = {}
    ident = (person.id_number or "").strip().upper()
    problem = id_number_problem(ident) if ident else _("身份证号不能为空。")
    if problem:
        errors["id_number"] = problem
    else:
        person.id_number = ident
        person.birth_date = birth_date_from_id(ident)
        person.gender = "male" if int(ident[16]) % 2 else "female"
        person.id_number_index = crypto.blind_index(ident)
    person.name = (person.name or "").strip()
    person.categories = _ordered_unique(
        person.categories, set(Category.values), "categories", errors
    )
    if not person.categories and "categories" not in errors:
        errors["categories"] = _("至少选择一个类别。")
    person.control_measures = _ordered_unique(
        person.control_measures, set(ControlMeasure.values), "control_measures", errors
    )
    level = person.mental_risk_level
    if Category.MENTAL in person.categories:
        if level is None or not 0 <= int(level) <= 5:
            errors["mental_risk_level"] = _("严重精神障碍患者须填写0–5级的危险性等级。")
    elif level is not None:
        errors["mental_risk_level"] = _("只有“严重精神障碍患者”类别才填写危险性等级。")
    station = person.station if person.station_id else None
    if station is not None and station.kind not in RESPONSIBLE_KINDS:
        errors["station"] = _("责任单位须为派出所或公安警种单位。")
    officer = person.officer if person.officer_id else None
    if officer is not None and station is not None:
        org = officer.organization if officer.organization_id else None
        role = officer.role if officer.role_id else None
        if (
            org is None
            or not org.path.startswith(station.path)
            or role is None
            or not role.is_police
            or not officer.is_active
        ):
            errors["officer"] = _("责任民警须为责任单位的在职民警。")
    if person.last_review_date and person.last_review_date > (today or timezone.localdate()):
        errors["last_review_date"] = _("最近核查日期不能晚于今天。")
    if person.status == PersonStatus.REVOKED and not (person.status_note or "").strip():
        errors["status_note"] = _("撤销列管须填写理由。")
    if check_duplicate and "id_number" not in errors:
        others = KeyPerson.objects.filter(
            id_number_index__in=crypto.blind_index_candidates(ident)
        ).exclude(pk=person.pk)
        if others.exists():
            # The same words whoever holds the record: the message reveals nothing more.
            errors["id_number"] = _("该身份证号已登记为重点人员，不能重复登记。")
    if errors:
        raise ValidationError(errors)
    person.full_clean(exclude=["station", "officer", "created_by"])


def _plan_review(person: KeyPerson, today: dt.date) -> None:
    base = person.last_review_date or person.listed_on or today
    if person.status == PersonStatus.LOST:
        base = today  # looked for from the day it is known
    plan = rules.next_review(
        base=base,
        categories=person.categories,
        mental_risk_level=person.mental_risk_level,
        risk_level=person.risk_level,
        status=person.status,
    )
    person.next_review_date = plan.due
    person.review_rule = plan.rule


def _link_rows(person: KeyPerson, links) -> list[KeyPersonSchool]:
    """``links``: School objects, or (school, relation) pairs; distances from the home."""
    home = parse_location(person.home_location)
    step = parameters.get("PERSONS_DISTANCE_ROUNDING_M")
    rows, seen = [], set()
    for link in links or ():
        school, relation = link if isinstance(link, tuple | list) else (link, SchoolRelation.NEARBY)
        if school.pk in seen:
            continue
        seen.add(school.pk)
        if relation not in SchoolRelation.values:
            raise ValidationError({"schools": _("未知的学校关系：%(v)s") % {"v": relation}})
        org = school.organization
        distance = None
        if home is not None and org.latitude is not None and org.longitude is not None:
            metres = rules.haversine_m(home[0], home[1], float(org.latitude), float(org.longitude))
            distance = rules.rounded_distance(metres, step)
        rows.append(
            KeyPersonSchool(person=person, school=school, relation=relation, distance_m=distance)
        )
    return rows


def _replace_links(person: KeyPerson, links) -> None:
    rows = _link_rows(person, links)
    KeyPersonSchool.objects.filter(person=person).exclude(
        school_id__in=[r.school_id for r in rows]
    ).delete()
    existing = {k.school_id: k for k in KeyPersonSchool.objects.filter(person=person)}
    for row in rows:
        old = existing.get(row.school_id)
        if old is None:
            row.save()
        elif (old.relation, old.distance_m) != (row.relation, row.distance_m):
            old.relation, old.distance_m = row.relation, row.distance_m
            old.save(update_fields=["relation", "distance_m"])


def _check_revoke(person: KeyPerson, old_status: str | None, actor) -> None:
    if (
        person.status == PersonStatus.REVOKED
        and old_status != PersonStatus.REVOKED
        and actor is not None
        and not actor.has_perm(REVOKE_PERM)
    ):
        raise ValidationError({"status": _("撤销列管须经指挥长审批，您没有审批权限。")})


# The task a 失控 message asks for: find the person. It is done, and the message resolved in
# every inbox, when the person is no longer 失控 (found and back in control, or delisted).
FIND = "find"


def _after_status(person: KeyPerson, old_status: str | None) -> None:
    if person.status == PersonStatus.LOST and old_status != PersonStatus.LOST:
        notify_station(
            person_id=person.pk,
            station_ids=[person.station_id],
            officer_id=person.officer_id,
            title=_("重点人员失控：%(name)s") % {"name": person.name},
            body=_("%(name)s已失控，请立即组织查找并落实稳控措施。") % {"name": person.name},
            subject=notification_subject(person, FIND),
        )
    elif old_status == PersonStatus.LOST and person.status != PersonStatus.LOST:
        subject = notification_subject(person, FIND)
        transaction.on_commit(lambda: notifications_resolve(subject=subject))


@transaction.atomic
def key_person_create(
    *,
    station,
    name: str,
    id_number: str,
    categories,
    actor=None,
    home_latitude=None,
    home_longitude=None,
    schools=(),
    today: dt.date | None = None,
    **fields,
) -> KeyPerson:
    """List a person (列管); the next review date follows from ``rules.next_review``."""
    _unknown(fields, PERSON_FIELDS, _("未知字段：%(f)s"))
    today = today or timezone.localdate()
    person = KeyPerson(
        station=station,
        name=name,
        id_number=id_number,
        categories=list(categories or ()),
        created_by=actor,
        **fields,
    )
    person.listed_on = person.listed_on or today
    person.home_location = _location_text(home_latitude, home_longitude)
    person_validate(person, actor=actor, today=today)
    _check_revoke(person, None, actor)
    _plan_review(person, today)
    person.save()
    _replace_links(person, schools)
    _after_status(person, None)
    return person


def _lock(person: KeyPerson, expected_version) -> KeyPerson:
    locked = KeyPerson.objects.select_for_update().select_related("station").get(pk=person.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(
            _("该重点人员已被他人修改（当前版本%(now)d，您的版本%(yours)d），请刷新后重试。")
            % {"now": locked.version, "yours": int(expected_version)}
        )
    return locked


_MISSING = object()


def _nullable(name: str) -> bool:
    try:
        return KeyPerson._meta.get_field(name).null
    except FieldDoesNotExist:  # unknown names were refused before
        return False


@transaction.atomic
def key_person_update(
    *,
    person: KeyPerson,
    actor=None,
    expected_version=None,
    station=None,
    home_latitude=_MISSING,
    home_longitude=_MISSING,
    schools=None,
    today: dt.date | None = None,
    **changes,
) -> KeyPerson:
    """Change a person's record; the cadence is re-derived when its inputs change."""
    _unknown(changes, PERSON_FIELDS, _("不可修改的字段：%(f)s"))
    today = today or timezone.localdate()
    locked = _lock(person, expected_version)
    old_status = locked.status
    empty = sorted(k for k, v in changes.items() if v is None and not _nullable(k))
    if empty:
        raise ValidationError({k: _("该项不能为空（不修改时请不要提交该项）。") for k in empty})
    for key, value in changes.items():
        setattr(locked, key, list(value) if key in ("categories", "control_measures") else value)
    if station is not None:
        locked.station = station
    moved = home_latitude is not _MISSING or home_longitude is not _MISSING
    if moved:
        locked.home_location = _location_text(
            None if home_latitude is _MISSING else home_latitude,
            None if home_longitude is _MISSING else home_longitude,
        )
    person_validate(locked, actor=actor, today=today)
    _check_revoke(locked, old_status, actor)
    if CADENCE_FIELDS & set(changes):
        _plan_review(locked, today)
    locked.version += 1
    locked.save()
    if schools is not None:
        _replace_links(locked, schools)
    elif moved:
        _replace_links(locked, [(k.school, k.relation) for k in locked.school_links.all()])
    _after_status(locked, old_status)
    return locked


@transaction.atomic
def key_person_create_many(*, station, people: list[dict], actor=None, today=None) -> list:
    """List many persons of one station at once (demo, large imports): each validated like
    ``key_person_create``; one audit record lists them (masked) instead of one per person."""
    today = today or timezone.localdate()
    rows, links, seen = [], [], set()
    for fields in people:
        fields = dict(fields)
        schools = fields.pop("schools", ())
        lat, lng = fields.pop("home_latitude", None), fields.pop("home_longitude", None)
        _unknown(fields, PERSON_FIELDS, _("未知字段：%(f)s"))
        person = KeyPerson(station=station, created_by=actor, **fields)
        person.listed_on = person.listed_on or today
        person.home_location = _location_text(lat, lng)
        person_validate(person, actor=actor, check_duplicate=False, today=today)
        _check_revoke(person, None, actor)
        if person.id_number_index in seen:
            raise ValidationError({"id_number": _("该身份证号已登记为重点人员，不能重复登记。")})
        seen.add(person.id_number_index)
        _plan_review(person, today)
        rows.append(person)
        links.append(schools)
    candidates = [c for p in rows for c in crypto.blind_index_candidates(p.id_number)]
    if KeyPerson.objects.filter(id_number_index__in=candidates).exists():
        raise ValidationError({"id_number": _("该身份证号已登记为重点人员，不能重复登记。")})
    created = KeyPerson.objects.bulk_create(rows)
    KeyPersonSchool.objects.bulk_create(
        [row for person, ls in zip(created, links, strict=True) for row in _link_rows(person, ls)]
    )
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type="persons.keyperson",
        object_repr=_("%(station)s：批量列管 %(n)d 人") % {"station": station, "n": len(created)},
        after={
            "station": station.pk,
            "count": len(created),
            "persons": [audit.snapshot(p) for p in created],
        },
    )
    return created
