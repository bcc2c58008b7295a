"""Missed planned drills are told to the school and its education bureau by the daily task, once
each however often it runs; recording or cancelling the drill resolves the message."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.preparedness import services, tasks
from tests.preparedness.conftest import missed, planned, today

pytestmark = pytest.mark.django_db


def test_it_tells_the_school_and_its_bureau_once(schools, people):
    drill = missed(schools[0])
    planned(schools[1])  # not missed: its window is open
    got = tasks.drills_missed_daily.call_local()
    assert got["drills"] == 1
    told = Notification.objects.filter(title__contains="演练逾期未开展")
    recipients = set(told.values_list("recipient__username", flat=True))
    assert {"chief", "guard", "edu_officer"} <= recipients
    assert not recipients & {"officer_a", "officer_b", "commander"}
    assert all(str(drill.pk) in n.link for n in told)
    count = told.count()
    assert tasks.drills_missed_daily.call_local() == {"drills": 0, "messages": 0}
    assert told.count() == count
    drill.refresh_from_db()
    assert drill.missed_notified_at is not None


def test_a_drill_becomes_missed_when_its_window_closes(schools, people):
    drill = planned(schools[0], days=2)
    assert services.drills_missed_notify()["drills"] == 0
    later = timezone.now() + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert services.drills_missed_notify()["drills"] == 1
    drill.refresh_from_db()
    assert drill.missed_notified_at is not None


def test_recording_the_drill_resolves_the_message(
    schools, people, django_capture_on_commit_callbacks
):
    drill = missed(schools[0])
    services.drills_missed_notify()
    with django_capture_on_commit_callbacks(execute=True):
        services.drill_hold(drill=drill, actor=people.chief, held_on=today(), students=10)
    assert not Notification.objects.filter(
        title__contains="演练逾期未开展", resolved_at__isnull=True
    ).exists()
