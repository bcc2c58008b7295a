"""Writes of device supervision (issue 16 item 6): signed heartbeats, the periodic check that
sends a silent device offline (an outage, a "device offline" hazard for the school, an urgent
notice to its station and education bureau) and its return online (the outage ends, the hazard
notes it). The heartbeat endpoint, the heartbeat command, the periodic task and the demo call
these.

A heartbeat is verified by the same path as an alarm post (``services.verify_signed``): a
refusal is an ``IngestRejection`` and records no heartbeat. What the device's state is lives
here (the credential's last heartbeat, the open ``DeviceOutage``); ``schools.Device``'s
``is_online`` and ``last_heartbeat`` are kept in step through the schools service, so the
device ledger shows the same, and compliance reads the state through this module's fact
(``alarms.facts``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.alarms import rules, services
from huxiao.alarms.choices import RejectionReason
from huxiao.alarms.models import DeviceCredential, DeviceOutage
from huxiao.core import parameters
from huxiao.core.choices import NotificationLevel
from huxiao.core.models import User
from huxiao.core.services import notify
from huxiao.inspections import services as inspections
from huxiao.inspections.choices import OPEN_STATES, HazardSource, ItemGroup
from huxiao.schools import services as school_services

VIEW = "alarms.view_alarmevent"


def heartbeat_interval_seconds() -> int:
    return int(parameters.get("ALARMS_HEARTBEAT_INTERVAL_SECONDS"))


def interval_of(credential: DeviceCredential, default: int | None = None) -> int:
    default = heartbeat_interval_seconds() if default is None else default
    return rules.heartbeat_interval(credential.heartbeat_interval_seconds, default)


# The bounds of a device's own interval: those of the parameter.
INTERVAL_MIN, INTERVAL_MAX = 30, 86400


@transaction.atomic
def heartbeat_interval_set(*, credential: DeviceCredential, seconds: int | None) -> None:
    """A device's own heartbeat interval (None: the parameter's)."""
    if seconds is not None and not INTERVAL_MIN <= int(seconds) <= INTERVAL_MAX:
        raise ValidationError(
            {
                "heartbeat_interval_seconds": _("心跳间隔应为%(a)s至%(b)s秒。")
                % {"a": INTERVAL_MIN, "b": INTERVAL_MAX}
            }
        )
    locked = DeviceCredential.objects.select_for_update().get(pk=credential.pk)
    locked.heartbeat_interval_seconds = seconds
    locked.save(update_fields=["heartbeat_interval_seconds"])
    credential.heartbeat_interval_seconds = seconds


# ---- heartbeats ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heartbeat:
    """What a heartbeat did: the credential as stored, and the outage it ended (if any)."""

    credential: DeviceCredential
    ended: DeviceOutage | None


def _check_body(body: bytes) -> None:
    """A heartbeat carries nothing the server needs: an empty body or a JSON object."""
    if not body.strip():
        return
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError(_("报文不是有效的JSON。")) from None
    if not isinstance(data, dict):
        raise ValueError(_("报文应为JSON对象。"))


def heartbeat_ingest(
    *, code: str, timestamp: str, nonce: str, signature: str, body: bytes, ip: str | None = None
) -> Heartbeat:
    """A device's signed heartbeat, checked exactly like an alarm post; refusals raise
    ``services.IngestRefused`` after writing an ``IngestRejection``, and record nothing else. A
    second heartbeat (a new nonce) only moves the last heartbeat on: harmless."""
    signed = services.verify_signed(
        code=code, timestamp=timestamp, nonce=nonce, signature=signature, body=body, ip=ip
    )
    try:
        _check_body(body)
    except ValueError as exc:
        signed.refuse(RejectionReason.BAD_BODY, 400, str(exc))
    try:
        return heartbeat_record(
            credential=signed.credential, at=signed.now, nonce=signed.nonce, window=signed.window
        )
    except services.Replayed:
        signed.refuse(RejectionReason.REPLAYED, 401)


@transaction.atomic
def heartbeat_record(
    *, credential: DeviceCredential, at: dt.datetime, nonce: str = "", window: int = 0
) -> Heartbeat:
    """Record a heartbeat received ``at`` (with its nonce, in the same transaction): the last
    heartbeat never moves back; an open outage of the device ends at ``at``."""
    if nonce:
        services.use_nonce(credential, nonce, at, window)
    locked = (
        DeviceCredential.objects.select_for_update(of=("self",))
        .select_related("device__school__organization")
        .get(pk=credential.pk)
    )
    if locked.last_heartbeat_at is None or at > locked.last_heartbeat_at:
        locked.last_heartbeat_at = at
        locked.save(update_fields=["last_heartbeat_at"])
    outage = (
        DeviceOutage.objects.select_for_update()
        .filter(device_id=locked.device_id, ended_at__isnull=True)
        .first()
    )
    ended = outage_end(outage=outage, at=at) if outage is not None else None
    device = locked.device
    if not device.is_online or device.last_heartbeat != locked.last_heartbeat_at:
        school_services.device_update(
            device=device, is_online=True, last_heartbeat=locked.last_heartbeat_at
        )
    credential.last_heartbeat_at = locked.last_heartbeat_at
    return Heartbeat(locked, ended)


# ---- who is told --------------------------------------------------------------------------------


def supervision_recipients(school) -> list[User]:
    """The active users of the school's station and of its education bureau who see alarms
    (``alarms.view_alarmevent``): another station, the school itself (the hazard tells it) and
    a station's volunteers are not told."""
    org = school.organization
    ids = [o.pk for o in (org.parent, org.education_bureau) if o is not None]
    users = (
        User.objects.filter(organization_id__in=ids, is_active=True)
        .select_related("organization", "role")
        .order_by("pk")
    )
    return [u for u in users if u.has_perm(VIEW)]


