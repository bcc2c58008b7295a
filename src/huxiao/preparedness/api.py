"""Preparedness API: emergency plans and drills (list, get, create), a planned drill's record as
held or its cancellation, and an education bureau's bulk plan. Reads go through
``preparedness.selectors`` (404 out of scope, 403 without the permission); refusals are 400 with
a Chinese ``detail`` and nothing stored; the same filters as the list pages."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import Shown, filtered, one, pick
from huxiao.preparedness import selectors, services
from huxiao.preparedness.filtersets import DrillFilterSet, PlanFilterSet

router = Router(tags=["preparedness"])


def _school(request, school_id: int | None):
    user = request.user
    if school_id is None:
        school = selectors.own_school(user)
        if school is None:
            raise HttpError(400, _("请指定学校（school_id）。"))
        return school
    return one(selectors.schools_for(user=user), school_id, field="school_id", label=_("学校"))


# ---- plans ---------------------------------------------------------------------------------------


class PlanFilters(Schema):
    school: int | None = None
    kind: str | None = None
    status: str | None = None
    due: bool | None = None
    q: str | None = None
    org: int | None = None


class PlanIn(Schema):
    school_id: int | None = Field(None, description="学校（学校人员可省略：本校）")
    kind: str = Field(
        ...,
        description="预案类别：campus_violence、fire、terrorism、disaster、"
        "food_safety、public_health、public_order、other",
    )
    title: str = Field(..., max_length=120)
    version: str = Field(..., max_length=20)
    approved_on: dt.date
    approved_by: str = Field(..., max_length=100, description="批准机关")
    review_months: int | None = Field(None, description="评审周期（月），默认按参数")
    notes: str = Field("", max_length=200)


class PlanOut(Schema):
    id: int
    school_id: int
    school_name: str
    kind: str
    title: str
    version: str
    approved_on: dt.date
    approved_by: str
    review_months: int
    last_reviewed_on: dt.date | None
    next_review_on: dt.date
    status: str


def _plan(p) -> dict:
    return {
        "id": p.pk,
        "school_id": p.school_id,
        "school_name": p.school.organization.name,
        "kind": p.kind,
        "title": p.title,
        "version": p.version,
        "approved_on": p.approved_on,
        "approved_by": p.approved_by,
        "review_months": p.review_months,
        "last_reviewed_on": p.last_reviewed_on,
        "next_review_on": p.next_review_on,
        "status": p.status,
    }


@router.get("/preparedness/plans", response=list[PlanOut], summary="应急预案列表")
@paginate(LimitOffsetPagination)
def plan_list(request, filters: Query[PlanFilters]):
    require_perm(request, "preparedness.view_emergencyplan")
    rows = filtered(request, PlanFilterSet, selectors.plan_list(user=request.user), filters)
    return Shown(rows, _plan)


@router.get("/preparedness/plans/{plan_id}", response=PlanOut, summary="应急预案详情")
def plan_detail(request, plan_id: int):
    require_perm(request, "preparedness.view_emergencyplan")
    return _plan(selectors.plan_get(user=request.user, pk=plan_id))


@router.post("/preparedness/plans", response={201: PlanOut}, summary="登记应急预案")
def plan_create(request, payload: PlanIn):
    require_perm(request, "preparedness.add_emergencyplan")
    school = _school(request, payload.school_id)
    plan = services.plan_create(
        school=school,
        actor=request.user,
        **payload.dict(exclude={"school_id"}),
    )
    return Status(201, _plan(selectors.plan_get(user=request.user, pk=plan.pk)))


# ---- drills --------------------------------------------------------------------------------------


class DrillFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    kind: str | None = None
    state: str | None = None
    missed: bool | None = None
    timed: bool | None = None
    met: bool | None = None
    org: int | None = None


class DrillOut(Schema):
    id: int
    school_id: int
    school_name: str
    kind: str
    state: str
    day: dt.date
    planned_from: dt.date | None
    planned_until: dt.date | None
    planned_by_org_id: int | None
    held_on: dt.date | None
    students: int | None
    staff: int | None
    police: int | None
    duration_minutes: int | None
    evacuation_seconds: int | None
    evacuation_target_seconds: int | None
    met_target: bool | None
    evaluation: str
    lessons: str
    cancel_reason: str


def _drill(d) -> dict:
    return {
        "id": d.pk,
        "school_id": d.school_id,
        "school_name": d.school.organization.name,
        "kind": d.kind,
        "state": d.state,
        "day": d.day,
        "planned_from": d.planned_from,
        "planned_until": d.planned_until,
        "planned_by_org_id": d.planned_by_org_id,
        "held_on": d.held_on,
        "students": d.students,
        "staff": d.staff,
        "police": d.police,
        "duration_minutes": d.duration_minutes,
        "evacuation_seconds": d.evacuation_seconds,
        "evacuation_target_seconds": d.evacuation_target_seconds,
        "met_target": d.met_target,
        "evaluation": d.evaluation,
        "lessons": d.lessons,
        "cancel_reason": d.cancel_reason,
    }


class HeldIn(Schema):
    held_on: dt.date
    students: int | None = Field(None, ge=0)
    staff: int | None = Field(None, ge=0)
    police: int | None = Field(None, ge=0)
    duration_minutes: int | None = Field(None, description="演练时长（分钟）")
    evacuation_seconds: int | None = Field(None, description="疏散用时（秒）")
    evaluation: str = Field("", max_length=2000)
    lessons: str = Field("", max_length=2000)


class DrillIn(Schema):
    school_id: int | None = Field(None, description="学校（学校人员可省略：本校）")
    kind: str = Field(
        ..., description="fire_evacuation、campus_violence、terrorism、earthquake、other"
    )
    planned_from: dt.date | None = Field(None, description="计划日期（或开始日期）")
    planned_until: dt.date | None = Field(None, description="计划截止日期")
    held: HeldIn | None = Field(None, description="已举行（未经计划）的演练：举行情况")


class BulkIn(Schema):
    kind: str
    planned_from: dt.date
    planned_until: dt.date | None = None
    school_ids: list[int] | None = Field(None, description="学校；省略为本单位所辖全部学校")


class CancelIn(Schema):
    reason: str = Field(..., max_length=200)


class BulkOut(Schema):
    created: int
    drills: list[DrillOut]


@router.get("/preparedness/drills", response=list[DrillOut], summary="应急演练列表")
@paginate(LimitOffsetPagination)
def drill_list(request, filters: Query[DrillFilters]):
    require_perm(request, "preparedness.view_drill")
    rows = filtered(request, DrillFilterSet, selectors.drill_list(user=request.user), filters)
    return Shown(rows, _drill)


@router.get("/preparedness/drills/{drill_id}", response=DrillOut, summary="应急演练详情")
def drill_detail(request, drill_id: int):
    require_perm(request, "preparedness.view_drill")
    return _drill(selectors.drill_get(user=request.user, pk=drill_id))


@router.post(
    "/preparedness/drills",
    response={201: DrillOut},
    summary="安排本校演练，或记录未经计划已举行的演练（held）",
)
def drill_create(request, payload: DrillIn):
    user = request.user
    if payload.held is not None:
        require_perm(request, "preparedness.hold_drill")
        school = _school(request, payload.school_id)
        drill = services.drill_record(
            school=school, actor=user, kind=payload.kind, **payload.held.dict()
        )
    else:
        require_perm(request, "preparedness.add_drill")
        school = _school(request, payload.school_id)
        drill = services.drill_plan(
            school=school,
            actor=user,
            kind=payload.kind,
            planned_from=payload.planned_from,
            planned_until=payload.planned_until,
        )
    return Status(201, _drill(selectors.drill_get(user=user, pk=drill.pk)))


@router.post("/preparedness/drill-plans", response={201: BulkOut}, summary="教育局统一安排演练")
def drill_bulk(request, payload: BulkIn):
    require_perm(request, "preparedness.plan_drills")
    user = request.user
    bureau = selectors.planning_bureau(user)
    if bureau is None:
        raise HttpError(403, _("只有教育行政部门可以统一安排演练。"))
    scoped = selectors.schools_for(user=user)
    if payload.school_ids is None:
        schools = list(scoped)
    else:
        schools = pick(scoped, payload.school_ids, field="school_ids", label=_("学校"))
    made = services.drill_plan_bulk(
        bureau=bureau,
        actor=user,
        schools=schools,
        kind=payload.kind,
        planned_from=payload.planned_from,
        planned_until=payload.planned_until,
    )
    return Status(201, {"created": len(made), "drills": [_drill(d) for d in made]})


@router.post("/preparedness/drills/{drill_id}/hold", response=DrillOut, summary="记录演练举行情况")
def drill_hold(request, drill_id: int, payload: HeldIn):
    require_perm(request, "preparedness.view_drill")
    drill = selectors.drill_get(user=request.user, pk=drill_id)
    require_perm(request, "preparedness.hold_drill")
    services.drill_hold(drill=drill, actor=request.user, **payload.dict())
    return _drill(selectors.drill_get(user=request.user, pk=drill_id))


@router.post("/preparedness/drills/{drill_id}/cancel", response=DrillOut, summary="取消演练")
def drill_cancel(request, drill_id: int, payload: CancelIn):
    require_perm(request, "preparedness.view_drill")
    drill = selectors.drill_get(user=request.user, pk=drill_id)
    require_perm(request, "preparedness.change_drill")
    services.drill_cancel(drill=drill, actor=request.user, reason=payload.reason)
    return _drill(selectors.drill_get(user=request.user, pk=drill_id))
