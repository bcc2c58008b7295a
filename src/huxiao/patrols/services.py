"""Writes of the patrols module: posts, rosters, check-ins, patrols and video patrols.

Pages, the API, the demo generator and the benchmarks call these. Check-ins are the hot path
(every guard and officer, twice a school day): one INSERT that finds the shift itself, a
SELECT only for a re-sent key, no audit record (the row carries who, when, where and the
proof itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit, realtime
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.patrols import rules
from huxiao.patrols.choices import PatrolStatus, PersonKind, ProofKind, ShiftStatus
from huxiao.patrols.models import (
    CheckIn,
    Checkpoint,
    CheckpointVisit,
    DutyShift,
    GuardPost,
    PatrolLog,
    PatrolRoute,
    VideoPatrol,
)

POST_FIELDS = {
    "name",
    "kind",
    "latitude",
    "longitude",
    "radius_m",
    "windows",
    "staffing",
    "corridor",
    "is_pilot",
    "is_active",
}


def person_kind_of(user) -> str:
    """The kind of person a user is at a post, from the role (auxiliary police have the
    officer role at a station in this deployment unless their role says otherwise)."""
    code = getattr(getattr(user, "role", None), "code", "")
    if code == "volunteer":
        return PersonKind.VOLUNTEER
    if code in ("gate_guard", "school_security_chief"):
        return PersonKind.GUARD
    if code == "auxiliary_police":
        return PersonKind.AUXILIARY
    return PersonKind.POLICE


def _validate_post(post: GuardPost) -> None:
    errors = {}
    problems = rules.validate_windows(post.windows)
    if problems:
        errors["windows"] = problems
    staffing = post.staffing or {}
    if not isinstance(staffing, dict) or set(staffing) - set(PersonKind.values):
        errors["staffing"] = _("人员配置的类别应为：民警、辅警、保安、志愿者。")
    elif any(not isinstance(v, int) or v < 0 for v in staffing.values()):
        errors["staffing"] = _("人员配置的人数应为非负整数。")
    if post.corridor:
        from huxiao.schools.geo import validate_boundary

        shape = rules.corridor_shape_problem(post.corridor)
        try:
            if shape:
                raise ValidationError(shape)
            validate_boundary(post.corridor)
        except ValidationError as exc:
            errors["corridor"] = exc.messages
        else:
            problem = rules.corridor_problem(post.latitude, post.longitude, post.corridor)
            if problem:
                errors["corridor"] = problem
    if errors:
        raise ValidationError(errors)
    post.full_clean(exclude=["school"])


@transaction.atomic
def post_create(*, school, **fields) -> GuardPost:
    unknown = set(fields) - POST_FIELDS
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    post = GuardPost(school=school, qr_secret=secrets.token_hex(16), **fields)
    _validate_post(post)
    post.save()
    return post


@transaction.atomic
def post_update(*, post: GuardPost, **changes) -> GuardPost:
    unknown = set(changes) - POST_FIELDS
    if unknown:
        raise ValidationError(_("不可修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    for key, value in changes.items():
        setattr(post, key, value)
    _validate_post(post)
    post.save()
    return post


def post_qr_token(post: GuardPost, day: dt.date) -> str:
    """The code the post's QR sign shows today (changes daily, so a photo of it expires)."""
    raw = f"{post.pk}:{day.isoformat()}:{post.qr_secret}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


# ---- rosters -----------------------------------------------------------------------------------


