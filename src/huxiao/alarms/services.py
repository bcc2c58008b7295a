"""Writes of the alarms module: device credentials, signed alarm posts, the response clock,
the escalation of alarms nobody acknowledges and test windows (报备). Pages, the API, the
simulate command, the periodic task and the demo call these.

A signed post is checked in a fixed order (headers, device, time, nonce form, signature, body)
and every refusal is written as an ``IngestRejection`` (itself in the audit chain) before the
caller answers 401/400: the operator sees it, and no alarm is stored. An accepted post's nonce
and alarm are committed together before the caller answers 2xx.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from huxiao.alarms import live, rules
from huxiao.alarms.choices import AlarmKind, AlarmResult, AlarmState, RejectionReason
from huxiao.alarms.models import (
    AlarmEscalation,
    AlarmEvent,
    AlarmNonce,
    DeviceCredential,
    IngestRejection,
    TestWindow,
)
from huxiao.alarms.selectors import may_respond
from huxiao.core import parameters
from huxiao.core.choices import POLICE_KINDS, NotificationLevel
from huxiao.core.models import Organization, User
from huxiao.core.prepared import PreparedValues
from huxiao.core.rowloader import JoinedRowLoader
from huxiao.core.services import notify
from huxiao.schools.choices import DeviceKind

# A test window longer than this is refused: 报备 is for a test, not for muting a school.
TEST_WINDOW_MAX_HOURS = 24
# A vendor platform may forward an event late, but not one older than this.
OCCURRED_MAX_AGE_DAYS = 7


def replay_window_seconds() -> int:
    return int(parameters.get("ALARMS_REPLAY_WINDOW_SECONDS"))


def rotation_window_hours() -> int:
    return int(parameters.get("ALARMS_ROTATION_WINDOW_HOURS"))


def escalation_seconds() -> int:
    return int(parameters.get("ALARMS_ESCALATION_SECONDS"))


# ---- credentials --------------------------------------------------------------------------------


def credential_code(device) -> str:
    return f"ALM{device.pk:06d}"


@transaction.atomic
def credential_issue(*, device, place: str = "") -> tuple[DeviceCredential, str]:
    """The device's first signing secret: (credential, the secret, shown once)."""
    if device.kind != DeviceKind.ONE_KEY_ALARM:
        raise ValidationError(_("只有一键式紧急报警设备可以签发报警密钥。"))
    if DeviceCredential.objects.filter(device=device).exists():
        raise ValidationError(_("该设备已有签名密钥；如需新密钥，请使用“更换密钥”。"))
    secret = rules.new_secret()
    credential = DeviceCredential(
        device=device,
        code=credential_code(device),
        place=(place or device.area or "").strip()[:64],
        secret=secret,
    )
    credential.full_clean(exclude=["device"])
    credential.save()
    return credential, secret


@transaction.atomic
def credential_rotate(*, credential: DeviceCredential, now=None) -> str:
    """A new secret; the previous one stays valid for the rotation window (a parameter), so a
    device being reconfigured is not refused meanwhile. Returns the new secret, shown once."""
    now = now or timezone.now()
    locked = DeviceCredential.objects.select_for_update().get(pk=credential.pk)
    hours = rotation_window_hours()
    secret = rules.new_secret()
    locked.previous_secret = locked.secret if hours > 0 else ""
    locked.previous_valid_until = now + dt.timedelta(hours=hours) if hours > 0 else None
    locked.secret = secret
    locked.rotated_at = now
    locked.save()
    credential.refresh_from_db()
    return secret


# ---- signed posts -------------------------------------------------------------------------------


class IngestRefused(Exception):
    """A signed post refused: ``status`` (401 or 400) and a Chinese ``message``."""

    def __init__(self, reason: str, status: int, message: str):
        super().__init__(message)
        self.reason, self.status, self.message = reason, status, message


