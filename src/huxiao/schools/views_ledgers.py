"""Pages of the ledgers under one school: guards, devices and equipment (list, export, add,
edit, delete), each read through the selectors and written through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core import crypto
from huxiao.core.exports import xlsx_response
from huxiao.core.forms import apply_service_errors, warn_id_number
from huxiao.core.views.generic import (
    Column,
    ScopedList,
    filtered,
    label_column,
    local_time,
    page_of,
    require,
)
from huxiao.schools import rules, services
from huxiao.schools.choices import DEVICE_KIND
from huxiao.schools.filtersets import DeviceFilterSet, GuardFilterSet
from huxiao.schools.forms import (
    DeviceForm,
    EquipmentForm,
    GuardForm,
)
from huxiao.schools.models import Device, EquipmentStock, Guard, School
from huxiao.schools.policy import current as current_policy
from huxiao.schools.views import (
    device_get,
    guard_get,
    kit_rows,
    school_get,
    school_permissions,
)

VIEW_SCHOOL = "schools.view_school"
CHANGE_SCHOOL = "schools.change_school"

# ---- lists under one school ----------------------------------------------------------------


@dataclass(frozen=True)
class SchoolSubList(ScopedList):
    """A list under one school: ``selector(user, school)``; rows may be decorated for display."""

    tab: str = ""
    decorate: object = None  # callable(row, today) -> None, sets the masked values shown

    def filter(self, request, school):
        filterset = self.filterset_class(
            request.GET, queryset=self.selector(request.user, school), request=request
        )
        return filterset, filtered(filterset)

    @property
    def list_view(self):
        @require(self.permission)
        def view(request, pk: int):
            school = school_get(request.user, pk)
            filterset, queryset = self.filter(request, school)
            page_obj = page_of(request, queryset)
            if self.decorate:
                today = timezone.localdate()
                page_obj.object_list = list(page_obj.object_list)
                for row in page_obj.object_list:
                    self.decorate(row, today)
            context = {
                "school": school,
                "filter": filterset,
                "page_obj": page_obj,
                "tab": self.tab,
                "policy": current_policy(),
                **school_permissions(request.user),
            }
            return render(request, self.template, context)

        return view

    @property
    def export_view(self):
        @require(self.permission)
        def view(request, pk: int):
            school = school_get(request.user, pk)
            filterset, queryset = self.filter(request, school)
            today = timezone.localdate()
            values = [column.for_export() for column in self.columns]

            def shown(row):
                if self.decorate:
                    self.decorate(row, today)
                return tuple(value(row) for value in values)

            rows = (shown(row) for row in queryset.iterator(chunk_size=2000))
            return xlsx_response(
                request=request,
                filename=f"{school.name}-{self.export_filename}",
                headers=[str(column.header) for column in self.columns],
                rows=rows,
                object_type=self.object_type,
                filters={"school": str(school.pk), **filterset.active_filters},
            )

        return view


def _decorate_guard(guard: Guard, today: dt.date) -> None:
    guard.id_masked = crypto.mask_id_number(guard.id_number or "")
    guard.phone_masked = crypto.mask_phone(guard.phone or "")
    guard.age = rules.age_on(guard.birth_date, today)
    guard.certificate_expired = (
        guard.certificate_valid_until is not None and guard.certificate_valid_until < today
    )


guards = SchoolSubList(
    permission="schools.view_guard",
    selector=lambda user, school: Guard.objects.visible_to(user).filter(school=school),
    filterset_class=GuardFilterSet,
    template="schools/guard_list.html",
    export_filename=gettext_lazy("保安员"),
    object_type="schools.guard",
    tab="guards",
    decorate=_decorate_guard,
    columns=(
        Column(gettext_lazy("姓名"), lambda g: g.name),
        # Masked as on screen; the birth date is left out: with the masked number it would
        # give the whole ID number back.
        Column(gettext_lazy("身份证号"), lambda g: g.id_masked),
        Column(gettext_lazy("年龄"), lambda g: g.age),
        Column(gettext_lazy("手机号"), lambda g: g.phone_masked),
        Column(gettext_lazy("保安员证号"), lambda g: g.certificate_number),
        Column(gettext_lazy("保安员证有效期至"), lambda g: g.certificate_valid_until),
        Column(gettext_lazy("培训日期"), lambda g: g.training_date),
        Column(gettext_lazy("所属保安公司"), lambda g: g.employer),
        Column(gettext_lazy("专职"), lambda g: g.is_full_time),
        Column(gettext_lazy("状态"), lambda g: g.get_status_display()),
    ),
)
guard_list = guards.list_view
guard_export = guards.export_view


devices = SchoolSubList(
    permission="schools.view_device",
    selector=lambda user, school: Device.objects.visible_to(user).filter(school=school),
    filterset_class=DeviceFilterSet,
    template="schools/device_list.html",
    export_filename=gettext_lazy("技防设备"),
    object_type="schools.device",
    tab="devices",
    columns=(
        label_column(gettext_lazy("类型"), DEVICE_KIND, "kind"),
        Column(gettext_lazy("名称"), lambda d: d.name),
        Column(gettext_lazy("覆盖区域"), lambda d: d.area),
        Column(gettext_lazy("录像保存天数"), lambda d: d.retention_days),
        Column(gettext_lazy("联网公安"), lambda d: d.networked_police),
        Column(gettext_lazy("联网教育"), lambda d: d.networked_education),
        Column(gettext_lazy("在线"), lambda d: d.is_online),
        Column(gettext_lazy("最近心跳"), lambda d: local_time(d.last_heartbeat)),
    ),
)
device_list = devices.list_view
device_export = devices.export_view


# ---- guard and device forms ----------------------------------------------------------------


@dataclass(frozen=True)
class SubObject:
    """How the add / edit / delete pages of one kind of record under a school are wired."""

    model: type
    form_class: type
    get: object  # (user, school, pk) -> object or 404
    create: object  # services.<x>_create(school=..., **fields)
    update: object  # services.<x>_update(<x>=..., **changes)
    delete: object  # services.<x>_delete(<x>=...)
    keyword: str  # the services' keyword for the object: "guard", "device"
    list_url: str
    form_template: str
    tab: str
    saved: object
    deleted: object


def _sub_context(request, school, **extra):
    return {"school": school, **school_permissions(request.user), **extra}


def _add_view(spec: SubObject, perm: str):
    @require(perm)
    @require_http_methods(["GET", "POST"])
    def view(request, pk: int):
        school = school_get(request.user, pk)
        form = spec.form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if form.is_valid():
                changes = form.changes()
                try:
                    spec.create(school=school, **changes)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, str(spec.saved))
                    warn_id_number(request, changes.get("id_number"))
                    return redirect(spec.list_url, pk=school.pk)
            status = 400
        else:
            status = 200
        context = _sub_context(request, school, form=form, obj=None, tab=spec.tab)
        return render(request, spec.form_template, context, status=status)

    return view


def _edit_view(spec: SubObject, perm: str):
    @require(perm)
    @require_http_methods(["GET", "POST"])
    def view(request, pk: int, item_pk: int):
        school = school_get(request.user, pk)
        obj = spec.get(request.user, school, item_pk)
        form = spec.form_class(request.POST if request.method == "POST" else None, instance=obj)
        if request.method == "POST":
            if form.is_valid():
                changes = form.changes()
                try:
                    spec.update(**{spec.keyword: obj}, **changes)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, str(spec.saved))
                    warn_id_number(request, changes.get("id_number"))
                    return redirect(spec.list_url, pk=school.pk)
            obj = spec.get(request.user, school, item_pk)  # as stored, not as half-changed
            status = 400
        else:
            status = 200
        context = _sub_context(request, school, form=form, obj=obj, tab=spec.tab)
        return render(request, spec.form_template, context, status=status)

    return view


def _delete_view(spec: SubObject, perm: str):
    @require(perm)
    @require_http_methods(["GET", "POST"])
    def view(request, pk: int, item_pk: int):
        school = school_get(request.user, pk)
        obj = spec.get(request.user, school, item_pk)
        if request.method == "POST":
            spec.delete(**{spec.keyword: obj})
            messages.success(request, str(spec.deleted))
            return redirect(spec.list_url, pk=school.pk)
        context = _sub_context(
            request,
            school,
            obj=obj,
            tab=spec.tab,
            kind_label=spec.model._meta.verbose_name,
            cancel_url_name=spec.list_url,
        )
        return render(request, "schools/confirm_delete.html", context)

    return view


GUARD = SubObject(
    model=Guard,
    form_class=GuardForm,
    get=guard_get,
    create=services.guard_create,
    update=services.guard_update,
    delete=services.guard_delete,
    keyword="guard",
    list_url="schools:school_guard_list",
    form_template="schools/guard_form.html",
    tab="guards",
    saved=gettext_lazy("保安员信息已保存。"),
    deleted=gettext_lazy("保安员已删除。"),
)
guard_add = _add_view(GUARD, "schools.add_guard")
guard_edit = _edit_view(GUARD, "schools.change_guard")
guard_delete = _delete_view(GUARD, "schools.delete_guard")

DEVICE = SubObject(
    model=Device,
    form_class=DeviceForm,
    get=device_get,
    create=services.device_create,
    update=services.device_update,
    delete=services.device_delete,
    keyword="device",
    list_url="schools:school_device_list",
    form_template="schools/device_form.html",
    tab="devices",
    saved=gettext_lazy("设备信息已保存。"),
    deleted=gettext_lazy("设备已删除。"),
)
device_add = _add_view(DEVICE, "schools.add_device")
device_edit = _edit_view(DEVICE, "schools.change_device")
device_delete = _delete_view(DEVICE, "schools.delete_device")


# ---- equipment -----------------------------------------------------------------------------


def _stock(user, school: School) -> dict[str, int]:
    return dict(
        EquipmentStock.objects.visible_to(user)
        .filter(school=school)
        .values_list("item", "quantity")
    )


@require("schools.view_equipmentstock")
@require_http_methods(["GET", "POST"])
def equipment(request, pk: int):
    user = request.user
    school = school_get(user, pk)
    policy = current_policy()
    stock = _stock(user, school)
    status = 200
    if request.method == "POST":
        if not user.has_perm("schools.change_equipmentstock"):
            raise PermissionDenied
        form = EquipmentForm(request.POST, stock=stock, policy=policy)
        if form.is_valid():
            changed = form.changed_items()
            try:
                # All items or none, one audit record for the change.
                services.equipment_set_many(school=school, quantities=changed)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("防护装备已保存（%(n)d 项有变化）。") % {"n": len(changed)}
                )
                return redirect("schools:school_equipment", pk=school.pk)
        status = 400
    else:
        form = EquipmentForm(stock=stock, policy=policy)
    rows = [{**row, "field": form[row["item"]]} for row in kit_rows(stock, policy)]
    context = _sub_context(
        request,
        school,
        form=form,
        rows=rows,
        kit_ok=all(row["ok"] for row in rows),
        tab="equipment",
    )
    return render(request, "schools/equipment.html", context, status=status)


@require("schools.view_equipmentstock")
def equipment_export(request, pk: int):
    school = school_get(request.user, pk)
    policy = current_policy()
    rows = (
        (row["label"], row["need"], row["have"], _("达标") if row["ok"] else _("不足"))
        for row in kit_rows(_stock(request.user, school), policy)
    )
    return xlsx_response(
        request=request,
        filename=f"{school.name}-{_('防护装备')}",
        headers=[_("装备"), _("最低配备"), _("现有数量"), _("状态")],
        rows=rows,
        object_type="schools.equipmentstock",
        filters={"school": str(school.pk)},
    )
