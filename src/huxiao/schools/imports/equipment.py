"""防护装备台账: how many of each kind of guard equipment a school holds."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.schools.choices import EquipmentItem
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.common import (
    SCHOOL_CODE_COLUMN,
    school_ids_in_scope,
    unknown_school_message,
)
from huxiao.schools.imports.writing import write_rows
from huxiao.schools.models import EquipmentStock, School

COLUMNS = (
    SCHOOL_CODE_COLUMN,
    Column(
        "装备",
        "item",
        cells.choice(EquipmentItem),
        required=True,
        example="钢叉/安全叉",
        help=gettext_lazy(
            "必填：钢叉/安全叉、橡胶棒/警棍、防刺背心、防割手套、头盔、盾牌、强光手电、对讲机、辣椒喷雾"
        ),
    ),
    Column(
        "数量",
        "quantity",
        cells.integer(0),
        required=True,
        example=2,
        help=gettext_lazy("必填，0或正整数"),
    ),
)


def validate(plan: Plan) -> None:
    schools = school_ids_in_scope(plan.scope)
    existing = {
        (school_id, item): pk
        for pk, school_id, item in EquipmentStock.objects.filter(
            school__in=plan.scope.queryset(School)
        ).values_list("pk", "school_id", "item")
    }
    seen: dict[tuple, int] = {}
    unknown = unknown_school_message()
    for number, values, bad in parse_rows(plan):
        code = values.pop("school_code", None)
        school_id = schools.get(code) if code else None
        if code and school_id is None:
            plan.error(number, SCHOOL_CODE_COLUMN.header, unknown, code)
        if school_id is None or bad:
            continue
        key = (school_id, values["item"])
        if key in seen:
            plan.error(
                number,
                "装备",
                _("与第%(n)d行重复（同一学校的同一装备只能填一行）") % {"n": seen[key]},
                cells.label_of(EquipmentItem, values["item"]),
            )
            continue
        seen[key] = number
        plan.items.append(Item(number, values, school_id=school_id, target=existing.get(key)))


def _set(school, values):
    from huxiao.schools import services

    return services.equipment_set(school=school, **values)


def write(plan: Plan, *, bulk: bool) -> dict:
    return write_rows(
        plan,
        model=EquipmentStock,
        bulk=bulk,
        create=_set,
        update=lambda obj, values: _set(obj.school, values),
    )


def export_queryset(scope: Scope):
    return (
        EquipmentStock.objects.filter(school__in=scope.queryset(School))
        .select_related("school")
        .order_by("school__school_code", "item")
    )


def export_rows(scope: Scope):
    items = {value: cells.label_of(EquipmentItem, value) for value in EquipmentItem.values}
    for stock in export_queryset(scope).iterator(chunk_size=2000):
        yield [stock.school.school_code, items.get(stock.item, stock.item), stock.quantity]


LEDGER = Ledger(
    key="equipment",
    title=gettext_lazy("防护装备台账"),
    object_type="schools.equipmentstock",
    import_permission="schools.add_equipmentstock",
    export_permission="schools.change_equipmentstock",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
    export_queryset=export_queryset,
    notes=(gettext_lazy("每所学校每种装备一行；导入后该装备的数量即为表中数量。"),),
)
