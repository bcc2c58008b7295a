"""Inspections API: campaigns, checklists, inspections and the rectification loop.

Reads go through ``huxiao.inspections.selectors`` (out of scope = 404, like missing); writes
through ``huxiao.inspections.services``, whose ``ValidationError`` answers 400 and whose
``ConflictError`` (a stale ``version``) answers 409. Ids in a request body that are unknown
or out of the user's scope answer 400 naming them, since the object addressed by the path
exists; an id in the path answers 404.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.api.errors import require_perm
from huxiao.core.files import attachments_of
from huxiao.core.models import Attachment, User
from huxiao.core.scoping import scope_filter
from huxiao.inspections import rules, selectors, services
from huxiao.inspections.choices import (
    OPEN_STATES,
    HazardAction,
    HazardSource,
    HazardState,
    InspectionStatus,
    ItemGroup,
    PhotoPurpose,
    Severity,
)
from huxiao.inspections.models import (
    Campaign,
    ChecklistTemplate,
    Inspection,
    RectificationReport,
    _ancestor_paths,
)
from huxiao.schools.models import School

router = Router(tags=["inspections"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The transitions ``POST /hazards/{id}/transitions`` runs, and the permission each needs.
ACTION_PERMS = {
    HazardAction.STARTED: "inspections.rectify_hazard",
    HazardAction.REPORTED: "inspections.rectify_hazard",
    HazardAction.RECHECK_PASSED: "inspections.recheck_hazard",
    HazardAction.RECHECK_FAILED: "inspections.recheck_hazard",
    HazardAction.DEADLINE_CHANGED: "inspections.recheck_hazard",
    HazardAction.ESCALATED: "inspections.supervise_hazard",
}


# ---- helpers ---------------------------------------------------------------------------------


def _bad_filter(name: str, value) -> HttpError:
    return HttpError(400, _("筛选条件不正确：%(problems)s") % {"problems": f"{name}：{value}"})


def _choice(name: str, value: str, choices) -> str:
    if value and value not in choices.values:
        raise _bad_filter(name, value)
    return value


def _missing(field: str, label: str, ids) -> ValidationError:
    return ValidationError(
        {
            field: _("%(what)s不存在或不在您的数据范围内：%(ids)s")
            % {"what": label, "ids": "、".join(str(i) for i in sorted(ids))}
        }
    )


def _pick(queryset, ids: list[int], *, field: str, label: str) -> list:
    """The objects of ``queryset`` with these ids, in that order; 400 naming any not found."""
    found = {o.pk: o for o in queryset.filter(pk__in=ids)}
    missing = set(ids) - set(found)
    if missing:
        raise _missing(field, label, missing)
    return [found[i] for i in dict.fromkeys(ids)]


def _one(queryset, pk: int | None, *, field: str, label: str):
    if pk is None:
        return None
    return _pick(queryset, [pk], field=field, label=label)[0]


def _name(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _scalar(queryset, group: str, aggregate):
    """A correlated subquery giving one aggregate per outer row (0 when there are none)."""
    rows = queryset.order_by().values(group).annotate(n=aggregate).values("n")[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class NamedRef(Schema):
    id: int
    name: str


# ---- campaigns -------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    start_date: dt.date
    end_date: dt.date
    checklist_id: int
    checklist_name: str = Field(..., alias="checklist.name")
    description: str
    targets: int = Field(..., alias="target_count", description="数据范围内的目标学校数")
    inspected: int = Field(..., alias="inspected_count", description="已完成检查的目标学校数")
    person_times: int = Field(..., alias="person_time_count", description="出动警力（人次）")
    coverage: float | None

    @staticmethod
    def resolve_coverage(obj):
        return obj.inspected_count / obj.target_count if obj.target_count else None


class CampaignDetail(CampaignOut):
    inspections: int = Field(..., alias="progress.inspections", description="已完成的检查次数")
    hazards: int = Field(..., alias="progress.hazards")
    hazards_by_state: dict[str, int] = Field(..., alias="progress.hazards_by_state")
    hazards_closed: int = Field(..., alias="progress.hazards_closed")
    overdue: int = Field(..., alias="progress.overdue")
    escalated: int = Field(..., alias="progress.escalated")
    target_schools: list[NamedRef]
    not_inspected: list[NamedRef]


class CampaignFilters(Schema):
    q: str = ""
    active: bool | None = None
    issuer: int | None = None


class CampaignIn(Schema):
    name: str = Field(..., min_length=1, max_length=128)
    start_date: dt.date
    end_date: dt.date
    checklist_id: int
    target_school_ids: list[int] = []
    description: str = ""


def _campaign_scope(user):
    """``selectors.campaign_list`` with the rule of ``CampaignQuerySet.visible_to`` written as
    one OR of subqueries. WORKAROUND: the model's version UNIONs a query that keeps the
    model's ORDER BY, which SQLite refuses ("ORDER BY not allowed in subqueries of compound
    statements"); once ``visible_to`` clears that ordering, use the selector again."""
    q = scope_filter(Campaign, user)
    if q is None:
        return Campaign.objects.none()
    qs = Campaign.objects.all()
    if q:
        org = user.organization
        ancestors = Q(issuer__path__in=_ancestor_paths(org.path)) if org else Q(pk__in=[])
        schools = School.objects.visible_to(user).values("pk")
        targeted = Campaign.targets.through.objects.filter(school__in=schools)
        qs = qs.filter(q | ancestors | Q(pk__in=targeted.values("campaign_id")))
    return qs.select_related("issuer", "checklist")