def _refuse(
    reason: str, status: int, *, code: str = "", credential=None, ip=None, detail: str = ""
):
    message = str(RejectionReason(reason).label) + (f"：{detail}" if detail else "。")
    with transaction.atomic():
        IngestRejection.objects.create(
            at=timezone.now(),
            reason=reason,
            device_code=(code or "")[:64],
            credential=credential,
            ip=ip or None,
            detail=detail[:200],
        )
    raise IngestRefused(reason, status, message)


def _event_fields(body: bytes, sent: dt.datetime, now: dt.datetime, window: int) -> dict:
    """The alarm's fields from a verified body, or a Chinese message (ValueError)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError(_("报文不是有效的JSON。")) from None
    if not isinstance(data, dict):
        raise ValueError(_("报文应为JSON对象。"))
    event_id = data.get("event_id")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 64:
        raise ValueError(_("event_id 应为1–64个字符的设备事件编号。"))
    kind = data.get("kind")
    if kind not in AlarmKind.values:
        labels = {str(label): value for value, label in AlarmKind.choices}
        if kind in labels:
            kind = labels[kind]
        else:
            raise ValueError(
                _("kind 应为以下之一：%(kinds)s。") % {"kinds": "、".join(AlarmKind.values)}
            )
    occurred = sent
    if data.get("occurred_at") not in (None, ""):
        raw = data["occurred_at"]
        try:
            occurred = parse_datetime(raw) if isinstance(raw, str) else None
        except ValueError:  # well formed, but no such day or hour
            occurred = None
        if occurred is None or timezone.is_naive(occurred):
            raise ValueError(_("occurred_at 应为带时区的ISO时间，如 2026-12-04T15:00:00+08:00。"))
        if occurred > now + dt.timedelta(seconds=window):
            raise ValueError(_("occurred_at 晚于当前时间。"))
        if occurred < now - dt.timedelta(days=OCCURRED_MAX_AGE_DAYS):
            raise ValueError(
                _("occurred_at 早于%(d)s天前，不再受理。") % {"d": OCCURRED_MAX_AGE_DAYS}
            )
    place = data.get("place") or ""
    if not isinstance(place, str) or len(place) > 64:
        raise ValueError(_("place 应为不超过64个字符的文字。"))
    return {"event_id": event_id.strip(), "kind": kind, "occurred_at": occurred, "place": place}


@dataclass(frozen=True)
class Verified:
    """A signed post whose headers, device, time, nonce form and signature passed: what the
    endpoint's own body check and store need (``verify_signed``)."""

    credential: DeviceCredential
    code: str
    nonce: str
    sent: dt.datetime
    now: dt.datetime
    window: int
    ip: str | None

    def refuse(self, reason: str, status: int, detail: str = ""):
        _refuse(
            reason, status, code=self.code, credential=self.credential, ip=self.ip, detail=detail
        )


# Every signed post reads its device's credential, checks its event id and the school's 报备
# windows: statements built once (core.rowloader, core.prepared), not compiled on each post.
_CREDENTIAL_BY_CODE = JoinedRowLoader(
    DeviceCredential, ["device", "device__school", "device__school__organization"], by="code"
)
_EVENT_STORED = PreparedValues(
    lambda device_id, event_id: AlarmEvent.objects.filter(
        device_id=device_id, device_event_id=event_id
    ).values_list("pk")[:1],
    device_id=int,
    event_id=str,
)
_TEST_WINDOW_AT = PreparedValues(
    lambda school_id, at: (
        TestWindow.objects.filter(school_id=school_id, starts_at__lte=at, ends_at__gte=at)
        .order_by("starts_at", "id")
        .values_list("pk")[:1]
    ),
    school_id=int,
    at=dt.datetime,
)


