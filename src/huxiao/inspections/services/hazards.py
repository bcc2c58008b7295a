"""Hazards and the rectification loop: notices, reports, re-checks, deadlines, 督办.

Every transition is one service here: it locks the hazard row, checks the transition table
(``rules.TRANSITIONS``) and, when the caller passes the version it read, that nobody else
changed the hazard meanwhile; then it writes the change, one ``HazardEvent`` (the history
shown to users) and, after commit, the notifications. The change itself is in the audit log
through the model signals.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from huxiao.core import dictionaries, files, parameters
from huxiao.core.choices import NotificationLevel, OrgKind
from huxiao.core.exceptions import ConflictError
from huxiao.core.models import User
from huxiao.core.services import notification_subject, notifications_resolve, notify
from huxiao.inspections import rules
from huxiao.inspections.choices import (
    HAZARD_CATEGORY,
    OPEN_STATES,
    PHOTO_COLUMNS,
    DocumentKind,
    HazardAction,
    HazardSource,
    HazardState,
    ItemGroup,
    ItemResult,
    PhotoPurpose,
    Severity,
)
from huxiao.inspections.models import (
    Escalation,
    Hazard,
    HazardEvent,
    InspectionResult,
    Recheck,
    RectificationNotice,
    RectificationReport,
)
from huxiao.inspections.services.numbering import next_serial

__all__ = ["ConflictError"]


# ---- helpers ---------------------------------------------------------------------------------


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return str(_("系统"))
    return actor.display_name


def _users_of(*orgs) -> list[User]:
    ids = [o.pk for o in orgs if o is not None]
    if not ids:
        return []
    return list(User.objects.filter(organization_id__in=ids, is_active=True))


def _link(hazard: Hazard) -> str:
    return reverse("inspections:hazard_detail", args=[hazard.pk])


def _notify_after_commit(recipients, **message) -> None:
    recipients = list({u.pk: u for u in recipients}.values())
    if recipients:
        transaction.on_commit(lambda: notify(recipients=recipients, **message))


# The tasks a hazard's messages ask for: the school to rectify and report, the police to
# re-check, the supervising organisation to handle a 督办. A message naming its task
# (``subject``) is resolved, read in every inbox, once the task is done
# (core.services.notifications_resolve): "整改报告待复查" when the re-check is made, the
# school's notices, reminders and overdue warnings when it reports, a 整改通知书 when every
# hazard on it is reported, a 督办 when its opinion is recorded.
RECTIFY, RECHECK, HANDLE = "rectify", "recheck", "handle"


def _task(obj, task: str) -> str:
    return notification_subject(obj, task)


def _open_task(hazard: Hazard) -> str:
    """The step a message about ``hazard`` waits on now: the school's report while it owes
    work, the police's re-check while the report waits; none once closed."""
    if hazard.state in rules.OVERDUE_STATES:
        return _task(hazard, RECTIFY)
    if hazard.state == HazardState.AWAITING_RECHECK:
        return _task(hazard, RECHECK)
    return ""


def _resolve_after_commit(obj, task: str) -> None:
    subject = _task(obj, task)
    transaction.on_commit(lambda: notifications_resolve(subject=subject))


def _school_side(hazard: Hazard) -> list[User]:
    """The school's users and its education bureau's users (主送 and 抄送)."""
    org = hazard.school.organization
    return _users_of(org, org.education_bureau)


def _police_side(hazard: Hazard) -> list[User]:
    """The station over the school (and the notice's issuer when that is another organ)."""
    org = hazard.school.organization
    issuer = hazard.notice.issuer if hazard.notice_id else None
    return _users_of(org.parent, issuer)


def _lock(hazard: Hazard, expected_version: int | None) -> Hazard:
    locked = (
        Hazard.objects.select_for_update().select_related("school__organization").get(pk=hazard.pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(
            _(
                "该隐患已被他人修改（当前版本 %(now)d，您提交的是版本 %(yours)d），请刷新页面后重新操作。"
            )
            % {"now": locked.version, "yours": int(expected_version)}
        )
    return locked


def _check(hazard: Hazard, action: str) -> None:
    problem = rules.transition_problem(action, hazard.state)
    if problem:
        raise ValidationError(problem)


def _require(action: str, **values) -> None:
    """Refuse the required arguments of ``action`` (``rules.TRANSITIONS``) left empty."""
    missing = rules.missing_arguments(action, values)
    if missing:
        raise ValidationError(missing)


def _event(hazard: Hazard, action: str, *, actor=None, from_state="", note="", **data):
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_state=from_state,
        to_state=hazard.state if from_state else "",
        actor=_actor(actor),
        actor_name=_actor_name(actor),
        note=note,
        data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()},
    )


