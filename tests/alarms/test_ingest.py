"""Signed posts (POST /api/v1/alarm-events): a good signature stores the alarm before the 2xx;
a bad signature, a stale time, a reused nonce, an unknown device, missing headers or a bad body
answer 401/400 with a Chinese reason, are kept for the operator (IngestRejection, and through
it the audit chain) and store no alarm. The same event id posted again is not stored twice."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from huxiao.alarms import rules, services
from huxiao.alarms.choices import AlarmKind, AlarmResult, AlarmState, RejectionReason
from huxiao.alarms.models import AlarmEvent, DeviceCredential, IngestRejection
from huxiao.core.models import AuditRecord

from .conftest import URL, press, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def _refused(response, status, reason):
    assert response.status_code == status, response.content.decode()
    detail = response.json()["detail"]
    assert str(RejectionReason(reason).label) in detail
    assert not AlarmEvent.objects.exists()
    assert IngestRejection.objects.filter(reason=reason).count() == 1


def test_it_stores_a_well_signed_alarm_before_answering(client, devices):
    a = devices[0]
    response = press(client, a, event_id="EV-1", kind=AlarmKind.INTRUSION)
    assert response.status_code == 201, response.content.decode()
    answer = response.json()
    alarm = AlarmEvent.objects.get(pk=answer["id"])
    assert answer == {"id": alarm.pk, "state": "received", "result": "", "duplicate": False}
    assert (alarm.school, alarm.device, alarm.kind) == (a.school, a.device, AlarmKind.INTRUSION)
    assert alarm.place == "门卫室"
    assert alarm.state == AlarmState.RECEIVED
    assert abs((alarm.received_at - timezone.now()).total_seconds()) < 60


def test_it_accepts_the_kind_by_its_chinese_name(client, devices):
    response = press(client, devices[0], kind="火警")
    assert response.status_code == 201
    assert AlarmEvent.objects.get().kind == AlarmKind.FIRE


def test_it_refuses_a_bad_signature(client, devices):
    _refused(press(client, devices[0], secret=rules.new_secret()), 401, "bad_signature")
    rejection = IngestRejection.objects.get()
    assert rejection.credential == devices[0].credential
    assert AuditRecord.objects.filter(object_type="alarms.ingestrejection").exists()


def test_it_refuses_another_devices_secret(client, devices):
    _refused(press(client, devices[0], secret=devices[1].secret), 401, "bad_signature")


def test_it_refuses_a_body_changed_after_signing(client, devices):
    a = devices[0]
    body = json.dumps({"event_id": "EV-1", "kind": "emergency"}).encode()
    headers = sign(a.credential, a.secret, body)
    tampered = body.replace(b"emergency", b"fire")
    response = client.post(URL, tampered, content_type="application/json", headers=headers)
    _refused(response, 401, "bad_signature")


def test_it_refuses_a_stale_timestamp_and_keeps_the_boundary(client, devices, settings):
    settings.ALARMS_REPLAY_WINDOW_SECONDS = 300
    now = timezone.now().timestamp()
    _refused(press(client, devices[0], timestamp=now - 320), 401, "stale")
    _refused_again = press(client, devices[0], timestamp=now + 320)
    assert _refused_again.status_code == 401
    assert press(client, devices[0], timestamp=now - 280).status_code == 201


def test_it_refuses_a_timestamp_that_is_not_unix_seconds(client, devices):
    _refused(press(client, devices[0], timestamp="2026-12-01"), 400, "bad_timestamp")


def test_it_refuses_a_reused_nonce(client, devices):
    assert press(client, devices[0], event_id="EV-1", nonce="n-0000000001").status_code == 201
    response = press(client, devices[0], event_id="EV-2", nonce="n-0000000001")
    assert response.status_code == 401
    assert "随机数已使用" in response.json()["detail"]
    assert list(AlarmEvent.objects.values_list("device_event_id", flat=True)) == ["EV-1"]
    assert IngestRejection.objects.get().reason == RejectionReason.REPLAYED


def test_it_refuses_the_very_same_request_sent_again(client, devices):
    a = devices[0]
    body = json.dumps({"event_id": "EV-1", "kind": "emergency"}).encode()
    headers = sign(a.credential, a.secret, body)
    first = client.post(URL, body, content_type="application/json", headers=headers)
    again = client.post(URL, body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 401)
    assert AlarmEvent.objects.count() == 1


def test_it_refuses_an_unknown_or_disabled_device(client, devices):
    a = devices[0]
    body = json.dumps({"event_id": "EV-1", "kind": "emergency"}).encode()
    headers = sign(a.credential, a.secret, body) | {rules.HEADER_DEVICE: "ALM999999"}
    response = client.post(URL, body, content_type="application/json", headers=headers)
    _refused(response, 401, "unknown_device")
    assert IngestRejection.objects.get().device_code == "ALM999999"
    DeviceCredential.objects.filter(pk=a.credential.pk).update(is_active=False)
    assert press(client, a).status_code == 401
    assert not AlarmEvent.objects.exists()


def test_it_refuses_a_post_without_the_signing_headers(client, devices):
    body = json.dumps({"event_id": "EV-1", "kind": "emergency"}).encode()
    response = client.post(URL, body, content_type="application/json")
    _refused(response, 401, "missing_headers")


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "emergency"},
        {"event_id": "EV-1", "kind": "panic"},
        {"event_id": "x" * 65, "kind": "emergency"},
        {"event_id": "EV-1", "kind": "emergency", "occurred_at": "yesterday"},
        {"event_id": "EV-1", "kind": "emergency", "occurred_at": "2026-12-01T10:00:00"},
        ["not", "an", "object"],
    ],
)
def test_it_refuses_a_signed_body_it_cannot_read(client, devices, payload):
    a = devices[0]
    body = json.dumps(payload).encode()
    response = client.post(
        URL, body, content_type="application/json", headers=sign(a.credential, a.secret, body)
    )
    _refused(response, 400, "bad_body")


def test_it_refuses_a_signed_body_that_is_not_json(client, devices):
    a = devices[0]
    body = b"{not json"
    response = client.post(
        URL, body, content_type="application/json", headers=sign(a.credential, a.secret, body)
    )
    assert response.status_code == 400
    assert not AlarmEvent.objects.exists()


def test_it_stores_an_event_id_once(client, devices):
    first = press(client, devices[0], event_id="EV-7")
    again = press(client, devices[0], event_id="EV-7")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["duplicate"] is True
    assert AlarmEvent.objects.count() == 1
    # Another device may use the same event id: ids are the device's own.
    assert press(client, devices[1], event_id="EV-7").status_code == 201
    assert AlarmEvent.objects.count() == 2


def test_it_accepts_the_old_secret_during_the_rotation_window_only(client, devices, settings):
    settings.ALARMS_ROTATION_WINDOW_HOURS = 24
    a = devices[0]
    old = a.secret
    new = services.credential_rotate(credential=a.credential)
    a.credential.refresh_from_db()
    assert new != old
    assert a.credential.previous_valid_until > timezone.now() + dt.timedelta(hours=23)
    assert press(client, a, secret=new).status_code == 201
    assert press(client, a, secret=old).status_code == 201
    # The window over: the old secret is refused, the new one still signs.
    DeviceCredential.objects.filter(pk=a.credential.pk).update(
        previous_valid_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert press(client, a, secret=old).status_code == 401
    assert press(client, a, secret=new).status_code == 201
    assert AlarmEvent.objects.count() == 3


def test_a_rotation_without_window_retires_the_old_secret_at_once(client, devices, settings):
    settings.ALARMS_ROTATION_WINDOW_HOURS = 0
    a = devices[0]
    new = services.credential_rotate(credential=a.credential)
    assert press(client, a, secret=a.secret).status_code == 401
    assert press(client, a, secret=new).status_code == 201


def test_the_secret_is_encrypted_at_rest(devices):
    from django.db import connection

    a = devices[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM alarms_devicecredential WHERE id = %s", [a.credential.pk]
        )
        stored = cursor.fetchone()[0]
    assert a.secret not in stored
    assert stored.startswith(("v1:", "s1:"))
    assert DeviceCredential.objects.get(pk=a.credential.pk).secret == a.secret


def test_a_press_inside_a_reported_test_window_is_a_test(client, devices):
    a = devices[0]
    now = timezone.now()
    services.test_window_create(
        school=a.school,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=1),
    )
    response = press(client, a)
    assert response.status_code == 201
    assert response.json()["result"] == AlarmResult.TEST
    alarm = AlarmEvent.objects.get()
    assert (alarm.state, alarm.result) == (AlarmState.CLOSED, AlarmResult.TEST)
    assert alarm.test_window is not None
    # The other school reported nothing: its press is an alarm.
    assert press(client, devices[1]).json()["result"] == ""


def test_a_device_self_test_is_recorded_as_a_test(client, devices):
    response = press(client, devices[0], kind=AlarmKind.SELF_TEST)
    assert response.json()["result"] == AlarmResult.TEST


def test_a_signature_header_that_is_not_hex_is_a_bad_signature(client, devices):
    a = devices[0]
    body = json.dumps({"event_id": "EV-1", "kind": "emergency"}).encode()
    headers = sign(a.credential, a.secret, body) | {rules.HEADER_SIGNATURE: "签名ünicode"}
    response = client.post(URL, body, content_type="application/json", headers=headers)
    _refused(response, 401, "bad_signature")


def test_an_event_older_than_a_week_is_refused(client, devices):
    a = devices[0]
    old = (timezone.now() - dt.timedelta(days=8)).isoformat()
    body = json.dumps({"event_id": "EV-1", "kind": "emergency", "occurred_at": old}).encode()
    response = client.post(
        URL, body, content_type="application/json", headers=sign(a.credential, a.secret, body)
    )
    _refused(response, 400, "bad_body")