def _campaigns(user):
    """Campaigns with their coverage counted in the database: three correlated subqueries,
    so a page of campaigns is one query whatever its length."""
    schools = School.objects.visible_to(user).values("pk")
    targets = Campaign.targets.through.objects.filter(campaign=OuterRef("pk"), school__in=schools)
    finished = Inspection.objects.visible_to(user).filter(
        campaign=OuterRef("pk"), status=InspectionStatus.FINISHED
    )
    return _campaign_scope(user).annotate(
        target_count=_scalar(targets, "campaign", Count("school")),
        inspected_count=_scalar(
            finished.filter(school__campaigns=OuterRef("pk")),
            "campaign",
            Count("school", distinct=True),
        ),
        person_time_count=_scalar(finished, "campaign", Sum("person_times")),
    )


def _campaign_detail(request, pk: int) -> Campaign:
    campaign = get_object_or_404(_campaign_scope(request.user), pk=pk)
    progress = selectors.campaign_progress(campaign=campaign, user=request.user)
    campaign.progress = progress
    campaign.target_count = progress["targets"]
    campaign.inspected_count = progress["inspected"]
    campaign.person_time_count = progress["person_times"]
    visible = School.objects.visible_to(request.user).values("pk")
    campaign.target_schools = [
        {"id": s.pk, "name": s.name}
        for s in campaign.targets.filter(pk__in=visible).select_related("organization")
    ]
    campaign.not_inspected = [{"id": s.pk, "name": s.name} for s in progress["not_inspected"]]
    return campaign


@router.get(
    "/campaigns", response=list[CampaignOut], summary="专项行动列表（含数据范围内的覆盖情况）"
)
@paginate(LimitOffsetPagination)
def campaign_list(request, filters: Query[CampaignFilters]):
    require_perm(request, "inspections.view_campaign")
    qs = _campaigns(request.user)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.issuer is not None:
        qs = qs.filter(issuer_id=filters.issuer)
    if filters.active is not None:
        today = timezone.localdate()
        running = Q(start_date__lte=today, end_date__gte=today)
        qs = qs.filter(running) if filters.active else qs.exclude(running)
    return qs


@router.get(
    "/campaigns/{campaign_id}",
    response=CampaignDetail,
    summary="专项行动详情（覆盖率、出动警力、隐患整改进度）",
)
def campaign_detail(request, campaign_id: int):
    require_perm(request, "inspections.view_campaign")
    return _campaign_detail(request, campaign_id)


