"""Writes of the gate module (SPEC 2.5; issue 17). Every write goes through here: the phone
page, the other pages, the API and the demo call the same functions.

``visit_register`` is the morning-rush path: validate, make the key-person match and the ban
match, store the registration, tell whoever must know — all in one transaction, so a visitor is
never stored without the outcome of the match, and an alert never goes out for a registration
that was not stored. The match never fails silently: an error or a timeout in it holds the
registration as 未完成比对 and tells the station.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import crypto, parameters, realtime
from huxiao.core.choices import NotificationLevel
from huxiao.core.rowloader import JoinedRowLoader
from huxiao.core.services import notify
from huxiao.core.validators import id_number_problem
from huxiao.gate import rules, selectors
from huxiao.gate.choices import (
    BanBasis,
    MatchOutcome,
    PassKind,
    SeizedFrom,
    SeizureCategory,
    SeizureState,
    VisitAction,
    VisitPurpose,
    VisitState,
)
from huxiao.gate.models import BanEntry, Pass, Pickup, Seizure, VehicleEntry, Visit

logger = logging.getLogger("huxiao.gate")

# An offline registration may be synced this long after it was made; later is refused.
OFFLINE_DAYS = 2
FUTURE_SLACK = dt.timedelta(minutes=5)


def _link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return ""


def _required(errors: dict, field: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = _("请填写%(label)s。") % {"label": label}
    return value


def _choice(errors: dict, field: str, value: str, choices, label: str) -> str:
    if value not in choices.values:
        errors[field] = _("请选择%(label)s。") % {"label": label}
    return value


def station_users(school) -> list:
    """Active police users of the school's station (the school organisation's parent)."""
    from huxiao.persons.services.alerts import station_recipients

    return station_recipients(station_ids=[school.organization.parent_id])


def _alert_station(school, *, title: str, body: str, link: str) -> int:
    recipients = station_users(school)
    if recipients:
        notify(
            recipients=recipients,
            title=title,
            body=body,
            link=link,
            level=NotificationLevel.URGENT,
        )
    return len(recipients)


# ---- visits ------------------------------------------------------------------------------------


class MatchUnmade(Exception):
    """The key-person match could not be made (an error or a timeout)."""


def _key_person_match(*, actor, id_number: str, school):
    """persons.watchlist's match (audited; a hit alerts the station), bounded in time.

    Runs in a savepoint: a database error or the PostgreSQL statement timeout rolls back only
    the match, and the registration goes on, held as 未完成比对."""
    from huxiao.persons import watchlist

    timeout_ms = parameters.get("GATE_MATCH_TIMEOUT_MS")
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(timeout_ms)])
            result = watchlist.watchlist_match(actor=actor, id_number=id_number, school=school)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except ValidationError:
        raise
    except watchlist.TooManyQueries as exc:
        raise MatchUnmade(_("比对过于频繁，已被限流")) from exc
    except Exception as exc:  # noqa: BLE001 — any failure of the match must be flagged, not lost
        logger.exception("gate: key-person match failed for school %s", school.pk)
        raise MatchUnmade(_("比对系统故障或超时（%(e)s）") % {"e": type(exc).__name__}) from exc
    return result


def _ban_match(*, school, id_number: str, on: dt.date) -> BanEntry | None:
    return selectors.ban_matching(school, on, crypto.blind_index_candidates(id_number))


def _registered_at(at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + FUTURE_SLACK:
        raise ValidationError({"at": _("登记时间不能晚于当前时间，请检查手机时间。")})
    if at < now - dt.timedelta(days=OFFLINE_DAYS):
        raise ValidationError(
            {"at": _("离线登记超过%(d)d天未同步，不再接收，请重新登记。") % {"d": OFFLINE_DAYS}}
        )
    return at


def visit_register(
    *,
    school,
    actor,
    name: str,
    id_number: str,
    purpose: str,
    host=None,
    phone: str = "",
    plate: str = "",
    at: dt.datetime | None = None,
    idempotency_key: str = "",
    was_offline: bool = False,
    photos=(),
) -> tuple[Visit, bool]:
    """Register a visitor at ``school``'s gate; (the visit, created). A key already stored by
    the same guard answers the stored visit (an offline re-send counts once)."""
    key = (idempotency_key or "").strip()[:64] or uuid.uuid4().hex
    existing = _stored(key)
    if existing is not None:
        if existing.registered_by_id != actor.pk:
            raise ValidationError({"idempotency_key": _("该幂等键已被其他人员使用。")})
        return existing, False

    errors: dict = {}
    name = _required(errors, "name", name, _("姓名"))[:40]
    ident = (id_number or "").strip().upper()
    problem = id_number_problem(ident) if ident else _("请填写身份证号。")
    if problem:
        errors["id_number"] = problem
    _choice(errors, "purpose", purpose, VisitPurpose, _("来访事由"))
    if host is not None and host.organization_id != school.organization_id:
        errors["host"] = _("被访人须是本校教职工。")
    plate = rules.normalise_plate(plate)
    if plate and rules.plate_problem(plate):
        errors["plate"] = rules.plate_problem(plate)
    now = timezone.now()
    try:
        arrived = _registered_at(at, now)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    # The reads first: the key-person match's audit record takes the audit chain's lock
    # (core.audit), held to the commit, so everything after it is kept short.
    ban_failed = ""
    try:
        ban = _ban_match(school=school, id_number=ident, on=timezone.localdate(arrived))
    except Exception as exc:  # noqa: BLE001 — a failed ban match is flagged like a failed match
        logger.exception("gate: ban match failed for school %s", school.pk)
        ban, ban_failed = None, _("禁入名单比对故障（%(e)s）") % {"e": type(exc).__name__}
    try:
        return _store_visit(
            school=school,
            actor=actor,
            name=name,
            ident=ident,
            phone=phone,
            purpose=purpose,
            host=host,
            plate=plate,
            arrived=arrived,
            key=key,
            was_offline=was_offline,
            photos=photos,
            ban=ban,
            ban_failed=ban_failed,
        )
    except IntegrityError:
        # The same key sent twice at once (an offline re-send crossing the first): the other
        # request stored it; this one rolled back whole (its alert and audit records too).
        existing = _stored(key)
        if existing is None or existing.registered_by_id != actor.pk:
            raise
        return existing, False


# Every registration first looks its idempotency key up (a re-sent offline registration).
_VISIT_BY_KEY = JoinedRowLoader(Visit, [], by="idempotency_key")


def _stored(key: str) -> Visit | None:
    return _VISIT_BY_KEY.get(key)


def _store_visit(
    *,
    school,
    actor,
    name,
    ident,
    phone,
    purpose,
    host,
    plate,
    arrived,
    key,
    was_offline,
    photos,
    ban,
    ban_failed,
) -> tuple[Visit, bool]:
    """The match, the visit, the alerts and notices, in one transaction."""
    with transaction.atomic():
        outcome, instruction, error, alerted = MatchOutcome.CLEAR, "", "", 0
        try:
            result = _key_person_match(actor=actor, id_number=ident, school=school)
        except MatchUnmade as exc:
            outcome, instruction, error = MatchOutcome.UNMADE, rules.unmade_instruction(), str(exc)
        else:
            instruction = result.instruction
            if result.matched:
                outcome, alerted = MatchOutcome.KEY_PERSON, int(result.alert_raised)
        if ban is not None and outcome == MatchOutcome.CLEAR:
            outcome, instruction = MatchOutcome.BANNED, rules.ban_instruction(ban.basis)
        elif ban_failed and outcome == MatchOutcome.CLEAR:
            outcome, instruction, error = (
                MatchOutcome.UNMADE,
                rules.unmade_instruction(),
                ban_failed,
            )
        visit = Visit.objects.create(
            school=school,
            name=name,
            id_number=ident,
            phone=(phone or "").strip(),
            purpose=purpose,
            host=host,
            plate=plate,
            arrived_at=arrived,
            state=rules.state_after_match(outcome),
            match_outcome=outcome,
            match_error=error[:120],
            instruction=instruction,
            ban=ban,
            registered_by=actor,
            idempotency_key=key,
            was_offline=bool(was_offline),
        )
        link = _link("gate:visit_detail", visit.pk)
        where = school.organization.name
        realtime.broadcast_org_changed(school.organization_id, "visit")
        if outcome == MatchOutcome.UNMADE:
            visit.alerted = _alert_station(
                school,
                title=_("来访比对未完成：%(school)s") % {"school": where},
                body=_(
                    "%(school)s门卫登记来访人员%(name)s时重点人员比对未能完成（%(error)s），"
                    "登记已暂扣待核查，请核实处置。"
                )
                % {"school": where, "name": name, "error": error},
                link=link,
            )
        elif outcome == MatchOutcome.BANNED:
            visit.alerted = _alert_station(
                school,
                title=_("禁入人员到校：%(school)s") % {"school": where},
                body=_(
                    "%(school)s门卫登记来访人员时比中禁入名单（%(basis)s，发布单位%(org)s），"
                    "已劝阻入校，请关注。"
                )
                % {
                    "school": where,
                    "basis": BanBasis(ban.basis).label,
                    "org": ban.organization.name,
                },
                link=link,
            )
        else:
            visit.alerted = alerted
        if visit.alerted:
            Visit.objects.filter(pk=visit.pk).update(alerted=visit.alerted)
        if host is not None and visit.state == VisitState.IN:
            notify(
                recipients=[host],
                title=_("访客到校：%(name)s") % {"name": name},
                body=_("%(name)s（%(purpose)s）已在%(school)s门卫登记入校。")
                % {"name": name, "purpose": VisitPurpose(purpose).label, "school": where},
                link=link,
            )
        if photos:
            from huxiao.core.files import attachments_add

            attachments_add(
                owner=visit,
                organization=school.organization,
                uploads=photos,
                purpose="photo",
                actor=actor,
                images_only=True,
            )
    return visit, True


def visit_transition(*, visit: Visit, action: str, actor, note: str = "") -> Visit:
    """One step of the visit's state table (rules.VISIT_TRANSITIONS); refusals in Chinese."""
    with transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
        target = rules.visit_next_state(visit.state, action)
        if target is None:
            raise ValidationError(
                _("该登记当前状态为“%(state)s”，不能%(action)s。")
                % {"state": visit.get_state_display(), "action": VisitAction(action).label}
            )
        note = (note or "").strip()[:200]
        now = timezone.now()
        if action in rules.REVIEW_ACTIONS:
            if action == VisitAction.RELEASE and visit.match_outcome == MatchOutcome.BANNED:
                raise ValidationError(
                    _("比中禁入名单的人员不能放行入校；如名单有误，请先撤销该条禁入。")
                )
            if not note:
                raise ValidationError({"note": _("请填写核查说明。")})
            visit.reviewed_by, visit.reviewed_at, visit.review_note = actor, now, note
            if target == VisitState.REFUSED:
                visit.left_at = now
        if action == VisitAction.CHECK_OUT:
            visit.left_at = now
        visit.state = target
        visit.save()
    return visit


