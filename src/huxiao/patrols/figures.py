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
from types import SimpleNamespace
from urllib.parse import urlencode

from django.urls import reverse

from huxiao.core.modules import Period
from huxiao.core.views.generic import filtered
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

    def count(self, user, period: Period | None) -> int:
        # The filtersets read only ``request.user`` (the scope of their choices).
        filterset = self.filterset(
            self.query(period),
            queryset=self.selector(user=user),
            request=SimpleNamespace(user=user),
        )
        return filtered(filterset).count()

    def url(self, period: Period | None) -> str:
        return f"{reverse(self.url_name)}?{urlencode(self.query(period))}"


GUARD_POST_CHECKINS = Records(
    "patrols:post_checkin_list", selectors.checkin_list, CheckInFilterSet, {"valid": "1"}
)
PATROLS = Records("patrols:patrol_list", selectors.log_list, PatrolLogFilterSet, {"status": ENDED})
VIDEO_PATROLS = Records("patrols:video_patrol_list", selectors.video_list, VideoPatrolFilterSet)
ACTIVE_POSTS = Records(
    "patrols:post_list", selectors.post_list, PostFilterSet, {"active": "1"}, periodic=False
)


def guard_post_checkins(user, period: Period) -> int:
    return GUARD_POST_CHECKINS.count(user, period)


def guard_post_checkins_url(period: Period) -> str:
    return GUARD_POST_CHECKINS.url(period)


def patrols(user, period: Period) -> int:
    return PATROLS.count(user, period)


def patrols_url(period: Period) -> str:
    return PATROLS.url(period)


def video_patrols(user, period: Period) -> int:
    return VIDEO_PATROLS.count(user, period)


def video_patrols_url(period: Period) -> str:
    return VIDEO_PATROLS.url(period)


def active_guard_posts(user, period: Period) -> int:
    return ACTIVE_POSTS.count(user, period)


def active_guard_posts_url(period: Period) -> str:
    return ACTIVE_POSTS.url(period)
