"""Preparedness fixtures over the harness city: school_a (甲小学, primary; station 01, education
bureau A) and school_b (乙中学, junior; station 02, bureau B) from tests.schools, and makers of
plans and drills written through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.preparedness import services
from huxiao.preparedness.choices import DrillKind, PlanKind
from tests.schools.conftest import schools  # noqa: F401  (fixture)


def today() -> dt.date:
    return timezone.localdate()


def plan(school, actor=None, **extra):
    fields = {
        "kind": PlanKind.FIRE,
        "title": "消防安全应急预案",
        "version": "V1.0",
        "approved_on": today() - dt.timedelta(days=30),
        "approved_by": "校务会",
    } | extra
    return services.plan_create(school=school, actor=actor, **fields)


def planned(school, actor=None, *, days=7, **extra):
    fields = {
        "kind": DrillKind.FIRE_EVACUATION,
        "planned_from": today(),
        "planned_until": today() + dt.timedelta(days=days),
    } | extra
    return services.drill_plan(school=school, actor=actor, **fields)


def held(school, actor=None, *, seconds=100, on=None, kind=DrillKind.FIRE_EVACUATION):
    return services.drill_record(
        school=school,
        actor=actor,
        kind=kind,
        held_on=on or today(),
        students=500,
        staff=40,
        police=1,
        duration_minutes=30,
        evacuation_seconds=seconds,
    )


def missed(school, actor=None):
    """A planned drill whose window closed yesterday (planned as of ten days ago)."""
    return services.drill_plan(
        school=school,
        actor=actor,
        kind=DrillKind.EARTHQUAKE,
        planned_from=today() - dt.timedelta(days=5),
        planned_until=today() - dt.timedelta(days=1),
        as_of=today() - dt.timedelta(days=10),
    )


@pytest.fixture
def world(schools, people):  # noqa: F811
    """For each school: a plan, a planned drill, a held drill; school_a also a missed one."""
    a, b = schools
    made = {"plan": {}, "planned": {}, "held": {}}
    for side, school in (("a", a), ("b", b)):
        made["plan"][side] = plan(school, people.chief if side == "a" else None)
        made["planned"][side] = planned(school)
        made["held"][side] = held(school)
    made["missed"] = missed(a)
    return made
