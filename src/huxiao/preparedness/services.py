"""Writes of the preparedness module (SPEC 2.6; issue 18). Pages, the API, the periodic task and
the demo call these functions and nothing else writes the records: keyword-only arguments,
``full_clean`` before saving, one transaction each, refusals as ``ValidationError`` in Chinese.
Every save is in the change log (``core.signals``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core.choices import NotificationLevel, OrgKind
from huxiao.core.models import User
from huxiao.core.services import notification_subject, notifications_resolve, notify
from huxiao.preparedness import parameters as params
from huxiao.preparedness import rules
from huxiao.preparedness.choices import DrillAction, DrillKind, DrillState, PlanKind, PlanStatus
from huxiao.preparedness.models import Drill, EmergencyPlan

RECORD = "record"  # the task a missed drill's message asks for: record it (held) or cancel it
MAX_EVACUATION_SECONDS = 3600
MAX_DURATION_MINUTES = 600
MAX_PARTICIPANTS = 100_000
# How far ahead a drill may be planned.
MAX_PLAN_DAYS = 400


def _link(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return ""


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _choice(errors: dict, field: str, value, choices, label) -> None:
    if value not in choices.values:
        errors[field] = _("请选择%(label)s。") % {"label": label}


def _clean(instance, errors: dict) -> None:
    """``full_clean`` adding the model's own refusals to ``errors``, then refusing them all."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, "；".join(messages))
    if errors:
        raise ValidationError(errors)


def _attach(owner, *, school, uploads, purpose: str, actor, images_only: bool) -> None:
    if uploads:
        from huxiao.core.files import attachments_add

        attachments_add(
            owner=owner,
            organization=school.organization,
            uploads=uploads,
            purpose=purpose,
            actor=actor,
            images_only=images_only,
        )


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# ---- emergency plans -----------------------------------------------------------------------------


def plan_create(
    *,
    school,
    actor,
    kind: str,
    title: str,
    version: str,
    approved_on: dt.date | None,
    approved_by: str,
    review_months: int | None = None,
    notes: str = "",
    documents=(),
) -> EmergencyPlan:
    """Record a school's approved plan; its next review is ``rules.next_review`` from the
    approval, every ``review_months`` (default: the parameter)."""
    errors: dict = {}
    _choice(errors, "kind", kind, PlanKind, _("预案类别"))
    today = timezone.localdate()
    if approved_on is None:
        errors["approved_on"] = _("请填写批准日期。")
    elif approved_on > today:
        errors["approved_on"] = _("批准日期不能晚于今天。")
    months = review_months or params.get(params.PLAN_REVIEW_MONTHS)
    if not 1 <= int(months) <= 60:
        errors["review_months"] = _("评审周期应在1到60个月之间。")
        months = 12
    plan = EmergencyPlan(
        school=school,
        kind=kind,
        title=_text(title, 120),
        version=_text(version, 20),
        approved_on=approved_on or today,
        approved_by=_text(approved_by, 100),
        review_months=int(months),
        next_review_on=rules.next_review(
            approved_on=approved_on or today, last_reviewed_on=None, months=int(months)
        ),
        status=PlanStatus.IN_FORCE,
        notes=_text(notes, 200),
        created_by=_actor(actor),
    )
    _clean(plan, errors)
    with transaction.atomic():
        plan.save()
        _attach(
            plan,
            school=school,
            uploads=documents,
            purpose="plan",
            actor=actor,
            images_only=False,
        )
    return plan


