"""The watchlist match the gate module calls for every visitor (SPEC 2.5).

``watchlist_lookup`` is the single indexed query: the blind index of the ID number (under
the current key and, during a rotation, the old ones) or the (name, birth date) index,
restricted to persons still listed — 在控 and 失控 (a lost person turning up at a school
gate is exactly what the station must hear about); 撤销 never matches. The whole list is
searched, not the caller's scope: a guard of any school must be warned about anyone.

``watchlist_match`` adds what must always follow: the audit record (the query masked, the
answer, the school), the urgent message to the police (inside the same transaction, so an
answer "matched" is never given without its alert; the live push runs on commit), and the
instruction for the guard. The guard learns matched yes/no and what to do, never who.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit, crypto, parameters
from huxiao.core.cache import CacheUnavailable
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.prepared import PreparedValues
from huxiao.core.validators import id_number_problem
from huxiao.persons import rules
from huxiao.persons.choices import PersonStatus
from huxiao.persons.models import KeyPerson, mask_name
from huxiao.persons.selectors import can_view
from huxiao.persons.services.alerts import notify_station

LISTED = (PersonStatus.IN_CONTROL, PersonStatus.LOST)
OBJECT_TYPE = "persons.watchlist"
_FIELDS = (
    "pk",
    "name",
    "station_id",
    "officer_id",
    "status",
    "risk_level",
    "categories",
    "mental_risk_level",
)


class TooManyQueries(Exception):
    """The account went over the PERSONS_WATCHLIST_PER_MINUTE parameter (HTTP 429)."""


@dataclass(frozen=True)
class Hit:
    pk: int
    name: str
    station_id: int
    officer_id: int | None
    status: str
    risk_level: str
    categories: list
    mental_risk_level: int | None


@dataclass(frozen=True)
class MatchResult:
    matched: bool
    instruction: str
    alert_raised: bool = False
    person_id: int | None = None  # only for police who may see the registry
    matched_by: str = ""  # "id_number" / "name_birth"


# The match runs at every gate registration: its two statements are compiled once
# (core.prepared), not on each visitor.
_BY_ID_NUMBER = PreparedValues(
    lambda candidates: (
        KeyPerson.objects.filter(id_number_index__in=candidates, status__in=LISTED)
        .order_by("pk")
        .values_list(*_FIELDS)[:1]
    ),
    candidates=[str],
)
_BY_NAME_AND_BIRTH = PreparedValues(
    lambda name, birth_date: (
        KeyPerson.objects.filter(name=name, birth_date=birth_date, status__in=LISTED)
        .order_by("pk")
        .values_list(*_FIELDS)[:1]
    ),
    name=str,
    birth_date=dt.date,
)


def _query(id_number: str | None, name: str | None, birth_date: dt.date | None):
    """(how it is matched, its prepared statement, the statement's values, the query masked)."""
    if id_number:
        ident = id_number.strip().upper()
        problem = id_number_problem(ident)
        if problem:
            raise ValidationError({"id_number": problem})
        return (
            "id_number",
            _BY_ID_NUMBER,
            {"candidates": list(crypto.blind_index_candidates(ident))},
            crypto.mask_id_number(ident),
        )
    name = (name or "").strip()
    if not name or birth_date is None:
        raise ValidationError(_("请提供身份证号，或姓名和出生日期。"))
    return (
        "name_birth",
        _BY_NAME_AND_BIRTH,
        {"name": name, "birth_date": birth_date},
        f"{mask_name(name)} {birth_date.isoformat()}",
    )


def watchlist_lookup(
    *, id_number: str | None = None, name: str | None = None, birth_date: dt.date | None = None
) -> tuple[Hit | None, str, str]:
    """(hit or None, how it was matched, the query masked) — one SQL query."""
    matched_by, statement, values, shown = _query(id_number, name, birth_date)
    row = statement.first(**values)
    return (Hit(*row) if row else None), matched_by, shown


def _throttle(actor) -> None:
    if actor is None:
        return
    limit = parameters.get("PERSONS_WATCHLIST_PER_MINUTE")
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"huxiao:watchlist:{actor.pk}:{minute}"
    try:
        if cache.add(key, 1, timeout=120):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=120)
                count = 1
    except CacheUnavailable:
        count = _matches_in_the_last_minute(actor) + 1
    if count > limit:
        raise TooManyQueries


def _matches_in_the_last_minute(actor) -> int:
    """Without the shared cache (Redis down, core.cache): the actor's matches of the last minute
    counted from their access records (every match writes one; ``ts`` is indexed)."""
    from huxiao.core.models import AuditRecord

    return AuditRecord.objects.filter(
        ts__gte=timezone.now() - dt.timedelta(minutes=1),
        object_type=OBJECT_TYPE,
        actor=actor,
    ).count()


def watchlist_match(
    *,
    actor,
    id_number: str | None = None,
    name: str | None = None,
    birth_date: dt.date | None = None,
    school=None,
) -> MatchResult:
    """Answer whether a visitor is a listed key person and what the guard must do; audited."""
    _throttle(actor)
    hit, matched_by, shown = watchlist_lookup(id_number=id_number, name=name, birth_date=birth_date)
    instruction = rules.guard_instruction(
        matched=hit is not None,
        status=hit.status if hit else "",
        risk_level=hit.risk_level if hit else "",
        categories=hit.categories if hit else (),
        mental_risk_level=hit.mental_risk_level if hit else None,
        by_name=matched_by == "name_birth",
    )
    with transaction.atomic():
        alerted = 0
        if hit is not None:
            alerted = _alert(hit, school=school, actor=actor)
        audit.append(
            kind=AuditKind.ACCESS,
            action=AuditAction.VIEW,
            object_type=OBJECT_TYPE,
            object_id=str(hit.pk) if hit else "",
            object_repr=_("重点人员名单比对：%(r)s") % {"r": _("比中") if hit else _("未比中")},
            after={
                "query": shown,
                "by": matched_by,
                "matched": hit is not None,
                "person": hit.pk if hit else None,
                "school": school.pk if school is not None else None,
                "alerted": alerted,
                "instruction": instruction,
            },
            actor=actor,
        )
    return MatchResult(
        matched=hit is not None,
        instruction=instruction,
        alert_raised=bool(alerted),
        person_id=hit.pk if hit is not None and can_view(actor) else None,
        matched_by=matched_by if hit else "",
    )


def _alert(hit: Hit, *, school, actor) -> int:
    """Urgent messages to the school's station and the person's responsible police."""
    where = str(school) if school is not None else _("（未指明学校）")
    who = actor.get_username() if actor is not None else _("系统")
    title = _("重点人员到校预警：%(school)s") % {"school": where}
    body = _(
        "%(school)s门卫（%(who)s）登记来访人员时比中重点人员%(name)s"
        "（状态：%(status)s），请立即到场处置。"
    ) % {"school": where, "who": who, "name": hit.name, "status": PersonStatus(hit.status).label}
    school_station = school.organization.parent_id if school is not None else None
    return notify_station(
        person_id=hit.pk,
        station_ids=[school_station, hit.station_id],
        officer_id=hit.officer_id,
        title=title,
        body=body,
    )