@router.post(
    "/campaigns", response={201: CampaignDetail}, summary="发起专项行动（发起单位为本单位）"
)
def campaign_create(request, payload: CampaignIn):
    require_perm(request, "inspections.add_campaign")
    user = request.user
    checklist = _one(
        selectors.checklist_list(user=user),
        payload.checklist_id,
        field="checklist_id",
        label=_("检查表"),
    )
    targets = _pick(
        School.objects.visible_to(user),
        payload.target_school_ids,
        field="target_school_ids",
        label=_("学校"),
    )
    campaign = services.campaign_create(
        name=payload.name,
        issuer=user.organization,
        start_date=payload.start_date,
        end_date=payload.end_date,
        checklist=checklist,
        targets=targets,
        description=payload.description,
        actor=user,
    )
    return Status(201, _campaign_detail(request, campaign.pk))


# ---- checklists ------------------------------------------------------------------------------


class ChecklistOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    current_version: int | None
    versions: list[int]

    @staticmethod
    def resolve_versions(obj):
        return sorted(v.number for v in obj.versions.all())

    @staticmethod
    def resolve_current_version(obj):
        return max((v.number for v in obj.versions.all()), default=None)


class ItemOut(Schema):
    id: int
    code: str
    text: str
    guidance: str


class GroupOut(Schema):
    group: str
    label: str
    items: list[ItemOut]


class VersionOut(Schema):
    number: int
    note: str
    published_at: dt.datetime


class ChecklistDetail(ChecklistOut):
    version: VersionOut
    groups: list[GroupOut]


@router.get("/checklists", response=list[ChecklistOut], summary="检查表列表")
@paginate(LimitOffsetPagination)
def checklist_list(request):
    require_perm(request, "inspections.view_checklisttemplate")
    return selectors.checklist_list(user=request.user)


@router.get(
    "/checklists/{checklist_id}",
    response=ChecklistDetail,
    summary="检查表详情（默认当前版本，?version=n 查看历史版本）",
)
def checklist_detail(request, checklist_id: int, version: int | None = None):
    require_perm(request, "inspections.view_checklisttemplate")
    template = selectors.checklist_get(user=request.user, pk=checklist_id)
    versions = sorted(template.versions.all(), key=lambda v: v.number)
    chosen = [v for v in versions if version is None or v.number == version]
    if not chosen:
        raise Http404
    template.version = chosen[-1]
    items = list(template.version.items.all())
    template.groups = [
        {"group": g.value, "label": str(g.label), "items": [i for i in items if i.group == g.value]}
        for g in ItemGroup
        if any(i.group == g.value for i in items)
    ]
    return template


# ---- inspections -----------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    campaign_id: int | None
    campaign_name: str
    date: dt.date
    checklist_id: int = Field(..., alias="checklist_version.template_id")
    checklist_name: str = Field(..., alias="checklist_version.template.name")
    checklist_version: int = Field(..., alias="checklist_version.number")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    person_times: int
    failed: int | None = None

    @staticmethod
    def resolve_campaign_name(obj):
        return obj.campaign.name if obj.campaign_id else ""


class ResultOut(Schema):
    id: int
    item_code: str = Field(..., alias="item.code")
    group: str = Field(..., alias="item.group")
    group_label: str = Field(..., alias="item.get_group_display")
    text: str = Field(..., alias="item.text")
    result: str
    result_label: str = Field(..., alias="get_result_display")
    note: str
    hazard_id: int | None = Field(None, alias="hazard_pk")


class InspectionDetail(InspectionOut):
    summary: str
    finished_at: dt.datetime | None
    inspectors: list[NamedRef]
    results: list[ResultOut]

    @staticmethod
    def resolve_inspectors(obj):
        return [{"id": u.pk, "name": _name(u)} for u in obj.inspectors.all()]

    @staticmethod
    def resolve_results(obj):
        return obj.results.select_related("item").annotate(hazard_pk=F("hazard__id"))

    @staticmethod
    def resolve_failed(obj):
        return obj.results.filter(result="fail").count()


class InspectionFilters(Schema):
    school: int | None = None
    campaign: int | None = None
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class InspectionIn(Schema):
    school_id: int
    date: dt.date
    inspector_ids: list[int] = Field(..., min_length=1)
    campaign_id: int | None = None
    checklist_id: int | None = None


class ResultIn(Schema):
    result_id: int
    result: str | None = None
    note: str | None = None


