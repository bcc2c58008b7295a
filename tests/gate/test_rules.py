"""Plates by GA 36-2018 (ordinary and new-energy), the visit state table, periods in force."""

import datetime as dt

import pytest

from huxiao.gate import rules
from huxiao.gate.choices import MatchOutcome, VisitAction, VisitState


@pytest.mark.parametrize(
    "plate",
    [
        "川D12345",
        "川d 12345",
        "京A·B1234",
        "粤B1234学",
        "川D1234挂",
        "川DD12345",
        "川DF12345",
        "川D12345D",
        "沪AK12345",
    ],
)
def test_valid_plates_pass(plate):
    assert rules.plate_problem(plate) is None, plate


@pytest.mark.parametrize(
    ("plate", "says"),
    [
        ("", "请填写"),
        ("D12345", "简称开头"),
        ("川DI2345", "不含 I 和 O"),
        ("川D1234", "格式不正确"),
        ("川DZ12345", "新能源"),
        ("川D12345X", "新能源"),
    ],
)
def test_bad_plates_are_refused_with_the_reason(plate, says):
    assert says in rules.plate_problem(plate)


def test_new_energy_plates_are_told_apart():
    assert rules.plate_kind("川DD12345") == "new_energy"
    assert rules.plate_kind("川D12345") == "ordinary"


def test_the_state_table():
    assert rules.state_after_match(MatchOutcome.CLEAR) == VisitState.IN
    for outcome in (MatchOutcome.KEY_PERSON, MatchOutcome.BANNED, MatchOutcome.UNMADE):
        assert rules.state_after_match(outcome) == VisitState.HELD
    assert rules.visit_next_state(VisitState.HELD, VisitAction.RELEASE) == VisitState.IN
    assert rules.visit_next_state(VisitState.HELD, VisitAction.CHECK_OUT) is None
    assert rules.visit_next_state(VisitState.OUT, VisitAction.CHECK_OUT) is None
    assert set(rules.visit_actions(VisitState.HELD)) == {VisitAction.RELEASE, VisitAction.REFUSE}


def test_periods_in_force():
    day = dt.date(2027, 3, 1)
    assert rules.ban_in_force(starts_on=day, ends_on=None, revoked=False, on=day)
    assert not rules.ban_in_force(starts_on=day, ends_on=None, revoked=True, on=day)
    assert not rules.ban_in_force(
        starts_on=day, ends_on=day, revoked=False, on=day + dt.timedelta(1)
    )
    assert rules.pass_in_force(valid_from=day, valid_until=day, revoked=False, on=day)
    assert not rules.pickup_in_force(
        valid_from=day, valid_until=None, revoked=False, on=day - dt.timedelta(1)
    )
    assert rules.seizure_flagged(3, 3) and not rules.seizure_flagged(2, 3)
    assert not rules.seizure_flagged(99, 0)