def verify_signed(
    *, code: str, timestamp: str, nonce: str, signature: str, body: bytes, ip: str | None = None
) -> Verified:
    """The one check of a device's signed post (alarm events and heartbeats alike), in a fixed
    order: headers, device, time, nonce form, signature. A refusal raises IngestRefused after
    writing an ``IngestRejection``; the nonce is used later, with what the post stores
    (``use_nonce``), so a refused body burns nothing."""
    now = timezone.now()
    code, timestamp, nonce, signature = (
        (v or "").strip() for v in (code, timestamp, nonce, signature)
    )
    if not (code and timestamp and nonce and signature):
        _refuse(
            RejectionReason.MISSING_HEADERS,
            401,
            code=code,
            ip=ip,
            detail=_("须带设备编码、时间戳、随机数和签名四个请求头。"),
        )
    credential = _CREDENTIAL_BY_CODE.get(code)
    if credential is None or not credential.is_active:
        _refuse(RejectionReason.UNKNOWN_DEVICE, 401, code=code, ip=ip)
    sent = rules.parse_timestamp(timestamp)
    if sent is None:
        _refuse(
            RejectionReason.BAD_TIMESTAMP,
            400,
            code=code,
            credential=credential,
            ip=ip,
            detail=_("应为Unix时间（秒）。"),
        )
    window = replay_window_seconds()
    if not rules.is_fresh(sent, now, window):
        _refuse(
            RejectionReason.STALE,
            401,
            code=code,
            credential=credential,
            ip=ip,
            detail=_("与服务器时间相差超过%(s)s秒。") % {"s": window},
        )
    if rules.nonce_problem(nonce):
        _refuse(
            RejectionReason.BAD_NONCE,
            400,
            code=code,
            credential=credential,
            ip=ip,
            detail=_("应为8–64个可见字符。"),
        )
    in_force = rules.secrets_in_force(
        credential.secret, credential.previous_secret, credential.previous_valid_until, now
    )
    if not rules.signature_matches(in_force, timestamp, nonce, body, signature):
        _refuse(RejectionReason.BAD_SIGNATURE, 401, code=code, credential=credential, ip=ip)
    return Verified(credential, code, nonce, sent, now, window, ip)


def alarm_ingest(
    *, code: str, timestamp: str, nonce: str, signature: str, body: bytes, ip: str | None = None
) -> tuple[AlarmEvent, bool]:
    """A device's signed post: (the alarm, whether it is new). Refusals raise IngestRefused
    after writing an ``IngestRejection``; nothing else is written for them."""
    signed = verify_signed(
        code=code, timestamp=timestamp, nonce=nonce, signature=signature, body=body, ip=ip
    )
    try:
        fields = _event_fields(body, signed.sent, signed.now, signed.window)
    except ValueError as exc:
        signed.refuse(RejectionReason.BAD_BODY, 400, str(exc))
    try:
        return _store(signed.credential, signed.nonce, fields, signed.now, signed.window)
    except Replayed:
        signed.refuse(RejectionReason.REPLAYED, 401)


class Replayed(Exception):
    """The nonce is already on record for this device."""


def use_nonce(credential, nonce: str, now, window: int) -> None:
    """Record the nonce (inside the caller's transaction, with what the post stores), or raise
    Replayed when the device used it already within the window."""
    # Nonces older than twice the window can no longer come back fresh: drop them.
    AlarmNonce.objects.filter(
        credential=credential, seen_at__lt=now - dt.timedelta(seconds=2 * window)
    ).delete()
    try:
        with transaction.atomic():
            AlarmNonce.objects.create(credential=credential, nonce=nonce, seen_at=now)
    except IntegrityError:
        raise Replayed from None


@transaction.atomic
def _store(credential, nonce: str, fields: dict, now, window: int) -> tuple[AlarmEvent, bool]:
    use_nonce(credential, nonce, now, window)
    device = credential.device
    stored = _EVENT_STORED.first(device_id=device.pk, event_id=fields["event_id"])
    if stored is not None:
        return AlarmEvent.objects.get(pk=stored[0]), False
    try:
        alarm = alarm_record(
            device=device,
            school=device.school,
            event_id=fields["event_id"],
            kind=fields["kind"],
            place=fields["place"] or credential.place,
            occurred_at=fields["occurred_at"],
            received_at=now,
        )
    except IntegrityError:
        # The same event posted twice at once: the other post stored it.
        return AlarmEvent.objects.get(device=device, device_event_id=fields["event_id"]), False
    return alarm, True


