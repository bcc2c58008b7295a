"""The rectification loop through its services: hazard → notice → report → re-check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huxiao.core.exceptions import ConflictError
from huxiao.inspections import services
from huxiao.inspections.choices import HazardAction, HazardState
from huxiao.inspections.models import HazardEvent

from .conftest import photo


def test_it_runs_the_whole_loop_with_history(ischools, people, make_inspection):
    school_a, _ = ischools
    inspection = make_inspection(school_a)
    failed = inspection.results.get(item__code="RF-01")
    hazard = services.hazard_from_result(result=failed, actor=people.officer_a, photos=[photo()])
    assert hazard.state == HazardState.PENDING and hazard.category == "personnel"

    notice = services.notice_issue(
        school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
    )
    assert notice.number == f"测甲公治〔{notice.year}〕1号"
    assert notice.copy_to == school_a.organization.education_bureau
    hazard.refresh_from_db()
    assert hazard.deadline == notice.deadline and hazard.notice == notice

    services.hazard_report(
        hazard=hazard,
        measures="已增配保安1名",
        evidence=[photo("after.png")],
        actor=people.chief,
        expected_version=hazard.version,
    )
    hazard.refresh_from_db()
    assert hazard.state == HazardState.AWAITING_RECHECK

    services.hazard_recheck(hazard=hazard, passed=True, note="现场核实", actor=people.officer_a)
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED and hazard.closed_at is not None

    steps = list(HazardEvent.objects.filter(hazard=hazard).values_list("action", "actor_name"))
    assert [a for a, _ in steps] == [
        HazardAction.CREATED,
        HazardAction.NOTICE_ISSUED,
        HazardAction.REPORTED,
        HazardAction.RECHECK_PASSED,
    ]
    assert [n for _, n in steps] == ["officer_a", "officer_a", "chief", "officer_a"]


def test_it_refuses_illegal_transitions_with_a_message(ischools, people, make_hazard):
    hazard = make_hazard(ischools[0])
    with pytest.raises(ValidationError, match="待整改.*复查通过"):
        services.hazard_recheck(hazard=hazard, passed=True, actor=people.officer_a)


def test_it_refuses_a_stale_writer(ischools, people, make_hazard):
    hazard = make_hazard(ischools[0])
    seen = hazard.version
    services.hazard_start(hazard=hazard, actor=people.chief, expected_version=seen)
    with pytest.raises(ConflictError, match="已被他人修改"):
        services.hazard_report(
            hazard=hazard, measures="x", actor=people.chief, expected_version=seen
        )


def test_it_numbers_notices_without_gaps(ischools, people, make_hazard):
    school_a, _ = ischools
    numbers = []
    for i in range(3):
        h = make_hazard(school_a, title=f"隐患{i}")
        numbers.append(
            services.notice_issue(
                school=school_a, hazards=[h], working_days=5, actor=people.officer_a
            ).serial
        )
    assert numbers == [1, 2, 3]
    h = make_hazard(school_a, title="隐患x")
    with pytest.raises(ValidationError):
        services.notice_issue(
            school=school_a, hazards=[h], working_days=500, actor=people.officer_a
        )
    assert (
        services.notice_issue(
            school=school_a, hazards=[h], working_days=5, actor=people.officer_a
        ).serial
        == 4
    )


def test_it_sweeps_overdue_and_escalates_major(ischools, people, make_hazard, city):
    today = timezone.localdate()
    major = make_hazard(ischools[0], severity="major", deadline=today)
    ordinary = make_hazard(ischools[0], deadline=today)
    counts = services.hazard_sweep(today=today + dt.timedelta(days=1))
    assert counts["overdue"] == 2 and counts["escalated"] == 1
    major.refresh_from_db()
    ordinary.refresh_from_db()
    assert major.is_escalated and not ordinary.is_escalated
    esc = major.escalations.get()
    assert esc.supervisor == city.sub_bureau
    # idempotent
    assert services.hazard_sweep(today=today + dt.timedelta(days=1)) == {
        "reminded": 0,
        "overdue": 0,
        "escalated": 0,
    }