def _save(hazard: Hazard, fields: list[str]) -> None:
    # The row is locked (``_lock``), so a plain increment cannot race.
    hazard.version += 1
    hazard.save(update_fields=[*fields, "version", "updated_at"])


def _check_deadline(deadline: dt.date | None, field: str = "deadline") -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({field: _("整改期限不能早于今天。")})


# ---- creation ----------------------------------------------------------------------------------


HAZARD_FIELDS = {"category", "severity", "title", "description", "responsible_party", "deadline"}

# Sources whose hazards get their category from code, not from a user's choice: a failed
# checklist item's group, what a video patrol saw, an offline device. These built-in groups
# stay valid for them even when an administrator disabled one for manual choice.
CATEGORY_FROM_CODE = (HazardSource.VIDEO_PATROL, HazardSource.DEVICE_OFFLINE)


def check_category(category: str, *, current: str | None = None, from_code: bool = False) -> None:
    """An enabled entry of the hazard categories (字典管理); a hazard keeps its own ``current``
    category even after it was disabled."""
    if dictionaries.is_valid(HAZARD_CATEGORY, category, allow_disabled_current=current):
        return
    if from_code and category in ItemGroup.values:
        return
    raise ValidationError({"category": _("隐患类别不存在或已停用，请重新选择。")})


@transaction.atomic
def hazard_create(
    *,
    school,
    source: str,
    category: str,
    title: str,
    severity: str = Severity.ORDINARY,
    description: str = "",
    responsible_party: str = "",
    found_on: dt.date | None = None,
    deadline: dt.date | None = None,
    inspection_result: InspectionResult | None = None,
    photos=(),
    actor=None,
) -> Hazard:
    """Register a hazard at ``school`` (photos are the “before” pictures)."""
    today = timezone.localdate()
    found_on = found_on or today
    if found_on > today:
        raise ValidationError({"found_on": _("发现日期不能晚于今天。")})
    _check_deadline(deadline)
    check_category(
        category, from_code=inspection_result is not None or source in CATEGORY_FROM_CODE
    )
    hazard = Hazard(
        school=school,
        source=source,
        category=category,
        severity=severity,
        title=(title or "").strip(),
        description=description,
        responsible_party=responsible_party.strip() or school.organization.name,
        found_on=found_on,
        deadline=deadline,
        inspection_result=inspection_result,
        reported_by=_actor(actor),
    )
    hazard.full_clean(exclude=["school", "inspection_result", "notice", "reported_by"])
    hazard.save()
    if photos:
        files.attachments_add(
            owner=hazard,
            organization=school.organization,
            uploads=photos,
            purpose=PhotoPurpose.BEFORE,
            actor=actor,
            images_only=True,
        )
    _event(
        hazard,
        HazardAction.CREATED,
        actor=actor,
        from_state=HazardState.PENDING,
        note=hazard.title,
        source=source,
        severity=severity,
        deadline=deadline,
    )
    _notify_after_commit(
        _school_side(hazard),
        title=_("新隐患：%(school)s — %(title)s") % {"school": school, "title": hazard.title},
        body=_("来源：%(source)s；等级：%(severity)s。")
        % {"source": hazard.get_source_display(), "severity": hazard.get_severity_display()},
        link=_link(hazard),
        level=NotificationLevel.URGENT if severity == Severity.MAJOR else NotificationLevel.WARNING,
        subject=_task(hazard, RECTIFY),
    )
    return hazard


