"""Reads of the key-person registry. Police only, on top of the data scope.

``visible_to`` alone is not enough here: an education bureau's scope covers its schools,
a system administrator's covers everything. Every selector therefore starts from
``police_only``, which answers an empty queryset unless the user holds a police role in a
police organisation *and* the module's view permission; pages and the API turn the empty
result into 404, exactly as for a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core import audit, crypto, parameters
from huxiao.core.validators import id_number_problem
from huxiao.persons.choices import PersonStatus
from huxiao.persons.models import (
    Dispute,
    FollowUp,
    KeyPerson,
    KeyPersonSchool,
    MediationRecord,
    ScreeningBatch,
    ScreeningEntry,
)

VIEW_DISPUTE_PERM = "persons.view_dispute"
VIEW_PERM = "persons.view_keyperson"
REVEAL_PERM = "persons.reveal_keyperson"
ACTIVE_STATUSES = (PersonStatus.IN_CONTROL, PersonStatus.LOST)
# The status filter's "列管中": in control or lost, i.e. not revoked (撤销列管).
LISTED = "listed"
REVIEW_WEEK_DAYS = 7


def is_police(user) -> bool:
    """A police role in a police organisation (an officer account of a security company, or a
    superuser without a role, is not)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role if user.role_id else None
    org = user.organization if user.organization_id else None
    return bool(role is not None and role.is_police and org is not None and org.is_police)


def can_view(user, *, disputes: bool = False) -> bool:
    """Police holding the registry's view permission (and, for ``disputes``, the disputes')."""
    if not (is_police(user) and user.has_perm(VIEW_PERM)):
        return False
    return not disputes or user.has_perm(VIEW_DISPUTE_PERM)


def police_only(model, user) -> QuerySet:
    if not can_view(user):
        return model.objects.none()
    return model.objects.visible_to(user)


# ---- key persons -------------------------------------------------------------------------


@dataclass
class PersonFilters:
    q: str = ""
    category: str = ""
    status: str = ""
    risk: str = ""
    station: int | None = None
    school: int | None = None
    officer: int | None = None
    # "due" (due within the reminder window or overdue), "overdue", or "week" (due within the
    # next REVIEW_WEEK_DAYS days, not overdue: the figure persons.reviews_due)
    review: str = ""
    listed_from: dt.date | None = None  # 列管日期 within [listed_from, listed_to]
    listed_to: dt.date | None = None
    followed_from: dt.date | None = None  # a follow-up (走访核查) dated within the range
    followed_to: dt.date | None = None


def person_q(f: PersonFilters) -> Q:
    """The conditions of ``f`` on a key person, but the school (a join: ``key_person_list``
    applies it): the list's filters, and the figures that count several of them in one query
    (``persons.figures.batch``)."""
    conditions = Q()
    q = (f.q or "").strip()
    if q:
        # A whole ID number is looked up by its blind index; anything else by name.
        if len(q) == 18 and id_number_problem(q) is None:
            conditions &= Q(id_number_index__in=crypto.blind_index_candidates(q))
        else:
            conditions &= Q(name__icontains=q)
    if f.category:
        # JSON list of codes; the quoted code cannot match inside another code.
        conditions &= Q(categories__icontains=f'"{f.category}"')
    if f.status == LISTED:
        conditions &= Q(status__in=ACTIVE_STATUSES)
    elif f.status:
        conditions &= Q(status=f.status)
    if f.risk:
        conditions &= Q(risk_level=f.risk)
    if f.station:
        conditions &= Q(station_id=f.station)
    if f.officer:
        conditions &= Q(officer_id=f.officer)
    if f.review in ("due", "overdue"):
        today = timezone.localdate()
        limit = (
            today - dt.timedelta(days=1)
            if f.review == "overdue"
            else today + dt.timedelta(days=parameters.get("PERSONS_REVIEW_REMIND_DAYS"))
        )
        conditions &= Q(status__in=ACTIVE_STATUSES, next_review_date__lte=limit)
    elif f.review == "week":
        today = timezone.localdate()
        conditions &= Q(
            status__in=ACTIVE_STATUSES,
            next_review_date__gte=today,
            next_review_date__lte=today + dt.timedelta(days=REVIEW_WEEK_DAYS),
        )
    if f.listed_from:
        conditions &= Q(listed_on__gte=f.listed_from)
    if f.listed_to:
        conditions &= Q(listed_on__lte=f.listed_to)
    if f.followed_from or f.followed_to:
        # One follow-up within both bounds (a subquery: no join, so no duplicate rows).
        visits = FollowUp.objects.all()
        if f.followed_from:
            visits = visits.filter(date__gte=f.followed_from)
        if f.followed_to:
            visits = visits.filter(date__lte=f.followed_to)
        conditions &= Q(pk__in=visits.values("person_id"))
    return conditions


