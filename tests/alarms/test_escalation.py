"""Escalation (issue 16 item 4): an alarm nobody acknowledges within N seconds (the parameter
ALARMS_ESCALATION_SECONDS) escalates to the station's sub-bureau, then after another N seconds
to the city's command centre; each level is one row on the alarm and an urgent notice to the
users of that organisation who may act on alarms. Tests and acknowledged alarms never escalate,
and a second run at the same time escalates nothing. Times are passed as ``now`` explicitly.

Harness: school_a's station 01 is under 测试分局 (the sub-bureau), under 测试市公安局 (the city);
a second sub-bureau 城东分局 is added here with an officer of its own, who must hear nothing.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import rules, services, tasks
from huxiao.alarms.choices import AlarmAction, AlarmKind, AlarmResult, AlarmState
from huxiao.alarms.models import AlarmEscalation
from huxiao.core.choices import NotificationLevel, OrgKind
from huxiao.core.models import Notification
from tests.conftest import _org, make_user

pytestmark = pytest.mark.django_db

N = 60
API = "/api/v1"


@pytest.fixture(autouse=True)
def _seconds(settings):
    settings.ALARMS_ESCALATION_SECONDS = N


@pytest.fixture
def alarm(devices):
    """A press at school_a (station 01), received now and waiting for 签收."""
    d = devices[0]
    now = timezone.now()
    return services.alarm_record(
        device=d.device,
        school=d.school,
        event_id="ESC-1",
        kind=AlarmKind.EMERGENCY,
        place="门卫室",
        occurred_at=now,
        received_at=now,
    )


def _after(alarm, seconds):
    return alarm.received_at + dt.timedelta(seconds=seconds)


def _levels(alarm):
    return list(
        AlarmEscalation.objects.filter(alarm=alarm)
        .order_by("level")
        .values_list("level", "organization__name")
    )


# ---- the rule --------------------------------------------------------------------------------


def test_it_names_the_nearest_sub_bureau_then_the_top_police_organisation():
    city = SimpleNamespace(kind=OrgKind.CITY_BUREAU)
    sub, inner = SimpleNamespace(kind=OrgKind.SUB_BUREAU), SimpleNamespace(kind=OrgKind.SUB_BUREAU)
    assert rules.escalation_targets([sub, city]) == [sub, city]
    assert rules.escalation_targets([inner, sub, city]) == [inner, city]
    assert rules.escalation_targets([city]) == [city]  # a station directly under the city
    assert rules.escalation_targets([]) == []


def test_it_is_due_at_n_seconds_then_another_n_after_the_previous_level():
    t0 = timezone.now()
    due = {
        "state": AlarmState.RECEIVED,
        "received_at": t0,
        "levels_possible": 2,
        "seconds": N,
    }
    at = t0 + dt.timedelta(seconds=N)
    assert not rules.escalation_due(
        **due, last_escalated_at=None, levels_done=0, now=at - dt.timedelta(seconds=1)
    )
    assert rules.escalation_due(**due, last_escalated_at=None, levels_done=0, now=at)
    late = t0 + dt.timedelta(seconds=5 * N)  # a late first run: the second level waits N more
    assert not rules.escalation_due(**due, last_escalated_at=late, levels_done=1, now=late)
    assert rules.escalation_due(
        **due, last_escalated_at=late, levels_done=1, now=late + dt.timedelta(seconds=N)
    )
    assert not rules.escalation_due(
        **due, last_escalated_at=at, levels_done=2, now=late + dt.timedelta(seconds=10 * N)
    )
    for state in (AlarmState.ACKNOWLEDGED, AlarmState.CLOSED):
        assert not rules.escalation_due(
            **(due | {"state": state}), last_escalated_at=None, levels_done=0, now=late
        )


# ---- the service -----------------------------------------------------------------------------


def test_it_escalates_to_the_sub_bureau_after_n_seconds_and_not_before(alarm, city):
    assert services.alarm_escalate_due(now=_after(alarm, N - 1)) == {"escalated": 0}
    assert _levels(alarm) == []
    assert services.alarm_escalate_due(now=_after(alarm, N)) == {"escalated": 1}
    assert _levels(alarm) == [(1, city.sub_bureau.name)]
    row = AlarmEscalation.objects.get(alarm=alarm)
    assert row.escalated_at == _after(alarm, N)


def test_it_escalates_to_the_city_after_another_n_seconds_and_stops_there(alarm, city):
    services.alarm_escalate_due(now=_after(alarm, N))
    assert services.alarm_escalate_due(now=_after(alarm, 2 * N - 1)) == {"escalated": 0}
    assert services.alarm_escalate_due(now=_after(alarm, 2 * N)) == {"escalated": 1}
    assert _levels(alarm) == [(1, city.sub_bureau.name), (2, city.city.name)]
    assert services.alarm_escalate_due(now=_after(alarm, 100 * N)) == {"escalated": 0}
    assert len(_levels(alarm)) == 2


def test_it_does_not_escalate_an_acknowledged_alarm(alarm, people):
    services.alarm_transition(
        alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=people.officer_a, at=_after(alarm, 30)
    )
    assert services.alarm_escalate_due(now=_after(alarm, 10 * N)) == {"escalated": 0}
    assert _levels(alarm) == []


def test_an_alarm_acknowledged_after_the_first_level_stops_escalating(alarm, people, city):
    services.alarm_escalate_due(now=_after(alarm, N))
    services.alarm_transition(
        alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=people.officer_a, at=_after(alarm, 90)
    )
    assert services.alarm_escalate_due(now=_after(alarm, 10 * N)) == {"escalated": 0}
    assert _levels(alarm) == [(1, city.sub_bureau.name)]


def test_it_never_escalates_a_test(devices):
    d = devices[0]
    now = timezone.now()
    services.test_window_create(
        school=d.school,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=1),
    )
    reported = services.alarm_record(
        device=d.device,
        school=d.school,
        event_id="ESC-TEST",
        kind=AlarmKind.EMERGENCY,
        place="",
        occurred_at=now,
        received_at=now,
    )
    self_test = services.alarm_record(
        device=devices[1].device,
        school=devices[1].school,
        event_id="ESC-SELF",
        kind=AlarmKind.SELF_TEST,
        place="",
        occurred_at=now,
        received_at=now,
    )
    assert reported.result == self_test.result == AlarmResult.TEST
    assert services.alarm_escalate_due(now=now + dt.timedelta(seconds=10 * N)) == {"escalated": 0}
    assert not AlarmEscalation.objects.filter(alarm__in=[reported, self_test]).exists()


def test_it_is_idempotent_running_twice_escalates_once(alarm, people):
    sub_officer = make_user("sub_officer", people.officer_a.organization.parent, "officer")
    at = _after(alarm, N)
    assert services.alarm_escalate_due(now=at) == {"escalated": 1}
    assert services.alarm_escalate_due(now=at) == {"escalated": 0}
    assert services.alarm_escalate(alarm=alarm, now=at + dt.timedelta(seconds=N - 1)) is None
    assert len(_levels(alarm)) == 1
    assert Notification.objects.filter(recipient=sub_officer).count() == 1


def test_the_periodic_task_escalates_what_is_due_every_minute(devices, city):
    from huey.contrib.djhuey import HUEY

    from huxiao.core.tasks import task_name

    d = devices[0]
    received = timezone.now() - dt.timedelta(seconds=N + 5)
    late = services.alarm_record(
        device=d.device,
        school=d.school,
        event_id="ESC-TASK",
        kind=AlarmKind.INTRUSION,
        place="",
        occurred_at=received,
        received_at=received,
    )
    task = tasks.escalate_unacknowledged_alarms
    assert task.task_class in HUEY._registry._periodic_tasks
    assert task_name(task.task_class) == "huxiao.alarms.tasks.escalate_unacknowledged_alarms"
    assert task.call_local() == {"escalated": 1}
    assert task.call_local() == {"escalated": 0}
    assert _levels(late) == [(1, city.sub_bureau.name)]


# ---- who is told -----------------------------------------------------------------------------


def test_the_notice_reaches_the_sub_bureaus_responders_and_not_another_sub_bureaus(
    alarm, city, people
):
    other_sub = _org(OrgKind.SUB_BUREAU, "城东分局", "T-SUB-E", city.city)
    mine = make_user("sub_officer", city.sub_bureau, "officer")
    theirs = make_user("east_officer", other_sub, "officer")
    no_alarms = make_user("sub_lvp", city.sub_bureau, "legal_vice_principal")  # police, no 处置
    services.alarm_escalate_due(now=_after(alarm, N))

    notice = Notification.objects.get(recipient=mine)
    assert notice.level == NotificationLevel.URGENT
    assert "报警升级" in notice.title and "甲小学" in notice.title
    assert city.sub_bureau.name in notice.body
    assert notice.link == reverse("alarms:alarm_detail", args=[alarm.pk])
    for user in (theirs, no_alarms, people.officer_a, people.officer_b, people.commander):
        assert not Notification.objects.filter(recipient=user).exists(), user.username
    assert AlarmEscalation.objects.get(alarm=alarm).notified == 1

    services.alarm_escalate_due(now=_after(alarm, 2 * N))
    told = set(
        Notification.objects.filter(title__contains="报警升级").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"sub_officer", "commander"}  # the city's admin and auditor do not respond


# ---- where it is shown -----------------------------------------------------------------------


def test_the_police_see_where_it_went_and_the_school_only_that_it_was_escalated(
    alarm, city, client_for
):
    make_user("sub_officer", city.sub_bureau, "officer")
    services.alarm_escalate_due(now=_after(alarm, N))
    url = reverse("alarms:alarm_detail", args=[alarm.pk])

    police = client_for("officer_a").get(url).content.decode()
    assert 'id="alarm-escalations"' in police
    assert 'data-testid="escalation-org"' in police and city.sub_bureau.name in police
    shown = client_for("officer_a").get(f"{API}/alarms/{alarm.pk}").json()
    assert shown["escalations"] == [
        {
            "level": 1,
            "level_label": "分局",
            "escalated_at": shown["escalations"][0]["escalated_at"],
            "organization_id": city.sub_bureau.pk,
            "organization_name": city.sub_bureau.name,
            "notified": 1,
        }
    ]

    for user in ("chief", "edu_officer"):
        page = client_for(user).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="alarm-escalations"' in html and 'data-testid="escalation"' in html, user
        assert city.sub_bureau.name not in html and "escalation-org" not in html, user
        detail = client_for(user).get(f"{API}/alarms/{alarm.pk}").json()
        (row,) = detail["escalations"]
        assert (row["level"], row["level_label"]) == (1, "分局")
        assert row["organization_id"] is row["organization_name"] is row["notified"] is None


def test_an_alarm_never_escalated_shows_no_escalation(alarm, client_for):
    page = client_for("officer_a").get(reverse("alarms:alarm_detail", args=[alarm.pk]))
    assert 'id="alarm-escalations"' not in page.content.decode()
    assert client_for("officer_a").get(f"{API}/alarms/{alarm.pk}").json()["escalations"] == []