@transaction.atomic
def hazard_from_result(
    *,
    result: InspectionResult,
    severity: str = Severity.ORDINARY,
    title: str = "",
    description: str = "",
    deadline: dt.date | None = None,
    photos=(),
    actor=None,
) -> Hazard:
    """One step from a failed checklist item to a hazard of the inspected school."""
    result = (
        InspectionResult.objects.select_for_update()
        .select_related("inspection__school__organization", "item")
        .get(pk=result.pk)
    )
    if result.result != ItemResult.FAIL:
        raise ValidationError(_("只有“不合格”的检查项才能登记为隐患。"))
    if Hazard.objects.filter(inspection_result=result).exists():
        raise ValidationError(_("该检查项已登记隐患。"))
    inspection = result.inspection
    return hazard_create(
        school=inspection.school,
        source=HazardSource.INSPECTION,
        category=result.item.group if result.item.group in ItemGroup.values else ItemGroup.RULES,
        title=title or result.item.text,
        severity=severity,
        description=description or result.note,
        found_on=inspection.date,
        deadline=deadline,
        inspection_result=result,
        photos=photos,
        actor=actor,
    )


@transaction.atomic
def hazard_add_photos(
    *, hazard: Hazard, uploads, purpose: str = PhotoPurpose.BEFORE, actor=None
) -> list:
    """Pictures added to an open hazard under one of its photo columns (整改前, 整改后, 复查):
    a purpose no column shows would file them where nobody sees them."""
    if purpose not in PHOTO_COLUMNS:
        raise ValidationError({"purpose": _("照片用途不正确。")})
    hazard = _lock(hazard, None)
    if not hazard.is_open:
        raise ValidationError(_("隐患已销号，不能再上传照片。"))
    added = files.attachments_add(
        owner=hazard,
        organization=hazard.school.organization,
        uploads=uploads,
        purpose=purpose,
        actor=actor,
        images_only=True,
    )
    _event(hazard, HazardAction.PHOTO_ADDED, actor=actor, purpose=purpose, count=len(added))
    return added


