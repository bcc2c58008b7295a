"""Demo step "preparedness": every school has its plans, a term of drills planned by the
bureaus, most held with evacuation times around the target, a few missed; dates follow the
seeding day; a second run adds nothing."""

import datetime as dt

import pytest

from huxiao.core.modules import Period
from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo
from huxiao.preparedness import figures
from huxiao.preparedness.choices import DrillState
from huxiao.preparedness.models import Drill, EmergencyPlan
from huxiao.schools.models import School
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_every_school_has_plans_and_a_term_of_drills(demo):  # noqa: F811
    today = demo.result.timeline.today
    schools = School.objects.count()
    assert (
        set(EmergencyPlan.objects.values_list("school", flat=True).distinct()).__len__() == schools
    )
    assert EmergencyPlan.objects.filter(next_review_on__lte=today).exists()  # some due
    assert not EmergencyPlan.objects.filter(approved_on__gt=today).exists()
    drills = Drill.objects.all()
    held = drills.filter(state=DrillState.HELD)
    assert not held.filter(held_on__gt=today).exists()
    missed = drills.filter(state=DrillState.PLANNED, planned_until__lt=today)
    assert 0 < missed.count() < held.count() / 5
    assert held.values("school").distinct().count() > schools * 0.9
    assert drills.filter(state=DrillState.CANCELLED).exists()
    assert drills.filter(planned_from__gt=today).exists()  # next month is planned
    assert drills.exclude(batch="").count() == drills.count()  # all planned by the bureaus


def test_the_citys_figures_are_realistic(demo):  # noqa: F811
    commander = demo.user("commander")
    today = demo.result.timeline.today
    term = Period(today - dt.timedelta(days=90), today)
    mean = figures.evacuation_mean(commander, term)
    assert 100 < mean < 200
    assert 50 < figures.evacuation_met_rate(commander, term) < 100
    assert figures.drills(DrillState.HELD, "", commander, term) > 100
    edu = demo.user("edu01")
    assert (
        0
        < figures.drills(DrillState.HELD, "", edu, term)
        < figures.drills(DrillState.HELD, "", commander, term)
    )
    assert demo.client("school01").get("/preparedness/drills/").status_code == 200


def test_a_second_run_adds_nothing(demo):  # noqa: F811
    before = (EmergencyPlan.objects.count(), Drill.objects.count())
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD, today=demo.result.timeline.today)
    assert (EmergencyPlan.objects.count(), Drill.objects.count()) == before
    assert result.existing["应急演练"] == before[1]
