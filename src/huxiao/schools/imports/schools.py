"""学校台账: schools with their police station, education bureau and physical defence.

A row matches an existing school by 学校标识码 and updates it; a row whose 单位代码 names a
school node that exists in the tree without a school record yet (created by an
administrator) registers that node; other rows create the school's node under the named
police station. Schools are always written through the services, one by one, so every
school gets its own change-log entries (a city has hundreds, not hundreds of thousands).
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.schools.choices import AntiCollisionKind, Locality, Ownership, SchoolLevel
from huxiao.schools.geo import gcj02_to_wgs84
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.common import SCHOOL_CODE_COLUMN, model_max_length
from huxiao.schools.imports.writing import RowFailed
from huxiao.schools.models import School


def _org_max(field: str) -> int:
    return model_max_length(Organization, field)


def _school_max(field: str) -> int:
    return model_max_length(School, field)


_YES_NO = gettext_lazy("是/否，空为“否”")

COLUMNS = (
    Column(
        "学校名称",
        "name",
        cells.text(_org_max("name")),
        required=True,
        example="示例市第一小学",
        help=gettext_lazy("必填"),
    ),
    replace(
        SCHOOL_CODE_COLUMN,
        help=gettext_lazy("必填，10位数字，唯一；已登记的学校按此识别并更新"),
    ),
    Column(
        "单位代码",
        "org_code",
        cells.text(_org_max("code")),
        required=True,
        example="SCH-5301110001",
        help=gettext_lazy("必填，学校在单位树中的代码，唯一"),
    ),
    Column(
        "行政区划代码",
        "division_code",
        cells.code(6, gettext_lazy("行政区划代码应为6位数字（GB/T 2260）")),
        required=True,
        example="530111",
        help=gettext_lazy("必填，6位数字（GB/T 2260）"),
    ),
    Column(
        "学段",
        "level",
        cells.choice(SchoolLevel),
        required=True,
        example="小学",
        help=gettext_lazy(
            "必填：幼儿园、小学、初中、高中、九年一贯制、完全中学、中职、特殊教育、教学点"
        ),
    ),
    Column(
        "办学性质",
        "ownership",
        cells.choice(Ownership),
        default=Ownership.PUBLIC,
        example="公办",
        help=gettext_lazy("公办/民办，空为“公办”"),
    ),
    Column(
        "城乡类型",
        "locality",
        cells.choice(Locality),
        required=True,
        example="城区",
        help=gettext_lazy("必填：城区、镇区、乡村"),
    ),
    Column("寄宿制", "is_boarding", cells.boolean, default=False, example="否", help=_YES_NO),
    Column(
        "寄宿生人数",
        "boarders",
        cells.integer(0),
        default=0,
        example=0,
        help=gettext_lazy("整数；非寄宿制填0，不超过学生人数"),
    ),
    Column("学生人数", "students", cells.integer(0), default=0, example=860),
    Column("教职工人数", "staff", cells.integer(0), default=0, example=62),
    Column(
        "地址",
        "address",
        cells.text(_org_max("address")),
        default="",
        example="示例市示例区学府路1号",
    ),
    Column(
        "经度",
        "longitude",
        cells.coordinate(73, 136, gettext_lazy("经度应在73至136之间（中国境内，十进制度）")),
        example=102.712345,
        help=gettext_lazy("十进制度，WGS-84；上传时可声明为GCJ-02（高德/腾讯地图），系统自动转换"),
    ),
    Column(
        "纬度",
        "latitude",
        cells.coordinate(3, 54, gettext_lazy("纬度应在3至54之间（中国境内，十进制度）")),
        example=25.041234,
        help=gettext_lazy("十进制度，与经度同时填写"),
    ),
    Column(
        "所属派出所",
        "station",
        cells.text(_org_max("code")),
        required=True,
        example="T-STA-A",
        help=gettext_lazy("必填，派出所的单位代码，须在您的数据范围内"),
    ),
    Column(
        "主管教育局",
        "education_bureau",
        cells.text(_org_max("code")),
        default=None,
        example="T-EDU-A",
        help=gettext_lazy("教育局的单位代码，可空"),
    ),
    Column("校长", "principal_name", cells.text(_school_max("principal_name")), default=""),
    Column("校长电话", "principal_phone", cells.phone, default=""),
    Column(
        "安保负责人",
        "security_chief_name",
        cells.text(_school_max("security_chief_name")),
        default="",
    ),
    Column("安保负责人电话", "security_chief_phone", cells.phone, default=""),
    Column(
        "封闭化管理", "closed_management", cells.boolean, default=False, example="是", help=_YES_NO
    ),
    Column("围墙合格", "wall_compliant", cells.boolean, default=False, example="是", help=_YES_NO),
    Column("校门合格", "gate_compliant", cells.boolean, default=False, example="是", help=_YES_NO),
    Column(
        "防冲撞设施",
        "anti_collision",
        cells.multi_choice(AntiCollisionKind),
        default=[],
        example="拒马、升降柱",
        help=gettext_lazy("拒马、隔离墩、升降柱，多项用“、”分隔，可空"),
    ),
    Column("24小时值守", "duty_24h", cells.boolean, default=False, example="否", help=_YES_NO),
    Column("警校家试点", "is_pilot", cells.boolean, default=False, example="否", help=_YES_NO),
)

ORG_KEYS = ("name", "division_code", "address", "longitude", "latitude")
SCHOOL_KEYS = (
    "school_code",
    "level",
    "ownership",
    "locality",
    "is_boarding",
    "boarders",
    "students",
    "staff",
    "principal_name",
    "principal_phone",
    "security_chief_name",
    "security_chief_phone",
    "closed_management",
    "wall_compliant",
    "gate_compliant",
    "anti_collision",
    "duty_24h",
    "is_pilot",
)
_HEADER_OF = {col.key: col.header for col in COLUMNS}


def _header_for(field: str) -> str:
    return _HEADER_OF.get(field, "")


class _Lookups:
    """Everything the rows are checked against, read once."""

    def __init__(self, plan: Plan, codes: set[str], org_codes: set[str]):
        scope = plan.scope
        self.stations = dict(
            scope.queryset(Organization).filter(kind=OrgKind.STATION).values_list("code", "pk")
        )
        # An education bureau is a reference, not a place the user writes into.
        self.bureaus = dict(
            Organization.objects.filter(kind=OrgKind.EDUCATION_BUREAU).values_list("code", "pk")
        )
        self.schools = {
            s.school_code: s
            for s in School.objects.filter(school_code__in=codes).select_related("organization")
        }
        self.schools_in_scope = set(
            scope.queryset(School).filter(school_code__in=codes).values_list("pk", flat=True)
        )
        self.orgs = {
            o["code"]: o
            for o in Organization.objects.filter(code__in=org_codes).values(
                "pk", "code", "kind", "school"
            )
        }
        self.orgs_in_scope = set(
            scope.queryset(Organization).filter(code__in=org_codes).values_list("pk", flat=True)
        )


def validate(plan: Plan) -> None:
    rows = list(parse_rows(plan))
    codes = {values["school_code"] for _n, values, _b in rows if values.get("school_code")}
    org_codes = {values["org_code"] for _n, values, _b in rows if values.get("org_code")}
    look = _Lookups(plan, codes, org_codes)
    seen_codes: dict[str, int] = {}
    seen_org_codes: dict[str, int] = {}
    for number, values, bad in rows:
        _check_row(plan, look, number, values, bad, seen_codes, seen_org_codes)


def _check_row(plan, look, number, values, bad, seen_codes, seen_org_codes) -> None:
    errors_before = len(plan.errors)
    code = values.get("school_code")
    existing = None
    if code:
        if code in seen_codes:
            plan.error(
                number, "学校标识码", _("学校标识码与第%(n)d行重复") % {"n": seen_codes[code]}, code
            )
        else:
            seen_codes[code] = number
            existing = look.schools.get(code)
            if existing is not None and existing.pk not in look.schools_in_scope:
                plan.error(
                    number, "学校标识码", _("该学校标识码已登记，且学校不在您的数据范围内"), code
                )
                existing = None
    org_code = values.get("org_code")
    register_org = None
    if org_code:
        if org_code in seen_org_codes:
            plan.error(
                number,
                "单位代码",
                _("单位代码与第%(n)d行重复") % {"n": seen_org_codes[org_code]},
                org_code,
            )
        else:
            seen_org_codes[org_code] = number
            org = look.orgs.get(org_code)
            own_org = existing.organization_id if existing is not None else None
            if org is not None and org["pk"] != own_org:
                free_school_node = (
                    existing is None
                    and org["kind"] == OrgKind.SCHOOL
                    and org["school"] is None
                    and org["pk"] in look.orgs_in_scope
                )
                if free_school_node:
                    register_org = org["pk"]
                else:
                    plan.error(number, "单位代码", _("单位代码已被其他单位使用"), org_code)
    station = values.get("station")
    station_id = look.stations.get(station) if station else None
    if station and station_id is None:
        plan.error(number, "所属派出所", _("未知派出所"), station)
    bureau = values.get("education_bureau")
    bureau_id = look.bureaus.get(bureau) if bureau else None
    if bureau and bureau_id is None:
        plan.error(number, "主管教育局", _("未知教育局"), bureau)
    _check_point(plan, number, values, bad)
    if len(plan.errors) > errors_before or bad:
        return
    values["station"] = station_id
    values["education_bureau"] = bureau_id
    _check_school_rules(plan, number, values, existing)
    if len(plan.errors) > errors_before:
        return
    plan.items.append(
        Item(
            number,
            values,
            target=existing.pk if existing is not None else None,
            extra={"register_org": register_org},
        )
    )


def _check_point(plan, number, values, bad) -> None:
    if "longitude" not in plan.present and "latitude" not in plan.present:
        return
    if {"longitude", "latitude"} & bad:
        return
    lng, lat = values.get("longitude"), values.get("latitude")
    if (lng is None) != (lat is None):
        missing = "经度" if lng is None else "纬度"
        plan.error(number, missing, _("经度和纬度须同时填写"))
        bad.add("longitude")
        return
    if lng is None:
        return
    if plan.gcj02:
        lng, lat = gcj02_to_wgs84(float(lng), float(lat))
    values["longitude"], values["latitude"] = cells.quantize(lng), cells.quantize(lat)


def _check_school_rules(plan, number, values, existing) -> None:
    """The school service's own checks (boarders, anti-collision kinds, field validators)."""
    from huxiao.schools import services

    school = School.objects.get(pk=existing.pk) if existing is not None else School()
    for key in SCHOOL_KEYS:
        if key in values:
            setattr(school, key, values[key])
    try:
        services.school_validate(school)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                plan.error(number, _header_for(field), message)


