"""``huxiao alarms simulate --school <code>``: signs and posts exactly like a device, through
the application's request path (POST /api/v1/alarm-events), so a forged signature is refused
as any other would be and nothing is stored."""

import pytest
from django.core.management import CommandError, call_command

from huxiao.alarms.choices import AlarmKind, RejectionReason
from huxiao.alarms.models import AlarmEvent, IngestRejection

pytestmark = pytest.mark.django_db


def test_it_presses_a_schools_alarm_through_the_signed_post(devices, city, capsys):
    call_command("alarms", "simulate", "--school", city.school_a.code, "--kind", "入侵")
    alarm = AlarmEvent.objects.get()
    assert (alarm.school, alarm.kind, alarm.state) == (
        devices[0].school,
        AlarmKind.INTRUSION,
        "received",
    )
    assert alarm.device_event_id.startswith("SIM-")
    out = capsys.readouterr().out
    assert "HTTP 201" in out and f"#{alarm.pk}" in out


def test_the_same_event_id_is_stored_once(devices, city, capsys):
    for _ in range(2):
        call_command("alarms", "simulate", "--school", city.school_b.code, "--event-id", "S-1")
    assert AlarmEvent.objects.count() == 1
    assert "重复上报" in capsys.readouterr().out


def test_a_forged_signature_is_refused_and_stored_nowhere(devices, city):
    with pytest.raises(CommandError, match="HTTP 401"):
        call_command("alarms", "simulate", "--school", city.school_a.code, "--forge")
    assert not AlarmEvent.objects.exists()
    assert IngestRejection.objects.get().reason == RejectionReason.BAD_SIGNATURE


def test_it_explains_a_school_without_a_credential(schools, city):
    with pytest.raises(CommandError, match="没有已签发密钥"):
        call_command("alarms", "simulate", "--school", city.school_a.code)


def test_it_refuses_an_unknown_kind(devices, city):
    with pytest.raises(CommandError, match="未知的报警类型"):
        call_command("alarms", "simulate", "--school", city.school_a.code, "--kind", "panic")
