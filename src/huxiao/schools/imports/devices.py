"""技防设备台账: cameras, one-key alarms and other devices of the schools in scope.

A row matches an existing device by (school, 类型, 名称); when a school has several with
the same type and name (unnamed cameras, say), the n-th such row in the file matches the
n-th such device in registration order, which is also the order of the export, so an
exported ledger imports back onto the same devices.

The 类型 is an entry of the dictionary schools.device_kind (字典管理), by label or code: a new
device needs an enabled one; an existing device keeps its own kind even if it was disabled
since (like the services), so an exported ledger still imports back.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import dictionaries
from huxiao.schools.choices import DEVICE_KIND
from huxiao.schools.imports import cells
from huxiao.schools.imports.base import Column, Item, Ledger, Plan, Scope, parse_rows
from huxiao.schools.imports.common import (
    SCHOOL_CODE_COLUMN,
    model_max_length,
    school_ids_in_scope,
    unknown_school_message,
)
from huxiao.schools.imports.writing import write_rows
from huxiao.schools.models import Device, School

KIND = cells.DictionaryChoice(DEVICE_KIND)


def _kind_help() -> str:
    return _("必填：%(labels)s（字典管理中启用的设备类型）") % {"labels": KIND.enabled_labels()}


COLUMNS = (
    SCHOOL_CODE_COLUMN,
    Column(
        "类型",
        "kind",
        KIND,
        required=True,
        example="视频监控",
        help=lazy(_kind_help, str)(),
    ),
    Column(
        "名称",
        "name",
        cells.text(model_max_length(Device, "name")),
        default="",
        example="校门口1号摄像机",
        help=gettext_lazy("同一学校同类型设备按名称识别，建议每台设备名称不同"),
    ),
    Column(
        "覆盖区域", "area", cells.text(model_max_length(Device, "area")), default="", example="校门"
    ),
    Column(
        "录像保存天数",
        "retention_days",
        cells.integer(0, 32767),
        example=30,
        help=gettext_lazy("整数，摄像机填写；可空"),
    ),
    Column(
        "联网公安",
        "networked_police",
        cells.boolean,
        default=False,
        example="是",
        help=gettext_lazy("是/否，空为“否”"),
    ),
    Column(
        "联网教育",
        "networked_education",
        cells.boolean,
        default=False,
        example="否",
        help=gettext_lazy("是/否，空为“否”"),
    ),
    Column(
        "在线",
        "is_online",
        cells.boolean,
        default=True,
        example="是",
        help=gettext_lazy("是/否，空为“是”"),
    ),
)


def validate(plan: Plan) -> None:
    schools = school_ids_in_scope(plan.scope)
    existing: dict[tuple, list[int]] = defaultdict(list)
    for pk, school_id, kind, name in (
        Device.objects.filter(school__in=plan.scope.queryset(School))
        .order_by("id")
        .values_list("pk", "school_id", "kind", "name")
    ):
        existing[(school_id, kind, name)].append(pk)
    used: dict[tuple, int] = defaultdict(int)
    unknown = unknown_school_message()
    kinds = dictionaries.entries(DEVICE_KIND)
    disabled = {e.code: e.label for e in kinds if not e.is_enabled}
    for number, values, bad in parse_rows(plan):
        code = values.pop("school_code", None)
        school_id = schools.get(code) if code else None
        if code and school_id is None:
            plan.error(number, SCHOOL_CODE_COLUMN.header, unknown, code)
        if school_id is None or bad:
            continue
        key = (school_id, values["kind"], values.get("name", ""))
        matches = existing.get(key, ())
        target = matches[used[key]] if used[key] < len(matches) else None
        used[key] += 1
        if target is None and values["kind"] in disabled:
            plan.error(
                number,
                "类型",
                _("设备类型“%(label)s”已停用，不能登记新设备；请选用启用的类型：%(allowed)s")
                % {
                    "label": disabled[values["kind"]],
                    "allowed": "、".join(e.label for e in kinds if e.is_enabled),
                },
                disabled[values["kind"]],
            )
            continue
        plan.items.append(Item(number, values, school_id=school_id, target=target))


def write(plan: Plan, *, bulk: bool) -> dict:
    from huxiao.schools import services

    return write_rows(
        plan,
        model=Device,
        bulk=bulk,
        create=lambda school, values: services.device_create(school=school, **values),
        update=lambda obj, values: services.device_update(device=obj, **values),
    )


def export_queryset(scope: Scope):
    return (
        Device.objects.filter(school__in=scope.queryset(School))
        .select_related("school")
        .order_by("school__school_code", "kind", "id")
    )


def export_rows(scope: Scope):
    kinds = dictionaries.labels(DEVICE_KIND)  # read once for the whole export
    for d in export_queryset(scope).iterator(chunk_size=2000):
        yield [
            d.school.school_code,
            kinds.get(d.kind, d.kind),
            d.name,
            d.area,
            d.retention_days,
            "是" if d.networked_police else "否",
            "是" if d.networked_education else "否",
            "是" if d.is_online else "否",
        ]


LEDGER = Ledger(
    key="devices",
    title=gettext_lazy("技防设备台账"),
    object_type="schools.device",
    import_permission="schools.add_device",
    export_permission="schools.change_device",
    columns=COLUMNS,
    validate=validate,
    write=write,
    export_rows=export_rows,
    export_queryset=export_queryset,
    notes=(gettext_lazy("按“学校标识码+类型+名称”识别已登记的设备：已有的更新，没有的新增。"),),
)
