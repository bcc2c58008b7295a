"""Reads of check-ins (打卡) that take the acting user: where a person may check in, which
check-ins they may read, and the day's board the phone page shows.

Guards, chiefs and officers check in at the active posts of their scope; a volunteer (scope
仅本人) sees no post, only their own shifts, so their posts are those of their own shifts.
"""

import datetime as dt
from dataclasses import dataclass, field

from huxiao.core.scoping import scope_filter
from huxiao.patrols import rules
from huxiao.patrols.choices import ShiftStatus
from huxiao.patrols.models import CheckIn, DutyShift, GuardPost

VIEW_CHECKIN = "patrols.view_checkin"
ADD_CHECKIN = "patrols.add_checkin"
# A volunteer may check in at the post of an own shift this many days around it (an offline
# check-in is accepted up to 7 days late, see services.checkin_record).
SHIFT_SLACK_DAYS = 7


def own_shifts(user, start: dt.date, end: dt.date):
    return (
        DutyShift.objects.visible_to(user)
        .filter(person=user, date__range=(start, end))
        .exclude(status=ShiftStatus.CANCELLED)
    )


def checkin_posts(user, *, around: dt.date | None = None):
    """The posts ``user`` may check in at (active or not: the service's caller refuses an
    inactive one with a message). One query when evaluated."""
    if scope_filter(GuardPost, user) is not None:
        return GuardPost.objects.visible_to(user)
    if around is None:
        return GuardPost.objects.none()
    slack = dt.timedelta(days=SHIFT_SLACK_DAYS)
    shifts = own_shifts(user, around - slack, around + slack)
    return GuardPost.objects.filter(pk__in=shifts.values("post_id"))


def checkin_list(user):
    """Check-ins ``user`` may read: those of the scope with ``view_checkin``, else their own."""
    if user.has_perm(VIEW_CHECKIN):
        return CheckIn.objects.visible_to(user)
    if user.has_perm(ADD_CHECKIN):
        return CheckIn.objects.filter(user=user)
    return CheckIn.objects.none()


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


def board_posts(user, today: dt.date):
    """The active posts of the page: the scope's posts, or a volunteer's posts of this week's
    own shifts."""
    if scope_filter(GuardPost, user) is not None:
        posts = GuardPost.objects.visible_to(user)
    else:
        start, end = week_of(today)
        posts = GuardPost.objects.filter(pk__in=own_shifts(user, start, end).values("post_id"))
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


def day_board(user, now: dt.datetime, posts: list[GuardPost]) -> list[PostCard]:
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
