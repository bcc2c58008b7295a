"""保安员台账: full-time guards of the schools in the user's scope.

Rows match existing guards by (school, ID number) through the blind index, so a ledger
exported here and imported again updates the same people instead of adding them twice.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.crypto import blind_index
from huxiao.core.validators import birth_date_from_id, id_number_problem
from huxiao.schools.choices import GuardStatus
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.common import (
    SCHOOL_CODE_COLUMN,
    model_max_length,
    school_ids_in_scope,
    unknown_school_message,
)
from huxiao.schools.imports.writing import write_rows
from huxiao.schools.models import Guard, School


def id_number(value) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        # An 18-digit number in a numeric cell has already lost its last digits.
        raise cells.CellError(_("身份证号须以文本格式填写（数字格式会丢失末几位）"))
    text = cells.as_text(value).upper()
    problem = id_number_problem(text)
    if problem:
        raise cells.CellError(problem)
    return text


def _max(field: str) -> int:
    return model_max_length(Guard, field)


COLUMNS = (
    SCHOOL_CODE_COLUMN,
    Column(
        "姓名",
        "name",
        cells.text(_max("name")),
        required=True,
        example="张伟",
        help=gettext_lazy("必填"),
    ),
    Column(
        "身份证号",
        "id_number",
        id_number,
        required=True,
        example="11010519491231002X",
        help=gettext_lazy("必填，18位，按GB 11643校验末位；请将单元格设为文本格式"),
    ),
    Column(
        "出生日期",
        "birth_date",
        cells.date,
        example="1949-12-31",
        help=gettext_lazy("可空，空则取身份证号中的出生日期；须与身份证号一致"),
    ),
    Column("手机号", "phone", cells.phone, default="", example="13800000000"),
    Column(
        "保安员证号",
        "certificate_number",
        cells.text(_max("certificate_number")),
        default="",
        example="BA530100000001",
    ),
    Column(
        "证件有效期至",
        "certificate_valid_until",
        cells.date,
        example="2028-12-31",
        help=gettext_lazy("日期，如 2028-12-31 或 2028/12/31"),
    ),
    Column("培训日期", "training_date", cells.date, example="2026-03-01"),
    Column(
        "所属保安公司",
        "employer",
        cells.text(_max("employer")),
        default="",
        example="某保安服务有限公司",
    ),
    Column(
        "专职",
        "is_full_time",
        cells.boolean,
        default=True,
        example="是",
        help=gettext_lazy("是/否，空为“是”"),
    ),
    Column(
        "状态",
        "status",
        cells.choice(GuardStatus),
        default=GuardStatus.ON_DUTY,
        example="在岗",
        help=gettext_lazy("在岗/休假/离职，空为“在岗”"),
    ),
)


def validate(plan: Plan) -> None:
    schools = school_ids_in_scope(plan.scope)
    existing = {
        (school_id, index): pk
        for pk, school_id, index in Guard.objects.filter(
            school__in=plan.scope.queryset(School)
        ).values_list("pk", "school_id", "id_number_index")
        if index
    }
    seen: dict[tuple, int] = {}
    unknown = unknown_school_message()
    birth_header = "出生日期"
    for number, values, bad in parse_rows(plan):
        code = values.pop("school_code", None)
        school_id = schools.get(code) if code else None
        if code and school_id is None:
            plan.error(number, SCHOOL_CODE_COLUMN.header, unknown, code)
        ident = values.get("id_number")
        if not ident:
            continue
        born = birth_date_from_id(ident)
        given = values.get("birth_date")
        if given is not None and "birth_date" not in bad and given != born:
            plan.error(number, birth_header, _("出生日期与身份证号不一致"), given)
            continue
        values["birth_date"] = born
        if school_id is None or bad:
            continue
        index = blind_index(ident)
        key = (school_id, index)
        if key in seen:
            plan.error(
                number,
                "身份证号",
                _("与第%(n)d行重复（同一学校、同一身份证号）") % {"n": seen[key]},
                ident[:6] + "…",
            )
            continue
        seen[key] = number
        plan.items.append(
            Item(
                number,
                values,
                school_id=school_id,
                target=existing.get(key),
                extra={"index": index},
            )
        )


def write(plan: Plan, *, bulk: bool) -> dict:
    from huxiao.schools import services

    return write_rows(
        plan,
        model=Guard,
        bulk=bulk,
        create=lambda school, values: services.guard_create(school=school, **values),
        update=lambda obj, values: services.guard_update(guard=obj, **values),
        bulk_extra=lambda item: {"id_number_index": item.extra["index"]},
    )


def export_queryset(scope: Scope):
    return (
        Guard.objects.filter(school__in=scope.queryset(School))
        .select_related("school")
        .order_by("school__school_code", "name", "id")
    )


def export_rows(scope: Scope):
    status = {value: cells.label_of(GuardStatus, value) for value in GuardStatus.values}
    for g in export_queryset(scope).iterator(chunk_size=2000):
        yield [
            g.school.school_code,
            g.name,
            g.id_number,
            g.birth_date,
            g.phone,
            g.certificate_number,
            g.certificate_valid_until,
            g.training_date,
            g.employer,
            "是" if g.is_full_time else "否",
            status.get(g.status, g.status),
        ]


LEDGER = Ledger(
    key="guards",
    title=gettext_lazy("保安员台账"),
    object_type="schools.guard",
    import_permission="schools.add_guard",
    export_permission="schools.change_guard",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
    export_queryset=export_queryset,
    personal_data=True,
    notes=(gettext_lazy("按“学校标识码+身份证号”识别已登记的保安员：已有的更新，没有的新增。"),),
)