def _outages_link() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("alarms:outage_list") + "?state=open"
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return ""


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


# ---- offline ------------------------------------------------------------------------------------


def _device_name(credential: DeviceCredential) -> str:
    device = credential.device
    name = device.name or str(device.kind_label)
    return f"{name}（{credential.code}）"


def _hazard_for(credential: DeviceCredential, started: dt.datetime, now: dt.datetime):
    """The hazard of this outage: the one an earlier outage of the device raised while it is
    still in the rectification loop (noted again), else a new one, source 设备离线."""
    device = credential.device
    school = device.school
    earlier = (
        DeviceOutage.objects.filter(device=device, hazard__state__in=OPEN_STATES)
        .select_related("hazard")
        .order_by("-started_at", "-id")
        .first()
    )
    what = {"device": _device_name(credential), "since": _local(started)}
    if earlier is not None:
        inspections.hazard_note(
            hazard=earlier.hazard,
            note=_("%(device)s 自 %(since)s 再次离线。") % what,
            event="device_offline",
            since=started.isoformat(),
        )
        return earlier.hazard
    return inspections.hazard_create(
        school=school,
        source=HazardSource.DEVICE_OFFLINE,
        category=ItemGroup.TECHNICAL,
        title=_("一键式紧急报警离线：%(device)s") % what,
        description=_(
            "%(device)s 自 %(since)s 起无心跳，一键报警无法送达公安。请学校检查设备供电和网络，"
            "联系厂商维修；设备恢复在线后本隐患记录恢复时间，仍按整改流程复查销号。"
        )
        % what,
        found_on=min(timezone.localtime(now).date(), timezone.localdate()),
    )


