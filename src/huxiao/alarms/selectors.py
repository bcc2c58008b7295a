"""Reads of the alarms module: each takes the acting user and starts from the scoped queryset
(``Model.objects.visible_to(user)``); pages, exports, the API and the figures call the same
functions, so an alarm of another station answers 404 exactly like a missing one.

The school and its education bureau read the same alarm as the police, without the police-only
details (who was sent, who acted, the closing note): ``shows_police_details``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.alarms import rules
from huxiao.alarms.models import (
    AlarmEscalation,
    AlarmEvent,
    DeviceCredential,
    DeviceOutage,
    IngestRejection,
    TestWindow,
)
from huxiao.patrols.choices import PatrolStatus
from huxiao.patrols.models import PatrolLog
from huxiao.schools.choices import DeviceKind
from huxiao.schools.models import Device, School

RESPOND = "alarms.respond_alarmevent"
POLICE_DETAILS = "alarms.view_police_details"


def is_police(user) -> bool:
    """A police role in a police organisation, as persons.selectors reads it (an officer account
    of a security company is not)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role if user.role_id else None
    org = user.organization if user.organization_id else None
    return bool(role is not None and role.is_police and org is not None and org.is_police)


def shows_police_details(user) -> bool:
    return is_police(user) and user.has_perm(POLICE_DETAILS)


def may_respond(user) -> bool:
    return is_police(user) and user.has_perm(RESPOND)


# ---- alarms ------------------------------------------------------------------------------------


def alarm_list(*, user) -> QuerySet:
    """Alarms in scope with their school and device, newest first."""
    return (
        AlarmEvent.objects.visible_to(user)
        .select_related("school__organization", "device")
        .order_by("-received_at", "-id")
    )


def alarm_get(*, user, pk: int) -> AlarmEvent:
    return get_object_or_404(
        alarm_list(user=user).select_related(
            "acknowledged_by",
            "dispatched_by",
            "on_scene_by",
            "closed_by",
            "dispatch_patrol__route",
            "test_window",
        ),
        pk=pk,
    )


def alarm_escalations(*, alarm: AlarmEvent) -> list[AlarmEscalation]:
    """The escalations of an alarm read through ``alarm_get`` (so in the user's scope), level
    first. Everyone who sees the alarm sees that and when it was escalated; the organisation
    and how many were notified are police-only details (the page and the API hide them)."""
    return list(alarm.escalations.select_related("organization").order_by("level"))


def alarm_actions(*, user, alarm: AlarmEvent) -> list[str]:
    """The steps of the response clock this user may take on this alarm now."""
    return rules.allowed_actions(alarm.state) if may_respond(user) else []


def dispatchable_patrols(*, user) -> QuerySet:
    """Patrols under way in the user's scope: a unit that can be sent."""
    return (
        PatrolLog.objects.visible_to(user)
        .filter(status=PatrolStatus.IN_PROGRESS)
        .select_related("route", "organization", "leader")
        .order_by("-started_at", "-id")
    )


# ---- test windows ------------------------------------------------------------------------------


def test_window_list(*, user) -> QuerySet:
    return (
        TestWindow.objects.visible_to(user)
        .select_related("school__organization", "created_by")
        .order_by("-starts_at", "-id")
    )


def schools_for(*, user) -> QuerySet:
    return (
        School.objects.visible_to(user)
        .select_related("organization")
        .order_by("organization__path")
    )


# ---- device credentials ------------------------------------------------------------------------


def alarm_devices(*, user) -> QuerySet:
    """One-key alarm devices in scope, each with its credential when it has one."""
    return (
        Device.objects.visible_to(user)
        .filter(kind=DeviceKind.ONE_KEY_ALARM)
        .select_related("school__organization", "alarm_credential")
        .order_by("school__organization__path", "id")
    )


def alarm_device_get(*, user, pk: int) -> Device:
    return get_object_or_404(alarm_devices(user=user), pk=pk)


def credential_of(device: Device) -> DeviceCredential | None:
    try:
        return device.alarm_credential
    except DeviceCredential.DoesNotExist:
        return None


def device_rejections(*, user, device: Device, limit: int = 20) -> list[IngestRejection]:
    return list(
        IngestRejection.objects.visible_to(user)
        .filter(credential__device=device)
        .order_by("-at", "-id")[:limit]
    )


def median_minutes_to_acknowledge(rows) -> float | None:
    """The median minutes from receipt to 签收 of the acknowledged alarms among ``rows`` (the
    list page shows it, the figure reads it), one decimal; None when none was acknowledged."""
    times = rows.filter(acknowledged_at__isnull=False).values_list("received_at", "acknowledged_at")
    return rules.median(
        [(a - r).total_seconds() / 60 for r, a in times.order_by().iterator(chunk_size=2000)]
    )


# ---- device supervision ------------------------------------------------------------------------


def outage_list(*, user) -> QuerySet:
    """Outages of one-key alarm devices in scope, newest first, with the device, school and
    hazard (issue 16 item 6)."""
    return (
        DeviceOutage.objects.visible_to(user)
        .select_related("school__organization", "device", "device__alarm_credential", "hazard")
        .order_by("-started_at", "-id")
    )


def offline_hours(rows, *, since=None, until=None, now=None) -> float:
    """Hours the outages among ``rows`` were offline between ``since`` and ``until`` (None: from
    each one's start, to now), an open one counted to now; one decimal. The list page shows it
    over its rows and the figure reads it over the same rows, so they agree."""
    now = now or timezone.now()
    hi = min(until, now) if until is not None else now
    total = 0.0
    for started, ended in (
        rows.order_by().values_list("started_at", "ended_at").iterator(chunk_size=2000)
    ):
        total += rules.hours_within(started, ended, since or started, hi)
    return round(total, 1)


def device_supervision(*, device: Device, default_interval: int) -> dict | None:
    """What a device's page shows of its supervision: its state (``online``, ``offline``, or
    ``unsupervised`` before its first heartbeat), last heartbeat and interval; None without a
    credential."""
    credential = credential_of(device)
    if credential is None:
        return None
    if credential.last_heartbeat_at is None:
        state = "unsupervised"
    elif DeviceOutage.objects.filter(device=device, ended_at__isnull=True).exists():
        state = "offline"
    else:
        state = "online"
    return {
        "state": state,
        "last": credential.last_heartbeat_at,
        "interval": rules.heartbeat_interval(
            credential.heartbeat_interval_seconds, default_interval
        ),
    }