def _same(obj, changes: dict) -> bool:
    return all(getattr(obj, key) == value for key, value in changes.items())


def _org_kwargs(values: dict) -> dict:
    return {key: values[key] for key in ORG_KEYS if key in values}


def _school_kwargs(values: dict) -> dict:
    return {key: values[key] for key in SCHOOL_KEYS if key in values}


def write(plan: Plan, *, bulk: bool = False) -> dict:
    from huxiao.schools import services

    org_ids = {
        v
        for item in plan.items
        for k, v in item.values.items()
        if k in ("station", "education_bureau") and v
    }
    org_ids |= {item.extra["register_org"] for item in plan.items if item.extra.get("register_org")}
    orgs = Organization.objects.in_bulk(org_ids)
    created = updated = unchanged = 0
    for item in plan.items:
        values = dict(item.values)
        station = orgs[values.pop("station")]
        bureau_id = values.pop("education_bureau", None)
        org_changes = _org_kwargs(values)
        if "education_bureau" in item.values:
            org_changes["education_bureau"] = orgs[bureau_id] if bureau_id else None
        org_code = values.get("org_code")
        try:
            if item.is_update:
                school = School.objects.select_related("organization").get(pk=item.target)
                org = school.organization
                if org_code and org_code != org.code:
                    org_changes["code"] = org_code
                school_changes = _school_kwargs(values)
                org_same = _same(org, org_changes)
                school_same = _same(school, school_changes) and org.parent_id == station.pk
                if org_same and school_same:
                    unchanged += 1
                    continue
                if not org_same:
                    core_services.organization_update(org=org, **org_changes)
                if not school_same:
                    services.school_update(school=school, station=station, **school_changes)
                updated += 1
            elif item.extra.get("register_org"):
                org = orgs[item.extra["register_org"]]
                core_services.organization_update(org=org, **org_changes)
                if org.parent_id != station.pk:
                    core_services.organization_move(org=org, new_parent=station)
                services.school_register(organization=org, **_school_kwargs(values))
                created += 1
            else:
                services.school_create(
                    code=org_code,
                    station=station,
                    education_bureau=org_changes.pop("education_bureau", None),
                    **org_changes,
                    **_school_kwargs(values),
                )
                created += 1
        except ValidationError as exc:
            raise RowFailed(item.row, exc) from exc
    return {"created": created, "updated": updated, "unchanged": unchanged, "bulk": False}


