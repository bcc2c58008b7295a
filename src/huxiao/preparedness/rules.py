"""Pure rules of the preparedness module, each with its source.

- Drill states: one table (``DRILL_TRANSITIONS``): a planned drill is held or cancelled (with a
  reason); held and cancelled drills are final (issue 18 item 3).
- Plan review: 《中华人民共和国突发事件应对法》 art. 17 and 《突发事件应急预案管理办法》
  (国办发〔2024〕5号) art. 30 ask that plans be evaluated and revised regularly; the cycle is the
  parameter ``PREPAREDNESS_PLAN_REVIEW_MONTHS`` (default 12: yearly, the usual school practice),
  counted from the approval or the last review (``next_review``).
- Evacuation target: 教育部办公厅《中小学幼儿园应急疏散演练指南》(教育厅〔2014〕1号): a school's
  evacuation should take about 2 minutes for a middle school and 3 minutes for a primary school;
  kindergartens are given the primary target. Both are parameters
  (``PREPAREDNESS_EVACUATION_TARGET_MIDDLE`` / ``_PRIMARY``, in seconds). A nine-year school
  (九年一贯制) has primary pupils and takes the primary target (the slower group sets the pace).
- Frequency: the same guide and 《中小学幼儿园安全管理办法》(教育部令第23号) art. 41 ask for
  regular drills: every month in schools, every quarter in kindergartens by the local practice
  SPEC 2.6 quotes; one drill every ``PREPAREDNESS_DRILL_MONTHS_SCHOOL`` /
  ``_KINDERGARTEN`` months. A period requires one drill per whole interval it spans
  (``required_drills``); a period shorter than the interval requires none ("不考核").
"""

from __future__ import annotations

import calendar
import datetime as dt

from huxiao.preparedness.choices import DrillAction, DrillState

# (state, action) -> new state
DRILL_TRANSITIONS: dict[tuple[str, str], str] = {
    (DrillState.PLANNED, DrillAction.HOLD): DrillState.HELD,
    (DrillState.PLANNED, DrillAction.CANCEL): DrillState.CANCELLED,
}


def drill_next_state(state: str, action: str) -> str | None:
    return DRILL_TRANSITIONS.get((state, action))


def drill_actions(state: str) -> list[str]:
    return [action for (s, action) in DRILL_TRANSITIONS if s == state]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept within the target month (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def next_review(*, approved_on: dt.date, last_reviewed_on: dt.date | None, months: int) -> dt.date:
    """The day a plan is next due for review: the cycle counted from its last review, or from
    its approval when it was never reviewed."""
    return add_months(last_reviewed_on or approved_on, months)


def review_due(*, next_review_on: dt.date, on: dt.date) -> bool:
    return next_review_on <= on


# School levels (schools.choices.SchoolLevel values) that take the middle-school target.
MIDDLE_LEVELS = frozenset({"junior", "senior", "complete_secondary", "vocational"})
KINDERGARTEN_LEVELS = frozenset({"kindergarten"})


def evacuation_target(level: str, *, middle: int, primary: int) -> int:
    """Seconds a school of ``level`` should evacuate in (教育厅〔2014〕1号: ~2 min middle, ~3 min
    primary; kindergartens, teaching points, special and nine-year schools: primary)."""
    return middle if level in MIDDLE_LEVELS else primary


def meets_target(seconds: int | None, target: int | None) -> bool | None:
    if seconds is None or not target:
        return None
    return seconds <= target


def drill_interval_months(level: str, *, school: int, kindergarten: int) -> int:
    """Months between the drills a school of ``level`` must hold."""
    return kindergarten if level in KINDERGARTEN_LEVELS else school


def months_spanned(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``, both days included (1 Sep–30 Sep is 1, 1 Sep–
    29 Sep is 0, 1 Sep–30 Nov is 3)."""
    months = 0
    while add_months(start, months + 1) - dt.timedelta(days=1) <= end:
        months += 1
    return months


def required_drills(start: dt.date, end: dt.date, interval_months: int) -> int:
    """Drills a school must hold in the period: one per whole interval it spans."""
    if interval_months <= 0:
        return 0
    return months_spanned(start, end) // interval_months


def compliant(held: int, required: int) -> bool | None:
    """None when the period requires nothing (不考核)."""
    if required <= 0:
        return None
    return held >= required


def drill_missed(*, state: str, due_on: dt.date | None, on: dt.date) -> bool:
    """A planned drill whose last planned day has passed without being held."""
    return state == DrillState.PLANNED and due_on is not None and due_on < on


def mean(total: int | None, n: int) -> float | None:
    return round(total / n, 1) if n and total is not None else None


def rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None