class FinishIn(Schema):
    summary: str = ""


class HazardFromResultIn(Schema):
    severity: Severity = Severity.ORDINARY
    title: str = Field("", max_length=200)
    description: str = ""
    deadline: dt.date | None = None


@router.get("/inspections", response=list[InspectionOut], summary="检查记录列表")
@paginate(LimitOffsetPagination)
def inspection_list(request, filters: Query[InspectionFilters]):
    require_perm(request, "inspections.view_inspection")
    qs = selectors.inspection_list(user=request.user)
    if filters.school is not None:
        qs = qs.filter(school_id=filters.school)
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if _choice("status", filters.status, InspectionStatus):
        qs = qs.filter(status=filters.status)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs


@router.get(
    "/inspections/{inspection_id}",
    response=InspectionDetail,
    summary="检查详情（逐项结果，已登记的隐患编号）",
)
def inspection_detail(request, inspection_id: int):
    require_perm(request, "inspections.view_inspection")
    return selectors.inspection_get(user=request.user, pk=inspection_id)


@router.post(
    "/inspections",
    response={201: InspectionDetail},
    summary="开始一次检查（按检查表当前版本生成检查项）",
)
def inspection_create(request, payload: InspectionIn):
    require_perm(request, "inspections.add_inspection")
    user = request.user
    school = _one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    inspectors = _pick(
        User.objects.visible_to(user).select_related("organization"),
        payload.inspector_ids,
        field="inspector_ids",
        label=_("检查民警"),
    )
    campaign = _one(
        _campaign_scope(user),
        payload.campaign_id,
        field="campaign_id",
        label=_("专项行动"),
    )
    checklist = _one(
        ChecklistTemplate.objects.visible_to(user),
        payload.checklist_id,
        field="checklist_id",
        label=_("检查表"),
    )
    inspection = services.inspection_start(
        school=school,
        date=payload.date,
        inspectors=inspectors,
        campaign=campaign,
        checklist=checklist,
        actor=user,
    )
    return Status(201, selectors.inspection_get(user=user, pk=inspection.pk))


@router.put(
    "/inspections/{inspection_id}/results",
    response=InspectionDetail,
    summary="登记检查结果（合格/不合格/不适用及情况说明，可分批提交）",
)
def inspection_results(request, inspection_id: int, payload: list[ResultIn]):
    require_perm(request, "inspections.change_inspection")
    inspection = selectors.inspection_get(user=request.user, pk=inspection_id)
    results = {r.result_id: r.dict(exclude_unset=True, exclude={"result_id"}) for r in payload}
    services.inspection_record(inspection=inspection, results=results, actor=request.user)
    return inspection


@router.post(
    "/inspections/{inspection_id}/finish",
    response=InspectionDetail,
    summary="完成检查（所有检查项都须有结果）",
)
def inspection_finish(request, inspection_id: int, payload: FinishIn | None = None):
    require_perm(request, "inspections.change_inspection")
    inspection = selectors.inspection_get(user=request.user, pk=inspection_id)
    summary = payload.summary if payload else ""
    services.inspection_finish(inspection=inspection, summary=summary, actor=request.user)
    return selectors.inspection_get(user=request.user, pk=inspection_id)


# ---- hazards ---------------------------------------------------------------------------------


class HazardOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    source: str
    source_label: str = Field(..., alias="get_source_display")
    category: str
    category_label: str = Field(..., alias="get_category_display")
    severity: str
    severity_label: str = Field(..., alias="get_severity_display")
    title: str
    responsible_party: str
    found_on: dt.date
    deadline: dt.date | None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    notice_id: int | None
    notice_number: str
    is_overdue: bool
    overdue_count: int
    is_escalated: bool
    version: int = Field(..., description="乐观锁版本：提交状态变更时带上，过期则答 409")
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_notice_number(obj):
        return obj.notice.number if obj.notice_id else ""


class AttachmentOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    name: str = Field(..., alias="original_name")
    mime_type: str
    size: int
    url: str

    @staticmethod
    def resolve_purpose_label(obj):
        return str(PhotoPurpose(obj.purpose).label) if obj.purpose in PhotoPurpose.values else ""

    @staticmethod
    def resolve_url(obj):
        return reverse("file_download", args=[obj.pk])