@transaction.atomic
def hazard_note(*, hazard: Hazard, note: str, actor=None, **data) -> HazardEvent:
    """A fact noted on the hazard's history by another module, without changing its state or
    its version (a device offline since … is back online): the rectification loop still decides
    when it closes (docs/decisions.md)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写说明。")})
    hazard = _lock(hazard, None)
    return _event(hazard, HazardAction.NOTED, actor=actor, note=note, **data)


# ---- notices -----------------------------------------------------------------------------------


def _issuing_org(actor, school):
    """Notices are issued by the officer's police organisation, else the school's station."""
    org = getattr(actor, "organization", None)
    if org is not None and org.is_police:
        return org
    return school.organization.parent


@transaction.atomic
def notice_issue(
    *,
    school,
    hazards,
    working_days: int | None = None,
    requirements: str = "",
    issue_date: dt.date | None = None,
    issuer=None,
    title: str = "",
    actor=None,
) -> RectificationNotice:
    """Issue a numbered 整改通知书 to ``school`` for ``hazards``, due in ``working_days``.

    The number is ``{机关代字}〔{年}〕{n}号`` from the issuer's gap-free yearly sequence; the
    deadline is the n-th working day after the issue date on the official calendar; the
    school is served and its education bureau copied (抄送).
    """
    hazards = list(hazards)
    if not hazards:
        raise ValidationError({"hazards": _("请至少选择一项隐患。")})
    working_days = working_days or parameters.get("NOTICE_DEFAULT_WORKDAYS")
    if working_days < 1 or working_days > 120:
        raise ValidationError({"working_days": _("整改期限应为1至120个工作日。")})
    issue_date = issue_date or timezone.localdate()
    issuer = issuer or _issuing_org(actor, school)
    if issuer is None or not issuer.is_police:
        raise ValidationError({"issuer": _("整改通知书应由公安机关签发。")})
    locked = [_lock(h, None) for h in hazards]
    for hazard in locked:
        if hazard.school_id != school.pk:
            raise ValidationError({"hazards": _("隐患“%(t)s”不属于该学校。") % {"t": hazard.title}})
        _check(hazard, HazardAction.NOTICE_ISSUED)
        if hazard.notice_id:
            raise ValidationError(
                {
                    "hazards": _("隐患“%(t)s”已列入整改通知书 %(n)s。")
                    % {"t": hazard.title, "n": hazard.notice.number}
                }
            )
    year = issue_date.year
    serial = next_serial(organization=issuer, kind=DocumentKind.RECTIFICATION, year=year)
    prefix = issuer.doc_prefix or issuer.short_name or issuer.name
    deadline = rules.notice_deadline(issue_date, working_days)
    notice = RectificationNotice(
        issuer=issuer,
        school=school,
        copy_to=school.organization.education_bureau,
        year=year,
        serial=serial,
        number=rules.document_number(prefix, year, serial),
        title=title.strip() or _("关于%(school)s安全隐患限期整改的通知") % {"school": school},
        requirements=requirements,
        issue_date=issue_date,
        working_days=working_days,
        deadline=deadline,
        issued_by=_actor(actor),
    )
    notice.full_clean(exclude=["issuer", "school", "copy_to", "issued_by"])
    notice.save()
    for hazard in locked:
        hazard.notice = notice
        hazard.deadline = deadline
        hazard.is_overdue = False
        _save(hazard, ["notice", "deadline", "is_overdue"])
        _event(
            hazard,
            HazardAction.NOTICE_ISSUED,
            actor=actor,
            note=notice.number,
            notice=notice.pk,
            deadline=deadline,
        )
    _notify_after_commit(
        _users_of(school.organization, school.organization.education_bureau),
        title=_("整改通知书 %(n)s") % {"n": notice.number},
        body=_("%(school)s：%(count)d项隐患，请于%(deadline)s前整改完毕并提交整改报告。")
        % {"school": school, "count": len(locked), "deadline": f"{deadline:%Y-%m-%d}"},
        link=reverse("inspections:notice_detail", args=[notice.pk]),
        level=NotificationLevel.WARNING,
        subject=_task(notice, RECTIFY),  # done when every hazard on it is reported
    )
    return notice


@transaction.atomic
def notice_receive(*, notice: RectificationNotice, actor) -> RectificationNotice:
    """签收: the first school user who opens the notice is recorded as having received it."""
    if (
        notice.received_at is None
        and getattr(actor, "organization_id", None) == notice.school.organization_id
    ):
        notice.received_at = timezone.now()
        notice.received_by = actor
        notice.save(update_fields=["received_at", "received_by"])
    return notice


# ---- the school's side -------------------------------------------------------------------------


@transaction.atomic
def hazard_start(*, hazard: Hazard, actor=None, note: str = "", expected_version=None) -> Hazard:
    hazard = _lock(hazard, expected_version)
    _check(hazard, HazardAction.STARTED)
    before = hazard.state
    hazard.state = HazardState.RECTIFYING
    _save(hazard, ["state"])
    _event(hazard, HazardAction.STARTED, actor=actor, from_state=before, note=note)
    return hazard


@transaction.atomic
def hazard_report(
    *, hazard: Hazard, measures: str, evidence=(), actor=None, expected_version=None
) -> RectificationReport:
    """The school's 整改报告: measures and evidence; the hazard waits for the re-check."""
    _require(HazardAction.REPORTED, measures=measures)
    measures = measures.strip()
    hazard = _lock(hazard, expected_version)
    _check(hazard, HazardAction.REPORTED)
    report = RectificationReport.objects.create(
        hazard=hazard, measures=measures, submitted_by=_actor(actor)
    )
    # Every file checked before any is stored (one bad file refuses them all); the pictures
    # are the school's 整改后 photos, a PDF (验收单) stays the report's evidence.
    evidence = list(evidence or ())
    kinds = [files.validate_upload(upload) for upload in evidence]
    for upload, (mime, _ext) in zip(evidence, kinds, strict=True):
        files.attachment_add(
            owner=report,
            organization=hazard.school.organization,
            upload=upload,
            purpose=PhotoPurpose.AFTER if mime in files.IMAGE_TYPES else PhotoPurpose.EVIDENCE,
            actor=actor,
        )
    before = hazard.state
    hazard.state = HazardState.AWAITING_RECHECK
    _save(hazard, ["state"])
    _event(
        hazard,
        HazardAction.REPORTED,
        actor=actor,
        from_state=before,
        note=measures,
        report=report.pk,
        evidence=len(evidence),
    )
    _notify_after_commit(
        _police_side(hazard),
        title=_("整改报告待复查：%(school)s — %(title)s")
        % {"school": hazard.school, "title": hazard.title},
        link=_link(hazard),
        subject=_task(hazard, RECHECK),
    )
    _resolve_after_commit(hazard, RECTIFY)  # the school's "rectify" messages: done
    if (
        hazard.notice_id
        and not hazard.notice.hazards.filter(state__in=rules.OVERDUE_STATES).exists()
    ):
        _resolve_after_commit(hazard.notice, RECTIFY)  # the notice's last hazard reported
    return report


