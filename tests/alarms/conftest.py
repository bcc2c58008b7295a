"""Alarm fixtures over the harness city: school_a (station 01, education bureau A) and school_b
(station 02, bureau B), each with one one-key alarm device (tests.schools' ``schools``), whose
credentials are issued here, and a helper that posts exactly as a device does."""

from __future__ import annotations

import json
import secrets
from types import SimpleNamespace

import pytest
from django.utils import timezone

from huxiao.alarms import rules, services
from huxiao.alarms.choices import AlarmKind
from huxiao.schools.choices import DeviceKind
from tests.schools.conftest import schools  # noqa: F401  (fixture)

URL = "/api/v1/alarm-events"


def sign(credential, secret: str, body: bytes, *, timestamp=None, nonce=None) -> dict:
    if isinstance(timestamp, str):
        stamp = timestamp
    else:
        stamp = str(int(timestamp if timestamp is not None else timezone.now().timestamp()))
    nonce = nonce or secrets.token_hex(12)
    return {
        rules.HEADER_DEVICE: credential.code,
        rules.HEADER_TIMESTAMP: stamp,
        rules.HEADER_NONCE: nonce,
        rules.HEADER_SIGNATURE: rules.signature(secret, stamp, nonce, body),
    }


def press(client, device, *, event_id=None, kind=AlarmKind.EMERGENCY, secret=None, **signing):
    """POST one signed alarm as ``device`` (a SimpleNamespace of credential and secret)."""
    body = json.dumps({"event_id": event_id or f"E-{secrets.token_hex(6)}", "kind": kind}).encode()
    headers = sign(device.credential, secret or device.secret, body, **signing)
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.fixture
def devices(schools):  # noqa: F811
    found = []
    for school in schools:
        device = school.devices.get(kind=DeviceKind.ONE_KEY_ALARM)
        credential, secret = services.credential_issue(device=device, place="门卫室")
        found.append(
            SimpleNamespace(device=device, credential=credential, secret=secret, school=school)
        )
    return found


@pytest.fixture
def alarms(devices):
    """One received alarm at each school (a: station 01's, b: station 02's)."""
    made = []
    now = timezone.now()
    for n, d in enumerate(devices):
        made.append(
            services.alarm_record(
                device=d.device,
                school=d.school,
                event_id=f"F-{n}",
                kind=AlarmKind.EMERGENCY,
                place="门卫室",
                occurred_at=now,
                received_at=now,
            )
        )
    return made