@transaction.atomic
def device_offline(
    *, credential: DeviceCredential, now: dt.datetime | None = None, default: int | None = None
) -> DeviceOutage | None:
    """Send a silent device offline (rules.is_silent): one outage from the moment its interval
    ran out, the hazard for it, the device shown offline and an urgent notice to the school's
    station and education bureau, in one transaction. Nothing when it is not silent, not
    supervised, or already offline: a second run changes nothing."""
    now = now or timezone.now()
    locked = (
        DeviceCredential.objects.select_for_update(of=("self",))
        .select_related("device__school__organization")
        .get(pk=credential.pk)
    )
    interval = interval_of(locked, default)
    if not locked.is_active or not rules.is_silent(locked.last_heartbeat_at, interval, now):
        return None
    device = locked.device
    if DeviceOutage.objects.filter(device=device, ended_at__isnull=True).exists():
        return None
    started = rules.offline_since(locked.last_heartbeat_at, interval)
    hazard = _hazard_for(locked, started, now)
    school = device.school
    recipients = supervision_recipients(school)
    outage = DeviceOutage.objects.create(
        device=device,
        school=school,
        last_heartbeat_at=locked.last_heartbeat_at,
        started_at=started,
        detected_at=now,
        hazard=hazard,
        notified=len(recipients),
    )
    if device.is_online:
        school_services.device_update(device=device, is_online=False)
    if recipients:
        notify(
            recipients=recipients,
            title=_("一键报警设备离线：%(school)s %(device)s")
            % {"school": school.organization.name, "device": _device_name(locked)},
            body=_(
                "最后心跳 %(last)s，超过 %(s)s 秒无心跳，自 %(since)s 起离线：学校按下一键报警将无法"
                "送达。已登记隐患“%(hazard)s”。"
            )
            % {
                "last": _local(locked.last_heartbeat_at),
                "s": interval,
                "since": _local(started),
                "hazard": hazard.title,
            },
            link=_outages_link(),
            level=NotificationLevel.URGENT,
        )
    return outage


def supervision_check(*, now: dt.datetime | None = None) -> dict:
    """Send every silent supervised device offline (the periodic task, every minute), each in
    its own transaction."""
    now = now or timezone.now()
    default = heartbeat_interval_seconds()
    is_open = DeviceOutage.objects.filter(device=OuterRef("device"), ended_at__isnull=True)
    candidates = (
        DeviceCredential.objects.filter(is_active=True, last_heartbeat_at__isnull=False)
        .filter(
            Q(heartbeat_interval_seconds__isnull=False)
            | Q(last_heartbeat_at__lt=now - dt.timedelta(seconds=default))
        )
        .filter(~Exists(is_open))
        .order_by("pk")
    )
    offline = 0
    for credential in list(candidates):
        if not rules.is_silent(credential.last_heartbeat_at, interval_of(credential, default), now):
            continue
        if device_offline(credential=credential, now=now, default=default) is not None:
            offline += 1
    return {"offline": offline}


# ---- back online --------------------------------------------------------------------------------


@transaction.atomic
def outage_end(*, outage: DeviceOutage, at: dt.datetime) -> DeviceOutage:
    """The device is back (its first heartbeat ``at``): the outage ends, and its hazard notes it
    in its history. The hazard stays in the rectification loop (docs/decisions.md: the school
    still reports what was repaired and the station re-checks before 销号)."""
    outage = (
        DeviceOutage.objects.select_for_update(of=("self",))
        .select_related("hazard")
        .get(pk=outage.pk)
    )
    if outage.ended_at is not None:
        return outage
    if at < outage.started_at:
        raise ValidationError(_("恢复时间不能早于离线时间。"))
    outage.ended_at = at
    outage.save(update_fields=["ended_at"])
    if outage.hazard is not None:
        hours = rules.hours_within(outage.started_at, at, outage.started_at, at)
        inspections.hazard_note(
            hazard=outage.hazard,
            note=_("设备已于 %(at)s 恢复在线（离线 %(h).1f 小时）。")
            % {"at": _local(at), "h": hours},
            event="device_online",
            outage=outage.pk,
            ended_at=at.isoformat(),
        )
    return outage