# ---- the police side ---------------------------------------------------------------------------


@transaction.atomic
def hazard_recheck(
    *,
    hazard: Hazard,
    passed: bool,
    note: str = "",
    new_deadline: dt.date | None = None,
    new_working_days: int | None = None,
    photos=(),
    actor=None,
    expected_version=None,
) -> Recheck:
    """复查: pass closes the hazard (销号); fail sends it back with a new deadline."""
    hazard = _lock(hazard, expected_version)
    action = HazardAction.RECHECK_PASSED if passed else HazardAction.RECHECK_FAILED
    _check(hazard, action)
    note = note or ""
    if not passed:
        if new_deadline is None and new_working_days:
            new_deadline = rules.notice_deadline(timezone.localdate(), new_working_days)
        if new_deadline is None:
            raise ValidationError({"new_deadline": _("复查不通过时必须给出新的整改期限。")})
        _check_deadline(new_deadline, "new_deadline")
    _require(action, note=note)
    report = hazard.reports.order_by("-submitted_at", "-id").first()
    recheck = Recheck.objects.create(
        hazard=hazard,
        report=report,
        passed=passed,
        note=note,
        new_deadline=None if passed else new_deadline,
        officer=_actor(actor),
    )
    if photos:
        files.attachments_add(
            owner=hazard,
            organization=hazard.school.organization,
            uploads=photos,
            purpose=PhotoPurpose.RECHECK,  # the re-check's own, whatever its result
            actor=actor,
            images_only=True,
        )
    before = hazard.state
    fields = ["state"]
    if passed:
        hazard.state = HazardState.CLOSED
        hazard.closed_at = timezone.now()
        hazard.is_overdue = False
        fields += ["closed_at", "is_overdue"]
    else:
        hazard.state = HazardState.RECTIFYING
        hazard.deadline = new_deadline
        hazard.is_overdue = False
        fields += ["deadline", "is_overdue"]
    _save(hazard, fields)
    _event(
        hazard,
        action,
        actor=actor,
        from_state=before,
        note=note,
        recheck=recheck.pk,
        new_deadline=None if passed else new_deadline,
    )
    if passed:
        title = _("隐患已销号：%(school)s — %(title)s")
    else:
        title = _("复查未通过，请于%(deadline)s前重新整改：%(school)s — %(title)s")
    _notify_after_commit(
        _school_side(hazard),
        title=title
        % {
            "school": hazard.school,
            "title": hazard.title,
            "deadline": f"{new_deadline:%Y-%m-%d}" if new_deadline else "",
        },
        body=note,
        link=_link(hazard),
        level=NotificationLevel.INFO if passed else NotificationLevel.WARNING,
        subject="" if passed else _task(hazard, RECTIFY),  # sent back: to rectify again
    )
    _resolve_after_commit(hazard, RECHECK)
    if passed:  # closed: nothing about it waits any more
        _resolve_after_commit(hazard, RECTIFY)
    return recheck


@transaction.atomic
def hazard_change_deadline(
    *, hazard: Hazard, deadline: dt.date, reason: str, actor=None, expected_version=None
) -> Hazard:
    _require(HazardAction.DEADLINE_CHANGED, deadline=deadline, reason=reason)
    _check_deadline(deadline)
    hazard = _lock(hazard, expected_version)
    _check(hazard, HazardAction.DEADLINE_CHANGED)
    old = hazard.deadline
    hazard.deadline = deadline
    hazard.is_overdue = rules.is_overdue(
        state=hazard.state, deadline=deadline, today=timezone.localdate()
    )
    _save(hazard, ["deadline", "is_overdue"])
    _event(hazard, HazardAction.DEADLINE_CHANGED, actor=actor, note=reason, old=old, new=deadline)
    _notify_after_commit(
        _school_side(hazard),
        title=_("整改期限调整为%(d)s：%(title)s")
        % {"d": f"{deadline:%Y-%m-%d}", "title": hazard.title},
        body=reason,
        link=_link(hazard),
        subject=_open_task(hazard),
    )
    return hazard


