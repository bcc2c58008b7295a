"""The pure rules, with the boundary cases of their sources."""

import datetime as dt

import pytest

from huxiao.preparedness import rules
from huxiao.preparedness.choices import DrillAction, DrillState


def test_it_allows_only_the_transitions_of_the_table():
    assert rules.drill_next_state(DrillState.PLANNED, DrillAction.HOLD) == DrillState.HELD
    assert rules.drill_next_state(DrillState.PLANNED, DrillAction.CANCEL) == DrillState.CANCELLED
    for state in (DrillState.HELD, DrillState.CANCELLED):
        assert rules.drill_actions(state) == []
        assert rules.drill_next_state(state, DrillAction.HOLD) is None


@pytest.mark.parametrize(
    ("approved", "reviewed", "months", "due"),
    [
        (dt.date(2026, 1, 31), None, 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), None, 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 9, 10), 12, dt.date(2027, 9, 10)),
    ],
)
def test_it_counts_the_review_from_the_last_review_or_the_approval(approved, reviewed, months, due):
    assert rules.next_review(approved_on=approved, last_reviewed_on=reviewed, months=months) == due


def test_a_plan_is_due_on_its_review_day():
    day = dt.date(2026, 9, 1)
    assert rules.review_due(next_review_on=day, on=day)
    assert not rules.review_due(next_review_on=day, on=day - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("level", "target"),
    [
        ("junior", 120),
        ("senior", 120),
        ("complete_secondary", 120),
        ("vocational", 120),
        ("primary", 180),
        ("kindergarten", 180),
        ("nine_year", 180),
        ("teaching_point", 180),
    ],
)
def test_the_target_follows_the_school_level(level, target):
    assert rules.evacuation_target(level, middle=120, primary=180) == target


def test_the_target_is_met_at_the_limit_and_not_above():
    assert rules.meets_target(120, 120) is True
    assert rules.meets_target(121, 120) is False
    assert rules.meets_target(None, 120) is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30), 1),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 29), 0),
        (dt.date(2026, 9, 1), dt.date(2026, 11, 30), 3),
        (dt.date(2026, 9, 15), dt.date(2026, 10, 14), 1),
        (dt.date(2026, 9, 15), dt.date(2026, 9, 1), 0),
    ],
)
def test_it_counts_whole_months(start, end, months):
    assert rules.months_spanned(start, end) == months


def test_schools_drill_monthly_and_kindergartens_quarterly():
    term = (dt.date(2026, 9, 1), dt.date(2027, 1, 31))  # five months
    assert rules.drill_interval_months("primary", school=1, kindergarten=3) == 1
    assert rules.drill_interval_months("kindergarten", school=1, kindergarten=3) == 3
    assert rules.required_drills(*term, 1) == 5
    assert rules.required_drills(*term, 3) == 1
    assert rules.required_drills(dt.date(2026, 9, 1), dt.date(2026, 9, 30), 3) == 0
    assert rules.compliant(0, 0) is None
    assert rules.compliant(1, 1) is True and rules.compliant(0, 1) is False


def test_a_drill_is_missed_the_day_after_its_window():
    day = dt.date(2026, 9, 30)
    assert not rules.drill_missed(state=DrillState.PLANNED, due_on=day, on=day)
    assert rules.drill_missed(state=DrillState.PLANNED, due_on=day, on=day + dt.timedelta(days=1))
    assert not rules.drill_missed(state=DrillState.HELD, due_on=day, on=day + dt.timedelta(days=1))


def test_mean_and_rate_round_to_one_decimal():
    assert rules.mean(301, 3) == 100.3 and rules.mean(None, 0) is None
    assert rules.rate(2, 3) == 66.7 and rules.rate(0, 0) is None
