"""The alarms module's demo step: signing credentials for the demo schools' one-key alarm
devices and a month of past alarms with realistic response times, a few false presses and a
reported test (报备). Every date is placed from the seeding day (``ctx.today``), never the
clock; safe to run again (a school that has alarms keeps them)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huxiao.alarms import rules, services, services_supervision
from huxiao.alarms.choices import AlarmAction, AlarmKind, AlarmResult
from huxiao.alarms.models import AlarmEvent, DeviceCredential
from huxiao.core.models import User
from huxiao.schools.choices import DeviceKind
from huxiao.schools.models import Device

# (result, weight): most presses of a school panic button are accidental (alert fatigue).
_RESULTS = ((AlarmResult.FALSE, 6), (AlarmResult.REAL, 2), (AlarmResult.FAULT, 1))
_KINDS = (
    (AlarmKind.EMERGENCY, 6),
    (AlarmKind.INTRUSION, 2),
    (AlarmKind.DURESS, 1),
    (AlarmKind.FIRE, 1),
)
_NOTES = {
    AlarmResult.FALSE: "学生课间误触报警按钮，民警电话核实并与学校安保负责人确认，无警情。",
    AlarmResult.REAL: "校门外可疑人员徘徊，出警到场盘查后带离，已通知学校加强门卫管理。",
    AlarmResult.FAULT: "报警按钮线路受潮误报，已通知学校联系厂商检修。",
}


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=minutes)
    )


def _officer(school_org):
    station = school_org.parent
    return (
        User.objects.filter(organization=station, role__code="officer", is_active=True)
        .order_by("username")
        .first()
        or User.objects.filter(role__code="officer", is_active=True).order_by("username").first()
    )


def step(ctx) -> None:
    orgs = ctx.schools
    devices = list(
        Device.objects.filter(school__organization__in=orgs, kind=DeviceKind.ONE_KEY_ALARM)
        .select_related("school__organization")
        .order_by("school__organization__code", "id")
    )
    have = set(
        DeviceCredential.objects.filter(device__in=devices).values_list("device_id", flat=True)
    )
    issued = 0
    for device in devices:
        if device.pk not in have:
            services.credential_issue(device=device, place=device.area or "学校门卫室")
            issued += 1
    if issued:
        ctx.count_created("报警设备密钥", issued)
    if have:
        ctx.count_existing("报警设备密钥", len(have))
    _heartbeats(ctx, devices)

    first = {}
    for device in devices:
        first.setdefault(device.school.organization.code, device)
    # The month of alarms is written once: a later run (another day, another seed) keeps it.
    seeded = AlarmEvent.objects.filter(
        school__organization__in=orgs, device_event_id__startswith="DEMO-"
    ).count()
    if seeded:
        ctx.count_existing("报警事件", seeded)
        return
    # The model school (school01's) reported a test: its users see the window and the test.
    test_code = "SCH-01" if "SCH-01" in first else next(iter(sorted(first)), None)
    rng = ctx.rng
    made = 0
    for code, device in sorted(first.items()):
        made += _month_of_alarms(ctx, rng, code, device, reported_test=code == test_code)
    if made:
        ctx.count_created("报警事件", made)


# The demo's devices report once a day: a demo city seeded today and shown all day keeps the
# state it was seeded with (with the parameter's 300 seconds, every device would go offline
# five minutes after seeding, since nothing sends them heartbeats). ``huxiao alarms heartbeat``
# sends one like a device.
DEMO_HEARTBEAT_INTERVAL = 86400
# Schools the journeys use keep their devices online.
_KEEP_ONLINE = ("SCH-01", "SCH-05")


def _heartbeats(ctx, devices) -> None:
    """Recent heartbeats for the networked, online devices (a device not networked to the
    police cannot reach it), and one device silent for two days: offline, with its hazard."""
    credentials = [
        device.alarm_credential
        for device in devices
        if device.networked_police and device.is_online
    ]
    if not credentials:
        return
    supervised = [c for c in credentials if c.last_heartbeat_at is not None]
    if supervised:
        ctx.count_existing("报警设备心跳", len(supervised))
        return
    rng = ctx.rng_for("alarms-heartbeats")
    moment = ctx.timeline.moment
    candidates = [c for c in credentials if c.device.school.organization.code not in _KEEP_ONLINE]
    silent = rng.choice(candidates) if candidates else None
    for credential in credentials:
        services_supervision.heartbeat_interval_set(
            credential=credential, seconds=DEMO_HEARTBEAT_INTERVAL
        )
        if credential is silent:
            at = moment - dt.timedelta(days=2, hours=rng.randint(1, 6))
        else:
            at = moment - dt.timedelta(seconds=rng.randint(5, 600))
        services_supervision.heartbeat_record(credential=credential, at=at)
    ctx.count_created("报警设备心跳", len(credentials))
    if silent is not None:
        # The task noticed a minute after its interval ran out (before the seeding day: nothing
        # of the city lies on or after it).
        since = rules.offline_since(silent.last_heartbeat_at, DEMO_HEARTBEAT_INTERVAL)
        services_supervision.device_offline(credential=silent, now=since + dt.timedelta(minutes=1))
        ctx.count_created("报警设备离线记录")


def _month_of_alarms(ctx, rng, code: str, device, *, reported_test: bool) -> int:
    school = device.school
    officer = _officer(school.organization)
    count = rng.choice((0, 1, 1, 2, 2, 3))
    # School 05 is the one the journey presses: its history has a false press to compare with.
    if code == "SCH-05":
        count = max(count, 2)
    n = 0
    for i in range(count):
        day = ctx.today - dt.timedelta(days=rng.randint(1, 30))
        received = _at(day, rng.randint(0, 600)) + dt.timedelta(seconds=rng.randint(0, 59))
        kind = _pick(rng, _KINDS)
        result = AlarmResult.FALSE if (code == "SCH-05" and i == 0) else _pick(rng, _RESULTS)
        alarm = services.alarm_record(
            device=device,
            school=school,
            event_id=f"DEMO-{code}-{i + 1:03d}",
            kind=kind,
            place=device.alarm_credential.place,
            occurred_at=received - dt.timedelta(seconds=rng.randint(1, 4)),
            received_at=received,
        )
        n += 1
        if officer is None or alarm.result:
            continue
        at = received + dt.timedelta(seconds=rng.randint(15, 150))
        services.alarm_transition(alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=officer, at=at)
        if result != AlarmResult.FALSE:
            at += dt.timedelta(seconds=rng.randint(40, 240))
            unit = f"{school.organization.parent.name}巡逻组"
            services.alarm_transition(
                alarm=alarm, action=AlarmAction.DISPATCH, actor=officer, unit=unit, at=at
            )
            at += dt.timedelta(minutes=rng.randint(4, 12))
            services.alarm_transition(
                alarm=alarm, action=AlarmAction.ON_SCENE, actor=officer, at=at
            )
        at += dt.timedelta(minutes=rng.randint(3, 25))
        services.alarm_transition(
            alarm=alarm,
            action=AlarmAction.CLOSE,
            actor=officer,
            result=result,
            note=_NOTES[result],
            at=at,
        )
    if reported_test:
        n += _reported_test(ctx, rng, code, device)
    return n


def _reported_test(ctx, rng, code: str, device) -> int:
    """A test the school reported the day before, and the press made inside it."""
    day = ctx.today - dt.timedelta(days=rng.randint(5, 20))
    starts = _at(day, 150)  # 10:00
    services.test_window_create(
        school=device.school,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        note="一键报警季度联网测试",
        actor=None,
        now=starts - dt.timedelta(days=1),
    )
    services.alarm_record(
        device=device,
        school=device.school,
        event_id=f"DEMO-{code}-TEST",
        kind=AlarmKind.EMERGENCY,
        place=device.alarm_credential.place,
        occurred_at=starts + dt.timedelta(minutes=10),
        received_at=starts + dt.timedelta(minutes=10, seconds=2),
    )
    return 1
