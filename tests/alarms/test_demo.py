"""Demo step "alarms": every demo school's one-key alarm device has a signing credential, the
month before the seeding day has alarms with realistic response times, a few false presses and
a reported test; ``huxiao alarms simulate --school SCH-05`` reaches officer01's list."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms.choices import AlarmResult, AlarmState
from huxiao.alarms.models import AlarmEvent, DeviceCredential, TestWindow
from huxiao.schools.models import Device
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)


def test_every_demo_alarm_device_has_a_credential(demo):  # noqa: F811
    devices = Device.objects.filter(
        kind="one_key_alarm", school__organization__code__startswith="SCH-"
    )
    assert devices.exists()
    assert DeviceCredential.objects.filter(device__in=devices).count() == devices.count()


def test_the_month_before_the_seeding_day_has_alarms_false_presses_and_a_test(demo):  # noqa: F811
    today = demo.result.today
    alarms = AlarmEvent.objects.filter(device_event_id__startswith="DEMO-")
    assert alarms.count() >= 30
    for alarm in alarms:
        day = timezone.localtime(alarm.received_at).date()
        assert today - dt.timedelta(days=30) <= day < today
        assert alarm.state == AlarmState.CLOSED
        if alarm.acknowledged_at is not None:
            assert (
                dt.timedelta(0)
                < alarm.acknowledged_at - alarm.received_at
                <= dt.timedelta(minutes=3)
            )
    assert alarms.filter(result=AlarmResult.FALSE).count() >= 3
    assert alarms.filter(school__organization__code="SCH-05", result=AlarmResult.FALSE).exists()
    window = TestWindow.objects.get()
    tested = alarms.get(result=AlarmResult.TEST)
    assert tested.test_window == window and tested.acknowledged_at is None


def test_a_simulated_press_at_school_05_reaches_officer01(demo):  # noqa: F811
    call_command("alarms", "simulate", "--school", "SCH-05")
    alarm = AlarmEvent.objects.filter(device_event_id__startswith="SIM-").get()
    assert alarm.school.organization.code == "SCH-05"
    client = demo.client("officer01")
    page = client.get(reverse("alarms:alarm_list") + "?state=received").content.decode()
    assert f'data-alarm="{alarm.pk}"' in page
    step = reverse("alarms:alarm_step", args=[alarm.pk, "acknowledge"])
    assert client.post(step).status_code == 302
    close = reverse("alarms:alarm_step", args=[alarm.pk, "close"])
    assert client.post(close, {"result": "false", "note": "学生误触"}).status_code == 302
    alarm.refresh_from_db()
    assert (alarm.state, alarm.result) == (AlarmState.CLOSED, AlarmResult.FALSE)


def test_the_demo_devices_have_recent_heartbeats_and_one_is_offline_with_its_hazard(demo):  # noqa: F811
    from huxiao.alarms.models import DeviceOutage
    from huxiao.inspections.choices import HazardSource, HazardState
    from huxiao.schools import compliance

    moment = timezone.now()
    supervised = DeviceCredential.objects.filter(last_heartbeat_at__isnull=False)
    assert supervised.count() >= 10
    (outage,) = DeviceOutage.objects.all()
    assert outage.ended_at is None
    assert outage.school.organization.code not in ("SCH-01", "SCH-05")
    for credential in supervised:
        assert credential.last_heartbeat_at <= moment
        if credential.device_id != outage.device_id:
            assert moment - credential.last_heartbeat_at < dt.timedelta(hours=12)
    assert outage.started_at < moment - dt.timedelta(hours=12)
    hazard = outage.hazard
    assert (hazard.source, hazard.state, hazard.school) == (
        HazardSource.DEVICE_OFFLINE,
        HazardState.PENDING,
        outage.school,
    )
    assert not outage.device.is_online
    facts = compliance.facts_for(outage.school)
    assert facts.alarms_networked == facts.alarms - 1
    # The heartbeat command brings it back, as a device would.
    call_command("alarms", "heartbeat", "--school", outage.school.organization.code)
    outage.refresh_from_db()
    assert outage.ended_at is not None
