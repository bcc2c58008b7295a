"""Guard staffing under each policy at every boundary; the SQL twin agrees with the rule."""

import pytest
from django.test import override_settings

from huxiao.schools import compliance, rules
from huxiao.schools.policy import Policy

GBT = Policy(staffing="gbt29315")
P168 = Policy(staffing="168")
P168_DOWN = Policy(staffing="168", round_up=False)
P38 = Policy(staffing="38")
P38_DOWN = Policy(staffing="38", round_up=False)


def need(policy, students, staff=0, boarding=False, boarders=0):
    facts = rules.SchoolFacts(
        students=students, staff=staff, is_boarding=boarding, boarders=boarders
    )
    return rules.required_guards(facts, policy)


@pytest.mark.parametrize(
    ("students", "gbt", "p168", "p168_down", "p38", "p38_down"),
    [
        (0, 1, 1, 1, 2, 2),
        (99, 1, 1, 1, 2, 2),
        (100, 2, 2, 2, 2, 2),
        (999, 2, 2, 2, 2, 2),
        (1000, 3, 2, 2, 2, 2),
        (1001, 3, 3, 2, 3, 2),
        (1200, 3, 3, 2, 3, 2),
        (1499, 3, 3, 2, 3, 2),
        (1500, 4, 3, 3, 3, 3),
        (1501, 4, 4, 3, 4, 3),
        (2000, 5, 4, 4, 4, 4),
        (2001, 5, 5, 4, 5, 4),
    ],
)
def test_it_requires_guards_by_students_at_each_boundary(
    students, gbt, p168, p168_down, p38, p38_down
):
    assert need(GBT, students) == gbt
    assert need(P168, students) == p168
    assert need(P168_DOWN, students) == p168_down
    assert need(P38, students) == p38
    assert need(P38_DOWN, students) == p38_down


def test_38_counts_students_only_and_asks_two_of_even_the_smallest_school():
    """公通字〔2010〕38号: "学生人数在1000人以下的学校配备保安应不低于2名" — no 1-guard tier, and
    staff do not count (seed 004)."""
    assert need(P38, 40) == 2
    assert need(P38, 1000, staff=300) == 2
    result = rules.rule_staffing(rules.SchoolFacts(students=1600, guards_active=3), P38)
    assert (result.status, result.required, result.actual) == ("fail", 4, 3)
    assert "公通字〔2010〕38号" in result.source and "1000人以下不少于2名" in result.reading


def test_168_counts_staff_and_students_for_its_lower_thresholds_in_the_mixed_reading():
    assert need(P168, 90, staff=9) == 1
    assert need(P168, 90, staff=10) == 2  # 100 people in all
    assert need(Policy(staffing="168", reading_168="students"), 90, staff=10) == 1
    # Increments count students, not staff, in the mixed reading.
    assert need(P168, 1000, staff=300) == 2
    assert need(Policy(staffing="168", reading_168="total"), 1000, staff=300) == 3


def test_gbt_requires_two_for_a_small_boarding_school():
    assert need(GBT, 60, boarding=True, boarders=40) == 2


def test_the_local_boarder_add_on_adds_one_per_200_boarders():
    policy = Policy(staffing="gbt29315", boarder_addon=200)
    assert need(policy, 1200, boarding=True, boarders=0) == 3
    assert need(policy, 1200, boarding=True, boarders=200) == 4
    assert need(policy, 1200, boarding=True, boarders=201) == 5
    down = Policy(staffing="gbt29315", boarder_addon=200, round_up=False)
    assert need(down, 1200, boarding=True, boarders=399) == 4


def test_the_acceptance_school_fails_under_both_policies_with_the_numbers_and_source():
    facts = rules.SchoolFacts(students=1200, guards_active=2)
    for policy, source in ((P168, "168号"), (GBT, "GB/T 29315-2022")):
        result = rules.rule_staffing(facts, policy)
        assert (result.status, result.required, result.actual) == ("fail", 3, 2)
        assert source in result.source and "应配3名，实有2名" in result.detail and result.reading
    thousand = rules.SchoolFacts(students=1000, guards_active=2)
    assert rules.rule_staffing(thousand, GBT).status == "fail"
    assert rules.rule_staffing(thousand, GBT).required == 3
    assert rules.rule_staffing(thousand, P168).status == "pass"


POLICIES = [
    P168,
    P168_DOWN,
    GBT,
    Policy(staffing="168", reading_168="students"),
    Policy(staffing="168", reading_168="total"),
    Policy(staffing="gbt29315", boarder_addon=200),
    Policy(staffing="168", boarder_addon=200, round_up=False),
    P38,
    P38_DOWN,
    Policy(staffing="38", boarder_addon=200),
]
SIZES = [0, 50, 99, 100, 101, 999, 1000, 1001, 1200, 1499, 1500, 1501, 2001, 3600]


@pytest.mark.django_db
def test_the_sql_expression_agrees_with_the_rule_everywhere(city):
    from huxiao.schools.models import School

    school = School.objects.create(
        organization=city.school_a, school_code="5301110001", level="primary", locality="urban"
    )
    for policy in POLICIES:
        for students in SIZES:
            for staff, boarders in ((0, 0), (10, 0), (120, 150), (300, 450)):
                School.objects.filter(pk=school.pk).update(
                    students=students,
                    staff=staff,
                    boarders=min(boarders, students),
                    is_boarding=boarders > 0,
                )
                row = (
                    compliance.with_facts(School.objects.filter(pk=school.pk), policy)
                    .values("required_guards")
                    .get()
                )
                expected = need(policy, students, staff, boarders > 0, min(boarders, students))
                assert row["required_guards"] == expected, (policy, students, staff, boarders)


def test_the_deployment_policy_comes_from_the_settings():
    from huxiao.schools.policy import current

    with override_settings(SCHOOL_STAFFING_POLICY="168", SCHOOL_STAFFING_ROUNDING="down"):
        policy = current()
    assert policy.staffing == "168" and policy.round_up is False