@transaction.atomic
def hazard_escalate(
    *,
    hazard: Hazard,
    reason: str,
    actor=None,
    supervisor=None,
    deadline=None,
    expected_version=None,
) -> Escalation:
    """挂牌督办 under the superior organisation, numbered in its 督办 sequence."""
    hazard = _lock(hazard, expected_version)
    _check(hazard, HazardAction.ESCALATED)
    if hazard.is_escalated:
        raise ValidationError(_("该隐患已挂牌督办。"))
    _require(HazardAction.ESCALATED, reason=reason)
    reason = reason.strip()
    issuer = hazard.notice.issuer if hazard.notice_id else None
    supervisor = supervisor or rules.supervisor_for(
        issuer=issuer, school_org=hazard.school.organization
    )
    if supervisor.kind not in (OrgKind.CITY_BUREAU, OrgKind.SUB_BUREAU, OrgKind.STATION):
        raise ValidationError({"supervisor": _("督办单位应为公安机关。")})
    today = timezone.localdate()
    serial = next_serial(organization=supervisor, kind=DocumentKind.SUPERVISION, year=today.year)
    prefix = supervisor.doc_prefix or supervisor.short_name or supervisor.name
    escalation = Escalation.objects.create(
        hazard=hazard,
        supervisor=supervisor,
        reason=reason[:200],
        year=today.year,
        serial=serial,
        number=rules.document_number(prefix + "督", today.year, serial),
        deadline=deadline,
        created_by=_actor(actor),
    )
    hazard.is_escalated = True
    _save(hazard, ["is_escalated"])
    _event(
        hazard,
        HazardAction.ESCALATED,
        actor=actor,
        note=reason,
        escalation=escalation.pk,
        supervisor=supervisor.name,
    )
    message = {
        "title": _("挂牌督办 %(n)s：%(school)s — %(title)s")
        % {"n": escalation.number, "school": hazard.school, "title": hazard.title},
        "body": reason,
        "link": _link(hazard),
        "level": NotificationLevel.URGENT,
    }
    # The supervising organisation is asked for its 督办意见; the school and the station are
    # told while the hazard waits on them (done when the school reports, or on the re-check).
    supervising = _users_of(supervisor)
    _notify_after_commit(supervising, **message, subject=_task(escalation, HANDLE))
    told = {u.pk for u in supervising}
    _notify_after_commit(
        [u for u in [*_school_side(hazard), *_police_side(hazard)] if u.pk not in told],
        **message,
        subject=_open_task(hazard),
    )
    return escalation


@transaction.atomic
def hazard_chase(*, hazard: Hazard, actor, note: str = "", expected_version=None) -> HazardEvent:
    """催办: the education bureau or the police press the school on an overdue or near-due
    hazard (``rules.chase_problem``). The school's users are told at once; the step is kept in
    the hazard's history and counted (``Hazard.chase_count``, 被催办 n 次). One chase a day per
    organisation: a second one the same day is refused, not sent again."""
    hazard = _lock(hazard, expected_version)
    _check(hazard, HazardAction.CHASED)
    today = timezone.localdate()
    problem = rules.chase_problem(hazard, today)
    if problem:
        raise ValidationError(problem)
    who = _actor(actor)
    org = who.organization if who is not None and who.organization_id else None
    if org is not None:
        start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
        if HazardEvent.objects.filter(
            hazard=hazard,
            action=HazardAction.CHASED,
            actor__organization_id=org.pk,
            at__gte=start,
        ).exists():
            raise ValidationError(
                _("%(org)s今天已催办过该隐患，请勿重复催办。") % {"org": org.name}
            )
    note = (note or "").strip()
    overdue = rules.hazard_overdue(hazard, today)
    hazard.chase_count += 1
    _save(hazard, ["chase_count"])
    event = _event(
        hazard,
        HazardAction.CHASED,
        actor=actor,
        note=note,
        organization=org.name if org is not None else "",
        overdue=overdue,
        deadline=hazard.deadline,
        count=hazard.chase_count,
    )
    _notify_after_commit(
        _users_of(hazard.school.organization),
        title=_("催办（第%(n)d次）：%(title)s，整改期限 %(deadline)s%(late)s")
        % {
            "n": hazard.chase_count,
            "title": hazard.title,
            "deadline": hazard.deadline.isoformat() if hazard.deadline else "—",
            "late": _("，已逾期") if overdue else "",
        },
        body=note
        or _("%(org)s催促尽快完成整改并提交整改报告。")
        % {"org": org.name if org is not None else _("上级单位")},
        link=_link(hazard),
        level=NotificationLevel.URGENT if overdue else NotificationLevel.WARNING,
        subject=_task(hazard, RECTIFY),
    )
    return event