class EventOut(Schema):
    id: int
    action: str
    action_label: str = Field(..., alias="get_action_display")
    actor_name: str
    at: dt.datetime
    note: str
    from_state: str
    from_state_label: str = Field(..., alias="get_from_state_display")
    to_state: str
    to_state_label: str = Field(..., alias="get_to_state_display")
    data: dict


class ReportOut(Schema):
    id: int
    measures: str
    submitted_by_name: str
    submitted_at: dt.datetime
    evidence: list[AttachmentOut]

    @staticmethod
    def resolve_submitted_by_name(obj):
        return _name(obj.submitted_by)


class RecheckOut(Schema):
    id: int
    passed: bool
    note: str
    new_deadline: dt.date | None
    officer_name: str
    checked_at: dt.datetime

    @staticmethod
    def resolve_officer_name(obj):
        return _name(obj.officer)


class HazardEscalationOut(Schema):
    id: int
    number: str
    supervisor_id: int
    supervisor_name: str = Field(..., alias="supervisor.name")
    reason: str
    deadline: dt.date | None
    created_at: dt.datetime
    handled_at: dt.datetime | None
    handling_note: str


class HazardDetail(HazardOut):
    description: str
    inspection_id: int | None
    reported_by_name: str
    allowed_actions: list[str] = Field(
        ..., description="当前用户此刻可执行的状态变更（POST /hazards/{id}/transitions 的 action）"
    )
    photos: list[AttachmentOut]
    history: list[EventOut]
    reports: list[ReportOut]
    rechecks: list[RecheckOut]
    escalations: list[HazardEscalationOut]

    @staticmethod
    def resolve_inspection_id(obj):
        return obj.inspection_result.inspection_id if obj.inspection_result_id else None

    @staticmethod
    def resolve_reported_by_name(obj):
        return _name(obj.reported_by)

    @staticmethod
    def resolve_allowed_actions(obj, context):
        user = context["request"].user
        return [
            a
            for a in rules.allowed_actions(obj.state)
            if a in ACTION_PERMS
            and user.has_perm(ACTION_PERMS[a])
            and not (a == HazardAction.ESCALATED and obj.is_escalated)
        ]

    @staticmethod
    def resolve_photos(obj):
        return attachments_of(obj)

    @staticmethod
    def resolve_history(obj):
        return selectors.hazard_history(hazard=obj)

    @staticmethod
    def resolve_reports(obj):
        reports = list(obj.reports.select_related("submitted_by"))
        evidence = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(RectificationReport),
            object_id__in=[r.pk for r in reports],
        )
        for report in reports:
            report.evidence = [a for a in evidence if a.object_id == report.pk]
        return reports

    @staticmethod
    def resolve_rechecks(obj):
        return obj.rechecks.select_related("officer")

    @staticmethod
    def resolve_escalations(obj):
        return obj.escalations.select_related("supervisor")


class HazardFilters(Schema):
    state: str = ""
    school: int | None = None
    overdue: bool | None = None
    escalated: bool | None = None
    severity: str = ""
    source: str = ""
    category: str = ""
    campaign: int | None = None
    deadline_before: dt.date | None = Field(None, description="整改期限早于该日期（不含）")
    q: str = ""


class HazardIn(Schema):
    school_id: int
    source: HazardSource | None = Field(
        None, description="学校用户只能学校自查（self_report），可不填"
    )
    category: ItemGroup
    severity: Severity = Severity.ORDINARY
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    responsible_party: str = Field("", max_length=128)
    found_on: dt.date | None = None
    deadline: dt.date | None = None


class TransitionIn(Schema):
    action: str = Field(..., description="、".join(ACTION_PERMS))
    version: int | None = Field(None, description="读取时的版本；已被他人修改则答 409")
    note: str = ""
    measures: str = Field("", description="整改措施（reported）")
    new_deadline: dt.date | None = Field(None, description="复查不通过的新期限（recheck_failed）")
    new_working_days: int | None = Field(None, ge=1, le=120)
    deadline: dt.date | None = Field(None, description="调整后的整改期限（deadline_changed）")