def visits_check_out_all(*, school, actor, today: dt.date | None = None) -> int:
    """The end-of-day check-out: every visitor of today still in school leaves now."""
    visits = list(
        selectors.visits_in_school(user=actor, school=school, today=today).values_list(
            "pk", flat=True
        )
    )
    done = 0
    for pk in visits:
        try:
            visit_transition(visit=Visit(pk=pk), action=VisitAction.CHECK_OUT, actor=actor)
            done += 1
        except ValidationError:  # checked out meanwhile by another guard
            continue
    return done


# ---- bans --------------------------------------------------------------------------------------


def _ban_keeper_problem(organization) -> str | None:
    from huxiao.core.choices import OrgKind

    if organization is None:
        return _("请选择发布单位。")
    if not (organization.is_police or organization.kind == OrgKind.EDUCATION_BUREAU):
        return _("禁入名单只能由教育行政部门或公安机关发布。")
    return None


def ban_create(
    *,
    organization,
    actor,
    name: str,
    id_number: str,
    basis: str,
    reason: str,
    decided_by: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    document_number: str = "",
    police_note: str = "",
) -> BanEntry:
    errors: dict = {}
    problem = _ban_keeper_problem(organization)
    if problem:
        errors["organization"] = problem
    name = _required(errors, "name", name, _("姓名"))
    ident = (id_number or "").strip().upper()
    problem = id_number_problem(ident) if ident else _("请填写身份证号。")
    if problem:
        errors["id_number"] = problem
    _choice(errors, "basis", basis, BanBasis, _("依据"))
    reason = _required(errors, "reason", reason, _("禁入事由"))
    decided_by = _required(errors, "decided_by", decided_by, _("决定机关/决定人"))
    if starts_on is None:
        errors["starts_on"] = _("请填写起始日期。")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("截止日期不能早于起始日期。")
    if (
        not errors
        and BanEntry.objects.filter(
            organization=organization,
            id_number_index__in=crypto.blind_index_candidates(ident),
            revoked_at__isnull=True,
        ).exists()
    ):
        errors["id_number"] = _("本单位已发布该人员的禁入名单（未撤销），请勿重复登记。")
    if errors:
        raise ValidationError(errors)
    return BanEntry.objects.create(
        organization=organization,
        name=name[:40],
        id_number=ident,
        basis=basis,
        reason=reason[:200],
        decided_by=decided_by[:100],
        document_number=(document_number or "").strip()[:60],
        starts_on=starts_on,
        ends_on=ends_on,
        police_note=(police_note or "").strip() if organization.is_police else "",
        created_by=actor,
    )


