"""重点人员台账: the columns, the row checks and the write of the key-person ledger.

Rows are matched to registered persons by the blind index of the ID number: a person
already listed by a station in the importer's scope is updated, one listed elsewhere is a
row error (the file cannot move a person out of another station's hands), and the same ID
number twice in the file is a row error. Stations, officers and schools are looked up in
the importer's scope; unknown or out-of-scope ones are errors with the same words. Values
of the identity columns are never echoed in error lists (they are kept on disk until the
upload is swept). The export is masked, so it is a report, not a file to import back.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import crypto
from huxiao.core.models import Organization, User
from huxiao.persons import selectors
from huxiao.persons.choices import Category, ControlMeasure, PersonStatus, RiskLevel
from huxiao.persons.models import KeyPerson
from huxiao.persons.services.persons import RESPONSIBLE_KINDS
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, RowError, Scope, parse_rows
from huxiao.schools.imports.guards import id_number
from huxiao.schools.imports.reader import ImportFileError
from huxiao.schools.imports.writing import RowFailed
from huxiao.schools.models import School

SENSITIVE = {"身份证号", "手机号", "住址"}
_SPLIT = cells.SEPARATORS


def _labels(choices) -> str:
    return "、".join(cells.labels_of(choices))


COLUMNS = (
    Column(
        "姓名", "name", cells.text(32), required=True, example="测试甲某", help=gettext_lazy("必填")
    ),
    Column(
        "身份证号",
        "id_number",
        id_number,
        required=True,
        example="11010519491231002X",
        help=gettext_lazy("必填，18位，按GB 11643校验末位；请将单元格设为文本格式"),
    ),
    Column("手机号", "phone", cells.phone, default="", example="13800000000"),
    Column("住址", "address", cells.text(200), default="", example="四川省攀枝花市东区某路1号"),
    Column(
        "类别",
        "categories",
        cells.multi_choice(Category),
        required=True,
        example="严重精神障碍患者、扬言报复",
        help=gettext_lazy("必填，可多选，用顿号分隔"),
    ),
    Column(
        "精神障碍风险等级",
        "mental_risk_level",
        cells.integer(0, 5),
        example=3,
        help=gettext_lazy("0–5，仅“严重精神障碍患者”填写"),
    ),
    Column("总体风险", "risk_level", cells.choice(RiskLevel), default=RiskLevel.LOW, example="高"),
    Column(
        "责任派出所",
        "station",
        cells.text(128),
        required=True,
        example="炳草岗派出所",
        help=gettext_lazy("必填，派出所名称或单位代码，须在您的数据范围内"),
    ),
    Column(
        "责任民警",
        "officer",
        cells.text(150),
        default="",
        example="officer01",
        help=gettext_lazy("可空；用户名、姓名或警号，须为责任派出所的民警"),
    ),
    Column(
        "管控措施",
        "control_measures",
        cells.multi_choice(ControlMeasure),
        default=[],
        example="稳控、监护落实",
        help=gettext_lazy("可多选，用顿号分隔"),
    ),
    Column(
        "状态",
        "status",
        cells.choice(PersonStatus),
        default=PersonStatus.IN_CONTROL,
        example="在控",
        help=gettext_lazy("在控/失控；撤销列管须在系统中审批办理"),
    ),
    Column(
        "关联学校",
        "schools",
        cells.text(2000),
        default="",
        example="5104020001",
        help=gettext_lazy("可空；学校标识码或学校名称，多个用顿号分隔"),
    ),
)


def _scoped(plan: Plan, model):
    user = plan.scope.user
    if user is None:
        return model.objects.all()
    if model is KeyPerson:
        return selectors.police_only(KeyPerson, user)
    return model.objects.visible_to(user)


def _lookup(pairs) -> dict:
    """key → id, with keys that name two records dropped (ambiguous = unknown)."""
    found: dict = {}
    twice = set()
    for key, pk in pairs:
        if not key:
            continue
        if key in found and found[key] != pk:
            twice.add(key)
        found[key] = pk
    return {k: v for k, v in found.items() if k not in twice}


def _mask_errors(plan: Plan) -> None:
    plan.errors = [
        RowError(e.row, e.column, e.message, "") if e.column in SENSITIVE and e.value else e
        for e in plan.errors
    ]


def validate(plan: Plan) -> None:
    user = plan.scope.user
    if user is not None and not selectors.can_view(user):
        raise ImportFileError(_("只有公安民警可以导入重点人员台账。"))
    stations_qs = _scoped(plan, Organization).filter(kind__in=RESPONSIBLE_KINDS)
    stations = _lookup(
        [(code, pk) for pk, code, _n in stations_qs.values_list("pk", "code", "name")]
        + [(name, pk) for pk, _c, name in stations_qs.values_list("pk", "code", "name")]
    )
    officers: dict = defaultdict(dict)
    for pk, org_id, username, full_name, number in (
        _scoped(plan, User)
        .filter(role__is_police=True, is_active=True, organization__in=stations_qs)
        .values_list("pk", "organization_id", "username", "full_name", "police_number")
    ):
        for key in (username, full_name, number):
            if key:
                officers[org_id].setdefault(key, pk)
    schools_qs = _scoped(plan, School)
    schools = _lookup(
        list(schools_qs.values_list("school_code", "pk"))
        + list(schools_qs.values_list("organization__name", "pk"))
    )
    in_scope = set(_scoped(plan, KeyPerson).values_list("pk", flat=True))
    existing = dict(KeyPerson.objects.values_list("id_number_index", "pk"))
    seen: dict[str, int] = {}
    unknown = _("不存在或不在您的数据范围内")
    for number, values, bad in parse_rows(plan):
        extra: dict = {}
        station = stations.get(values.pop("station", None) or "")
        if station is None and "station" not in bad:
            plan.error(number, "责任派出所", _("责任派出所") + unknown)
        officer_key = values.pop("officer", "")
        if officer_key and station is not None:
            officer = officers[station].get(officer_key)
            if officer is None:
                plan.error(
                    number, "责任民警", _("不是责任派出所的民警，或不在您的数据范围内"), officer_key
                )
            extra["officer"] = officer
        links = []
        for part in _SPLIT.split(values.pop("schools", "") or ""):
            if part:
                school = schools.get(part)
                if school is None:
                    plan.error(number, "关联学校", _("学校") + unknown, part)
                else:
                    links.append(school)
        cats = values.get("categories") or []
        level = values.get("mental_risk_level")
        if Category.MENTAL in cats and level is None and "mental_risk_level" not in bad:
            plan.error(number, "精神障碍风险等级", _("严重精神障碍患者须填写0–5级的危险性等级"))
        elif Category.MENTAL not in cats and level is not None:
            plan.error(
                number, "精神障碍风险等级", _("只有“严重精神障碍患者”类别才填写危险性等级"), level
            )
        if values.get("status") == PersonStatus.REVOKED:
            plan.error(number, "状态", _("撤销列管须在系统中审批办理，不能通过导入"))
        ident = values.get("id_number")
        if not ident:
            continue
        candidates = crypto.blind_index_candidates(ident)
        index = candidates[0]
        if index in seen:
            plan.error(
                number, "身份证号", _("与第%(n)d行重复（同一身份证号）") % {"n": seen[index]}
            )
            continue
        seen[index] = number
        target = next((existing[c] for c in candidates if c in existing), None)
        if target is not None and target not in in_scope:
            plan.error(number, "身份证号", _("该身份证号已由其他单位登记为重点人员"))
            continue
        extra.update(station=station, schools=links)
        plan.items.append(Item(number, values, target=target, extra=extra))
    _mask_errors(plan)


def _fields(item: Item) -> dict:
    values = dict(item.values)
    values["officer"] = (
        User.objects.get(pk=item.extra["officer"]) if item.extra.get("officer") else None
    )
    return values


def write(plan: Plan, *, bulk: bool) -> dict:
    from huxiao.persons import services

    actor = plan.scope.user
    stations = Organization.objects.in_bulk({i.extra["station"] for i in plan.items})
    school_objs = School.objects.select_related("organization").in_bulk(
        {s for i in plan.items for s in i.extra["schools"]}
    )
    targets = KeyPerson.objects.in_bulk([i.target for i in plan.items if i.is_update])
    created = updated = 0
    creates: dict = defaultdict(list)
    for item in plan.items:
        links = [school_objs[s] for s in item.extra["schools"]]
        station = stations[item.extra["station"]]
        try:
            if item.is_update:
                services.key_person_update(
                    person=targets[item.target],
                    actor=actor,
                    station=station,
                    schools=links,
                    **_fields(item),
                )
                updated += 1
            elif bulk:
                creates[station].append({**_fields(item), "schools": links})
            else:
                services.key_person_create(
                    station=station, schools=links, actor=actor, **_fields(item)
                )
                created += 1
        except ValidationError as exc:
            raise RowFailed(item.row, exc) from exc
    for station, people in creates.items():
        created += len(services.key_person_create_many(station=station, people=people, actor=actor))
    return {"created": created, "updated": updated, "unchanged": 0, "bulk": bulk}


def export_queryset(scope: Scope):
    qs = (
        KeyPerson.objects.all()
        if scope.user is None
        else selectors.police_only(KeyPerson, scope.user)
    )
    return (
        qs.select_related("station", "officer")
        .prefetch_related("school_links__school")
        .order_by("station__code", "name", "id")
    )


def export_rows(scope: Scope):
    cats = {v: cells.label_of(Category, v) for v in Category.values}
    measures = {v: cells.label_of(ControlMeasure, v) for v in ControlMeasure.values}
    for p in export_queryset(scope).iterator(chunk_size=500):
        yield [
            p.name,
            crypto.mask_id_number(p.id_number or ""),
            crypto.mask_phone(p.phone or ""),
            crypto.mask_address(p.address or ""),
            "、".join(cats.get(c, c) for c in p.categories),
            p.mental_risk_level,
            cells.label_of(RiskLevel, p.risk_level),
            p.station.name,
            p.officer.display_name if p.officer_id else "",
            "、".join(measures.get(m, m) for m in p.control_measures),
            cells.label_of(PersonStatus, p.status),
            "、".join(k.school.school_code for k in p.school_links.all()),
        ]


LEDGER = Ledger(
    key="key_persons",
    title=gettext_lazy("重点人员台账"),
    object_type="persons.keyperson",
    import_permission="persons.add_keyperson",
    export_permission="persons.view_keyperson",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
    export_queryset=export_queryset,
    # The export masks the identity columns, so it carries no personal data in clear.
    personal_data=False,
    notes=(
        gettext_lazy("按身份证号识别已登记的重点人员：您数据范围内的更新，其他单位登记的报错。"),
        gettext_lazy("导出的身份证号、手机号、住址已脱敏，仅供查阅，不能作为导入文件。"),
    ),
)