def school_days(school, start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if rules.is_school_day(school.term_calendar, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@transaction.atomic
def shift_bulk_create(
    *,
    post: GuardPost,
    start: dt.date,
    end: dt.date,
    windows: list[str],
    people: list,  # users
    actor=None,
) -> list[DutyShift]:
    """Roster ``people`` at ``post`` in ``windows`` on every school day from start to end.

    Holidays, weekends (unless a 调休 workday) and days outside the school's terms get no
    shift; existing shifts of the same person, post, day and window are kept, not doubled.
    One audit record lists the bulk creation.
    """
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if (end - start).days > 200:
        raise ValidationError({"end": _("一次最多排 200 天。")})
    codes = {w["code"] for w in post.windows}
    unknown = set(windows) - codes
    if unknown or not windows:
        raise ValidationError(
            {"windows": _("时段不正确：%(w)s") % {"w": "、".join(sorted(unknown)) or "—"}}
        )
    if not people:
        raise ValidationError({"people": _("请选择值守人员。")})
    days = school_days(post.school, start, end)
    existing = set(
        DutyShift.objects.filter(post=post, date__in=days, window__in=windows)
        .exclude(status=ShiftStatus.CANCELLED)
        .values_list("person_id", "date", "window")
    )
    rows = [
        DutyShift(
            post=post,
            date=day,
            window=code,
            person=person,
            person_name=person.display_name,
            person_kind=person_kind_of(person),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for day in days
        for code in windows
        for person in people
        if (person.pk, day, code) not in existing
    ]
    created = DutyShift.objects.bulk_create(rows, batch_size=1000)
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type="patrols.dutyshift",
        object_repr=_("%(post)s：批量排班 %(n)d 班") % {"post": post, "n": len(created)},
        after={
            "post": post.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "windows": windows,
            "people": [p.pk for p in people],
            "school_days": len(days),
            "count": len(created),
        },
    )
    return created


@transaction.atomic
def shift_swap(*, shift: DutyShift, person, note: str = "", actor=None) -> DutyShift:
    """调班: the shift goes to ``person``; the old one is kept as swapped, for the record."""
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if shift.status != ShiftStatus.PLANNED:
        raise ValidationError(_("该班次已调班或已取消。"))
    if person.pk == shift.person_id:
        raise ValidationError({"person": _("调班对象与原值守人员相同。")})
    if shift.date < timezone.localdate():
        raise ValidationError(_("已过去的班次不能调班。"))
    shift.status = ShiftStatus.SWAPPED
    shift.save(update_fields=["status"])
    return DutyShift.objects.create(
        post=shift.post,
        date=shift.date,
        window=shift.window,
        person=person,
        person_name=person.display_name,
        person_kind=person_kind_of(person),
        swapped_from=shift,
        note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def shift_cancel(*, shift: DutyShift, note: str = "", actor=None) -> DutyShift:
    if shift.status == ShiftStatus.CANCELLED:
        raise ValidationError(_("该班次已取消。"))
    shift.status = ShiftStatus.CANCELLED
    shift.note = note[:200]
    shift.save(update_fields=["status", "note"])
    return shift


# ---- check-ins ---------------------------------------------------------------------------------


# The check-in INSERT's SQL per (database vendor, with the shift's subquery): built once from the
# model's fields, so a column added to CheckIn is inserted without touching this.
_CHECKIN_INSERT_SQL: dict[tuple[str, bool], str] = {}
_SHIFT_KEYS = ("post", "date", "window", "person", "status")


def _checkin_insert_sql(connection, with_shift: bool) -> str:
    key = (connection.vendor, with_shift)
    if key not in _CHECKIN_INSERT_SQL:
        qn = connection.ops.quote_name
        fields = [f for f in CheckIn._meta.concrete_fields if not f.primary_key]
        # Only the model's own table and column names, quoted; every value is a parameter.
        shift_sql = "(SELECT {id} FROM {table} WHERE {where} LIMIT 1)".format(  # noqa: S608
            id=qn(DutyShift._meta.pk.column),
            table=qn(DutyShift._meta.db_table),
            where=" AND ".join(
                f"{qn(DutyShift._meta.get_field(name).column)} = %s" for name in _SHIFT_KEYS
            ),
        )
        values = [shift_sql if with_shift and f.name == "shift" else "%s" for f in fields]
        _CHECKIN_INSERT_SQL[key] = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608
            qn(CheckIn._meta.db_table),
            ", ".join(qn(f.column) for f in fields),
            ", ".join(values),
            qn(CheckIn._meta.pk.column),
        )
    return _CHECKIN_INSERT_SQL[key]


def _insert_checkin(checkin: CheckIn, shift: dict | None) -> None:
    """INSERT ``checkin``; with ``shift`` (the DutyShift fields of the planned shift) the
    statement finds that shift itself. The hot path of the platform: compiling this INSERT
    through the ORM cost more than running it, so its SQL is built once from the model's fields
    and each value is prepared by its field as ``save()`` would (no model signals are sent:
    check-ins are not audited and nothing else listens). A refused unique key leaves the
    connection usable: inside a caller's transaction the INSERT runs in a savepoint; in
    autocommit (a request) the one statement is its own transaction, with no BEGIN and COMMIT
    round trips."""
    connection = transaction.get_connection()
    params = []
    for field in CheckIn._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name == "shift" and shift is not None:
            params += [
                DutyShift._meta.get_field(name).get_db_prep_save(
                    getattr(shift[name], "pk", shift[name]), connection
                )
                for name in _SHIFT_KEYS
            ]
            continue
        params.append(field.get_db_prep_save(field.pre_save(checkin, True), connection))
    sql = _checkin_insert_sql(connection, shift is not None)
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, params)
        checkin.pk = cursor.fetchone()[0]
    checkin._state.adding = False
    checkin._state.db = connection.alias
    if shift is not None:
        checkin.__dict__.pop("shift_id", None)  # deferred: read from the row when asked for


def checkin_record(
    *,
    post: GuardPost,
    user,
    at: dt.datetime | None = None,
    latitude=None,
    longitude=None,
    accuracy_m: int | None = None,
    proof: str = ProofKind.GPS,
    qr_token: str = "",
    idempotency_key: str = "",
    was_offline: bool = False,
    recorded_by=None,
    now: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record a check-in; returns (check-in, created). A key already stored returns the
    stored check-in unchanged (a re-sent offline check-in counts once).

    Invalid check-ins are stored too (with the reason): the refusal shown to the person and
    the statistics of missed windows come from the same row.

    A person counts once per post and window (``rules.already_checked_in``): when they already
    have a valid check-in there in this window, nothing is stored and that first check-in is
    returned, not created, with ``already_checked_in`` set on it and ``message`` saying so
    (“您已在本时段签到（07:20）”) — a second tap, another phone, or a queued check-in synced
    after a valid one. The unique constraint ``checkin_once_per_window`` holds it under races.
    Every returned check-in carries ``already_checked_in`` and ``message`` (empty when it was
    just stored).
    """
    now = now or timezone.now()  # tests and the benchmark pass a fixed clock
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("打卡时间晚于当前时间。")})
    if now - at > dt.timedelta(days=7):
        raise ValidationError({"at": _("离线打卡超过7天，不能补传。")})
    key = (idempotency_key or "").strip()[:64] or uuid.uuid4().hex
    if proof not in ProofKind.values:
        raise ValidationError({"proof": _("证明方式不正确。")})
    local = timezone.localtime(at)
    school_day = rules.is_school_day(post.school.term_calendar, local.date())
    if proof == ProofKind.QR and qr_token != post_qr_token(post, local.date()):
        raise ValidationError({"qr_token": _("二维码无效或已过期，请扫描岗点当天的二维码。")})
    if proof == ProofKind.MANUAL and (recorded_by is None or recorded_by.pk == user.pk):
        raise ValidationError({"proof": _("补录须由负责人为他人登记。")})
    verdict = rules.judge_checkin(
        post_lat=post.latitude,
        post_lon=post.longitude,
        radius_m=post.radius_m,
        windows=post.windows,
        local_time=local.time(),
        school_day=school_day,
        lat=latitude,
        lon=longitude,
        accuracy_m=accuracy_m,
        proof=proof,
    )
    checkin = CheckIn(
        post=post,
        school_id=post.school_id,
        user=user,
        person_kind=person_kind_of(user),
        date=local.date(),
        window=verdict.window,
        at=at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        distance_m=verdict.distance_m,
        proof=proof,
        is_valid=verdict.is_valid,
        problem=verdict.problem,
        was_offline=was_offline,
        recorded_by=recorded_by if proof == ProofKind.MANUAL else None,
        idempotency_key=key,
    )
    # The planned shift is found by the INSERT itself (one round trip less on the hot path).
    shift = (
        {
            "post": post,
            "date": local.date(),
            "window": verdict.window,
            "person": user,
            "status": ShiftStatus.PLANNED,
        }
        if verdict.window
        else None
    )
    if not checkin.is_valid and checkin.window:
        # A failed try in a window the person is already checked in at (too far this time, a
        # poor fix) is not stored either: they are checked in. One look-up, off the hot path.
        stored = _stored(checkin)
        if stored is not None:
            return stored, False
    # Insert first: a new key (nearly every request) costs no look-up; a key already stored
    # (a re-sent offline check-in, or the same key racing in from a second request) fails the
    # unique index and the stored check-in is read and returned unchanged; a valid check-in
    # where the person already has one fails checkin_once_per_window and the first is returned.
    try:
        _insert_checkin(checkin, shift)
    except IntegrityError:
        stored = _stored(checkin)
        if stored is None:  # another constraint failed
            raise
        return stored, False
    realtime.broadcast_org_changed(post.school.organization_id, "checkin")
    checkin.already_checked_in, checkin.message = False, ""
    return checkin, True


def _stored(checkin: CheckIn) -> CheckIn | None:
    """What is stored in place of ``checkin``: the check-in its key already stored (a re-send),
    else the person's valid check-in at the post in this window; None when neither exists."""
    same_window = Q(
        user=checkin.user_id,
        post=checkin.post_id,
        date=checkin.date,
        window=checkin.window,
        is_valid=True,
    )
    rows = list(
        CheckIn.objects.filter(Q(idempotency_key=checkin.idempotency_key) | same_window)
        .select_related("user")
        .order_by("at", "id")[:2]
    )
    resent = next((c for c in rows if c.idempotency_key == checkin.idempotency_key), None)
    if resent is not None:
        if resent.user_id != checkin.user_id:
            raise ValidationError({"idempotency_key": _("该幂等键已被其他人员使用。")})
        resent.already_checked_in, resent.message = False, _("该打卡已提交过，未重复计数。")
        return resent
    if not rows or not checkin.window:
        return None
    first = rows[0]
    first.already_checked_in = True
    first.message = rules.already_checked_in(
        timezone.localtime(first.at).time(),
        who="" if checkin.recorded_by_id is None else first.user.display_name,
    )
    return first


# ---- patrols -----------------------------------------------------------------------------------


# A checkpoint's defaults, the same for the page and the API (``checkpoint_defaults``): at a
# school its gate, where a grid patrol must pass (“将校园及周边纳入网格化巡逻的必巡点”,
# 攀公治〔2013〕41号, seed 004), reached within 150 m (the model's default too).
CHECKPOINT_RADIUS_M = 150
CHECKPOINT_MANDATORY = True
CHECKPOINT_FIELDS = ("name", "school", "latitude", "longitude", "radius_m", "is_mandatory")


def checkpoint_defaults(fields: dict) -> dict:
    """A checkpoint's fields with what was left out (None or blank) filled in: at a school, the
    name “<school>校门” and the school's position; a radius of ``CHECKPOINT_RADIUS_M``; a
    必巡点 unless said otherwise. Refuses, naming the field, a point left without a position
    or a name to take (no school, or a school whose position is not known)."""
    unknown = set(fields) - {*CHECKPOINT_FIELDS, "id"}
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    out = {key: fields.get(key) for key in CHECKPOINT_FIELDS}
    school = out["school"]
    name = (out["name"] or "").strip()
    if not name and school is not None:
        name = _("%(school)s校门") % {"school": school.organization.name}
    out["name"] = name[:64]
    if out["latitude"] is None and out["longitude"] is None and school is not None:
        out["latitude"], out["longitude"] = (
            school.organization.latitude,
            school.organization.longitude,
        )
    if out["radius_m"] is None:
        out["radius_m"] = CHECKPOINT_RADIUS_M
    if out["is_mandatory"] is None:
        out["is_mandatory"] = CHECKPOINT_MANDATORY
    errors = {}
    if out["latitude"] is None or out["longitude"] is None:
        errors["latitude"] = _("请填写巡逻点的纬度和经度（或选择已标注位置的学校）。")
    if not out["name"]:
        errors["name"] = _("请填写巡逻点名称。")
    if errors:
        raise ValidationError(errors)
    return out


def _checkpoint_rows(checkpoints: list[dict]) -> list[dict]:
    """Each row with its defaults (and its ``id`` when it names a stored checkpoint); a refusal
    names the row: ``checkpoints.<n>.<field>``, “第n个巡逻点：…”."""
    if not checkpoints:
        raise ValidationError({"checkpoints": _("巡逻路线至少要有一个巡逻点。")})
    rows = []
    for n, row in enumerate(checkpoints):
        try:
            filled = checkpoint_defaults(row)
        except ValidationError as exc:
            raise ValidationError(
                {
                    f"checkpoints.{n}.{key}": [
                        _("第%(n)d个巡逻点：%(problem)s") % {"n": n + 1, "problem": message}
                        for message in messages
                    ]
                    for key, messages in exc.message_dict.items()
                }
            ) from None
        if row.get("id") is not None:
            filled["id"] = row["id"]
        rows.append(filled)
    return rows


@transaction.atomic
def route_create(
    *, organization, name: str, grid: str = "", checkpoints: list[dict]
) -> PatrolRoute:
    """A route with its checkpoints in order (each row completed by ``checkpoint_defaults``)."""
    rows = _checkpoint_rows(checkpoints)
    route = PatrolRoute(organization=organization, name=name.strip(), grid=grid.strip())
    route.full_clean(exclude=["organization"])
    route.save()
    for n, cp in enumerate(rows, start=1):
        cp.pop("id", None)
        point = Checkpoint(route=route, order=n, **cp)
        point.full_clean(exclude=["route"])
        point.save()
    return route


@transaction.atomic
def route_update(
    *, route: PatrolRoute, name: str, grid: str, is_active: bool, checkpoints: list[dict]
) -> PatrolRoute:
    """Edit a route and its checkpoints in their new order (rows with the ``id`` of a stored
    checkpoint change it, rows without one add one, stored ones left out are removed; each
    row completed by ``checkpoint_defaults``).

    A checkpoint a patrol has ticked stays: its visits keep the record of that patrol
    (``CheckpointVisit.checkpoint`` is PROTECT); it can be made optional instead.
    """
    rows = _checkpoint_rows(checkpoints)
    route = PatrolRoute.objects.select_for_update().get(pk=route.pk)
    route.name, route.grid, route.is_active = name.strip(), grid.strip(), is_active
    route.full_clean(exclude=["organization"])
    route.save()
    stored = {cp.pk: cp for cp in Checkpoint.objects.filter(route=route)}
    kept = {row.get("id") for row in rows} & set(stored)
    removed = [cp for pk, cp in stored.items() if pk not in kept]
    visited = set(
        CheckpointVisit.objects.filter(checkpoint__in=removed).values_list(
            "checkpoint_id", flat=True
        )
    )
    if visited:
        names = "、".join(cp.name for cp in removed if cp.pk in visited)
        raise ValidationError(
            _("巡逻点“%(names)s”已有到点记录，不能删除；可改为非必巡点。") % {"names": names}
        )
    for cp in removed:
        cp.delete()
    for n, row in enumerate(rows, start=1):
        point = stored[row["id"]] if row.get("id") in kept else Checkpoint(route=route)
        for key, value in row.items():
            if key != "id":
                setattr(point, key, value)
        point.order = n
        point.full_clean(exclude=["route"])
        point.save()
    return route


@transaction.atomic
def patrol_start(
    *,
    route: PatrolRoute,
    leader,
    police_count: int = 1,
    auxiliary_count: int = 0,
    vehicles: int = 0,
    window: str = "",
    started_at=None,
) -> PatrolLog:
    started_at = started_at or timezone.now()
    if police_count < 1:
        raise ValidationError({"police_count": _("巡逻至少要有一名民警。")})
    log = PatrolLog(
        route=route,
        organization=route.organization,
        leader=leader,
        police_count=police_count,
        auxiliary_count=auxiliary_count,
        vehicles=vehicles,
        window=window,
        date=timezone.localtime(started_at).date(),
        started_at=started_at,
    )
    log.full_clean(exclude=["route", "organization", "leader"])
    log.save()
    return log


def _require_running(log: PatrolLog) -> None:
    if log.status != PatrolStatus.IN_PROGRESS:
        raise ValidationError(_("巡逻已结束。"))


@transaction.atomic
def patrol_visit(
    *,
    log: PatrolLog,
    checkpoint: Checkpoint,
    latitude=None,
    longitude=None,
    proof: str = ProofKind.GPS,
    at=None,
) -> CheckpointVisit:
    """Tick a checkpoint: a GPS fix must be within the checkpoint's radius."""
    log = PatrolLog.objects.select_for_update().get(pk=log.pk)
    _require_running(log)
    if checkpoint.route_id != log.route_id:
        raise ValidationError({"checkpoint": _("该巡逻点不在本路线上。")})
    distance = None
    if latitude is not None and longitude is not None:
        distance = round(
            rules.distance_m(checkpoint.latitude, checkpoint.longitude, latitude, longitude)
        )
    if proof == ProofKind.GPS and (distance is None or distance > checkpoint.radius_m):
        raise ValidationError(
            {
                "checkpoint": _("距巡逻点 %(d)s 米，未到达（半径 %(r)d 米）。")
                % {"d": "—" if distance is None else distance, "r": checkpoint.radius_m}
            }
        )
    visit, _created = CheckpointVisit.objects.get_or_create(
        log=log,
        checkpoint=checkpoint,
        defaults={
            "at": at or timezone.now(),
            "latitude": latitude,
            "longitude": longitude,
            "distance_m": distance,
            "proof": proof,
        },
    )
    return visit


def missed_checkpoints(log: PatrolLog):
    visited = log.visits.values("checkpoint_id")
    return log.route.checkpoints.filter(is_mandatory=True).exclude(pk__in=visited)


@transaction.atomic
def patrol_finish(*, log: PatrolLog, note: str = "", ended_at=None) -> PatrolLog:
    """End a patrol: completed when every 必巡点 was ticked, otherwise incomplete (漏巡)."""
    log = PatrolLog.objects.select_for_update().get(pk=log.pk)
    _require_running(log)
    log.ended_at = ended_at or timezone.now()
    log.note = note or log.note
    log.status = (
        PatrolStatus.INCOMPLETE if missed_checkpoints(log).exists() else PatrolStatus.COMPLETED
    )
    log.save(update_fields=["ended_at", "note", "status"])
    return log


@transaction.atomic
def patrol_abandon(*, log: PatrolLog, note: str) -> PatrolLog:
    """中止: an abandoned patrol closes as incomplete, with the reason."""
    if not (note or "").strip():
        raise ValidationError({"note": _("请写明中止原因。")})
    log = PatrolLog.objects.select_for_update().get(pk=log.pk)
    _require_running(log)
    log.ended_at = timezone.now()
    log.note = note
    log.status = PatrolStatus.ABANDONED
    log.save(update_fields=["ended_at", "note", "status"])
    return log


@transaction.atomic
def patrol_finding(
    *,
    log: PatrolLog,
    school,
    title: str,
    category: str,
    severity: str = "ordinary",
    description: str = "",
    actor=None,
):
    """A finding on a patrol becomes a hazard of the school (source: patrol)."""
    from huxiao.inspections.services import hazard_create

    return hazard_create(
        school=school,
        source="patrol",
        category=category,
        severity=severity,
        title=title,
        description=description or log.note,
        found_on=log.date,
        actor=actor,
    )


# ---- video patrols -----------------------------------------------------------------------------


@transaction.atomic
def video_patrol_record(
    *,
    school,
    officer,
    at=None,
    cameras_checked: int = 0,
    cameras_offline: int = 0,
    gate_closed: bool | None = None,
    guard_on_duty: bool | None = None,
    equipment_present: bool | None = None,
    observations: str = "",
    create_hazard: bool = True,
) -> VideoPatrol:
    """Record a video patrol; a problem seen becomes a hazard with source “视频巡查”."""
    if cameras_offline > cameras_checked:
        raise ValidationError({"cameras_offline": _("离线数不能多于查看数。")})
    patrol = VideoPatrol(
        school=school,
        officer=officer,
        at=at or timezone.now(),
        cameras_checked=cameras_checked,
        cameras_offline=cameras_offline,
        gate_closed=gate_closed,
        guard_on_duty=guard_on_duty,
        equipment_present=equipment_present,
        observations=observations,
    )
    # The three checks are yes / no / not seen (None); the model's BooleanField(null=True)
    # is not blank=True, so full_clean would refuse "not seen".
    patrol.full_clean(
        exclude=["school", "officer", "hazard", "gate_closed", "guard_on_duty", "equipment_present"]
    )
    patrol.save()
    if create_hazard and patrol.found_problem:
        from huxiao.inspections.services import hazard_create

        seen = []
        if cameras_offline:
            seen.append(_("%(n)d 路摄像头离线") % {"n": cameras_offline})
        if gate_closed is False:
            seen.append(_("校门未关闭/未管控"))
        if guard_on_duty is False:
            seen.append(_("保安不在岗"))
        if equipment_present is False:
            seen.append(_("防护装备不在位"))
        category = "technical" if cameras_offline and len(seen) == 1 else "personnel"
        patrol.hazard = hazard_create(
            school=school,
            source="video_patrol",
            category=category,
            title=_("视频巡查发现：%(what)s") % {"what": "；".join(seen)},
            description=observations,
            found_on=timezone.localtime(patrol.at).date(),
            actor=officer,
        )
        patrol.save(update_fields=["hazard"])
    return patrol
