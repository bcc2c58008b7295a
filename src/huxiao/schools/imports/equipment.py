"""防护装备台账: how many of each kind of guard equipment a school holds.

The 装备 is an entry of the dictionary schools.equipment_kind (字典管理), by label or code: a
school may newly record an enabled kind or one the minimum kit names; a row it already holds
keeps its kind even if it was disabled since (like ``services.equipment_set_many``)."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import dictionaries
from huxiao.schools.choices import EQUIPMENT_KIND
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.common import (
    SCHOOL_CODE_COLUMN,
    school_ids_in_scope,
    unknown_school_message,
)
from huxiao.schools.imports.writing import write_rows
from huxiao.schools.models import EquipmentStock, School

ITEM = cells.DictionaryChoice(EQUIPMENT_KIND)


def _item_help() -> str:
    return _("必填：%(labels)s（字典管理中启用的装备种类）") % {"labels": ITEM.enabled_labels()}


COLUMNS = (
    SCHOOL_CODE_COLUMN,
    Column(
        "装备",
        "item",
        ITEM,
        required=True,
        example="钢叉/安全叉",
        help=lazy(_item_help, str)(),
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
    from huxiao.schools import services

    labels = dictionaries.labels(EQUIPMENT_KIND)
    open_kinds = services.equipment_kinds_open()
    allowed = "、".join(labels[code] for code in labels if code in open_kinds)
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
                labels.get(values["item"], values["item"]),
            )
            continue
        seen[key] = number
        target = existing.get(key)
        if target is None and values["item"] not in open_kinds:
            label = labels.get(values["item"], values["item"])
            plan.error(
                number,
                "装备",
                _("装备种类“%(label)s”已停用，不能新登记；请选用启用的种类：%(allowed)s")
                % {"label": label, "allowed": allowed},
                label,
            )
            continue
        plan.items.append(Item(number, values, school_id=school_id, target=target))


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
    items = dictionaries.labels(EQUIPMENT_KIND)  # read once for the whole export
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
