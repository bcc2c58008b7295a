"""The patrols module's figures (declared in ``registry.py``): how each is counted and which list
page shows the records behind it.

A figure is a list page's rows counted: its ``Records`` names the page, the page's selector
and filterset, and the filters that select the figure's records (the period as the page's
起始日期/截止日期, plus fixed ones such as 有效 = 是). ``count`` runs that filterset over that
selector for the user, exactly as the page does for them, and ``url`` is the page with the
same filters in its query string — the number and the rows it opens cannot disagree, and the
user's scope applies to both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from huxiao.core.figures import list_rows, list_url
from huxiao.core.modules import Period
from huxiao.patrols import selectors, stats
from huxiao.patrols.choices import PersonKind
from huxiao.patrols.filtersets_patrols import ENDED, PatrolLogFilterSet, VideoPatrolFilterSet
from huxiao.patrols.filtersets_posts import CheckInFilterSet, PostFilterSet


@dataclass(frozen=True)
class Records:
    """The records behind a figure: a list page and the filters that select them."""

    url_name: str
    selector: Callable  # (*, user) -> the page's scoped queryset
    filterset: type
    filters: Mapping[str, str] = field(default_factory=dict)
    periodic: bool = True

    def query(self, period: Period | None) -> dict[str, str]:
        dates = {}
        if self.periodic and period is not None:
            dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
        return {**dates, **self.filters}

    def rows(self, user, period: Period | None, org=None):
        return list_rows(self.filterset, self.selector(user=user), user, self.query(period), org)

    def count(self, user, period: Period | None, org=None) -> int:
        return self.rows(user, period, org).count()

    def url(self, period: Period | None, org=None) -> str:
        return list_url(self.url_name, self.query(period), org)


GUARD_POST_CHECKINS = Records(
    "patrols:post_checkin_list", selectors.checkin_list, CheckInFilterSet, {"valid": "1"}
)
PATROLS = Records("patrols:patrol_list", selectors.log_list, PatrolLogFilterSet, {"status": ENDED})
VIDEO_PATROLS = Records("patrols:video_patrol_list", selectors.video_list, VideoPatrolFilterSet)
ACTIVE_POSTS = Records(
    "patrols:post_list", selectors.post_list, PostFilterSet, {"active": "1"}, periodic=False
)
# “警校家” pilot posts, active, with a 护学通道 drawn (seed 000).
PILOT_CORRIDORS = Records(
    "patrols:post_list",
    selectors.post_list,
    PostFilterSet,
    {"active": "1", "pilot": "1", "corridor": "1"},
    periodic=False,
)
# Valid check-ins of police officers at the posts (the check-in list: 有效 = 是, 民警).
POLICE_CHECKINS = Records(
    "patrols:post_checkin_list",
    selectors.checkin_list,
    CheckInFilterSet,
    {"valid": "1", "person_kind": PersonKind.POLICE},
)
VALID_CHECKINS = Records(
    "patrols:post_checkin_list", selectors.checkin_list, CheckInFilterSet, {"valid": "1"}
)
ALL_POSTS = Records("patrols:post_list", selectors.post_list, PostFilterSet, periodic=False)

# ``Figure.rows``: the records each count figure counts (the breakdown groups them by child).


def guard_post_checkins_rows(user, period: Period, org=None):
    return GUARD_POST_CHECKINS.rows(user, period, org)


def patrols_rows(user, period: Period, org=None):
    return PATROLS.rows(user, period, org)


def video_patrols_rows(user, period: Period, org=None):
    return VIDEO_PATROLS.rows(user, period, org)


def active_guard_posts_rows(user, period: Period, org=None):
    return ACTIVE_POSTS.rows(user, period, org)


def pilot_corridors_rows(user, period: Period, org=None):
    return PILOT_CORRIDORS.rows(user, period, org)


def guard_post_checkins(user, period: Period, org=None) -> int:
    return GUARD_POST_CHECKINS.count(user, period, org)


def guard_post_checkins_url(period: Period, org=None) -> str:
    return GUARD_POST_CHECKINS.url(period, org)


def patrols(user, period: Period, org=None) -> int:
    return PATROLS.count(user, period, org)


def patrols_url(period: Period, org=None) -> str:
    return PATROLS.url(period, org)


def video_patrols(user, period: Period, org=None) -> int:
    return VIDEO_PATROLS.count(user, period, org)


def video_patrols_url(period: Period, org=None) -> str:
    return VIDEO_PATROLS.url(period, org)


def active_guard_posts(user, period: Period, org=None) -> int:
    return ACTIVE_POSTS.count(user, period, org)


def active_guard_posts_url(period: Period, org=None) -> str:
    return ACTIVE_POSTS.url(period, org)


def pilot_corridors(user, period: Period, org=None) -> int:
    return PILOT_CORRIDORS.count(user, period, org)


def pilot_corridors_url(period: Period, org=None) -> str:
    return PILOT_CORRIDORS.url(period, org)


# ---- police at the posts per school day ---------------------------------------------------------


def police_per_day(user, period: Period, org=None) -> list[int]:
    """Valid police check-ins on each school day of the period up to today (0 on a school day
    without any): one query grouped by day, one for the term calendars of the schools with
    护学岗 in the jurisdiction (a valid check-in needs its school in session, so every day
    with one is among these days)."""
    counts = dict(
        POLICE_CHECKINS.rows(user, period, org)
        .order_by()
        .values("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    terms = (
        ALL_POSTS.rows(user, None, org).order_by().values_list("school_id", "school__term_calendar")
    )
    calendars = [term for _school, term in dict(terms).items()]
    return stats.per_school_day(calendars, counts, period.start, period.end, timezone.localdate())


def police_per_school_day(kind: str, user, period: Period, org=None) -> float | int | None:
    """mean (one decimal), min or max of ``police_per_day``; None without a school day."""
    days = police_per_day(user, period, org)
    if not days:
        return None
    if kind == "mean":
        return round(sum(days) / len(days), 1)
    return min(days) if kind == "min" else max(days)


def police_per_school_day_url(kind: str, period: Period, org=None) -> str:
    return POLICE_CHECKINS.url(period, org)


# ---- missed post-windows ------------------------------------------------------------------------


def _posts_and_covered(user, period: Period, org=None) -> tuple[list, list]:
    """The active posts (pk, school, windows, term calendar) and the (date, post, window)
    with a valid check-in in the period: two queries."""
    posts = ACTIVE_POSTS.rows(user, None, org).values(
        "pk", "school_id", "windows", "school__term_calendar"
    )
    covered = (
        VALID_CHECKINS.rows(user, period, org)
        .order_by()
        .values_list("date", "post_id", "window")
        .distinct()
    )
    return list(posts), list(covered)


def missed_posts(user, period: Period, org=None) -> int:
    """Post-windows of the active posts without a valid check-in on the school days of the
    period up to now (``stats.missed_post_windows``): two queries."""
    posts, covered = _posts_and_covered(user, period, org)
    return stats.missed_post_windows(posts, covered, period.start, period.end, timezone.localtime())


def stats_page_url(period: Period, org=None) -> str:
    """The statistics page of the period's last day up to today, in ``org``."""
    day = min(period.end, timezone.localdate())
    query = f"date={day.isoformat()}"
    if org is not None:
        query += f"&org={org.pk}"
    return f"{reverse('patrols:patrol_stats')}?{query}"


def missed_posts_url(period: Period, org=None) -> str:
    """The statistics page of the period's last day (its 漏岗清单)."""
    return stats_page_url(period, org)


# ---- schools covered in the peak windows --------------------------------------------------------


def peak_coverage(user, period: Period, org=None) -> float | None:
    """Per cent (one decimal) of the school-windows of the period's school days up to now
    with a valid check-in at one of the school's posts (``stats.peak_school_windows``, the
    statistics page's 高峰时段学校覆盖 added up over the days); None when none was expected."""
    posts, covered = _posts_and_covered(user, period, org)
    schools_covered, expected = stats.peak_school_windows(
        posts, covered, period.start, period.end, timezone.localtime()
    )
    if not expected:
        return None
    return round(schools_covered / expected * 100, 1)


def peak_coverage_url(period: Period, org=None) -> str:
    """The statistics page of the period's last day (its 高峰时段学校覆盖 card)."""
    return stats_page_url(period, org)