def _revoke(record, *, actor, done: str, reason: str | None = None, missing: str = ""):
    """Revoke (or cancel) ``record`` once, under a row lock: the time, who, and the reason when
    the record keeps one (``missing`` is the message for an empty one). ``done`` refuses a
    second revocation."""
    if reason is not None:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": missing})
    with transaction.atomic():
        record = type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)
        if record.revoked_at is not None:
            raise ValidationError(done)
        record.revoked_at, record.revoked_by = timezone.now(), actor
        if reason is not None:
            record.revoke_reason = reason[:200]
        record.save()
    return record


def ban_revoke(*, ban: BanEntry, actor, reason: str) -> BanEntry:
    return _revoke(
        ban,
        actor=actor,
        reason=reason or "",
        missing=_("请填写撤销原因。"),
        done=_("该禁入名单已撤销。"),
    )


# ---- passes and vehicles -----------------------------------------------------------------------


def pass_issue(
    *,
    school,
    actor,
    kind: str,
    number: str,
    holder: str,
    valid_from: dt.date,
    valid_until: dt.date,
    plate: str = "",
) -> Pass:
    errors: dict = {}
    _choice(errors, "kind", kind, PassKind, _("类别"))
    number = _required(errors, "number", number, _("证号"))[:20]
    holder = _required(errors, "holder", holder, _("持证人"))[:40]
    plate = rules.normalise_plate(plate)
    if kind == PassKind.VEHICLE:
        problem = rules.plate_problem(plate)
        if problem:
            errors["plate"] = problem
    elif plate:
        errors["plate"] = _("人员出入证不填车牌号。")
    if valid_from is None or valid_until is None:
        errors["valid_until"] = _("请填写有效期。")
    elif valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起。")
    if number and Pass.objects.filter(school=school, number=number).exists():
        errors["number"] = _("本校已有该证号的出入证。")
    if errors:
        raise ValidationError(errors)
    return Pass.objects.create(
        school=school,
        kind=kind,
        number=number,
        holder=holder,
        plate=plate,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=actor,
    )


