"""Figures of the persons module (``core.modules.Figure``, registered in ``registry.py``).

Police only: the selectors give nothing to other roles, so these count nothing for them. Each
figure is one query of the key-person, dispute or screening list (``QUERIES``: the page and
its query for a period), so the number and the rows it opens are the same:

- states "now" (``periodic=False``, the period ignored): persons listed (在控或失控), in
  control, lost, at high risk, overdue for review, due for review within the next 7 days
  (not overdue); disputes being mediated, overdue;
- within the period: persons newly listed (列管日期), persons followed up (a 走访核查 dated
  in it), disputes registered (登记日期) and resolved (已化解, 办结日期), and the persons
  screened by the batches that lie in it (the sum of the list's 排查人数 column: each batch's
  count of the persons recorded in it, kept on the batch by the services, or the typed total
  of a batch imported from history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Sum

from huxiao.core.figures import counts, list_rows, list_url
from huxiao.core.modules import Period
from huxiao.core.scoping import jurisdiction_q
from huxiao.persons import selectors
from huxiao.persons.choices import DisputeStatus, PersonStatus, RiskLevel
from huxiao.persons.filtersets import DisputeFilterSet, KeyPersonFilterSet, ScreeningFilterSet

KEY_PERSONS = "persons:key_person_list"
DISPUTES = "persons:dispute_list"
SCREENING = "persons:screening_list"

# Each list page: its filterset and its scoped (police-only) selector.
LISTS = {
    KEY_PERSONS: (KeyPersonFilterSet, selectors.key_person_list),
    DISPUTES: (DisputeFilterSet, selectors.dispute_list),
    SCREENING: (ScreeningFilterSet, selectors.screening_batch_list),
}


def _now(query: dict[str, str]) -> Callable[[Period], dict[str, str]]:
    return lambda period: query


def _within(prefix: str) -> Callable[[Period], dict[str, str]]:
    """The list's ``<prefix>_from`` / ``<prefix>_to`` filters, the period's first and last day."""

    def query(period: Period) -> dict[str, str]:
        return {f"{prefix}_from": period.start.isoformat(), f"{prefix}_to": period.end.isoformat()}

    return query


def _resolved(period: Period) -> dict[str, str]:
    return {"status": DisputeStatus.RESOLVED, **_within("closed")(period)}


def _screened(period: Period) -> dict[str, str]:
    # Batches whose period lies within it (开始日期不早于, 结束日期不晚于), as the page's totals.
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


# Figure name -> (list page, its query for a period).
QUERIES: dict[str, tuple[str, Callable[[Period], dict[str, str]]]] = {
    "listed": (KEY_PERSONS, _now({"status": selectors.LISTED})),
    "in_control": (KEY_PERSONS, _now({"status": PersonStatus.IN_CONTROL})),
    "lost": (KEY_PERSONS, _now({"status": PersonStatus.LOST})),
    "high_risk": (
        KEY_PERSONS,
        _now({"status": PersonStatus.IN_CONTROL, "risk": RiskLevel.HIGH}),
    ),
    "reviews_overdue": (KEY_PERSONS, _now({"review": "overdue"})),
    "reviews_due": (KEY_PERSONS, _now({"review": "week"})),
    "newly_listed": (KEY_PERSONS, _within("listed")),
    "followed_up": (KEY_PERSONS, _within("followed")),
    "disputes_mediating": (DISPUTES, _now({"status": DisputeStatus.MEDIATING})),
    "disputes_overdue": (DISPUTES, _now({"overdue": "1"})),
    "disputes_registered": (DISPUTES, _within("registered")),
    "disputes_resolved": (DISPUTES, _resolved),
    "screened": (SCREENING, _screened),
}
# The figures that sum a column of their rows rather than count them.
SUMS = {"screened": "screened"}


def rows(name: str, user, period: Period, org=None):
    page, query = QUERIES[name]
    filterset_class, selector = LISTS[page]
    return list_rows(filterset_class, selector(user=user), user, query(period), org)


def value(name: str, user, period: Period, org=None) -> int:
    if name in SUMS:
        return rows(name, user, period, org).aggregate(n=Sum(SUMS[name]))["n"] or 0
    return rows(name, user, period, org).count()


def url(name: str, period: Period, org=None) -> str:
    page, query = QUERIES[name]
    return list_url(page, query(period), org)


# ---- several key-person figures in one query ------------------------------------------------

# The key-person list's filters the figures' queries use, as ``selectors.PersonFilters``.
_TEXT = ("status", "risk", "review")
_DATES = ("listed_from", "listed_to", "followed_from", "followed_to")


def _person_filters(query: dict[str, str]) -> selectors.PersonFilters:
    unknown = set(query) - {*_TEXT, *_DATES}
    if unknown:  # a figure's query this reading does not know: refuse rather than miscount
        raise ValueError(f"key-person figure query with {sorted(unknown)}")
    return selectors.PersonFilters(
        **{k: query[k] for k in _TEXT if k in query},
        **{k: dt.date.fromisoformat(query[k]) for k in _DATES if k in query},
    )


def batch(codes, user, period: Period, org=None, children=None) -> dict:
    """The key-person figures ``codes`` counted in one query of the list's rows
    (``core.modules.Figure.batch``), each with the conditions its list query applies
    (``selectors.person_q``); with ``children``, each child's jurisdiction apart."""
    rows = selectors.key_person_list(user=user)
    if org is not None:
        rows = rows.filter(jurisdiction_q(rows.model.scope_org_path, org))
    conditions = {
        code: selectors.person_q(_person_filters(QUERIES[code.split(".", 1)[1]][1](period)))
        for code in codes
    }
    return counts(rows, conditions, children)