def key_person_list(*, user, filters: PersonFilters | None = None) -> QuerySet:
    f = filters or PersonFilters()
    qs = police_only(KeyPerson, user).select_related("station", "officer").filter(person_q(f))
    if f.school:
        qs = qs.filter(school_links__school_id=f.school)
        return qs.order_by("next_review_date", "id").distinct()
    return qs.order_by("next_review_date", "id")


def key_person_get(*, user, pk: int) -> KeyPerson:
    """Out of scope, or not police: 404, exactly as a missing id."""
    return get_object_or_404(
        police_only(KeyPerson, user).select_related("station", "officer"), pk=pk
    )


def school_links(*, user, person: KeyPerson) -> QuerySet:
    return (
        police_only(KeyPersonSchool, user)
        .filter(person=person)
        .select_related("school", "school__organization")
        .order_by("distance_m", "school__school_code")
    )


@dataclass(frozen=True)
class Identity:
    """A key person's identity in clear: only ever built by ``key_person_reveal``."""

    id_number: str
    phone: str
    address: str
    home_location: str
    notes: str


def key_person_reveal(*, user, person: KeyPerson, reason: str = "") -> Identity:
    """The full identity of a person the user can see, written to the access log first.

    Raises PermissionDenied for a police user without ``persons.reveal_keyperson``; the
    person must come from ``key_person_get`` (so scope and the police guard hold).
    """
    if not can_view(user) or not user.has_perm(REVEAL_PERM):
        raise PermissionDenied
    audit.record_access(obj=person, actor=user, reason=(reason or "").strip()[:200])
    return Identity(
        id_number=person.id_number,
        phone=person.phone,
        address=person.address,
        home_location=person.home_location,
        notes=person.notes,
    )


def follow_up_list(*, user, person: KeyPerson) -> QuerySet:
    return (
        police_only(FollowUp, user)
        .filter(person=person)
        .select_related("officer")
        .order_by("-date", "-id")
    )


def reviews_due(*, user, today: dt.date | None = None) -> QuerySet:
    """Active persons whose responsible officer is ``user`` with a review due soon or overdue,
    each with ``linked_schools``: the schools it is linked to, nearest first (我的待办 names
    them in its school column)."""
    today = today or timezone.localdate()
    limit = today + dt.timedelta(days=parameters.get("PERSONS_REVIEW_REMIND_DAYS"))
    links = (
        police_only(KeyPersonSchool, user)
        .select_related("school__organization")
        .order_by("distance_m", "school__school_code")
    )
    return (
        police_only(KeyPerson, user)
        .filter(officer=user, status__in=ACTIVE_STATUSES, next_review_date__lte=limit)
        .select_related("station")
        .prefetch_related(Prefetch("school_links", queryset=links, to_attr="linked_schools"))
        .order_by("next_review_date", "id")
    )