def pass_revoke(*, pass_: Pass, actor, reason: str) -> Pass:
    return _revoke(
        pass_,
        actor=actor,
        reason=reason or "",
        missing=_("请填写注销原因。"),
        done=_("该出入证已注销。"),
    )


def vehicle_register(*, school, actor, plate: str, driver: str, purpose: str) -> VehicleEntry:
    errors: dict = {}
    plate = rules.normalise_plate(plate)
    problem = rules.plate_problem(plate)
    if problem:
        errors["plate"] = problem
    driver = _required(errors, "driver", driver, _("驾驶人"))[:40]
    purpose = _required(errors, "purpose", purpose, _("事由"))[:100]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    return VehicleEntry.objects.create(
        school=school,
        plate=plate,
        driver=driver,
        purpose=purpose,
        pass_used=selectors.vehicle_pass_in_force(school, plate, timezone.localdate(now)),
        arrived_at=now,
        registered_by=actor,
    )


def vehicle_check_out(*, entry: VehicleEntry, actor) -> VehicleEntry:
    with transaction.atomic():
        entry = VehicleEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
        if entry.left_at is not None:
            raise ValidationError(_("该车辆已登记离校。"))
        entry.left_at = timezone.now()
        entry.save()
    return entry


# ---- pick-ups ----------------------------------------------------------------------------------


