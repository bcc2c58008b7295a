"""Gate API: visitor registration with the match (``POST /gate/visits``: what a gate terminal or
a visitor system posts), the visit log and its steps, seizures and ban lists. Reads go through
``gate.selectors`` (404 out of scope, 403 without the permission); refusals are 4xx with a
Chinese ``detail``. A ban's police-only note is given only to those who may read it.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import Shown, filtered, one
from huxiao.core.crypto import mask_id_number
from huxiao.gate import selectors, services
from huxiao.gate.filtersets import BanFilterSet, SeizureFilterSet, VisitFilterSet

router = Router(tags=["gate"])


class VisitIn(Schema):
    school_id: int | None = Field(None, description="学校（门卫、安保负责人可省略：本校）")
    name: str = Field(..., max_length=40)
    id_number: str = Field(..., max_length=18, description="身份证号（GB 11643 校验）")
    purpose: str = Field(..., description="official、parent、repair、delivery、other")
    host_id: int | None = Field(None, description="被访人（本校教职工的用户编号）")
    phone: str = Field("", max_length=20)
    plate: str = Field("", max_length=12)
    at: dt.datetime | None = Field(None, description="登记时间；离线补传时为原时间")
    idempotency_key: str = Field("", max_length=64, description="幂等键：重复提交只登记一次")
    was_offline: bool = False


class VisitOut(Schema):
    id: int
    school_id: int
    school_name: str
    name: str
    purpose: str
    arrived_at: dt.datetime
    left_at: dt.datetime | None
    state: str
    match_outcome: str
    instruction: str
    alerted: int
    was_offline: bool


class VisitAccepted(VisitOut):
    duplicate: bool


class VisitFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    state: str | None = None
    outcome: str | None = None
    purpose: str | None = None
    q: str | None = None
    org: int | None = None


class StepIn(Schema):
    action: str = Field(..., description="release 核查放行、refuse 拒绝入校、check_out 离校")
    note: str = Field("", max_length=200, description="核查说明（放行、拒绝时必填）")


def _visit(v) -> dict:
    return {
        "id": v.pk,
        "school_id": v.school_id,
        "school_name": v.school.organization.name,
        "name": v.name,
        "purpose": v.purpose,
        "arrived_at": v.arrived_at,
        "left_at": v.left_at,
        "state": v.state,
        "match_outcome": v.match_outcome,
        "instruction": v.instruction,
        "alerted": v.alerted,
        "was_offline": v.was_offline,
    }


@router.post(
    "/gate/visits",
    response={200: VisitAccepted, 201: VisitAccepted},
    summary="来访登记（含重点人员和禁入名单比对）",
)
def visit_create(request, payload: VisitIn):
    require_perm(request, "gate.add_visit")
    user = request.user
    if payload.school_id is None:
        school = selectors.own_school(user)
        if school is None:
            from ninja.errors import HttpError

            raise HttpError(400, _("请指定学校（school_id）。"))
    else:
        school = one(
            selectors.schools_for(user=user), payload.school_id, field="school_id", label=_("学校")
        )
    host = None
    if payload.host_id is not None:
        host = one(selectors.hosts_for(school), payload.host_id, field="host_id", label=_("被访人"))
    visit, created = services.visit_register(
        school=school,
        actor=user,
        name=payload.name,
        id_number=payload.id_number,
        purpose=payload.purpose,
        host=host,
        phone=payload.phone,
        plate=payload.plate,
        at=payload.at,
        idempotency_key=payload.idempotency_key,
        was_offline=payload.was_offline,
    )
    visit.school = school
    return Status(201 if created else 200, {**_visit(visit), "duplicate": not created})


@router.get("/gate/visits", response=list[VisitOut], summary="来访登记列表")
@paginate(LimitOffsetPagination)
def visit_list(request, filters: Query[VisitFilters]):
    require_perm(request, "gate.view_visit")
    rows = filtered(request, VisitFilterSet, selectors.visit_list(user=request.user), filters)
    return Shown(rows, _visit)


@router.get("/gate/visits/{visit_id}", response=VisitOut, summary="来访登记详情")
def visit_detail(request, visit_id: int):
    require_perm(request, "gate.view_visit")
    return _visit(selectors.visit_get(user=request.user, pk=visit_id))


@router.post(
    "/gate/visits/{visit_id}/transitions", response=VisitOut, summary="核查放行、拒绝入校或离校"
)
def visit_step(request, visit_id: int, payload: StepIn):
    from huxiao.gate import rules
    from huxiao.gate.choices import VisitAction

    require_perm(request, "gate.view_visit")
    visit = selectors.visit_get(user=request.user, pk=visit_id)
    if payload.action not in VisitAction.values:
        from ninja.errors import HttpError

        raise HttpError(400, _("未知的操作：%(a)s") % {"a": payload.action[:20]})
    require_perm(
        request,
        "gate.review_visit" if payload.action in rules.REVIEW_ACTIONS else "gate.change_visit",
    )
    services.visit_transition(
        visit=visit, action=payload.action, actor=request.user, note=payload.note
    )
    return _visit(selectors.visit_get(user=request.user, pk=visit_id))


class SeizureFilters(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    school: int | None = None
    category: str | None = None
    knife: bool | None = None
    seized_from: str | None = None
    state: str | None = None
    org: int | None = None


class SeizureOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.organization.name")
    seized_at: dt.datetime
    category: str
    description: str
    quantity: int
    seized_from: str
    state: str
    received_at: dt.datetime | None


@router.get("/gate/seizures", response=list[SeizureOut], summary="收缴物品列表")
@paginate(LimitOffsetPagination)
def seizure_list(request, filters: Query[SeizureFilters]):
    require_perm(request, "gate.view_seizure")
    return filtered(request, SeizureFilterSet, selectors.seizure_list(user=request.user), filters)


class BanFilters(Schema):
    basis: str | None = None
    in_force: bool | None = None
    org: int | None = None


class BanOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    name: str
    id_number_masked: str
    basis: str
    reason: str
    decided_by: str
    starts_on: dt.date
    ends_on: dt.date | None
    revoked: bool
    police_note: str | None = None


@router.get("/gate/bans", response=list[BanOut], summary="禁入名单列表")
@paginate(LimitOffsetPagination)
def ban_list(request, filters: Query[BanFilters]):
    require_perm(request, "gate.view_banentry")
    user = request.user
    police = selectors.shows_police_note(user)
    rows = filtered(request, BanFilterSet, selectors.ban_list(user=user), filters)
    return Shown(rows, lambda b: _ban(b, police))


def _ban(b, police: bool) -> dict:
    return {
        "id": b.pk,
        "organization_id": b.organization_id,
        "organization_name": b.organization.name,
        "name": b.name,
        "id_number_masked": mask_id_number(b.id_number),
        "basis": b.basis,
        "reason": b.reason,
        "decided_by": b.decided_by,
        "starts_on": b.starts_on,
        "ends_on": b.ends_on,
        "revoked": b.revoked_at is not None,
        "police_note": b.police_note if police else None,
    }
