"""A message asking for a task resolves when the task is done (issue 14): "整改报告待复查" no
longer stays unread after the re-check, nor the school's "新隐患" after its report."""

import pytest
from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.core.selectors import unread_count
from huxiao.inspections import services


def inbox(user, title_start):
    return Notification.objects.get(recipient=user, title__startswith=title_start)


@pytest.fixture
def hazard(ischools, make_hazard, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_hazard(ischools[0], deadline=timezone.localdate())


def test_the_recheck_resolves_the_police_message_and_the_report_the_schools(
    hazard, people, django_capture_on_commit_callbacks
):
    asked = inbox(people.chief, "新隐患")
    assert asked.read_at is None and asked.subject.endswith(f":{hazard.pk}:rectify")
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_start(hazard=hazard, actor=people.chief)
        services.hazard_report(hazard=hazard, measures="已加装防冲撞桩", actor=people.chief)
    asked.refresh_from_db()
    assert asked.read_at is not None and asked.resolved_at is not None  # the school reported
    waiting = inbox(people.officer_a, "整改报告待复查")
    assert waiting.read_at is None
    before = unread_count(user=people.officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_recheck(hazard=hazard, passed=True, actor=people.officer_a)
    waiting.refresh_from_db()
    assert waiting.read_at is not None and waiting.resolved_at is not None
    assert unread_count(user=people.officer_a) == before - 1


def test_a_failed_recheck_asks_the_school_again(hazard, people, django_capture_on_commit_callbacks):
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_start(hazard=hazard, actor=people.chief)
        services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
        services.hazard_recheck(
            hazard=hazard,
            passed=False,
            note="防冲撞桩未固定",
            new_deadline=timezone.localdate() + dt.timedelta(days=14),
            actor=people.officer_a,
        )
    again = inbox(people.chief, "复查未通过")
    assert again.read_at is None  # a new task for the school, open
    assert inbox(people.officer_a, "整改报告待复查").resolved_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_report(hazard=hazard, measures="已固定", actor=people.chief)
    again.refresh_from_db()
    assert again.resolved_at is not None


def test_a_message_read_by_hand_is_still_marked_resolved(
    hazard, people, django_capture_on_commit_callbacks
):
    from huxiao.core.services import notification_mark_read

    asked = inbox(people.chief, "新隐患")
    notification_mark_read(user=people.chief, ids=[asked.pk])
    asked.refresh_from_db()
    read_at = asked.read_at
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_start(hazard=hazard, actor=people.chief)
        services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    asked.refresh_from_db()
    assert asked.read_at == read_at and asked.resolved_at is not None
