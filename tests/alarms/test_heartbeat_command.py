"""``huxiao alarms heartbeat --school <code>``: signs and posts each of the school's devices'
heartbeats exactly like a device (POST /api/v1/alarm-heartbeats through the request path), so
an offline device comes back and a forged signature is refused and recorded nowhere."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from huxiao.alarms import services_supervision as supervision
from huxiao.alarms.choices import RejectionReason
from huxiao.alarms.models import DeviceCredential, DeviceOutage, IngestRejection

pytestmark = pytest.mark.django_db


def _last(device):
    return DeviceCredential.objects.get(pk=device.credential.pk).last_heartbeat_at


def test_it_sends_a_schools_heartbeat_through_the_signed_post(devices, city, capsys):
    call_command("alarms", "heartbeat", "--school", city.school_a.code)
    assert _last(devices[0]) is not None and _last(devices[1]) is None
    out = capsys.readouterr().out
    assert "HTTP 200" in out and devices[0].credential.code in out


def test_it_brings_an_offline_device_back(devices, city, capsys, settings):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = 300
    a = devices[0]
    t0 = timezone.now() - dt.timedelta(hours=1)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    supervision.supervision_check(now=t0 + dt.timedelta(minutes=10))
    call_command("alarms", "heartbeat", "--school", city.school_a.code)
    assert DeviceOutage.objects.get().ended_at is not None
    assert "恢复在线" in capsys.readouterr().out


def test_a_forged_heartbeat_is_refused_and_recorded_nowhere(devices, city):
    with pytest.raises(CommandError, match="HTTP 401"):
        call_command("alarms", "heartbeat", "--school", city.school_a.code, "--forge")
    assert _last(devices[0]) is None
    assert IngestRejection.objects.get().reason == RejectionReason.BAD_SIGNATURE


def test_a_school_without_devices_is_told_so(devices):
    with pytest.raises(CommandError, match="没有"):
        call_command("alarms", "heartbeat", "--school", "NO-SUCH")