def _hazards(request, filters: HazardFilters):
    qs = selectors.hazard_list(user=request.user)
    if _choice("state", filters.state, HazardState):
        qs = qs.filter(state=filters.state)
    if _choice("severity", filters.severity, Severity):
        qs = qs.filter(severity=filters.severity)
    if _choice("source", filters.source, HazardSource):
        qs = qs.filter(source=filters.source)
    if _choice("category", filters.category, ItemGroup):
        qs = qs.filter(category=filters.category)
    if filters.school is not None:
        qs = qs.filter(school_id=filters.school)
    if filters.campaign is not None:
        qs = qs.filter(inspection_result__inspection__campaign_id=filters.campaign)
    overdue = Q(is_overdue=True, state__in=OPEN_STATES)
    if filters.overdue is not None:
        qs = qs.filter(overdue) if filters.overdue else qs.exclude(overdue)
    if filters.escalated is not None:
        qs = qs.filter(is_escalated=filters.escalated)
    if filters.deadline_before:
        qs = qs.filter(deadline__lt=filters.deadline_before)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(school__organization__name__icontains=filters.q)
        )
    return qs


def _hazard(request, pk: int):
    return selectors.hazard_get(user=request.user, pk=pk)


@router.get("/hazards", response=list[HazardOut], summary="隐患列表（状态、逾期、督办等筛选）")
@paginate(LimitOffsetPagination)
def hazard_list(request, filters: Query[HazardFilters]):
    require_perm(request, "inspections.view_hazard")
    return _hazards(request, filters)


@router.get(
    "/hazards/{hazard_id}",
    response=HazardDetail,
    summary="隐患详情（照片、处理记录、整改报告、复查、督办，及当前用户可执行的操作）",
)
def hazard_detail(request, hazard_id: int):
    require_perm(request, "inspections.view_hazard")
    return _hazard(request, hazard_id)


@router.post(
    "/hazards",
    response={201: HazardDetail},
    summary="登记隐患（学校用户只能为本校登记“学校自查”隐患）",
)
def hazard_create(request, payload: HazardIn):
    require_perm(request, "inspections.add_hazard")
    user = request.user
    school = _one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    source = payload.source
    org = user.organization
    if org is None or not org.is_police:
        # A school reports on itself only: what it finds is 学校自查 by definition.
        if school.organization_id != user.organization_id:
            raise ValidationError({"school_id": _("学校用户只能登记本校的隐患。")})
        if source not in (None, HazardSource.SELF_REPORT):
            raise ValidationError({"source": _("学校用户登记的隐患来源只能是“学校自查”。")})
        source = HazardSource.SELF_REPORT
    elif source is None:
        raise ValidationError({"source": _("请选择隐患来源。")})
    hazard = services.hazard_create(
        school=school,
        source=source,
        category=payload.category,
        severity=payload.severity,
        title=payload.title,
        description=payload.description,
        responsible_party=payload.responsible_party,
        found_on=payload.found_on,
        deadline=payload.deadline,
        actor=user,
    )
    return Status(201, _hazard(request, hazard.pk))


@router.post(
    "/inspections/{inspection_id}/results/{result_id}/hazard",
    response={201: HazardDetail},
    summary="不合格检查项一键登记为隐患",
)
def inspection_result_hazard(
    request, inspection_id: int, result_id: int, payload: HazardFromResultIn
):
    # Part of recording the inspection: the inspector's permission as well as add_hazard (which
    # a school also holds, for its self-reports).
    require_perm(request, "inspections.change_inspection")
    require_perm(request, "inspections.add_hazard")
    inspection = selectors.inspection_get(user=request.user, pk=inspection_id)
    result = inspection.results.filter(pk=result_id).first()
    if result is None:
        raise Http404
    hazard = services.hazard_from_result(
        result=result,
        severity=payload.severity,
        title=payload.title,
        description=payload.description,
        deadline=payload.deadline,
        actor=request.user,
    )
    return Status(201, selectors.hazard_get(user=request.user, pk=hazard.pk))


