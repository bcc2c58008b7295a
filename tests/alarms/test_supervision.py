"""Device supervision (issue 16 item 6): a signed heartbeat is recorded, a forged one is refused
and recorded nowhere; a device silent longer than its interval goes offline — one outage, one
"device offline" hazard for its school, an urgent notice to its station and its education bureau
(not another station, not a station's volunteer) — however often the check runs; back online,
the outage ends and the hazard's history notes it while the hazard stays in the rectification
loop. Times are passed explicitly as ``now``/``at``.

Harness: school_a (station 01 = officer_a, bureau A = edu_officer), school_b (station 02 =
officer_b); each has one one-key alarm device with a credential (tests/alarms/conftest.py)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import rules, services, tasks
from huxiao.alarms import services_supervision as supervision
from huxiao.alarms.choices import RejectionReason
from huxiao.alarms.models import AlarmNonce, DeviceCredential, DeviceOutage, IngestRejection
from huxiao.core.choices import NotificationLevel
from huxiao.core.models import Notification
from huxiao.inspections.choices import HazardAction, HazardSource, HazardState
from huxiao.inspections.models import Hazard, HazardEvent
from huxiao.schools.models import Device

from .supervision_support import INTERVAL, beat

pytestmark = pytest.mark.django_db

OFFLINE_TITLE = "一键报警设备离线"


@pytest.fixture(autouse=True)
def _interval(settings):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = INTERVAL


@pytest.fixture
def client():
    return Client()


def _last(device):
    return DeviceCredential.objects.get(pk=device.credential.pk).last_heartbeat_at


def _told(username):
    return Notification.objects.filter(recipient__username=username, title__contains=OFFLINE_TITLE)


# ---- heartbeats ---------------------------------------------------------------------------------


def test_it_records_a_well_signed_heartbeat(client, devices):
    a = devices[0]
    response = beat(client, a, body=b'{"battery": 98}')
    assert response.status_code == 200, response.content.decode()
    answer = response.json()
    assert answer["device"] == a.credential.code
    assert answer["interval_seconds"] == INTERVAL and answer["back_online"] is False
    seen = _last(a)
    assert seen is not None and abs((seen - timezone.now()).total_seconds()) < 60
    device = Device.objects.get(pk=a.device.pk)
    assert device.is_online and device.last_heartbeat == seen
    assert _last(devices[1]) is None  # the other school's device is untouched


@pytest.mark.parametrize(
    ("signing", "status", "reason"),
    [
        ({"secret": "forged-" + "x" * 40}, 401, RejectionReason.BAD_SIGNATURE),
        ({"timestamp": 1_000_000_000}, 401, RejectionReason.STALE),
        ({"nonce": "short"}, 400, RejectionReason.BAD_NONCE),
        ({"body": b"[1, 2]"}, 400, RejectionReason.BAD_BODY),
    ],
)
def test_a_forged_or_bad_heartbeat_is_refused_and_stored_nowhere(
    client, devices, signing, status, reason
):
    a = devices[0]
    response = beat(client, a, **signing)
    assert response.status_code == status, response.content.decode()
    assert str(RejectionReason(reason).label) in response.json()["detail"]
    assert _last(a) is None
    device = Device.objects.get(pk=a.device.pk)
    assert device.last_heartbeat is None
    assert not AlarmNonce.objects.exists()
    rejection = IngestRejection.objects.get()
    assert (rejection.reason, rejection.credential) == (reason, a.credential)


def test_an_unsigned_heartbeat_or_an_unknown_device_is_refused(client, devices):
    assert (
        client.post("/api/v1/alarm-heartbeats", b"", content_type="application/json").status_code
        == 401
    )
    a = devices[0]
    DeviceCredential.objects.filter(pk=a.credential.pk).update(is_active=False)
    assert beat(client, a).status_code == 401
    assert set(IngestRejection.objects.values_list("reason", flat=True)) == {
        RejectionReason.MISSING_HEADERS,
        RejectionReason.UNKNOWN_DEVICE,
    }
    assert _last(a) is None


def test_a_repeated_heartbeat_is_harmless_and_a_replayed_one_refused(client, devices):
    a = devices[0]
    assert beat(client, a).status_code == 200
    first = _last(a)
    assert beat(client, a).status_code == 200  # a second heartbeat: a new nonce, same state
    assert _last(a) >= first
    assert DeviceOutage.objects.count() == 0
    replay = beat(client, a, nonce="same-nonce-123")
    assert replay.status_code == 200
    again = beat(client, a, nonce="same-nonce-123")
    assert again.status_code == 401
    assert IngestRejection.objects.get().reason == RejectionReason.REPLAYED


def test_the_heartbeat_goes_through_the_one_verification_path(client, devices, monkeypatch):
    """Heartbeats are not verified by a copy: refusing in ``services.verify_signed`` refuses
    them."""
    seen = []

    def refuse(**kwargs):
        seen.append(kwargs["code"])
        raise services.IngestRefused("bad_signature", 401, "refused by the shared path")

    monkeypatch.setattr(services, "verify_signed", refuse)
    response = beat(client, devices[0])
    assert response.status_code == 401 and seen == [devices[0].credential.code]
    assert _last(devices[0]) is None


def test_the_last_heartbeat_never_moves_back(devices):
    a = devices[0]
    now = timezone.now()
    supervision.heartbeat_record(credential=a.credential, at=now)
    supervision.heartbeat_record(credential=a.credential, at=now - dt.timedelta(minutes=5))
    assert _last(a) == now


# ---- offline ------------------------------------------------------------------------------------


def test_it_is_silent_only_longer_than_its_interval():
    t0 = timezone.now()
    assert not rules.is_silent(None, INTERVAL, t0 + dt.timedelta(days=9))
    assert not rules.is_silent(t0, INTERVAL, t0 + dt.timedelta(seconds=INTERVAL))
    assert rules.is_silent(t0, INTERVAL, t0 + dt.timedelta(seconds=INTERVAL + 1))
    assert rules.heartbeat_interval(None, INTERVAL) == INTERVAL
    assert rules.heartbeat_interval(60, INTERVAL) == 60


def test_a_silent_device_goes_offline_with_one_hazard_and_urgent_notices(
    devices, people, client_for
):
    from tests.conftest import make_user

    make_user("officer_a2", people.officer_a.organization, "officer")
    a = devices[0]
    t0 = timezone.now() - dt.timedelta(hours=1)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    assert supervision.supervision_check(now=t0 + dt.timedelta(seconds=INTERVAL)) == {"offline": 0}
    assert supervision.supervision_check(now=t0 + dt.timedelta(seconds=INTERVAL + 1)) == {
        "offline": 1
    }

    outage = DeviceOutage.objects.get()
    assert (outage.device, outage.school) == (a.device, a.school)
    assert outage.started_at == t0 + dt.timedelta(seconds=INTERVAL)
    assert outage.last_heartbeat_at == t0 and outage.ended_at is None
    hazard = Hazard.objects.get()
    assert outage.hazard == hazard
    assert (hazard.school, hazard.source) == (a.school, HazardSource.DEVICE_OFFLINE)
    assert hazard.state == HazardState.PENDING and "一键式紧急报警离线" in hazard.title
    assert not Device.objects.get(pk=a.device.pk).is_online

    for user in ("officer_a", "officer_a2", "edu_officer"):
        notice = _told(user).get()
        assert notice.level == NotificationLevel.URGENT, user
        assert "甲小学" in notice.title
    # Another station, a station's volunteer (no alarms) and the city are not told.
    for user in ("officer_b", "volunteer", "commander"):
        assert not _told(user).exists(), user
    assert outage.notified == 3
    # The device's page shows it offline; the other school's device is not supervised.
    client = client_for("commander")
    page = client.get(reverse("alarms:device_detail", args=[a.device.pk])).content.decode()
    state = page.split('data-testid="supervision-state">')[1].split("</dd>")[0]
    assert "离线中" in state
    other = client.get(reverse("alarms:device_detail", args=[devices[1].device.pk]))
    assert "尚未上报心跳" in other.content.decode()


def test_a_device_that_never_sent_a_heartbeat_is_not_supervised(devices):
    later = timezone.now() + dt.timedelta(days=30)
    assert supervision.supervision_check(now=later) == {"offline": 0}
    assert not DeviceOutage.objects.exists() and not Hazard.objects.exists()


def test_a_device_uses_its_own_interval(devices):
    a = devices[0]
    supervision.heartbeat_interval_set(credential=a.credential, seconds=3600)
    t0 = timezone.now() - dt.timedelta(hours=3)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    assert supervision.supervision_check(now=t0 + dt.timedelta(seconds=INTERVAL + 1)) == {
        "offline": 0
    }
    assert supervision.supervision_check(now=t0 + dt.timedelta(seconds=3601)) == {"offline": 1}
    with pytest.raises(Exception, match="心跳间隔"):
        supervision.heartbeat_interval_set(credential=a.credential, seconds=5)


def test_running_the_check_twice_leaves_one_outage_and_one_hazard(devices, people):
    a = devices[0]
    t0 = timezone.now() - dt.timedelta(minutes=30)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    later = t0 + dt.timedelta(seconds=INTERVAL * 2)
    assert supervision.supervision_check(now=later) == {"offline": 1}
    assert supervision.supervision_check(now=later) == {"offline": 0}
    assert supervision.supervision_check(now=later + dt.timedelta(minutes=10)) == {"offline": 0}
    assert supervision.device_offline(credential=a.credential, now=later) is None
    assert DeviceOutage.objects.count() == 1 and Hazard.objects.count() == 1
    assert _told("officer_a").count() == 1


def test_the_periodic_task_runs_the_check_attributed_to_the_task(devices):
    from huey.contrib.djhuey import HUEY

    from huxiao.core.models import AuditRecord
    from huxiao.core.tasks import task_name

    a = devices[0]
    supervision.heartbeat_record(
        credential=a.credential, at=timezone.now() - dt.timedelta(seconds=INTERVAL + 60)
    )
    task = tasks.check_alarm_device_heartbeats
    assert task.task_class in HUEY._registry._periodic_tasks
    assert task_name(task.task_class) == "huxiao.alarms.tasks.check_alarm_device_heartbeats"
    assert task.call_local() == {"offline": 1}
    assert task.call_local() == {"offline": 0}
    assert DeviceOutage.objects.count() == 1
    record = AuditRecord.objects.filter(object_type="alarms.deviceoutage").get()
    assert record.source == "task"


# ---- back online --------------------------------------------------------------------------------


def test_back_online_the_outage_ends_and_the_hazard_notes_it(client, devices, client_for):
    a = devices[0]
    t0 = timezone.now() - dt.timedelta(hours=2)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    supervision.supervision_check(now=t0 + dt.timedelta(seconds=INTERVAL + 1))
    hazard = Hazard.objects.get()
    version = hazard.version

    response = beat(client, a)
    assert response.status_code == 200 and response.json()["back_online"] is True
    outage = DeviceOutage.objects.get()
    assert outage.ended_at == _last(a)
    assert Device.objects.get(pk=a.device.pk).is_online
    hazard.refresh_from_db()
    # The loop still owns the hazard: not closed, not moved, version unchanged.
    assert hazard.state == HazardState.PENDING and hazard.version == version
    note = HazardEvent.objects.get(hazard=hazard, action=HazardAction.NOTED)
    assert "恢复在线" in note.note and note.data["outage"] == outage.pk
    page = client_for("officer_a").get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert "情况记录" in page.content.decode() and note.note in page.content.decode()
    assert beat(client, a).json()["back_online"] is False
    assert DeviceOutage.objects.filter(ended_at__isnull=True).count() == 0


def test_offline_again_while_the_hazard_is_open_notes_the_same_hazard(devices):
    a = devices[0]
    t0 = timezone.now() - dt.timedelta(hours=5)
    supervision.heartbeat_record(credential=a.credential, at=t0)
    supervision.supervision_check(now=t0 + dt.timedelta(minutes=10))
    supervision.heartbeat_record(credential=a.credential, at=t0 + dt.timedelta(hours=1))
    supervision.supervision_check(now=t0 + dt.timedelta(hours=2))
    assert DeviceOutage.objects.count() == 2
    hazard = Hazard.objects.get()
    assert set(DeviceOutage.objects.values_list("hazard", flat=True)) == {hazard.pk}
    notes = list(
        HazardEvent.objects.filter(hazard=hazard, action=HazardAction.NOTED).values_list(
            "note", flat=True
        )
    )
    assert any("恢复在线" in n for n in notes) and any("再次离线" in n for n in notes)