def plan_review(
    *, plan: EmergencyPlan, actor, reviewed_on: dt.date | None, version: str = ""
) -> EmergencyPlan:
    """The plan was reviewed (评审修订) on ``reviewed_on``: its next review moves one cycle on."""
    with transaction.atomic():
        plan = EmergencyPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        errors: dict = {}
        if plan.status != PlanStatus.IN_FORCE:
            raise ValidationError(_("该预案已废止，不能评审。"))
        today = timezone.localdate()
        if reviewed_on is None:
            errors["reviewed_on"] = _("请填写评审日期。")
        elif reviewed_on > today:
            errors["reviewed_on"] = _("评审日期不能晚于今天。")
        elif reviewed_on < plan.approved_on:
            errors["reviewed_on"] = _("评审日期不能早于批准日期。")
        if errors:
            raise ValidationError(errors)
        plan.last_reviewed_on = reviewed_on
        plan.next_review_on = rules.next_review(
            approved_on=plan.approved_on, last_reviewed_on=reviewed_on, months=plan.review_months
        )
        if version.strip():
            plan.version = _text(version, 20)
        _clean(plan, {})
        plan.save()
        transaction.on_commit(
            lambda: notifications_resolve(subject=notification_subject(plan, "review"))
        )
    return plan


def plan_retire(*, plan: EmergencyPlan, actor) -> EmergencyPlan:
    with transaction.atomic():
        plan = EmergencyPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if plan.status == PlanStatus.RETIRED:
            raise ValidationError(_("该预案已废止。"))
        plan.status = PlanStatus.RETIRED
        plan.save()
    return plan


# ---- drills: planned -----------------------------------------------------------------------------


def _window_problems(planned_from, planned_until, today) -> dict:
    errors: dict = {}
    if planned_from is None:
        errors["planned_from"] = _("请填写计划日期。")
        return errors
    planned_until = planned_until or planned_from
    if planned_until < planned_from:
        errors["planned_until"] = _("计划截止日期不能早于开始日期。")
    elif planned_until < today:
        errors["planned_until"] = _("计划日期已过，不能再安排；已举行的演练请直接记录。")
    elif planned_from > today + dt.timedelta(days=MAX_PLAN_DAYS):
        errors["planned_from"] = _("只能安排%(n)d天内的演练。") % {"n": MAX_PLAN_DAYS}
    return errors


def _planned(*, school, kind, planned_from, planned_until, org, actor, batch="") -> Drill:
    planned_until = planned_until or planned_from
    return Drill(
        school=school,
        kind=kind,
        state=DrillState.PLANNED,
        day=planned_until,
        planned_from=planned_from,
        planned_until=planned_until,
        planned_by_org=org,
        planned_by=_actor(actor),
        batch=batch,
    )