@router.get(
    "/hazards/{hazard_id}/transitions",
    response=list[EventOut],
    summary="隐患处理记录（全部，按时间先后，不分页）",
)
def hazard_transitions(request, hazard_id: int):
    require_perm(request, "inspections.view_hazard")
    return selectors.hazard_history(hazard=_hazard(request, hazard_id))


@router.post(
    "/hazards/{hazard_id}/transitions",
    response=HazardDetail,
    summary="隐患状态变更：开始整改、提交整改报告、复查、调整期限、挂牌督办",
)
def hazard_transition(request, hazard_id: int, payload: TransitionIn):
    perm = ACTION_PERMS.get(payload.action)
    if perm is None:
        raise ValidationError({"action": _("未知的操作：%(a)s") % {"a": payload.action}})
    require_perm(request, perm)
    hazard = _hazard(request, hazard_id)
    services.hazard_transition(
        hazard=hazard,
        action=payload.action,
        actor=request.user,
        expected_version=payload.version,
        note=payload.note,
        measures=payload.measures or payload.note,
        new_deadline=payload.new_deadline,
        new_working_days=payload.new_working_days,
        deadline=payload.deadline,
    )
    return _hazard(request, hazard_id)


@router.post(
    "/hazards/{hazard_id}/photos",
    response={201: list[AttachmentOut]},
    summary="上传隐患照片（multipart：files 多个文件，purpose 为 before/after/recheck）",
)
def hazard_photos(
    request,
    hazard_id: int,
    files: File[list[UploadedFile]],
    purpose: Form[str] = "before",
):
    user = request.user
    # Officers add photos to what they inspect, the school to what it rectifies.
    if not (
        user.has_perm("inspections.change_hazard") or user.has_perm("inspections.rectify_hazard")
    ):
        raise HttpError(403, _("没有权限执行此操作。"))
    hazard = _hazard(request, hazard_id)
    added = services.hazard_add_photos(hazard=hazard, uploads=files, purpose=purpose, actor=user)
    return Status(201, added)


# ---- notices ---------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    number: str
    title: str
    year: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    copy_to_id: int | None
    copy_to_name: str
    issue_date: dt.date
    working_days: int
    deadline: dt.date
    received_at: dt.datetime | None
    hazard_count: int

    @staticmethod
    def resolve_copy_to_name(obj):
        return obj.copy_to.name if obj.copy_to_id else ""


class NoticeDetail(NoticeOut):
    requirements: str
    issued_by_name: str
    received_by_name: str
    hazards: list[HazardOut] = Field(..., alias="hazards_in_scope")

    @staticmethod
    def resolve_hazard_count(obj):
        return len(obj.hazards_in_scope)

    @staticmethod
    def resolve_issued_by_name(obj):
        return _name(obj.issued_by)

    @staticmethod
    def resolve_received_by_name(obj):
        return _name(obj.received_by)


class NoticeFilters(Schema):
    school: int | None = None
    year: int | None = None
    issuer: int | None = None


class NoticeIn(Schema):
    school_id: int
    hazard_ids: list[int] = Field(..., min_length=1)
    working_days: int | None = Field(None, ge=1, le=120, description="默认按系统设置")
    requirements: str = ""
    title: str = Field("", max_length=200)


def _notice_detail(request, pk: int):
    notice = selectors.notice_get(user=request.user, pk=pk)
    notice.hazards_in_scope = list(selectors.hazard_list(user=request.user).filter(notice=notice))
    return notice


@router.get("/notices", response=list[NoticeOut], summary="整改通知书列表")
@paginate(LimitOffsetPagination)
def notice_list(request, filters: Query[NoticeFilters]):
    require_perm(request, "inspections.view_rectificationnotice")
    qs = selectors.notice_list(user=request.user)
    if filters.school is not None:
        qs = qs.filter(school_id=filters.school)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.issuer is not None:
        qs = qs.filter(issuer_id=filters.issuer)
    return qs


@router.get(
    "/notices/{notice_id}",
    response=NoticeDetail,
    summary="整改通知书详情（学校用户首次查看即记为签收）",
)
def notice_detail(request, notice_id: int):
    require_perm(request, "inspections.view_rectificationnotice")
    notice = _notice_detail(request, notice_id)
    services.notice_receive(notice=notice, actor=request.user)
    return notice


