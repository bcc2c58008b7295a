"""Figures of the schools module (``core.modules.Figure``, registered in ``registry.py``).

States "now" (``periodic=False``), each one query of the school list, so the number opens
exactly the schools behind it; the rules are those of the compliance check
(``compliance.with_facts``, the statuses the list's filters read), never derived again here:

- counts of schools: in scope, failing a rule (``?failing=<rule>``), passing an indicator of
  the roll-up (``?passing=<indicator>``: 四个100%, alarm and video networking);
- sums over the listed schools' columns: full-time guards on duty (保安实有), and the guards
  missing at the schools that fail staffing (保安应配 − 保安实有);
- rates as the roll-up page (schools:compliance_summary) shows them: the passing schools
  (the list it opens) over the schools of the same list without ``passing``, in per cent
  with one decimal, None when there is no school.
"""

from __future__ import annotations

from django.db.models import F, Sum
from django.utils import timezone

from huxiao.core.figures import list_rows, list_url, shared
from huxiao.core.scoping import in_jurisdiction
from huxiao.schools import rules, selectors
from huxiao.schools.filtersets import PASSING, SchoolFilterSet

SCHOOL_LIST = "schools:school_list"

# Indicators whose passing schools are a figure (registry.PASSING_LABELS).
PASSING_CODES = (
    "staffing",
    "closed_management",
    "networked",
    "guard_post",
    "alarm_networked",
    "video_networked",
)
# Rates: the schools counted (the denominator's list) and those passing among them.
RATE_QUERIES = {
    "staffing": ({}, {"passing": "staffing"}),
    "closed_management": ({}, {"passing": "closed_management"}),
    "networked": ({}, {"passing": "networked"}),
    "guard_post": ({}, {"passing": "guard_post"}),
    # Seed 004: urban schools' video networking at least 80%.
    "urban_video_networked": (
        {"locality": "urban"},
        {"locality": "urban", "passing": "video_networked"},
    ),
}


def _rows(user, query: dict[str, str], org=None):
    return list_rows(SchoolFilterSet, selectors.school_list(user=user), user, query, org)


def _count(user, query: dict[str, str], org=None) -> int:
    return _rows(user, query, org).count()


def schools(user, period, org=None) -> int:
    return _count(user, {}, org)


def schools_url(period, org=None) -> str:
    return list_url(SCHOOL_LIST, {}, org)


# ---- guards ----------------------------------------------------------------------------------


def guards(user, period, org=None) -> int:
    """Full-time guards not left, summed over the schools (the list's 保安实有 column)."""
    return _rows(user, {}, org).aggregate(n=Sum("guards_active"))["n"] or 0


def guards_url(period, org=None) -> str:
    return schools_url(period, org)


_SHORT = {"failing": "staffing"}


def guard_shortfall(user, period, org=None) -> int:
    """Guards missing at the schools failing staffing (保安应配 − 保安实有, summed)."""
    rows = _rows(user, _SHORT, org)
    return rows.aggregate(n=Sum(F("required_guards") - F("guards_active")))["n"] or 0


def guard_shortfall_url(period, org=None) -> str:
    return list_url(SCHOOL_LIST, _SHORT, org)


# ---- rules failed, indicators passed ---------------------------------------------------------


def failing(code: str, user, period, org=None) -> int:
    return _count(user, {"failing": code}, org)


def failing_url(code: str, period, org=None) -> str:
    return list_url(SCHOOL_LIST, {"failing": code}, org)


def passing(code: str, user, period, org=None) -> int:
    return _count(user, {"passing": code}, org)


def passing_url(code: str, period, org=None) -> str:
    return list_url(SCHOOL_LIST, {"passing": code}, org)


def rate(code: str, user, period, org=None) -> float | None:
    """Per cent of the schools counted that pass, one decimal (the roll-up's rate)."""
    counted, passed = RATE_QUERIES[code]
    total = _count(user, counted, org)
    if not total:
        return None
    # In the order of the roll-up's export (views_compliance._pct), so both round alike.
    return round(_count(user, passed, org) / total * 100, 1)


def rate_url(code: str, period, org=None) -> str:
    return list_url(SCHOOL_LIST, RATE_QUERIES[code][1], org)


# ---- all at once -------------------------------------------------------------------------------
# The dashboards read most of these figures together. Each figure above is one query over the
# schools with their compliance facts (~10 ms at a station); ``batch`` fetches the schools'
# statuses once and counts them as the list's filters select them (``SchoolFilterSet``:
# failing = that rule's status is 不达标; passing = every rule of the indicator 达标; locality).
# tests/schools/test_figures.py checks that it gives exactly what each figure gives.


def _matches(row: dict, query: dict[str, str]) -> bool:
    for name, value in query.items():
        if name == "failing" and row[f"{value}_status"] != rules.FAIL:
            return False
        if name == "passing" and any(row[s] != rules.PASS for s in PASSING[value].statuses):
            return False
        if name == "locality" and row["locality"] != value:
            return False
    return True


def _batch_value(name: str, rows: list[dict]):
    if name == "schools":
        return len(rows)
    if name == "guards":
        return sum(r["guards_active"] for r in rows)
    if name == "guard_shortfall":
        short = [r for r in rows if _matches(r, _SHORT)]
        return sum(r["required_guards"] - r["guards_active"] for r in short)
    family, _, code = name.partition("_")
    if family in ("failing", "passing"):
        return sum(_matches(r, {family: code}) for r in rows)
    counted, passed = RATE_QUERIES[code]
    total = sum(_matches(r, counted) for r in rows)
    if not total:
        return None
    return round(sum(_matches(r, passed) for r in rows) / total * 100, 1)


STATUS_COLUMNS = tuple(f"{code}_status" for code in rules.RULE_CODES)


def status_rows(user, org=None) -> list[dict]:
    """Each school of the list in ``org``'s jurisdiction (in no order) with its rule
    statuses, guards, place and name: what the batch counts and the dashboard's map draws,
    read once for both inside ``core.figures.one_reading``."""

    def read():
        # No ORDER BY: counting needs none, and a province's 20,000 rows sorted cost ~30%.
        return list(
            _rows(user, {}, org)
            .order_by()
            .values(
                "pk",
                *STATUS_COLUMNS,
                "guards_active",
                "required_guards",
                "locality",
                "organization__name",
                "organization__short_name",
                "organization__latitude",
                "organization__longitude",
                "organization__path",
                "organization__education_bureau__path",
            )
        )

    key = (
        "schools.status_rows",
        user.pk,
        org.pk if org is not None else None,
        timezone.localdate(),
    )
    return shared(key, read)


def batch(codes, user, period, org=None, children=None) -> dict:
    rows = status_rows(user, org)
    if children is None:
        return {code: _batch_value(code.partition(".")[2], rows) for code in codes}
    # Each school in the first child whose jurisdiction holds it (as core.figures.by_child).
    groups: dict[int, list[dict]] = {child.pk: [] for child in children}
    for row in rows:
        path, edu = row["organization__path"], row["organization__education_bureau__path"]
        child = next((c for c in children if in_jurisdiction(c, path, edu)), None)
        if child is not None:
            groups[child.pk].append(row)
    return {
        pk: {code: _batch_value(code.partition(".")[2], group) for code in codes}
        for pk, group in groups.items()
    }
