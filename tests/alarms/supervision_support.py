"""What the supervision tests share: a heartbeat posted exactly as a device posts it, a device
taken through an outage with explicit times, and the harness's interval."""

from __future__ import annotations

import datetime as dt

from huxiao.alarms import services_supervision as supervision

from .conftest import sign

HEARTBEATS = "/api/v1/alarm-heartbeats"
INTERVAL = 300


def beat(client, device, *, body: bytes = b"", secret=None, **signing):
    """POST one signed heartbeat as ``device`` (the ``devices`` fixture's SimpleNamespace)."""
    headers = sign(device.credential, secret or device.secret, body, **signing)
    return client.post(HEARTBEATS, body, content_type="application/json", headers=headers)


def outage(device, *, start: dt.datetime, hours: float | None):
    """An outage of ``device`` from ``start`` lasting ``hours`` (None: still open), through the
    services: a heartbeat one interval before, the check after, a heartbeat back at the end."""
    credential = device.credential
    supervision.heartbeat_record(credential=credential, at=start - dt.timedelta(seconds=INTERVAL))
    made = supervision.device_offline(credential=credential, now=start + dt.timedelta(seconds=30))
    assert made is not None and made.started_at == start
    if hours is not None:
        supervision.heartbeat_record(credential=credential, at=start + dt.timedelta(hours=hours))
        made.refresh_from_db()
    return made
