"""Schools API: the registry, its ledgers, per-school compliance and the roll-up."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.core import crypto
from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import filtered
from huxiao.schools import compliance, rules, selectors, services
from huxiao.schools.choices import GuardStatus
from huxiao.schools.filtersets import SchoolFilterSet

router = Router(tags=["schools"])


class SchoolOut(Schema):
    id: int
    name: str
    school_code: str
    level: str
    locality: str
    is_boarding: bool
    boarders: int
    students: int
    staff: int
    police_station_id: int | None = Field(None, alias="organization.parent_id")
    education_bureau_id: int | None = Field(None, alias="organization.education_bureau_id")
    organization_id: int
    latitude: float | None = Field(None, alias="organization.latitude")
    longitude: float | None = Field(None, alias="organization.longitude")


class SchoolDetail(SchoolOut):
    ownership: str
    address: str = Field("", alias="organization.address")
    principal_name: str
    principal_phone: str
    security_chief_name: str
    security_chief_phone: str
    legal_vice_principal: str
    is_pilot: bool
    closed_management: bool
    wall_compliant: bool
    gate_compliant: bool
    anti_collision: list[str]
    duty_24h: bool
    campus_boundary: list | None

    @staticmethod
    def resolve_principal_phone(obj):
        return crypto.mask_phone(obj.principal_phone or "")

    @staticmethod
    def resolve_security_chief_phone(obj):
        return crypto.mask_phone(obj.security_chief_phone or "")


class SchoolFilters(Schema):
    q: str = ""
    sub_bureau: int | None = None
    station: int | None = None
    level: str = ""
    locality: str = ""
    boarding: str = ""
    failing: str = ""
    org: int | None = None


def _filtered(request, filters: SchoolFilters):
    return filtered(request, SchoolFilterSet, selectors.school_list(user=request.user), filters)


@router.get("/schools", response=list[SchoolOut], summary="学校列表（数据范围内，可筛选）")
@paginate(LimitOffsetPagination)
def school_list(request, filters: Query[SchoolFilters]):
    require_perm(request, "schools.view_school")
    return _filtered(request, filters)


@router.get("/schools/{school_id}", response=SchoolDetail, summary="学校详情")
def school_detail(request, school_id: int):
    require_perm(request, "schools.view_school")
    return selectors.school_get(user=request.user, pk=school_id)


class RuleOut(Schema):
    code: str
    title: str
    status: str
    required: int | bool | None = None
    actual: int | bool | None = None
    source: str
    detail: str
    reading: str


@router.get("/schools/{school_id}/compliance", response=list[RuleOut], summary="学校合规检查结果")
def school_compliance(request, school_id: int):
    require_perm(request, "schools.view_school")
    school = selectors.school_get(user=request.user, pk=school_id)
    return [r.__dict__ for r in compliance.results_for(school)]


class IndicatorOut(Schema):
    code: str
    title: str
    four_100: bool
    target: float
    applicable: int
    passing: int
    failing: int
    unknown: int
    rate: float | None


class RollupOut(Schema):
    organization_id: int | None
    name: str
    schools: int
    indicators: list[IndicatorOut]


class SummaryOut(Schema):
    organization_id: int
    total: RollupOut
    children: list[RollupOut]


def _row(row) -> dict:
    return {
        "organization_id": row.organization_id,
        "name": row.name,
        "schools": row.schools,
        "indicators": [{**i.__dict__, "rate": i.rate} for i in row.indicators.values()],
    }


@router.get("/compliance/summary", response=SummaryOut, summary="辖区合规汇总（四个100%等）")
def compliance_summary(request, org: int):
    require_perm(request, "schools.view_school")
    summary = selectors.compliance_summary(user=request.user, org_id=org)
    return {
        "organization_id": summary.organization.pk,
        "total": _row(summary.total),
        "children": [_row(c) for c in summary.children],
    }


# ---- guards ----------------------------------------------------------------------------------


class GuardOut(Schema):
    """A guard as lists show it: the ID number masked and the age instead of the birth date
    (a masked ID beside the birth date would give the whole number back)."""

    id: int
    school_id: int
    name: str
    id_number: str
    age: int | None
    phone: str
    certificate_number: str
    certificate_valid_until: dt.date | None
    training_date: dt.date | None
    employer: str
    is_full_time: bool
    status: str

    @staticmethod
    def resolve_id_number(obj):
        return crypto.mask_id_number(obj.id_number or "")

    @staticmethod
    def resolve_age(obj):
        return rules.age_on(obj.birth_date, timezone.localdate())

    @staticmethod
    def resolve_phone(obj):
        return crypto.mask_phone(obj.phone or "")


class GuardIn(Schema):
    name: str = Field(..., min_length=1, max_length=32)
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    certificate_number: str = ""
    certificate_valid_until: dt.date | None = None
    training_date: dt.date | None = None
    employer: str = ""
    is_full_time: bool = True
    status: GuardStatus = GuardStatus.ON_DUTY


@router.get("/schools/{school_id}/guards", response=list[GuardOut], summary="学校保安员")
@paginate(LimitOffsetPagination)
def guard_list(request, school_id: int):
    require_perm(request, "schools.view_guard")
    school = selectors.school_get(user=request.user, pk=school_id)
    return selectors.guard_list(user=request.user, school=school)


@router.post("/schools/{school_id}/guards", response={201: GuardOut}, summary="新增保安员")
def guard_create(request, school_id: int, payload: GuardIn):
    require_perm(request, "schools.add_guard")
    school = selectors.school_get(user=request.user, pk=school_id)
    return Status(201, services.guard_create(school=school, **payload.dict()))


@router.delete("/schools/{school_id}/guards/{guard_id}", response={204: None}, summary="删除保安员")
def guard_delete(request, school_id: int, guard_id: int):
    require_perm(request, "schools.delete_guard")
    school = selectors.school_get(user=request.user, pk=school_id)
    services.guard_delete(guard=selectors.guard_get(user=request.user, school=school, pk=guard_id))
    return Status(204, None)


# ---- devices ---------------------------------------------------------------------------------

# Device kinds are a dictionary administrators adapt, not a fixed enum of the schema.
DEVICE_KIND_DESCRIPTION = "设备类型编码（字典 schools.device_kind，见字典管理）"


class DeviceOut(Schema):
    id: int
    school_id: int
    kind: str = Field(..., description=DEVICE_KIND_DESCRIPTION)
    kind_label: str = ""
    name: str
    area: str
    retention_days: int | None
    stream_url: str = ""
    networked_police: bool
    networked_education: bool
    is_online: bool
    last_heartbeat: dt.datetime | None


class DeviceIn(Schema):
    kind: str = Field(..., max_length=32, description=DEVICE_KIND_DESCRIPTION + "，须为启用的项")
    name: str = Field("", max_length=64)
    area: str = Field("", max_length=64)
    retention_days: int | None = Field(None, ge=0, le=3650)
    stream_url: str = Field("", max_length=300, description="视频流地址：http(s):// 或 rtsp://")
    networked_police: bool = False
    networked_education: bool = False
    is_online: bool = True


@router.get("/schools/{school_id}/devices", response=list[DeviceOut], summary="学校技防设备")
@paginate(LimitOffsetPagination)
def device_list(request, school_id: int):
    require_perm(request, "schools.view_device")
    school = selectors.school_get(user=request.user, pk=school_id)
    return selectors.device_list(user=request.user, school=school)


@router.post("/schools/{school_id}/devices", response={201: DeviceOut}, summary="新增技防设备")
def device_create(request, school_id: int, payload: DeviceIn):
    require_perm(request, "schools.add_device")
    school = selectors.school_get(user=request.user, pk=school_id)
    return Status(201, services.device_create(school=school, **payload.dict()))


@router.delete(
    "/schools/{school_id}/devices/{device_id}", response={204: None}, summary="删除技防设备"
)
def device_delete(request, school_id: int, device_id: int):
    require_perm(request, "schools.delete_device")
    school = selectors.school_get(user=request.user, pk=school_id)
    services.device_delete(
        device=selectors.device_get(user=request.user, school=school, pk=device_id)
    )
    return Status(204, None)


# ---- equipment -------------------------------------------------------------------------------


# Equipment kinds are a dictionary administrators adapt, not a fixed enum of the schema.
EQUIPMENT_KIND_DESCRIPTION = "装备种类编码（字典 schools.equipment_kind，见字典管理）"


class EquipmentOut(Schema):
    item: str = Field(..., description=EQUIPMENT_KIND_DESCRIPTION)
    item_label: str = ""
    quantity: int


class EquipmentIn(Schema):
    items: dict[str, int] = Field(
        ...,
        description="装备种类编码 → 数量；编码见字典 schools.equipment_kind（字典管理），"
        "新登记的须为启用的项",
    )


@router.get("/schools/{school_id}/equipment", response=list[EquipmentOut], summary="学校防护装备")
@paginate(LimitOffsetPagination)
def equipment_list(request, school_id: int):
    require_perm(request, "schools.view_equipmentstock")
    school = selectors.school_get(user=request.user, pk=school_id)
    return selectors.equipment_list(user=request.user, school=school)


@router.put(
    "/schools/{school_id}/equipment", response=list[EquipmentOut], summary="设置防护装备数量"
)
def equipment_set(request, school_id: int, payload: EquipmentIn):
    require_perm(request, "schools.change_equipmentstock")
    school = selectors.school_get(user=request.user, pk=school_id)
    if any(q < 0 for q in payload.items.values()):
        from ninja.errors import HttpError

        raise HttpError(400, _("数量不能为负数。"))
    services.equipment_set_many(
        school=school, quantities={str(k): v for k, v in payload.items.items()}
    )
    return list(selectors.equipment_list(user=request.user, school=school))
