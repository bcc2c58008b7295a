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


def test_it_reminds_three_working_days_before_the_deadline_once(ischools, people, make_hazard):
    from huxiao.core import workcalendar

    deadline = workcalendar.add_workdays(timezone.localdate(), 10)
    hazard = make_hazard(ischools[0], deadline=deadline)
    early = workcalendar.subtract_workdays(deadline, 4)
    assert services.hazard_sweep(today=early)["reminded"] == 0
    due = workcalendar.subtract_workdays(deadline, 3)
    assert services.hazard_sweep(today=due)["reminded"] == 1
    assert services.hazard_sweep(today=due)["reminded"] == 0
    assert hazard.events.filter(action=HazardAction.REMINDED).count() == 1


def test_it_escalates_an_ordinary_hazard_overdue_twice(ischools, people, make_hazard, city):
    today = timezone.localdate()
    hazard = make_hazard(ischools[0], deadline=today)
    services.hazard_sweep(today=today + dt.timedelta(days=1))
    hazard.refresh_from_db()
    assert hazard.is_overdue and hazard.overdue_count == 1 and not hazard.is_escalated
    # A new deadline clears the flag; missing it again is the second overdue → 督办.
    services.hazard_change_deadline(
        hazard=hazard, deadline=today, reason="延期", actor=people.officer_a
    )
    hazard.refresh_from_db()
    assert not hazard.is_overdue
    counts = services.hazard_sweep(today=today + dt.timedelta(days=1))
    hazard.refresh_from_db()
    assert counts["escalated"] == 1 and hazard.overdue_count == 2 and hazard.is_escalated
    esc = hazard.escalations.get()
    assert esc.number.endswith(f"〔{today.year}〕1号")
    assert esc.created_by is None  # the system escalated it


def test_it_does_not_mark_overdue_while_awaiting_recheck(ischools, people, make_hazard):
    today = timezone.localdate()
    hazard = make_hazard(ischools[0], deadline=today)
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    assert services.hazard_sweep(today=today + dt.timedelta(days=3))["overdue"] == 0


def test_it_requires_a_new_deadline_and_note_when_a_recheck_fails(ischools, people, make_hazard):
    hazard = make_hazard(ischools[0])
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    with pytest.raises(ValidationError, match="新的整改期限"):
        services.hazard_recheck(hazard=hazard, passed=False, note="未到位", actor=people.officer_a)
    services.hazard_recheck(
        hazard=hazard, passed=False, note="未到位", new_working_days=5, actor=people.officer_a
    )
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING and hazard.deadline > timezone.localdate()


def test_it_keeps_the_checklist_version_an_inspection_used(
    ischools, people, checklist, make_inspection
):
    inspection = make_inspection(ischools[0])
    old_items = list(inspection.results.values_list("item__text", flat=True))
    services.checklist_publish(
        template=checklist,
        items=[{"group": "personnel", "code": "N-01", "text": "新检查项"}],
        note="修订",
        actor=people.admin,
    )
    inspection.refresh_from_db()
    assert checklist.current_version.number == 2
    assert inspection.checklist_version.number == 1
    assert list(inspection.results.values_list("item__text", flat=True)) == old_items


def test_it_counts_inspectors_as_person_times(ischools, people, checklist):
    inspection = services.inspection_start(
        school=ischools[0],
        date=timezone.localdate(),
        inspectors=[people.officer_a, people.officer_b, people.commander],
        checklist=checklist,
        actor=people.officer_a,
    )
    assert inspection.person_times == 3
    with pytest.raises(ValidationError, match="公安机关人员"):
        services.inspection_start(
            school=ischools[0],
            date=timezone.localdate(),
            inspectors=[people.edu_officer],
            checklist=checklist,
        )


def test_it_will_not_finish_an_inspection_with_items_left(ischools, people, make_inspection):
    inspection = make_inspection(ischools[0], finish=False)
    first = inspection.results.first()
    services.inspection_record(
        inspection=inspection, results={first.pk: {"result": ""}}, actor=people.officer_a
    )
    with pytest.raises(ValidationError, match="没有结果"):
        services.inspection_finish(inspection=inspection, actor=people.officer_a)


def test_notice_copies_the_school_education_bureau_and_notifies(
    ischools, people, make_hazard, django_capture_on_commit_callbacks
):
    from huxiao.core.models import Notification

    school_a = ischools[0]
    hazard = make_hazard(school_a)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notice_issue(
            school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
        )
    assert notice.copy_to.name == "甲区教育局"
    recipients = set(
        Notification.objects.filter(title__contains=notice.number).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"chief", "edu_officer"} <= recipients
    assert "officer_b" not in recipients
