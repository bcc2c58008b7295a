"""Review cadence (rules.py): the boundaries of the 规范's levels and the local rules."""

import datetime as dt

import pytest

from huxiao.persons import rules
from huxiao.persons.rules import Cadence

BASE = dt.date(2026, 3, 1)


def plan(categories, level=None, risk="low", status="in_control", cadence=None):
    return rules.next_review(
        base=BASE,
        categories=categories,
        mental_risk_level=level,
        risk_level=risk,
        status=status,
        cadence=cadence or Cadence(),
    )


@pytest.mark.parametrize(
    ("level", "days", "rule"),
    [
        (0, 90, "mental_stable"),
        (1, 30, "mental_medium"),
        (2, 30, "mental_medium"),
        (3, 14, "mental_high"),
        (5, 14, "mental_high"),
    ],
)
def test_it_follows_the_mental_disorder_levels(level, days, rule):
    result = plan(["mental"], level)
    assert (result.days, result.rule, result.due) == (days, rule, BASE + dt.timedelta(days=days))


def test_it_takes_the_strictest_rule():
    assert plan(["mental", "revenge"], 0).rule == "revenge"
    assert plan(["mental", "revenge"], 0).days == 7
    # A level-0 patient listed for something else too is visited monthly.
    assert plan(["mental", "drug"], 0).days == 30
    assert plan(["drug"], risk="high").rule == "high_risk"


def test_it_visits_every_other_listed_person_monthly():
    assert plan(["released"]).days == 30
    assert plan(["released"]).rule == "default"


def test_a_lost_person_is_due_at_once_and_a_revoked_one_never():
    assert plan(["drug"], status="lost").due == BASE
    revoked = plan(["drug"], status="revoked")
    assert revoked.due is None and revoked.rule == "revoked"


def test_the_cadence_follows_the_settings(settings):
    settings.PERSONS_REVIEW_DAYS_MENTAL_HIGH = 10
    settings.PERSONS_REVIEW_DAYS_MENTAL_STABLE = 60
    assert (
        rules.next_review(
            base=BASE,
            categories=["mental"],
            mental_risk_level=4,
            risk_level="low",
            status="in_control",
        ).days
        == 10
    )
    assert rules.review_interval(
        categories=["mental"], mental_risk_level=0, risk_level="low", status="in_control"
    ) == (60, "mental_stable")


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (None, ""),
        (BASE - dt.timedelta(days=1), "overdue"),
        (BASE, "due"),
        (BASE + dt.timedelta(days=3), "due"),
        (BASE + dt.timedelta(days=4), "ok"),
    ],
)
def test_the_review_state_boundaries(due, state):
    assert rules.review_state(due, BASE, 3) == state


def test_distances_are_rounded():
    metres = rules.haversine_m(26.58, 101.72, 26.581, 101.721)
    assert 140 < metres < 150
    assert rules.rounded_distance(metres, 100) == 100
    assert rules.rounded_distance(151, 100) == 200


def test_the_guard_is_told_what_to_do():
    assert "未比中" in rules.guard_instruction(matched=False)
    high = rules.guard_instruction(matched=True, status="in_control", risk_level="high")
    assert "不要放行" in high and "拖延" in high
    low = rules.guard_instruction(matched=True, status="in_control", risk_level="low")
    assert "不要放行" in low and "拖延" not in low
    assert "拖延" in rules.guard_instruction(matched=True, status="lost", risk_level="low")
    assert "核验身份证件" in rules.guard_instruction(matched=True, risk_level="low", by_name=True)