def pickup_create(
    *,
    school,
    actor,
    pupil_name: str,
    pupil_class: str,
    adult_name: str,
    relation: str,
    phone: str,
    id_tail: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> Pickup:
    errors: dict = {}
    pupil_name = _required(errors, "pupil_name", pupil_name, _("学生姓名"))[:40]
    pupil_class = _required(errors, "pupil_class", pupil_class, _("班级"))[:40]
    adult_name = _required(errors, "adult_name", adult_name, _("接送人"))[:40]
    relation = _required(errors, "relation", relation, _("关系"))[:20]
    phone = _required(errors, "phone", phone, _("接送人手机号"))
    tail = rules.id_tail(id_tail)
    if len((id_tail or "").strip()) != 4 or not (
        tail[:3].isdigit() and (tail[3].isdigit() or tail[3] == "X")
    ):
        errors["id_tail"] = _("请填写接送人身份证号后四位（数字，末位可为X）。")
    if valid_from is None:
        errors["valid_from"] = _("请填写有效期起。")
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起。")
    if errors:
        raise ValidationError(errors)
    return Pickup.objects.create(
        school=school,
        pupil_name=pupil_name,
        pupil_class=pupil_class,
        adult_name=adult_name,
        relation=relation,
        phone=phone,
        id_tail=tail,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )


def pickup_revoke(*, pickup: Pickup, actor) -> Pickup:
    return _revoke(pickup, actor=actor, done=_("该接送授权已撤销。"))


def pickup_check(
    *, school, actor, pupil_name: str, pupil_class: str, adult_name: str, id_tail: str
) -> tuple[bool, str]:
    """Whether the collector is on the pupil's list today; every check is logged (a read of a
    minor's data). The answer names nobody beyond what the guard typed."""
    from huxiao.core import audit
    from huxiao.core.choices import AuditAction, AuditKind

    errors: dict = {}
    pupil_name = _required(errors, "pupil_name", pupil_name, _("学生姓名"))
    pupil_class = _required(errors, "pupil_class", pupil_class, _("班级"))
    adult_name = _required(errors, "adult_name", adult_name, _("接送人"))
    tail = rules.id_tail(id_tail)
    if len(tail) != 4:
        errors["id_tail"] = _("请填写接送人身份证号后四位。")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    listed = [
        p
        for p in Pickup.objects.filter(
            school=school, pupil_name=pupil_name, pupil_class=pupil_class
        )
        if rules.pickup_in_force(
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            revoked=p.revoked_at is not None,
            on=today,
        )
    ]
    match = next((p for p in listed if p.adult_name == adult_name and p.id_tail == tail), None)
    if match is not None:
        answer = _("核验通过：%(adult)s（%(relation)s）可接%(pupil)s。") % {
            "adult": adult_name,
            "relation": match.relation,
            "pupil": pupil_name,
        }
    elif listed:
        answer = _("核验未通过：该接送人不在学生的接送授权名单内，请勿交接，并联系班主任和家长。")
    else:
        answer = _("该学生没有有效的接送授权，请联系班主任和家长确认。")
    audit.append(
        kind=AuditKind.ACCESS,
        action=AuditAction.VIEW,
        object_type="gate.pickup",
        object_id=str(match.pk) if match else "",
        object_repr=_("接送核验：%(r)s") % {"r": _("通过") if match else _("未通过")},
        after={
            "school": school.pk,
            "pupil_class": pupil_class,
            "allowed": match is not None,
        },
        actor=actor,
    )
    return match is not None, answer


# ---- seizures ----------------------------------------------------------------------------------


def seizure_record(
    *,
    school,
    actor,
    category: str,
    description: str,
    seized_from: str,
    quantity: int = 1,
    person_name: str = "",
    seized_at: dt.datetime | None = None,
    visit: Visit | None = None,
    photos=(),
) -> Seizure:
    """Record a seized item: the station is told at once (urgent) and sees it as its record."""
    errors: dict = {}
    _choice(errors, "category", category, SeizureCategory, _("物品类别"))
    _choice(errors, "seized_from", seized_from, SeizedFrom, _("收缴对象"))
    description = _required(errors, "description", description, _("物品描述"))[:200]
    if not quantity or quantity < 1 or quantity > 1000:
        errors["quantity"] = _("数量应在1到1000之间。")
    now = timezone.now()
    seized_at = seized_at or now
    if seized_at > now + FUTURE_SLACK:
        errors["seized_at"] = _("收缴时间不能晚于当前时间。")
    if visit is not None and visit.school_id != school.pk:
        errors["visit"] = _("来访登记须是本校的。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        seizure = Seizure.objects.create(
            school=school,
            seized_at=seized_at,
            category=category,
            description=description,
            quantity=quantity,
            seized_from=seized_from,
            person_name=(person_name or "").strip()[:40],
            visit=visit,
            reported_by=actor,
        )
        realtime.broadcast_org_changed(school.organization_id, "seizure")
        threshold, days = selectors.seizure_window()
        recent = Seizure.objects.filter(
            school=school, seized_at__gte=now - dt.timedelta(days=days)
        ).count()
        where = school.organization.name
        body = _(
            "%(school)s收缴%(category)s%(n)d件（%(desc)s，收缴对象：%(from)s），请派员接收。"
        ) % {
            "school": where,
            "category": SeizureCategory(category).label,
            "n": quantity,
            "desc": description,
            "from": SeizedFrom(seized_from).label,
        }
        if rules.seizure_flagged(recent, threshold):
            body += _("该校%(days)d天内已收缴%(n)d起，请重点关注。") % {"days": days, "n": recent}
        seizure.alerted = _alert_station(
            school,
            title=_("学校收缴违禁物品：%(school)s") % {"school": where},
            body=body,
            link=_link("gate:seizure_detail", seizure.pk),
        )
        Seizure.objects.filter(pk=seizure.pk).update(alerted=seizure.alerted)
        if photos:
            from huxiao.core.files import attachments_add

            attachments_add(
                owner=seizure,
                organization=school.organization,
                uploads=photos,
                purpose="photo",
                actor=actor,
                images_only=True,
            )
    return seizure


def seizure_receive(*, seizure: Seizure, actor, note: str = "") -> Seizure:
    with transaction.atomic():
        seizure = Seizure.objects.select_for_update(of=("self",)).get(pk=seizure.pk)
        if seizure.state != SeizureState.REPORTED:
            raise ValidationError(_("该收缴物品已由公安接收。"))
        seizure.state = SeizureState.RECEIVED
        seizure.received_by, seizure.received_at = actor, timezone.now()
        seizure.police_note = (note or "").strip()[:200]
        seizure.save()
    return seizure
