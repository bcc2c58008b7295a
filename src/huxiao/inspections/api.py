"""Inspections API: campaigns, checklists, inspections and the rectification loop.

Reads go through ``huxiao.inspections.selectors`` (out of scope = 404, like missing); writes
through ``huxiao.inspections.services``, whose ``ValidationError`` answers 400 and whose
``ConflictError`` (a stale ``version``) answers 409. Ids in a request body that are unknown
or out of the user's scope answer 400 naming them, since the object addressed by the path
exists; an id in the path answers 404. The loop's endpoints (hazards, notices, 督办) are in
``api_hazards`` and mounted here; the schemas are in ``api_schemas``.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import filtered, one, pick
from huxiao.core.models import User
from huxiao.inspections import selectors, services
from huxiao.inspections.api_hazards import router as loop_router
from huxiao.inspections.api_schemas import (
    CampaignDetail,
    CampaignFilters,
    CampaignIn,
    CampaignOut,
    ChecklistDetail,
    ChecklistOut,
    FinishIn,
    HazardDetail,
    HazardFromResultIn,
    InspectionDetail,
    InspectionFilters,
    InspectionIn,
    InspectionOut,
    ResultIn,
)
from huxiao.inspections.choices import InspectionStatus, ItemGroup
from huxiao.inspections.filtersets_campaigns import CampaignApiFilterSet, InspectionFilterSet
from huxiao.inspections.models import Campaign, ChecklistTemplate, Inspection
from huxiao.schools.models import School

router = Router(tags=["inspections"])


def _scalar(queryset, group: str, aggregate):
    """A correlated subquery giving one aggregate per outer row (0 when there are none)."""
    rows = queryset.order_by().values(group).annotate(n=aggregate).values("n")[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


# ---- campaigns -----------------------------------------------------------------------------------


def _campaigns(user):
    """Campaigns with their coverage counted in the database: three correlated subqueries,
    so a page of campaigns is one query whatever its length."""
    schools = School.objects.visible_to(user).values("pk")
    targets = Campaign.targets.through.objects.filter(campaign=OuterRef("pk"), school__in=schools)
    finished = Inspection.objects.visible_to(user).filter(
        campaign=OuterRef("pk"), status=InspectionStatus.FINISHED
    )
    return selectors.campaign_list(user=user).annotate(
        target_count=_scalar(targets, "campaign", Count("school")),
        inspected_count=_scalar(
            finished.filter(school__campaigns=OuterRef("pk")),
            "campaign",
            Count("school", distinct=True),
        ),
        person_time_count=_scalar(finished, "campaign", Sum("person_times")),
    )


def _campaign_detail(request, pk: int) -> Campaign:
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
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
    return filtered(request, CampaignApiFilterSet, _campaigns(request.user), filters)


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
    checklist = one(
        selectors.checklist_list(user=user),
        payload.checklist_id,
        field="checklist_id",
        label=_("检查表"),
    )
    targets = pick(
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


# ---- checklists ----------------------------------------------------------------------------------


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


# ---- inspections ---------------------------------------------------------------------------------


@router.get("/inspections", response=list[InspectionOut], summary="检查记录列表")
@paginate(LimitOffsetPagination)
def inspection_list(request, filters: Query[InspectionFilters]):
    require_perm(request, "inspections.view_inspection")
    inspections = selectors.inspection_list(user=request.user)
    return filtered(request, InspectionFilterSet, inspections, filters)


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
    school = one(
        School.objects.visible_to(user), payload.school_id, field="school_id", label=_("学校")
    )
    inspectors = pick(
        User.objects.visible_to(user).select_related("organization"),
        payload.inspector_ids,
        field="inspector_ids",
        label=_("检查民警"),
    )
    campaign = one(
        selectors.campaign_list(user=user),
        payload.campaign_id,
        field="campaign_id",
        label=_("专项行动"),
    )
    checklist = one(
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


router.add_router("", loop_router)
