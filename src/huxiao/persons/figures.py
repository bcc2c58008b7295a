"""Figures of the persons module (``core.modules.Figure``, registered in ``registry.py``).

Police only: the selectors give nothing to other roles, so these count nothing for them. Each
figure is one query of the key-person or dispute list, states "now" (``periodic=False``).
"""

from __future__ import annotations

from huxiao.core.figures import list_rows, list_url
from huxiao.persons import selectors
from huxiao.persons.filtersets import DisputeFilterSet, KeyPersonFilterSet

QUERIES = {
    "in_control": ("persons:key_person_list", {"status": "in_control"}),
    "lost": ("persons:key_person_list", {"status": "lost"}),
    "high_risk": ("persons:key_person_list", {"status": "in_control", "risk": "high"}),
    "reviews_overdue": ("persons:key_person_list", {"review": "overdue"}),
    "disputes_mediating": ("persons:dispute_list", {"status": "mediating"}),
    "disputes_overdue": ("persons:dispute_list", {"overdue": "1"}),
}


def _count(name: str, user) -> int:
    page, query = QUERIES[name]
    if page == "persons:key_person_list":
        return list_rows(
            KeyPersonFilterSet, selectors.key_person_list(user=user), user, query
        ).count()
    return list_rows(DisputeFilterSet, selectors.dispute_list(user=user), user, query).count()


def in_control(user, period) -> int:
    return _count("in_control", user)


def lost(user, period) -> int:
    return _count("lost", user)


def high_risk(user, period) -> int:
    return _count("high_risk", user)


def reviews_overdue(user, period) -> int:
    return _count("reviews_overdue", user)


def disputes_mediating(user, period) -> int:
    return _count("disputes_mediating", user)


def disputes_overdue(user, period) -> int:
    return _count("disputes_overdue", user)


def url(name: str) -> str:
    return list_url(*QUERIES[name])


def in_control_url(period) -> str:
    return url("in_control")


def lost_url(period) -> str:
    return url("lost")


def high_risk_url(period) -> str:
    return url("high_risk")


def reviews_overdue_url(period) -> str:
    return url("reviews_overdue")


def disputes_mediating_url(period) -> str:
    return url("disputes_mediating")


def disputes_overdue_url(period) -> str:
    return url("disputes_overdue")