@transaction.atomic
def escalation_handle(*, escalation: Escalation, note: str, actor) -> Escalation:
    """The supervising organisation records its 督办意见 (the escalation leaves its queue)."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.handled_at is not None:
        raise ValidationError(_("该督办事项已处理。"))
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写督办意见。")})
    escalation.handled_at = timezone.now()
    escalation.handled_by = _actor(actor)
    escalation.handling_note = note.strip()
    escalation.save(update_fields=["handled_at", "handled_by", "handling_note"])
    hazard = escalation.hazard
    _event(
        hazard, HazardAction.ESCALATION_HANDLED, actor=actor, note=note, escalation=escalation.pk
    )
    _notify_after_commit(
        [*_school_side(hazard), *_police_side(hazard)],
        title=_("督办意见 %(n)s：%(title)s") % {"n": escalation.number, "title": hazard.title},
        body=note,
        link=_link(hazard),
        level=NotificationLevel.WARNING,
        subject=_open_task(hazard),
    )
    _resolve_after_commit(escalation, HANDLE)
    return escalation


# ---- one entry point for pages and the API ----------------------------------------------------


def hazard_transition(*, hazard: Hazard, action: str, actor, arguments, expected_version=None):
    """Run the transition named ``action`` as ``rules.TRANSITIONS`` says: its service, with
    the keywords the transition fixes and the arguments it takes, read from ``arguments`` (a
    page form's cleaned data or an API body with its uploads: the same names either way).

    The caller has checked that ``actor`` may run it (``selectors.may_run``); the service
    checks the state, the version and the arguments.
    """
    transition = rules.TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": _("未知的操作：%(a)s") % {"a": action}})
    if not (transition.page or transition.api):
        raise ValidationError(
            rules.transition_problem(action, hazard.state) or _("该操作不能通过此接口执行。")
        )
    values = rules.transition_arguments(action, arguments)
    for arg in transition.args:
        if arg.files and len(values.get(arg.name) or ()) > rules.MAX_FILES:
            raise ValidationError(
                {arg.name: _("一次最多上传 %(n)d 个文件。") % {"n": rules.MAX_FILES}}
            )
    service = import_string(transition.service)
    return service(
        hazard=hazard,
        actor=actor,
        expected_version=expected_version,
        **dict(transition.fixed),
        **values,
    )


# ---- a year's 放假调休 arrangement loaded ------------------------------------------------------


def deadlines_recompute(*, changed: dict, actor=None) -> str:
    """``Module.calendar_changed``: the working days of ``changed`` moved, so each notice whose
    working-day count spans one of them gets the deadline the loaded calendar gives
    (``rules.notice_deadline``), and so do its hazards that still owe work on that deadline
    (a deadline set by hand or by a failed re-check is a date, not a count, and stays). Each
    moved hazard has a history entry; the school, its education bureau and the issuer are
    told. Returns a sentence for the administrator."""
    if not changed:
        return ""
    earliest, latest = min(changed), max(changed)
    candidates = RectificationNotice.objects.filter(
        issue_date__lt=latest, deadline__gte=earliest
    ).select_related("school__organization", "issuer")
    moved_notices = moved_hazards = 0
    for notice in candidates:
        new = rules.notice_deadline(notice.issue_date, notice.working_days)
        old = notice.deadline
        if new == old:
            continue
        still_open = list(
            notice.hazards.filter(state__in=OPEN_STATES).select_related("school__organization")
        )
        if not still_open:
            continue  # every hazard of it is closed: the notice's deadline is history
        hazards = [h for h in still_open if h.deadline == old]  # not set by hand since
        notice.deadline = new
        notice.save(update_fields=["deadline"])
        moved_notices += 1
        reason = _("放假调休安排导入后按工作日重新计算：原期限 %(old)s，现为 %(new)s。") % {
            "old": old.isoformat(),
            "new": new.isoformat(),
        }
        for hazard in hazards:
            hazard = _lock(hazard, None)
            hazard.deadline = new
            fields = ["deadline"]
            if hazard.is_overdue and new >= timezone.localdate():
                hazard.is_overdue = False
                fields.append("is_overdue")
            _save(hazard, fields)
            _event(
                hazard,
                HazardAction.DEADLINE_CHANGED,
                actor=actor,
                note=reason,
                old=old,
                new=new,
                cause="calendar",
            )
            moved_hazards += 1
        if hazards:
            _notify_after_commit(
                [*_school_side(hazards[0]), *_users_of(notice.issuer)],
                title=_("整改期限调整：%(number)s 的整改期限改为 %(new)s")
                % {"number": notice.number, "new": new.isoformat()},
                body=reason,
                link=_link(hazards[0]),
                level=NotificationLevel.WARNING,
                subject=_task(notice, RECTIFY),
            )
    if not moved_notices:
        return ""
    return _(
        "%(n)d 份整改通知书、%(h)d 项隐患的整改期限已按新的工作日历重新计算，并已通知学校和下发单位。"
    ) % {
        "n": moved_notices,
        "h": moved_hazards,
    }


# ---- the daily sweep -----------------------------------------------------------------------------


def hazard_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Reminders, overdue marking and automatic 挂牌督办 (the periodic task runs this daily;
    it is idempotent, so running it twice a day changes nothing the second time)."""
    today = today or timezone.localdate()
    # 参数设置: read once for the whole sweep.
    remind_before = parameters.get("HAZARD_REMIND_WORKDAYS")
    escalate_after = parameters.get("HAZARD_ESCALATE_AFTER_OVERDUES")
    counts = {"reminded": 0, "overdue": 0, "escalated": 0}
    candidates = Hazard.objects.filter(state__in=OPEN_STATES, deadline__isnull=False).values_list(
        "pk", flat=True
    )
    for pk in list(candidates.iterator()):
        with transaction.atomic():
            hazard = _lock(Hazard(pk=pk), None)
            if (
                rules.should_remind(
                    state=hazard.state,
                    deadline=hazard.deadline,
                    reminded_for=hazard.reminded_for,
                    today=today,
                    workdays_before=remind_before,
                )
                and not hazard.is_overdue
            ):
                hazard.reminded_for = hazard.deadline
                _save(hazard, ["reminded_for"])
                _event(hazard, HazardAction.REMINDED, deadline=hazard.deadline)
                _notify_after_commit(
                    _school_side(hazard),
                    title=_("整改即将到期（%(d)s）：%(title)s")
                    % {"d": f"{hazard.deadline:%Y-%m-%d}", "title": hazard.title},
                    link=_link(hazard),
                    level=NotificationLevel.WARNING,
                    subject=_task(hazard, RECTIFY),
                )
                counts["reminded"] += 1
            if not hazard.is_overdue and rules.is_overdue(
                state=hazard.state, deadline=hazard.deadline, today=today
            ):
                hazard.is_overdue = True
                hazard.overdue_count += 1
                _save(hazard, ["is_overdue", "overdue_count"])
                _event(
                    hazard,
                    HazardAction.OVERDUE,
                    deadline=hazard.deadline,
                    count=hazard.overdue_count,
                )
                _notify_after_commit(
                    [*_school_side(hazard), *_police_side(hazard)],
                    title=_("隐患整改逾期：%(school)s — %(title)s")
                    % {"school": hazard.school, "title": hazard.title},
                    link=_link(hazard),
                    level=NotificationLevel.URGENT,
                    subject=_task(hazard, RECTIFY),  # over once the school reports
                )
                counts["overdue"] += 1
            if rules.should_escalate(
                severity=hazard.severity,
                is_overdue=hazard.is_overdue,
                overdue_count=hazard.overdue_count,
                is_escalated=hazard.is_escalated,
                after_overdues=escalate_after,
            ):
                if hazard.severity == Severity.MAJOR:
                    reason = _("重大隐患逾期未整改，自动挂牌督办。")
                else:
                    reason = _("隐患逾期 %(n)d 次，自动挂牌督办。") % {"n": hazard.overdue_count}
                hazard_escalate(hazard=hazard, reason=reason)
                counts["escalated"] += 1
    return counts