@router.post(
    "/notices",
    response={201: NoticeDetail},
    summary="下发整改通知书（自动编号，按工作日计算整改期限，抄送教育局）",
)
def notice_create(request, payload: NoticeIn):
    require_perm(request, "inspections.add_rectificationnotice")
    user = request.user
    school = _one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    hazards = _pick(
        selectors.hazard_list(user=user),
        payload.hazard_ids,
        field="hazard_ids",
        label=_("隐患"),
    )
    notice = services.notice_issue(
        school=school,
        hazards=hazards,
        working_days=payload.working_days,
        requirements=payload.requirements,
        title=payload.title,
        actor=user,
    )
    return Status(201, _notice_detail(request, notice.pk))


@router.get(
    "/notices/{notice_id}/document",
    response={200: None},
    summary="下载整改通知书（.docx 公文）",
)
def notice_document(request, notice_id: int):
    require_perm(request, "inspections.view_rectificationnotice")
    from huxiao.inspections import documents

    notice = selectors.notice_get(user=request.user, pk=notice_id)
    return _docx(documents.notice_docx(notice), documents.notice_filename(notice))


# ---- 挂牌督办 ----------------------------------------------------------------------------------


class EscalationOut(HazardEscalationOut):
    year: int
    hazard_id: int
    hazard_title: str = Field(..., alias="hazard.title")
    hazard_state: str = Field(..., alias="hazard.state")
    school_id: int = Field(..., alias="hazard.school_id")
    school_name: str = Field(..., alias="hazard.school.organization.name")
    created_by_name: str
    handled_by_name: str

    @staticmethod
    def resolve_created_by_name(obj):
        return _name(obj.created_by)

    @staticmethod
    def resolve_handled_by_name(obj):
        return _name(obj.handled_by)


class EscalationFilters(Schema):
    handled: bool | None = None
    supervisor: int | None = None


class HandleIn(Schema):
    note: str = Field(..., min_length=1, description="督办意见")


@router.get("/escalations", response=list[EscalationOut], summary="挂牌督办列表")
@paginate(LimitOffsetPagination)
def escalation_list(request, filters: Query[EscalationFilters]):
    require_perm(request, "inspections.view_escalation")
    qs = selectors.escalation_list(user=request.user)
    if filters.handled is not None:
        qs = qs.filter(handled_at__isnull=not filters.handled)
    if filters.supervisor is not None:
        qs = qs.filter(supervisor_id=filters.supervisor)
    return qs


@router.get("/escalations/{escalation_id}", response=EscalationOut, summary="挂牌督办详情")
def escalation_detail(request, escalation_id: int):
    require_perm(request, "inspections.view_escalation")
    return selectors.escalation_get(user=request.user, pk=escalation_id)


@router.post(
    "/escalations/{escalation_id}/handle",
    response=EscalationOut,
    summary="填写督办意见（仅督办单位的人员）",
)
def escalation_handle(request, escalation_id: int, payload: HandleIn):
    require_perm(request, "inspections.supervise_hazard")
    escalation = selectors.escalation_get(user=request.user, pk=escalation_id)
    # Those who may see the item but are not the supervising organisation are refused with
    # 403, not 404: the item exists for them (they read it in the list), the act is not theirs.
    if escalation.supervisor_id != request.user.organization_id:
        raise HttpError(403, _("只有督办单位的人员才能填写督办意见。"))
    services.escalation_handle(escalation=escalation, note=payload.note, actor=request.user)
    return selectors.escalation_get(user=request.user, pk=escalation_id)


@router.get(
    "/escalations/{escalation_id}/document",
    response={200: None},
    summary="下载督办通知（.docx 公文）",
)
def escalation_document(request, escalation_id: int):
    require_perm(request, "inspections.view_escalation")
    from huxiao.inspections import documents

    escalation = selectors.escalation_get(user=request.user, pk=escalation_id)
    return _docx(documents.escalation_docx(escalation), documents.escalation_filename(escalation))