def test_window_at(school, at: dt.datetime) -> TestWindow | None:
    found = _TEST_WINDOW_AT.first(school_id=school.pk, at=at)
    return TestWindow.objects.get(pk=found[0]) if found else None


@transaction.atomic
def alarm_record(
    *,
    device,
    school,
    event_id: str,
    kind: str,
    place: str,
    occurred_at: dt.datetime,
    received_at: dt.datetime,
) -> AlarmEvent:
    """Store one alarm. A press inside a 报备 window, or a device's self-test, is recorded as a
    test: closed on arrival with the result 测试, so it never counts as a false alarm."""
    window = test_window_at(school, occurred_at)
    alarm = AlarmEvent(
        school=school,
        device=device,
        device_event_id=event_id,
        kind=kind,
        place=place,
        occurred_at=occurred_at,
        received_at=received_at,
        test_window=window,
        changed_at=received_at,
    )
    if window is not None or kind == AlarmKind.SELF_TEST:
        alarm.state = AlarmState.CLOSED
        alarm.result = AlarmResult.TEST
        alarm.closed_at = received_at
        alarm.close_note = (
            _("测试报备时段内的报警，自动记为测试。")
            if window is not None
            else _("设备自检信号，自动记为测试。")
        )
    alarm.save()
    if alarm.state == AlarmState.RECEIVED:  # a test stored closed never rings: not sent
        live.push(alarm.pk)
    return alarm


# ---- the response clock -------------------------------------------------------------------------


