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

from huxiao.core.figures import list_rows, list_url
from huxiao.core.modules import Period
from huxiao.patrols import selectors
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

    def count(self, user, period: Period | None, org=None) -> int:
        rows = list_rows(self.filterset, self.selector(user=user), user, self.query(period), org)
        return rows.count()

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