def drill_plan(
    *,
    school,
    actor,
    kind: str,
    planned_from: dt.date | None,
    planned_until: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Drill:
    """A school plans one of its own drills (on a day, or within a window). ``as_of`` is the day
    the plan is made (default today; the demo writes a term's history)."""
    errors: dict = {}
    _choice(errors, "kind", kind, DrillKind, _("演练类别"))
    errors |= _window_problems(planned_from, planned_until, as_of or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    drill = _planned(
        school=school,
        kind=kind,
        planned_from=planned_from,
        planned_until=planned_until,
        # the planner's organisation (the school, or its bureau planning one drill for it)
        org=getattr(actor, "organization", None) or school.organization,
        actor=actor,
    )
    _clean(drill, {})
    with transaction.atomic():
        drill.save()
    return drill


def _answers_to(school, bureau) -> bool:
    edu = school.organization.education_bureau
    return edu is not None and edu.path.startswith(bureau.path)


def drill_plan_bulk(
    *,
    bureau,
    actor,
    schools,
    kind: str,
    planned_from: dt.date | None,
    planned_until: dt.date | None = None,
    as_of: dt.date | None = None,
) -> list[Drill]:
    """An education bureau plans one drill for each of ``schools`` (those answering to it, or to
    a bureau under it): every drill is created, or none (one refusal names the schools at
    fault). ``as_of``: as in ``drill_plan``."""
    errors: dict = {}
    if bureau is None or bureau.kind != OrgKind.EDUCATION_BUREAU:
        raise ValidationError(_("只有教育行政部门可以统一安排演练。"))
    _choice(errors, "kind", kind, DrillKind, _("演练类别"))
    errors |= _window_problems(planned_from, planned_until, as_of or timezone.localdate())
    schools = list({s.pk: s for s in schools}.values())
    if not schools:
        errors["schools"] = _("请至少选择一所学校。")
    outside = [s.organization.name for s in schools if not _answers_to(s, bureau)]
    if outside:
        errors["schools"] = _("以下学校不归本单位管理：%(names)s") % {"names": "、".join(outside)}
    if errors:
        raise ValidationError(errors)
    batch = uuid.uuid4().hex
    drills = [
        _planned(
            school=s,
            kind=kind,
            planned_from=planned_from,
            planned_until=planned_until,
            org=bureau,
            actor=actor,
            batch=batch,
        )
        for s in schools
    ]
    for drill in drills:
        _clean(drill, {})
    with transaction.atomic():
        for drill in drills:
            drill.save()
    return drills


# ---- drills: held --------------------------------------------------------------------------------


def _held_problems(*, held_on, students, staff, police, duration_minutes, evacuation_seconds):
    errors: dict = {}
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = _("请填写举行日期。")
    elif held_on > today:
        errors["held_on"] = _("举行日期不能晚于今天。")
    for field, value, label in (
        ("students", students, _("参演学生数")),
        ("staff", staff, _("参演教职工数")),
        ("police", police, _("到场民警数")),
    ):
        if value is not None and not 0 <= value <= MAX_PARTICIPANTS:
            errors[field] = _("%(label)s应在0到%(max)d之间。") % {
                "label": label,
                "max": MAX_PARTICIPANTS,
            }
    if (students or 0) + (staff or 0) <= 0:
        errors.setdefault("students", _("请填写参演学生和教职工人数。"))
    if duration_minutes is not None and not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("演练时长应在1到%(max)d分钟之间。") % {
            "max": MAX_DURATION_MINUTES
        }
    if evacuation_seconds is not None and not 1 <= evacuation_seconds <= MAX_EVACUATION_SECONDS:
        errors["evacuation_seconds"] = _("疏散用时应在1到%(max)d秒之间。") % {
            "max": MAX_EVACUATION_SECONDS
        }
    return errors


def _store_held(drill: Drill, *, actor, photos, errors: dict | None = None, **held) -> None:
    """Check what happened at ``drill`` (``held``: the ``_held_problems`` fields, evaluation,
    lessons), write it on the drill and store it with its photos, in the caller's transaction:
    a drill recorded without a plan, or a planned one held. ``errors``: the caller's own."""
    checked = {k: v for k, v in held.items() if k not in ("evaluation", "lessons")}
    errors = (errors or {}) | _held_problems(**checked)
    if errors:
        raise ValidationError(errors)
    held_on, seconds = held["held_on"], held["evacuation_seconds"]
    drill.state = DrillState.HELD
    drill.held_on = drill.day = held_on
    drill.students, drill.staff, drill.police = held["students"], held["staff"], held["police"]
    drill.duration_minutes = held["duration_minutes"]
    drill.evacuation_seconds = seconds
    # The target in force when the drill is recorded: a later change of the parameter does
    # not rewrite whether a past drill met it.
    drill.evacuation_target_seconds = (
        params.evacuation_target(drill.school.level) if seconds is not None else None
    )
    drill.evaluation = _text(held["evaluation"], 2000)
    drill.lessons = _text(held["lessons"], 2000)
    drill.recorded_by = _actor(actor)
    _clean(drill, {})
    drill.save()
    _attach(
        drill, school=drill.school, uploads=photos, purpose="photo", actor=actor, images_only=True
    )


def drill_record(
    *,
    school,
    actor,
    kind: str,
    held_on: dt.date | None,
    students: int | None = None,
    staff: int | None = None,
    police: int | None = None,
    duration_minutes: int | None = None,
    evacuation_seconds: int | None = None,
    evaluation: str = "",
    lessons: str = "",
    photos=(),
) -> Drill:
    """Record a drill the school held without a plan."""
    errors: dict = {}
    _choice(errors, "kind", kind, DrillKind, _("演练类别"))
    drill = Drill(school=school, kind=kind, planned_by_org=school.organization)
    with transaction.atomic():
        _store_held(
            drill,
            actor=actor,
            photos=photos,
            errors=errors,
            held_on=held_on,
            students=students,
            staff=staff,
            police=police,
            duration_minutes=duration_minutes,
            evacuation_seconds=evacuation_seconds,
            evaluation=evaluation,
            lessons=lessons,
        )
    return drill


def _locked(drill: Drill, action: str) -> Drill:
    locked = (
        Drill.objects.select_for_update(of=("self",))
        .select_related("school__organization")
        .get(pk=drill.pk)
    )
    if rules.drill_next_state(locked.state, action) is None:
        raise ValidationError(
            _("该演练当前状态为“%(state)s”，不能%(action)s。")
            % {"state": locked.get_state_display(), "action": DrillAction(action).label}
        )
    return locked


def _resolve_after_commit(drill: Drill) -> None:
    subject = notification_subject(drill, RECORD)
    transaction.on_commit(lambda: notifications_resolve(subject=subject))


def drill_hold(
    *,
    drill: Drill,
    actor,
    held_on: dt.date | None,
    students: int | None = None,
    staff: int | None = None,
    police: int | None = None,
    duration_minutes: int | None = None,
    evacuation_seconds: int | None = None,
    evaluation: str = "",
    lessons: str = "",
    photos=(),
) -> Drill:
    """planned → held (rules.DRILL_TRANSITIONS), with what happened."""
    with transaction.atomic():
        drill = _locked(drill, DrillAction.HOLD)
        _store_held(
            drill,
            actor=actor,
            photos=photos,
            held_on=held_on,
            students=students,
            staff=staff,
            police=police,
            duration_minutes=duration_minutes,
            evacuation_seconds=evacuation_seconds,
            evaluation=evaluation,
            lessons=lessons,
        )
        _resolve_after_commit(drill)
    return drill


def drill_cancel(*, drill: Drill, actor, reason: str) -> Drill:
    """planned → cancelled, with the reason."""
    reason = _text(reason, 200)
    with transaction.atomic():
        drill = _locked(drill, DrillAction.CANCEL)
        if not reason:
            raise ValidationError({"reason": _("请填写取消原因。")})
        drill.state = DrillState.CANCELLED
        drill.cancel_reason = reason
        drill.cancelled_by = _actor(actor)
        _clean(drill, {})
        drill.save()
        _resolve_after_commit(drill)
    return drill


# ---- missed drills (the periodic task) ----------------------------------------------------------


def _users_of(*orgs) -> list[User]:
    ids = [o.pk for o in orgs if o is not None]
    return list(User.objects.filter(organization_id__in=ids, is_active=True)) if ids else []


def drills_missed_notify(*, today: dt.date | None = None) -> dict:
    """Tell each school, and its education bureau, of its planned drills whose window closed
    without a record. Each drill is told once (``missed_notified_at``), so running it again —
    or twice at once — sends nothing more."""
    from huxiao.preparedness import selectors

    today = today or timezone.localdate()
    told = 0
    messages = 0
    for pk in list(selectors.missed_unnotified(today).values_list("pk", flat=True)):
        with transaction.atomic():
            drill = (
                Drill.objects.select_for_update(of=("self",))
                .select_related("school__organization__education_bureau")
                .filter(pk=pk, missed_notified_at__isnull=True, state=DrillState.PLANNED)
                .first()
            )
            if drill is None:  # recorded, cancelled or told meanwhile
                continue
            org = drill.school.organization
            recipients = _users_of(org, org.education_bureau)
            if recipients:
                notify(
                    recipients=recipients,
                    title=_("演练逾期未开展：%(school)s") % {"school": org.name},
                    body=_(
                        "%(school)s计划于%(until)s前开展的%(kind)s演练已逾期未记录，请尽快组织并"
                        "记录演练情况，或说明原因后取消。"
                    )
                    % {
                        "school": org.name,
                        "until": drill.planned_until.isoformat(),
                        "kind": drill.get_kind_display(),
                    },
                    link=_link("preparedness:drill_detail", drill.pk),
                    level=NotificationLevel.WARNING,
                    subject=notification_subject(drill, RECORD),
                )
            drill.missed_notified_at = timezone.now()
            drill.save(update_fields=["missed_notified_at"])
            told += 1
            messages += len(recipients)
    return {"drills": told, "messages": messages}