@transaction.atomic
def alarm_transition(
    *,
    alarm: AlarmEvent,
    action: str,
    actor,
    unit: str = "",
    patrol=None,
    result: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> AlarmEvent:
    """One step of the response clock (rules.TRANSITIONS), timestamped and attributed; an
    illegal step or a missing argument is refused with a Chinese message, nothing written."""
    locked = AlarmEvent.objects.select_for_update().get(pk=alarm.pk)
    problem = rules.transition_problem(action, locked.state)
    if problem:
        raise ValidationError(problem)
    transition = rules.TRANSITIONS[action]
    unit, note = (unit or "").strip(), (note or "").strip()
    given = {"unit": unit or patrol, "result": result}
    for name, message in transition.required:
        if not given.get(name):
            raise ValidationError({name: str(message)})
    if result and result not in AlarmResult.values:
        raise ValidationError({"result": _("处置结果不正确。")})
    if len(unit) > 100:
        raise ValidationError({"unit": _("出警单位不能超过100个字符。")})
    at = at or timezone.now()
    previous = max(
        t
        for t in (
            locked.received_at,
            locked.acknowledged_at,
            locked.dispatched_at,
            locked.on_scene_at,
        )
        if t is not None
    )
    if at < previous:
        raise ValidationError(_("时间不能早于上一步骤的时间。"))
    setattr(locked, transition.time_field, at)
    setattr(locked, transition.actor_field, actor)
    locked.state = transition.target
    if action == "dispatch":
        locked.dispatch_unit = unit
        locked.dispatch_patrol = patrol
    if action == "close":
        locked.result = result
        locked.close_note = note
    live.touched(locked, at)
    locked.save()
    live.push(locked.pk)
    return locked


# ---- escalation (issue 16 item 4) ----------------------------------------------------------------


def escalation_targets(alarm: AlarmEvent) -> list:
    """The police organisations the alarm escalates to, level 1 first (rules.escalation_targets):
    read from the police organisations above the school's own station, nearest first."""
    ids = alarm.school.organization.ancestor_ids()[:-1]  # without the school's station
    above = Organization.objects.filter(pk__in=ids, kind__in=POLICE_KINDS, is_active=True)
    return rules.escalation_targets(sorted(above, key=lambda o: o.depth, reverse=True))


def escalation_recipients(organization) -> list:
    """The active users of the organisation who may act on alarms (a police role in a police
    organisation holding ``alarms.respond_alarmevent``, as ``selectors.may_respond`` reads it)."""
    users = User.objects.filter(organization=organization, is_active=True, role__is_police=True)
    return [
        u for u in users.select_related("organization", "role").order_by("pk") if may_respond(u)
    ]


def _alarm_link(alarm: AlarmEvent) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("alarms:alarm_detail", args=[alarm.pk])
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return f"/alarms/{alarm.pk}/"


@transaction.atomic
def alarm_escalate(
    *, alarm: AlarmEvent, now: dt.datetime | None = None, seconds: int | None = None
) -> AlarmEscalation | None:
    """Escalate the alarm one level when that is due (rules.escalation_due): one row recording
    the level, the organisation and the time, and an urgent notice to that organisation's users
    who may act on alarms, in one transaction (the live push runs on commit). Nothing when it is
    not due, acknowledged, a test, or already at its last level; so a second run at the same
    time escalates nothing."""
    now = now or timezone.now()
    seconds = escalation_seconds() if seconds is None else seconds
    locked = (
        AlarmEvent.objects.select_for_update()
        .select_related("school__organization")
        .get(pk=alarm.pk)
    )
    done = list(AlarmEscalation.objects.filter(alarm=locked).order_by("level"))
    targets = escalation_targets(locked)
    if not rules.escalation_due(
        state=locked.state,
        received_at=locked.received_at,
        last_escalated_at=done[-1].escalated_at if done else None,
        levels_done=len(done),
        levels_possible=len(targets),
        seconds=seconds,
        now=now,
    ):
        return None
    level = len(done) + 1
    organization = targets[level - 1]
    recipients = escalation_recipients(organization)
    escalation = AlarmEscalation.objects.create(
        alarm=locked,
        level=level,
        organization=organization,
        escalated_at=now,
        notified=len(recipients),
    )
    locked.save(update_fields=live.touched(locked, now))
    live.push(locked.pk)
    if recipients:
        waited = int((now - locked.received_at).total_seconds())
        notify(
            recipients=recipients,
            title=_("报警升级：%(school)s %(kind)s 无人签收")
            % {"school": locked.school.organization.name, "kind": locked.get_kind_display()},
            body=_("接警时间 %(at)s，%(s)s 秒无人签收，已升级至%(org)s（%(level)s）。请立即处置。")
            % {
                "at": timezone.localtime(locked.received_at).strftime("%Y-%m-%d %H:%M:%S"),
                "s": waited,
                "org": organization.name,
                "level": escalation.get_level_display(),
            },
            link=_alarm_link(locked),
            level=NotificationLevel.URGENT,
        )
    return escalation


def alarm_escalate_due(*, now: dt.datetime | None = None) -> dict:
    """Escalate every alarm whose next level is due (the periodic task, every minute), each in
    its own transaction: an escalation and its notices are committed together."""
    now = now or timezone.now()
    seconds = escalation_seconds()
    waiting = (
        AlarmEvent.objects.filter(
            state=AlarmState.RECEIVED, received_at__lte=now - dt.timedelta(seconds=seconds)
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)
    )
    escalated = 0
    for pk in list(waiting):
        if alarm_escalate(alarm=AlarmEvent(pk=pk), now=now, seconds=seconds) is not None:
            escalated += 1
    return {"escalated": escalated}


# ---- test windows (报备) ------------------------------------------------------------------------


@transaction.atomic
def test_window_create(
    *,
    school,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> TestWindow:
    """报备: registered before the test ends (a window wholly past would re-label nothing)."""
    now = now or timezone.now()
    starts_at, ends_at = (
        timezone.make_aware(t) if timezone.is_naive(t) else t for t in (starts_at, ends_at)
    )
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    elif ends_at - starts_at > dt.timedelta(hours=TEST_WINDOW_MAX_HOURS):
        errors["ends_at"] = _("一次测试报备不能超过%(h)s小时。") % {"h": TEST_WINDOW_MAX_HOURS}
    elif ends_at <= now:
        errors["ends_at"] = _("测试报备须在测试结束前登记。")
    if errors:
        raise ValidationError(errors)
    window = TestWindow(
        school=school,
        starts_at=starts_at,
        ends_at=ends_at,
        note=(note or "").strip(),
        created_by=actor,
    )
    window.full_clean(exclude=["school", "created_by"])
    window.save()
    return window
