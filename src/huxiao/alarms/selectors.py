"""Reads of the alarms module: each takes the acting user and starts from the scoped queryset
(``Model.objects.visible_to(user)``); pages, exports, the API and the figures call the same
functions, so an alarm of another station answers 404 exactly like a missing one.

The school and its education bureau read the same alarm as the police, without the police-only
details (who was sent, who acted, the closing note): ``shows_police_details``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.alarms import rules
from huxiao.alarms.choices import AlarmResult
from huxiao.alarms.models import (
    AlarmEscalation,
    AlarmEvent,
    DeviceCredential,
    DeviceOutage,
    IngestRejection,
    TestWindow,
)
from huxiao.core.models import Organization
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


def response_minutes(rows, step: str) -> list[float]:
    """The minutes from receipt to ``step`` (acknowledge, dispatch, on_scene: its time on the
    response clock, ``rules.TRANSITIONS``) of the alarms among ``rows`` that reached it."""
    field = rules.TRANSITIONS[step].time_field
    times = rows.filter(**{f"{field}__isnull": False}).values_list("received_at", field)
    return [(t - r).total_seconds() / 60 for r, t in times.order_by().iterator(chunk_size=2000)]


def response_minutes_by_step(rows) -> dict[str, list[float]]:
    """``response_minutes`` of every step at once, in one query (the list page's readings)."""
    found: dict[str, list[float]] = {step: [] for step in STEP_FIELDS}
    times = rows.order_by().values_list("received_at", *STEP_FIELDS.values())
    for received, *reached in times.iterator(chunk_size=2000):
        for step, at in zip(STEP_FIELDS, reached, strict=True):
            if at is not None:
                found[step].append((at - received).total_seconds() / 60)
    return found


def response_statistic(rows, step: str, statistic: str) -> float | None:
    """The median or p90 (``rules.STATISTICS``) minutes to ``step`` of ``rows`` that reached it
    (the list page shows it, the figures read it), one decimal; None when none reached it."""
    return rules.percentile(response_minutes(rows, step), rules.STATISTICS[statistic])


def median_minutes_to_acknowledge(rows) -> float | None:
    """The median minutes from receipt to 签收 of the acknowledged alarms among ``rows`` (the
    list page shows it, the figure reads it), one decimal; None when none was acknowledged."""
    return response_statistic(rows, "acknowledge", "median")


# ---- response-time statistics (issue 16 item 7) -------------------------------------------------

STEP_FIELDS = {
    step: rules.TRANSITIONS[step].time_field for step in ("acknowledge", "dispatch", "on_scene")
}


@dataclass
class StatisticsRow:
    """One row of the statistics page: a station, a school or a month (``key``), its alarms
    counted and its response times read. Nothing here is a police-only detail: the school and
    its education bureau see each alarm's times, result and escalation on the record too."""

    key: object
    label: str
    count: int = 0
    tests: int = 0
    reported: int = 0
    false_presses: int = 0
    presses: int = 0
    escalated: int = 0
    minutes: dict = field(default_factory=lambda: {step: [] for step in STEP_FIELDS})
    month: dt.date | None = None

    @property
    def false_rate(self) -> float | None:
        return rules.false_press_rate(self.false_presses, self.presses)

    def reading(self, step: str, statistic: str) -> float | None:
        return rules.percentile(self.minutes[step], rules.STATISTICS[statistic])

    def readings(self) -> list[float | None]:
        """Median and p90 to 签收, 派警 and 到场, in that order."""
        return [self.reading(step, stat) for step in STEP_FIELDS for stat in rules.STATISTICS]

    def add(self, alarm: dict) -> None:
        self.count += 1
        if alarm["result"] == AlarmResult.TEST:
            self.tests += 1
        else:
            self.presses += 1
            if rules.counts_as_false(alarm["result"]):
                self.false_presses += 1
        if alarm["test_window_id"] is not None:
            self.reported += 1
        if alarm["escalated"]:
            self.escalated += 1
        for step, name in STEP_FIELDS.items():
            if alarm[name] is not None:
                self.minutes[step].append((alarm[name] - alarm["received_at"]).total_seconds() / 60)


def _group_of(alarm: dict, by: str) -> tuple[object, str, dt.date | None]:
    if by == "school":
        return alarm["school_id"], alarm["school__organization__name"], None
    if by == "month":
        day = timezone.localtime(alarm["received_at"]).date().replace(day=1)
        return day, f"{day:%Y-%m}", day
    # A school hangs under its police station in the organisation tree.
    return (
        alarm["school__organization__parent_id"],
        alarm["school__organization__parent__name"] or "",
        None,
    )


def alarm_statistics(rows, by: str) -> tuple[list[StatisticsRow], StatisticsRow]:
    """The alarms among ``rows`` (read through ``alarm_list`` and the page's filters) grouped
    by station, school or month, and the total, in one query. Stations and schools come in the
    order of the organisation tree, months oldest first."""
    escalated = Exists(AlarmEscalation.objects.filter(alarm=OuterRef("pk")))
    alarms = (
        rows.annotate(escalated=escalated)
        .order_by("school__organization__path", "received_at", "pk")
        .values(
            "school_id",
            "school__organization__name",
            "school__organization__parent_id",
            "school__organization__parent__name",
            "received_at",
            "result",
            "test_window_id",
            "escalated",
            *STEP_FIELDS.values(),
        )
    )
    groups: dict[object, StatisticsRow] = {}
    total = StatisticsRow(key=None, label="")
    for alarm in alarms.iterator(chunk_size=2000):
        key, label, month = _group_of(alarm, by)
        if key not in groups:
            groups[key] = StatisticsRow(key=key, label=label, month=month)
        groups[key].add(alarm)
        total.add(alarm)
    found = list(groups.values())
    if by == "month":
        found.sort(key=lambda r: r.key)
    return found, total


def organizations_in_scope(*, user, ids) -> set[int]:
    """Those of ``ids`` the user may narrow a list to (``?org=``): a station row of the
    statistics links to its alarms only when the station is in the user's scope (an education
    bureau sees its schools' stations by name, not as jurisdictions of its own)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    return set(
        Organization.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
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


# ---- the console's map: who is near the school now (issue 16 item 2) --------------------------

# A check-in at a 护学岗 counts as "there now" for this long (a window lasts about an hour).
ON_DUTY_WITHIN = dt.timedelta(hours=2)
NEARBY_LIMIT = 8


@dataclass
class NearbyUnit:
    """Someone who can be sent: a person checked in at a 护学岗 within ``ON_DUTY_WITHIN``, or a
    patrol under way (at its last checkpoint visited), with the distance to the school."""

    kind: str  # "post" or "patrol"
    label: str  # the person (and their kind), or the patrol's unit and route
    place: str  # the post, or the last checkpoint
    latitude: float
    longitude: float
    at: dt.datetime
    distance_m: float | None
    patrol_id: int | None = None


@dataclass
class AlarmSurroundings:
    """What the console shows beside an alarm: the school's position, the units nearest it
    (nearest first), the school's guards checked in today and its cameras."""

    latitude: float | None
    longitude: float | None
    units: list[NearbyUnit] = field(default_factory=list)
    guards_on_duty: list[str] = field(default_factory=list)
    cameras: list[Device] = field(default_factory=list)


def _distance(school_org, lat, lon) -> float | None:
    from huxiao.patrols.rules import distance_m

    if school_org.latitude is None or school_org.longitude is None:
        return None
    return round(distance_m(school_org.latitude, school_org.longitude, lat, lon))


def alarm_surroundings(*, user, alarm: AlarmEvent, now: dt.datetime | None = None):
    """The units near ``alarm``'s school that ``user`` may see (their scope's check-ins and
    patrols), nearest first (those without a known distance last), at most NEARBY_LIMIT; the
    school's guards checked in today and its cameras. Read through the patrols records: a
    person's latest valid check-in since ``now - ON_DUTY_WITHIN`` today, and each patrol under
    way at its latest checkpoint visit (a patrol that has visited none has no position and is
    left out)."""
    from huxiao.patrols.choices import PersonKind
    from huxiao.patrols.models import CheckIn, CheckpointVisit

    now = now or timezone.now()
    org = alarm.school.organization
    units: list[NearbyUnit] = []
    latest: dict[int, CheckIn] = {}
    checkins = (
        CheckIn.objects.visible_to(user)
        .filter(
            date=timezone.localdate(now),
            is_valid=True,
            at__gte=now - ON_DUTY_WITHIN,
            at__lte=now,
            person_kind__in=(PersonKind.POLICE, PersonKind.AUXILIARY, PersonKind.GUARD),
        )
        .select_related("user", "post")
        .order_by("at", "id")
    )
    for checkin in checkins:
        latest[checkin.user_id] = checkin
    for checkin in latest.values():
        lat = checkin.latitude if checkin.latitude is not None else checkin.post.latitude
        lon = checkin.longitude if checkin.longitude is not None else checkin.post.longitude
        units.append(
            NearbyUnit(
                kind="post",
                label=f"{checkin.user.display_name}（{checkin.get_person_kind_display()}）",
                place=checkin.post.name,
                latitude=float(lat),
                longitude=float(lon),
                at=checkin.at,
                distance_m=_distance(org, lat, lon),
            )
        )
    patrols = {p.pk: p for p in dispatchable_patrols(user=user)}
    visits = (
        CheckpointVisit.objects.filter(log_id__in=list(patrols), latitude__isnull=False)
        .select_related("checkpoint")
        .order_by("at", "id")
    )
    last_visit = {visit.log_id: visit for visit in visits}
    for log_id, visit in last_visit.items():
        patrol = patrols[log_id]
        units.append(
            NearbyUnit(
                kind="patrol",
                label=f"{patrol.organization.name} · {patrol.route.name}",
                place=visit.checkpoint.name,
                latitude=float(visit.latitude),
                longitude=float(visit.longitude),
                at=visit.at,
                distance_m=_distance(org, visit.latitude, visit.longitude),
                patrol_id=patrol.pk,
            )
        )
    units.sort(key=lambda u: (u.distance_m is None, u.distance_m or 0, u.label))
    guards = sorted(
        {
            c.user.display_name
            for c in CheckIn.objects.filter(
                school=alarm.school,
                date=timezone.localdate(now),
                is_valid=True,
                person_kind=PersonKind.GUARD,
            ).select_related("user")
        }
    )
    cameras = list(
        Device.objects.filter(school=alarm.school, kind=DeviceKind.CAMERA).order_by("name", "id")
    )
    return AlarmSurroundings(
        latitude=float(org.latitude) if org.latitude is not None else None,
        longitude=float(org.longitude) if org.longitude is not None else None,
        units=units[:NEARBY_LIMIT],
        guards_on_duty=guards,
        cameras=cameras,
    )