def key_person_counts(*, user) -> dict[str, int]:
    """Counts by status in the user's scope (dashboards); police only like the rest."""
    rows = police_only(KeyPerson, user).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(PersonStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# ---- screening ---------------------------------------------------------------------------


def screening_batch_list(*, user, campaign_id: int | None = None) -> QuerySet:
    qs = police_only(ScreeningBatch, user).select_related("organization", "campaign")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.order_by("-period_end", "-id")


def screening_batch_get(*, user, pk: int) -> ScreeningBatch:
    """Out of scope, or not police: 404, exactly as a missing id."""
    return get_object_or_404(screening_batch_list(user=user), pk=pk)


def screening_entry_list(*, user, batch: ScreeningBatch) -> QuerySet:
    return (
        police_only(ScreeningEntry, user)
        .filter(batch=batch)
        .select_related("person", "person__station", "created_by")
        .order_by("id")
    )


def person_screenings(*, user, person: KeyPerson) -> QuerySet:
    """The batches that checked a person, newest first (the person's page)."""
    return (
        police_only(ScreeningEntry, user)
        .filter(person=person)
        .select_related("batch", "batch__organization")
        .order_by("-batch__period_end", "-id")
    )


def screening_candidates(*, user, batch: ScreeningBatch) -> QuerySet:
    """Persons the user sees whose responsible unit lies in the batch's organisation, not yet
    in the batch (the choices of its entry form)."""
    from huxiao.core.scoping import subtree_q

    return (
        key_person_list(user=user)
        .filter(subtree_q("station", batch.organization.path))
        .exclude(pk__in=ScreeningEntry.objects.filter(batch=batch).values("person_id"))
        .order_by("station__sort_order", "station__code", "name", "id")
    )


def screening_totals(
    *,
    user,
    organization=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    campaign_id: int | None = None,
) -> dict[str, int]:
    """Sums over the batches of a jurisdiction and period — the seeds' "已排查重点人员318人".

    A batch's counts are those of the persons listed in it (kept on the batch by the
    services), or its typed totals when imported from history (``imported``: how many such
    batches are in the sums). ``organization`` narrows to its subtree (it must be in the user's scope); a batch counts
    when its period lies within [start, end].
    """
    from huxiao.core.scoping import subtree_q

    qs = police_only(ScreeningBatch, user)
    if organization is not None:
        qs = qs.filter(subtree_q("organization", organization.path))
    if start:
        qs = qs.filter(period_start__gte=start)
    if end:
        qs = qs.filter(period_end__lte=end)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    sums = qs.aggregate(
        screened=Sum("screened"),
        newly_listed=Sum("newly_listed"),
        removed=Sum("removed"),
        batches=Count("id"),
        imported=Count("id", filter=Q(imported=True)),
    )
    return {k: v or 0 for k, v in sums.items()}


# ---- disputes ----------------------------------------------------------------------------


@dataclass
class DisputeFilters:
    status: str = ""
    kind: str = ""
    school: int | None = None
    station: int | None = None
    threat: bool | None = None
    overdue: bool = False
    registered_from: dt.date | None = None  # 登记日期 within [registered_from, registered_to]
    registered_to: dt.date | None = None
    closed_from: dt.date | None = None  # 办结日期 (resolved or transferred) within the range
    closed_to: dt.date | None = None


def dispute_list(*, user, filters: DisputeFilters | None = None) -> QuerySet:
    f = filters or DisputeFilters()
    qs = police_only(Dispute, user).select_related(
        "school", "school__organization", "station", "responsible_org", "key_person"
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.school:
        qs = qs.filter(school_id=f.school)
    if f.station:
        qs = qs.filter(station_id=f.station)
    if f.threat is not None:
        qs = qs.filter(threat_of_revenge=f.threat)
    if f.overdue:
        from huxiao.persons.services.disputes import OPEN_STATES

        qs = qs.filter(status__in=OPEN_STATES, due_date__lt=timezone.localdate())
    if f.registered_from:
        qs = qs.filter(registered_on__gte=f.registered_from)
    if f.registered_to:
        qs = qs.filter(registered_on__lte=f.registered_to)
    if f.closed_from:
        qs = qs.filter(closed_on__gte=f.closed_from)
    if f.closed_to:
        qs = qs.filter(closed_on__lte=f.closed_to)
    return qs.order_by("due_date", "-id")


def dispute_get(*, user, pk: int) -> Dispute:
    return get_object_or_404(dispute_list(user=user), pk=pk)


def mediation_list(*, user, dispute: Dispute) -> QuerySet:
    return (
        police_only(MediationRecord, user)
        .filter(dispute=dispute)
        .select_related("mediator")
        .order_by("-date", "-id")
    )


def dispute_counts(*, user) -> dict[str, int]:
    rows = police_only(Dispute, user).values("status").annotate(n=Count("id"))
    from huxiao.persons.choices import DisputeStatus

    counts = dict.fromkeys(DisputeStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def school_key_person_counts(*, user) -> dict[int, int]:
    """Active key persons linked to each school the user sees — counts only, no identities.

    For the roles that must never see a key person (education bureau, school): their school
    cards may say "周边重点人员 3 人" without anything that identifies who.
    """
    from huxiao.schools.models import School

    schools = School.objects.visible_to(user).values("pk")
    rows = (
        KeyPersonSchool.objects.filter(school__in=schools, person__status__in=ACTIVE_STATUSES)
        .values("school_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {row["school_id"]: row["n"] for row in rows}
