"""Reads of the gate module: each takes the acting user and starts from the scoped queryset
(``Model.objects.visible_to(user)``); pages, exports, the API and the figures call the same
functions, so a record of another school answers 404 exactly like a missing one.

Bans are scoped by the organisation that keeps them; a school reads the bans it must enforce
(``bans_enforced_at``: those kept by an organisation above it in the police tree or above its
education bureau) without the police-only note.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core import parameters
from huxiao.core.prepared import PreparedValues
from huxiao.core.rowloader import JoinedRowLoader
from huxiao.gate import rules
from huxiao.gate.choices import VisitState
from huxiao.gate.models import BanEntry, Pass, Pickup, Seizure, VehicleEntry, Visit
from huxiao.schools.models import School

POLICE_NOTE = "gate.view_police_note"


def schools_for(*, user) -> QuerySet:
    return (
        School.objects.visible_to(user)
        .select_related("organization", "organization__education_bureau")
        .order_by("organization__path")
    )


# Every registration at the gate reads the guard's school: one statement whose SQL is built
# once (select_related compiled it on each call: a fifth of a registration's time).
_SCHOOL_OF_ORGANIZATION = JoinedRowLoader(
    School, ["organization", "organization__education_bureau"], by="organization"
)


def own_school(user) -> School | None:
    """The school a guard or security chief works at (their organisation's school)."""
    if not user.organization_id:
        return None
    return _SCHOOL_OF_ORGANIZATION.get(user.organization_id)


# ---- visits ------------------------------------------------------------------------------------


def visit_list(*, user) -> QuerySet:
    return Visit.objects.visible_to(user).select_related(
        "school__organization", "host", "registered_by", "reviewed_by"
    )


def visit_get(*, user, pk: int) -> Visit:
    return get_object_or_404(visit_list(user=user), pk=pk)


def visits_today(*, user, school: School, today: dt.date | None = None) -> QuerySet:
    """The school's visitors of today for the guard's page: held and in school first."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (
        visit_list(user=user)
        .filter(school=school, arrived_at__gte=start, arrived_at__lt=start + dt.timedelta(days=1))
        .order_by("-arrived_at", "-id")
    )


def visits_in_school(*, user, school: School, today: dt.date | None = None) -> QuerySet:
    return visits_today(user=user, school=school, today=today).filter(state=VisitState.IN)


def hosts_for(school: School) -> QuerySet:
    """Staff of the school a visitor may name as host (active users of its organisation)."""
    from huxiao.core.models import User

    return User.objects.filter(organization_id=school.organization_id, is_active=True).order_by(
        "full_name", "username"
    )


# ---- bans --------------------------------------------------------------------------------------


def ban_list(*, user) -> QuerySet:
    """Bans the user keeps or supervises (scoped by the keeping organisation), and the bans kept
    above the user's organisation that apply to it: a station sees its sub-bureau's, a school's
    staff every ban enforced at their school."""
    mine = BanEntry.objects.visible_to(user)
    org = user.organization if getattr(user, "organization_id", None) else None
    if org is not None and user.is_active:
        above = _prefixes(org.path)
        school = own_school(user)
        if school is not None:
            above = _keeper_paths(school)
        mine = BanEntry.objects.filter(
            Q(pk__in=mine.values("pk")) | Q(organization__path__in=above)
        )
    return mine.select_related("organization", "created_by", "revoked_by")


def ban_get(*, user, pk: int) -> BanEntry:
    return get_object_or_404(ban_list(user=user), pk=pk)


def shows_police_note(user) -> bool:
    return user.has_perm(POLICE_NOTE)


def _keeper_paths(school: School) -> list[str]:
    """Paths of every organisation above the school (its own included) and above its education
    bureau: a ban kept by any of them applies at the school's gate."""
    org = school.organization
    paths = _prefixes(org.path)
    if org.education_bureau_id:
        paths += _prefixes(org.education_bureau.path)
    return paths


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def bans_enforced_at(school: School, on: dt.date) -> QuerySet:
    """Bans in force on ``on`` that the school's gate must enforce."""
    return _bans_kept_by(_keeper_paths(school), on)


def _bans_kept_by(paths: list[str], on: dt.date) -> QuerySet:
    return BanEntry.objects.filter(
        organization__path__in=paths,
        revoked_at__isnull=True,
        starts_on__lte=on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


# The ban match runs at every gate registration: its statement is compiled once per number of
# organisations above the school (core.prepared), not on each visitor.
_BAN_MATCH = PreparedValues(
    lambda paths, on, candidates: (
        _bans_kept_by(paths, on)
        .filter(id_number_index__in=candidates)
        .order_by("pk")
        .values_list("pk")[:1]
    ),
    paths=[str],
    on=dt.date,
    candidates=[str],
)


def ban_matching(school: School, on: dt.date, candidates: list[str]) -> BanEntry | None:
    """The first ban in force at the school's gate on ``on`` whose ID number's blind index is
    one of ``candidates``, with its keeping organisation."""
    row = _BAN_MATCH.first(paths=_keeper_paths(school), on=on, candidates=list(candidates))
    if row is None:
        return None
    return BanEntry.objects.select_related("organization").get(pk=row[0])


# ---- passes and vehicles -----------------------------------------------------------------------


def pass_list(*, user) -> QuerySet:
    return Pass.objects.visible_to(user).select_related(
        "school__organization", "issued_by", "revoked_by"
    )


def pass_get(*, user, pk: int) -> Pass:
    return get_object_or_404(pass_list(user=user), pk=pk)


def vehicle_pass_in_force(school: School, plate: str, on: dt.date) -> Pass | None:
    return (
        Pass.objects.filter(
            school=school,
            plate=rules.normalise_plate(plate),
            revoked_at__isnull=True,
            valid_from__lte=on,
            valid_until__gte=on,
        )
        .order_by("-valid_until")
        .first()
    )


def vehicle_list(*, user) -> QuerySet:
    return VehicleEntry.objects.visible_to(user).select_related(
        "school__organization", "pass_used", "registered_by"
    )


def vehicle_get(*, user, pk: int) -> VehicleEntry:
    return get_object_or_404(vehicle_list(user=user), pk=pk)


# ---- pick-ups ----------------------------------------------------------------------------------


def pickup_list(*, user) -> QuerySet:
    return Pickup.objects.visible_to(user).select_related(
        "school__organization", "created_by", "revoked_by"
    )


def pickup_get(*, user, pk: int) -> Pickup:
    return get_object_or_404(pickup_list(user=user), pk=pk)


# ---- seizures ----------------------------------------------------------------------------------


def seizure_list(*, user) -> QuerySet:
    return Seizure.objects.visible_to(user).select_related(
        "school__organization", "reported_by", "received_by", "visit"
    )


def seizure_get(*, user, pk: int) -> Seizure:
    return get_object_or_404(seizure_list(user=user), pk=pk)


def seizure_window() -> tuple[int, int]:
    return parameters.get("GATE_SEIZURE_FLAG_COUNT"), parameters.get("GATE_SEIZURE_FLAG_DAYS")


def flagged_schools(*, user, now: dt.datetime | None = None) -> dict[int, int]:
    """{school id: seizures in the window} for the schools in scope that reach the threshold."""
    from django.db.models import Count

    threshold, days = seizure_window()
    if threshold <= 0:
        return {}
    since = (now or timezone.now()) - dt.timedelta(days=days)
    counts = (
        seizure_list(user=user)
        .filter(seized_at__gte=since)
        .values("school_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        row["school_id"]: row["n"] for row in counts if rules.seizure_flagged(row["n"], threshold)
    }