def export_queryset(scope: Scope):
    return (
        scope.queryset(School)
        .select_related("organization__parent", "organization__education_bureau")
        .order_by("school_code")
    )


def _export_values(s: School) -> dict:
    org = s.organization
    return {
        "name": org.name,
        "school_code": s.school_code,
        "org_code": org.code,
        "division_code": org.division_code,
        "level": cells.label_of(SchoolLevel, s.level),
        "ownership": cells.label_of(Ownership, s.ownership),
        "locality": cells.label_of(Locality, s.locality),
        "is_boarding": s.is_boarding,
        "boarders": s.boarders,
        "students": s.students,
        "staff": s.staff,
        "address": org.address,
        "longitude": float(org.longitude) if org.longitude is not None else None,
        "latitude": float(org.latitude) if org.latitude is not None else None,
        "station": org.parent.code if org.parent_id else "",
        "education_bureau": org.education_bureau.code if org.education_bureau_id else "",
        "principal_name": s.principal_name,
        "principal_phone": s.principal_phone,
        "security_chief_name": s.security_chief_name,
        "security_chief_phone": s.security_chief_phone,
        "closed_management": s.closed_management,
        "wall_compliant": s.wall_compliant,
        "gate_compliant": s.gate_compliant,
        "anti_collision": "、".join(
            cells.label_of(AntiCollisionKind, v) for v in (s.anti_collision or [])
        ),
        "duty_24h": s.duty_24h,
        "is_pilot": s.is_pilot,
    }


def export_rows(scope: Scope):
    keys = [col.key for col in COLUMNS]
    for school in export_queryset(scope).iterator(chunk_size=2000):
        values = _export_values(school)
        yield [
            ("是" if v else "否") if isinstance(v, bool) else v for v in (values[k] for k in keys)
        ]


LEDGER = Ledger(
    key="schools",
    title=gettext_lazy("学校台账"),
    object_type="schools.school",
    import_permission="schools.add_school",
    export_permission="schools.change_school",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
    export_queryset=export_queryset,
    personal_data=True,
    notes=(
        gettext_lazy("按“学校标识码”识别已登记的学校：已有的更新，没有的在所属派出所下新增。"),
        gettext_lazy("坐标默认为WGS-84；从高德、腾讯地图取得的坐标请在上传时勾选“坐标为GCJ-02”。"),
    ),
)
