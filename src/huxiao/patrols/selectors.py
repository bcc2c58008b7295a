"""Reads of the patrols module: each takes the acting user and starts from the scoped queryset
(``Model.objects.visible_to(user)``). The pages, their exports, the API and the figures call
these same functions, so a list has the same rows, relations and order wherever it is read;
a ``*_get`` answers 404 for a record out of scope exactly as for a missing one.

Check-ins (打卡): guards, chiefs and officers check in at the active posts of their scope; a
volunteer (scope 仅本人) sees no post, only their own shifts, so their posts are those of their
own shifts. Whoever holds ``view_checkin`` reads the scope's check-ins, whoever only checks in
reads their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from huxiao.core.scoping import scope_filter
from huxiao.patrols import rules
from huxiao.patrols.choices import ProofKind, ShiftStatus
from huxiao.patrols.models import (
    CheckIn,
    Checkpoint,
    CheckpointVisit,
    DutyShift,
    GuardPost,
    PatrolLog,
    PatrolRoute,
    VideoPatrol,
)
from huxiao.schools.models import School

VIEW_CHECKIN = "patrols.view_checkin"
ADD_CHECKIN = "patrols.add_checkin"
# A volunteer may check in at the post of an own shift this many days around it (an offline
# check-in is accepted up to 7 days late, see services.checkin_record).
SHIFT_SLACK_DAYS = 7


# ---- 护学岗 ------------------------------------------------------------------------------------


def post_list(*, user) -> QuerySet:
    """Posts in scope with their school, its organisation and its station (the list's 派出所)
    in the same query, in the list's order (station's tree, then name)."""
    return (
        GuardPost.objects.visible_to(user)
        .select_related("school__organization", "school__organization__parent")
        .order_by("school__organization__path", "name", "id")
    )


def post_get(*, user, pk: int) -> GuardPost:
    return get_object_or_404(post_list(user=user), pk=pk)


# ---- rosters -----------------------------------------------------------------------------------


def shift_list(*, user) -> QuerySet:
    """Shifts in scope (a volunteer's own) with their post, school and organisation, in the
    roster's order: day, school, post, window, person."""
    return (
        DutyShift.objects.visible_to(user)
        .select_related("post__school__organization")
        .order_by(
            "date", "post__school__organization__path", "post__name", "window", "person_name", "id"
        )
    )


def shift_table(*, user) -> QuerySet:
    """``shift_list`` with only the columns the roster page and its export show (an export of
    a term's roster is tens of thousands of rows: no post, school or organisation in full)."""
    return shift_list(user=user).only(
        "date",
        "window",
        "person_name",
        "person_kind",
        "status",
        "note",
        "swapped_from_id",
        "post__name",
        "post__windows",
        "post__school__organization__name",
    )


def shift_get(*, user, pk: int) -> DutyShift:
    return get_object_or_404(shift_list(user=user), pk=pk)


def post_shifts(*, user, post: GuardPost, start: dt.date, end: dt.date) -> QuerySet:
    """A post's shifts from ``start`` to ``end`` in scope, by day, window, kind and name."""
    return (
        DutyShift.objects.visible_to(user)
        .filter(post=post, date__range=(start, end))
        .order_by("date", "window", "person_kind", "person_name", "id")
    )


def own_shifts(*, user, start: dt.date, end: dt.date) -> QuerySet:
    return (
        DutyShift.objects.visible_to(user)
        .filter(person=user, date__range=(start, end))
        .exclude(status=ShiftStatus.CANCELLED)
    )


# ---- check-ins ---------------------------------------------------------------------------------


def checkin_scope(*, user) -> QuerySet:
    """Check-ins ``user`` may read: those of the scope with ``view_checkin``, else their own."""
    if user.has_perm(VIEW_CHECKIN):
        return CheckIn.objects.visible_to(user)
    if user.has_perm(ADD_CHECKIN):
        return CheckIn.objects.filter(user=user)
    return CheckIn.objects.none()


def checkin_list(*, user) -> QuerySet:
    """``checkin_scope`` with the post, school, person and recorder of each row, newest first."""
    return (
        checkin_scope(user=user)
        .select_related("post", "school__organization", "user", "recorded_by")
        .order_by("-at", "-id")
    )


def checkin_get(*, user, pk: int) -> CheckIn:
    return get_object_or_404(checkin_list(user=user), pk=pk)


def post_day_checkins(*, user, post: GuardPost, day: dt.date) -> QuerySet:
    """The check-ins in scope at a post on a day, in the order they were made."""
    return (
        checkin_scope(user=user)
        .filter(post=post, date=day)
        .select_related("user", "recorded_by")
        .order_by("at", "id")
    )


def manual_checkins_by(*, user) -> QuerySet:
    """The 补录 check-ins ``user`` recorded for others, latest first."""
    return (
        CheckIn.objects.filter(recorded_by=user, proof=ProofKind.MANUAL)
        .select_related("post", "school__organization", "user")
        .order_by("-received_at", "-id")
    )


def checkin_posts(*, user, around: dt.date | None = None) -> QuerySet:
    """The posts ``user`` may check in at (active or not: the service's caller refuses an
    inactive one with a message). One query when evaluated."""
    if scope_filter(GuardPost, user) is not None:
        return GuardPost.objects.visible_to(user)
    if around is None:
        return GuardPost.objects.none()
    slack = dt.timedelta(days=SHIFT_SLACK_DAYS)
    shifts = own_shifts(user=user, start=around - slack, end=around + slack)
    return GuardPost.objects.filter(pk__in=shifts.values("post_id"))


# ---- patrol routes and logs --------------------------------------------------------------------


def route_list(*, user) -> QuerySet:
    """Routes in scope with their unit, their checkpoints and 必巡点 counted in SQL."""
    mandatory = Q(checkpoints__is_mandatory=True)
    return (
        PatrolRoute.objects.visible_to(user)
        .select_related("organization")
        .annotate(
            checkpoint_count=Count("checkpoints"),
            mandatory_count=Count("checkpoints", filter=mandatory),
        )
        .order_by("organization__path", "name", "id")
    )


def route_get(*, user, pk: int) -> PatrolRoute:
    return get_object_or_404(route_list(user=user), pk=pk)


def route_checkpoints(*, route) -> QuerySet:
    """A route's checkpoints in patrol order, with their schools (the route is in scope;
    ``route`` is a route or its id)."""
    return (
        Checkpoint.objects.filter(route=route)
        .select_related("school__organization")
        .order_by("order", "id")
    )


def route_schools(*, user, route) -> QuerySet:
    """The schools of a route's checkpoints that ``user`` sees (where a finding can be filed);
    ``route`` is a route or its id."""
    ids = Checkpoint.objects.filter(route=route, school__isnull=False).values("school")
    return (
        School.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("organization")
        .order_by("organization__path")
    )


def checkpoint_list(*, user) -> QuerySet:
    return Checkpoint.objects.visible_to(user)


def log_visits(*, log: PatrolLog) -> QuerySet:
    """The checkpoints a patrol ticked (the patrol is in scope)."""
    return CheckpointVisit.objects.filter(log=log)


def log_list(*, user) -> QuerySet:
    """Patrol logs in scope with route, unit and leader, each with its 必巡点 not (yet) ticked
    counted in SQL (``unvisited``), newest first."""
    required = (
        Checkpoint.objects.filter(route=OuterRef("route_id"), is_mandatory=True)
        .order_by()
        .values("route")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ticked = (
        CheckpointVisit.objects.filter(log=OuterRef("pk"), checkpoint__is_mandatory=True)
        .order_by()
        .values("log")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    return (
        PatrolLog.objects.visible_to(user)
        .select_related("route", "organization", "leader")
        .annotate(
            unvisited=Coalesce(Subquery(required, output_field=IntegerField()), zero)
            - Coalesce(Subquery(ticked, output_field=IntegerField()), zero)
        )
        .order_by("-date", "-started_at", "-id")
    )


def log_get(*, user, pk: int) -> PatrolLog:
    return get_object_or_404(log_list(user=user), pk=pk)


# ---- video patrols -----------------------------------------------------------------------------


def video_list(*, user) -> QuerySet:
    """Video patrols in scope with school, officer and the hazard a problem created."""
    return (
        VideoPatrol.objects.visible_to(user)
        .select_related("school__organization", "officer", "hazard")
        .order_by("-at", "-id")
    )


def video_get(*, user, pk: int) -> VideoPatrol:
    return get_object_or_404(video_list(user=user), pk=pk)


# ---- the phone page's board --------------------------------------------------------------------


@dataclass
class WindowCell:
    code: str
    name: str
    start: str
    end: str
    is_now: bool


@dataclass
class PostCard:
    post: GuardPost
    school_day: bool
    windows: list[WindowCell]
    shifts: list = field(default_factory=list)
    checkins: list = field(default_factory=list)

    @property
    def has_shift(self) -> bool:
        return any(s.status == ShiftStatus.PLANNED for s in self.shifts)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def board_posts(*, user, today: dt.date) -> QuerySet:
    """The active posts of the page: the scope's posts, or a volunteer's posts of this week's
    own shifts."""
    if scope_filter(GuardPost, user) is not None:
        posts = GuardPost.objects.visible_to(user)
    else:
        start, end = week_of(today)
        posts = GuardPost.objects.filter(
            pk__in=own_shifts(user=user, start=start, end=end).values("post_id")
        )
    return posts.filter(is_active=True).select_related("school__organization")


def post_windows(post: GuardPost, moment: dt.time) -> list[WindowCell]:
    current = rules.window_at(post.windows or [], moment)
    current_code = current.get("code") if current else None
    return [
        WindowCell(
            code=w.get("code", ""),
            name=w.get("name", ""),
            start=w.get("start", ""),
            end=w.get("end", ""),
            is_now=w.get("code") == current_code,
        )
        for w in post.windows or []
    ]


def day_board(*, user, now: dt.datetime, posts: list[GuardPost]) -> list[PostCard]:
    """One card per post: windows (the current one marked), the user's shifts today and the
    user's check-ins there today. Two queries whatever the number of posts; posts where the
    user has a shift today come first."""
    today, moment = now.date(), now.time()
    ids = [p.pk for p in posts]
    shifts: dict[int, list] = {}
    for shift in (
        DutyShift.objects.filter(person=user, date=today, post_id__in=ids)
        .exclude(status=ShiftStatus.CANCELLED)
        .order_by("window", "id")
    ):
        shifts.setdefault(shift.post_id, []).append(shift)
    checkins: dict[int, list] = {}
    for checkin in (
        CheckIn.objects.filter(user=user, date=today, post_id__in=ids)
        .select_related("recorded_by")
        .order_by("at", "id")
    ):
        checkins.setdefault(checkin.post_id, []).append(checkin)
    cards = []
    for post in posts:
        windows = post_windows(post, moment)
        names = {w.code: w.name for w in windows}
        for row in (*shifts.get(post.pk, ()), *checkins.get(post.pk, ())):
            row.window_name = names.get(row.window, row.window or "—")
        cards.append(
            PostCard(
                post=post,
                school_day=rules.is_school_day(post.school.term_calendar, today),
                windows=windows,
                shifts=shifts.get(post.pk, []),
                checkins=checkins.get(post.pk, []),
            )
        )
    cards.sort(key=lambda c: not c.has_shift)  # stable: the query's order otherwise
    return cards
