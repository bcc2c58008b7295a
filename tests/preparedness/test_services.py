"""The services: validation in Chinese with nothing half-written, the all-or-nothing bulk plan,
the drill's transitions, the review cycle and the target recorded with a held drill."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from huxiao.core.models import AuditRecord
from huxiao.preparedness import rules, services
from huxiao.preparedness.choices import DrillKind, DrillState, PlanKind
from huxiao.preparedness.models import Drill, EmergencyPlan
from tests.preparedness.conftest import held, plan, planned, today

pytestmark = pytest.mark.django_db


def month_end_before() -> dt.date:
    """The last day of the month before last: a month end always in the past."""
    return rules.add_months(today().replace(day=1), -1) - dt.timedelta(days=1)


def test_it_records_a_plan_with_its_next_review_a_year_on(schools, people):
    approved = month_end_before()
    p = plan(schools[0], people.chief, approved_on=approved)
    assert p.review_months == 12 and p.next_review_on == rules.add_months(approved, 12)
    assert AuditRecord.objects.filter(object_type="preparedness.emergencyplan").exists()


@override_settings(PREPAREDNESS_PLAN_REVIEW_MONTHS=6)
def test_the_review_cycle_is_a_parameter(schools, people):
    approved = month_end_before()
    p = plan(schools[0], people.chief, approved_on=approved)
    assert p.review_months == 6 and p.next_review_on == rules.add_months(approved, 6)


def test_a_bad_plan_is_refused_in_chinese_and_nothing_is_stored(schools, people):
    with pytest.raises(ValidationError) as exc:
        plan(
            schools[0],
            people.chief,
            kind="nope",
            title="",
            approved_on=today() + dt.timedelta(days=1),
        )
    errors = exc.value.message_dict
    assert "请选择预案类别" in errors["kind"][0]
    assert "批准日期不能晚于今天" in errors["approved_on"][0]
    assert "title" in errors
    assert not EmergencyPlan.objects.exists()


def test_a_review_moves_the_next_review_one_cycle_from_the_review(schools, people):
    p = plan(schools[0], people.chief, approved_on=today() - dt.timedelta(days=400))
    reviewed = today() - dt.timedelta(days=2)
    p = services.plan_review(plan=p, actor=people.chief, reviewed_on=reviewed, version="V2.0")
    assert p.last_reviewed_on == reviewed and p.version == "V2.0"
    assert p.next_review_on == services.rules.next_review(
        approved_on=p.approved_on, last_reviewed_on=reviewed, months=12
    )
    with pytest.raises(ValidationError, match="评审日期不能晚于今天"):
        services.plan_review(plan=p, actor=people.chief, reviewed_on=today() + dt.timedelta(days=1))


def test_a_school_plans_its_drill_but_not_in_the_past(schools, people):
    d = planned(schools[0], people.chief)
    assert d.state == DrillState.PLANNED and d.day == d.planned_until
    assert d.planned_by_org == schools[0].organization
    with pytest.raises(ValidationError, match="计划日期已过"):
        planned(schools[0], people.chief, planned_from=today() - dt.timedelta(days=3), days=-2)
    with pytest.raises(ValidationError, match="计划截止日期不能早于开始日期"):
        services.drill_plan(
            school=schools[0],
            actor=people.chief,
            kind=DrillKind.FIRE_EVACUATION,
            planned_from=today() + dt.timedelta(days=3),
            planned_until=today() + dt.timedelta(days=1),
        )
    assert Drill.objects.count() == 1


def test_the_bureau_plans_one_drill_per_school_in_one_go(schools, city, people):
    a, b = schools
    made = services.drill_plan_bulk(
        bureau=city.edu_city,
        actor=None,
        schools=[a, b],
        kind=DrillKind.EARTHQUAKE,
        planned_from=today() + dt.timedelta(days=1),
        planned_until=today() + dt.timedelta(days=20),
    )
    assert len(made) == 2 and len({d.batch for d in made}) == 1
    assert {d.school_id for d in made} == {a.pk, b.pk}
    assert all(d.planned_by_org == city.edu_city for d in made)


def test_the_bulk_plan_is_all_or_nothing(schools, city, people):
    a, b = schools
    with pytest.raises(ValidationError) as exc:
        services.drill_plan_bulk(
            bureau=city.edu_a,
            actor=people.edu_officer,
            schools=[a, b],  # school_b answers to bureau B
            kind=DrillKind.FIRE_EVACUATION,
            planned_from=today(),
        )
    assert "乙中学" in exc.value.message_dict["schools"][0]
    assert not Drill.objects.exists()
    with pytest.raises(ValidationError, match="只有教育行政部门"):
        services.drill_plan_bulk(
            bureau=city.station_a,
            actor=people.officer_a,
            schools=[a],
            kind=DrillKind.FIRE_EVACUATION,
            planned_from=today(),
        )
    with pytest.raises(ValidationError, match="请至少选择一所学校"):
        services.drill_plan_bulk(
            bureau=city.edu_a,
            actor=people.edu_officer,
            schools=[],
            kind=DrillKind.FIRE_EVACUATION,
            planned_from=today(),
        )
    assert not Drill.objects.exists()


def test_holding_records_what_happened_against_the_level_target(schools, people):
    a, b = schools  # primary: 180 s; junior: 120 s
    for school, seconds, target, met in ((a, 150, 180, True), (b, 150, 120, False)):
        d = planned(school)
        d = services.drill_hold(
            drill=d,
            actor=people.chief,
            held_on=today(),
            students=600,
            staff=50,
            police=2,
            duration_minutes=40,
            evacuation_seconds=seconds,
            evaluation="有序",
        )
        assert d.state == DrillState.HELD and d.day == today()
        assert d.evacuation_target_seconds == target and d.met_target is met


@override_settings(PREPAREDNESS_EVACUATION_TARGET_PRIMARY=200)
def test_the_targets_are_parameters(schools):
    assert held(schools[0], seconds=190).met_target is True


def test_a_drill_is_held_or_cancelled_once(schools, people):
    d = planned(schools[0])
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.drill_cancel(drill=d, actor=people.chief, reason=" ")
    d = services.drill_cancel(drill=d, actor=people.chief, reason="考试周")
    assert d.state == DrillState.CANCELLED and d.cancel_reason == "考试周"
    with pytest.raises(ValidationError, match="当前状态为“已取消”，不能记录举行情况"):
        services.drill_hold(drill=d, actor=people.chief, held_on=today(), students=1)
    with pytest.raises(ValidationError, match="不能取消"):
        services.drill_cancel(drill=d, actor=people.chief, reason="再取消")


def test_bad_held_values_are_refused_and_the_drill_stays_planned(schools, people):
    d = planned(schools[0])
    with pytest.raises(ValidationError) as exc:
        services.drill_hold(
            drill=d,
            actor=people.chief,
            held_on=today() + dt.timedelta(days=1),
            students=0,
            staff=0,
            evacuation_seconds=99999,
        )
    errors = exc.value.message_dict
    assert "举行日期不能晚于今天" in errors["held_on"][0]
    assert "请填写参演学生和教职工人数" in errors["students"][0]
    assert "疏散用时应在1到3600秒之间" in errors["evacuation_seconds"][0]
    d.refresh_from_db()
    assert d.state == DrillState.PLANNED and d.held_on is None


def test_a_drill_held_without_a_plan_is_recorded_held(schools, people):
    d = held(schools[1], people.chief, seconds=110)
    assert d.state == DrillState.HELD and d.planned_from is None and d.met_target is True
    with pytest.raises(ValidationError, match="请选择演练类别"):
        services.drill_record(school=schools[1], actor=None, kind="x", held_on=today(), students=3)


def test_a_plan_of_another_kind_keeps_its_choice(schools):
    assert plan(schools[0], kind=PlanKind.FOOD_SAFETY).get_kind_display() == "食品安全"
