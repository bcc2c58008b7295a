"""Forms of the patrol pages: routes with their checkpoints, a patrol's start, visit, finish,
abandon and findings, video patrols and the statistics page's selection. They parse input
only: every write goes through ``patrols.services``.

Choices that name records (units, schools, routes, checkpoints) come from the user's scope.
A checkpoint at a school may leave its position empty: the school's own position (its
organisation's latitude/longitude) is used, and ``huxiao/js/patrol_pages.js`` fills it in
the form as soon as the school is chosen (the options carry it in data attributes).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import POLICE_KINDS, OrgKind
from huxiao.core.models import Organization
from huxiao.inspections.choices import Severity
from huxiao.inspections.forms_hazards import CATEGORY_INVALID, category_choices
from huxiao.patrols import services
from huxiao.patrols.choices import DEFAULT_WINDOWS
from huxiao.patrols.models import Checkpoint, PatrolRoute
from huxiao.schools.choices import DeviceKind
from huxiao.schools.models import School

MAX_CHECKPOINTS = 60
# Tri-state answers of a video patrol: seen and fine, seen and not, not seen.
YES_NO_UNKNOWN = (("1", _("是")), ("0", _("否")), ("", _("未查看")))


def _decimal(label, low, high):
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=6,
        min_value=low,
        max_value=high,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.000001"}),
    )


def default_window_choices() -> list[tuple[str, str]]:
    codes = ("am", "pm")
    return [
        (c, f"{w['name']} {w['start']}–{w['end']}")
        for c, w in zip(codes, DEFAULT_WINDOWS, strict=True)
    ]


def police_units(user):
    """The police organisations in scope a route or a patrol may belong to."""
    return (
        Organization.objects.visible_to(user)
        .filter(kind__in=POLICE_KINDS, is_active=True)
        .order_by("path")
    )


def schools_for(user):
    return (
        School.objects.visible_to(user)
        .select_related("organization")
        .order_by("organization__path")
    )


class SchoolSelect(forms.Select):
    """Options carry what the page's script pre-fills: a school's position and cameras."""

    def __init__(self, *args, extra: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = extra or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        pk = getattr(value, "value", value)
        option["attrs"].update(self.extra.get(pk, {}) if pk not in (None, "") else {})
        return option


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


# ---- routes --------------------------------------------------------------------------------------


class RouteForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Organization.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("路线名称"), max_length=64)
    grid = forms.CharField(label=_("网格"), max_length=64, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, route: PatrolRoute | None = None, **kwargs):
        self.route = route
        if route is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": route.name,
                "grid": route.grid,
                "is_active": route.is_active,
            }
        super().__init__(*args, **kwargs)
        if route is None:
            units = police_units(user)
            self.fields["organization"].queryset = units
            if user.organization_id:
                self.fields["organization"].initial = user.organization_id
            del self.fields["is_active"]
        else:
            del self.fields["organization"]  # a route stays with its unit


class CheckpointForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("巡逻点"), max_length=64, required=False)
    school = SchoolChoiceField(
        label=_("学校"), queryset=School.objects.none(), required=False, empty_label=_("（无）")
    )
    latitude = _decimal(_("纬度"), -90, 90)
    longitude = _decimal(_("经度"), -180, 180)
    radius_m = forms.IntegerField(
        label=_("到点半径（米）"),
        min_value=10,
        max_value=2000,
        required=False,
        initial=services.CHECKPOINT_RADIUS_M,
    )
    is_mandatory = forms.BooleanField(
        label=_("必巡点"), required=False, initial=services.CHECKPOINT_MANDATORY
    )

    def __init__(self, *args, schools=None, school_choices=(), school_attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        if schools is not None:
            field.queryset = schools
        # The options are listed once for the whole formset, not queried again for each row.
        field.widget = SchoolSelect(extra=school_attrs or {})
        field.widget.choices = [("", field.empty_label), *school_choices]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            (data.get("name") or "").strip()
            or data.get("school")
            or data.get("latitude") is not None
            or data.get("longitude") is not None
        )

    def clean(self):
        """What was left empty takes the defaults the API's take too
        (``services.checkpoint_defaults``); a row it cannot complete is refused here, on its
        own fields. An unticked 必巡点 box is a “no”, not a blank."""
        data = super().clean()
        if self.errors or self.is_blank() or data.get("DELETE"):
            return data
        row = {key: data.get(key) for key in services.CHECKPOINT_FIELDS}
        row["is_mandatory"] = bool(data.get("is_mandatory"))
        try:
            data.update(services.checkpoint_defaults(row))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data

    def checkpoint_fields(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in services.CHECKPOINT_FIELDS}


class BaseCheckpointFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if not self.rows():
            raise forms.ValidationError(_("巡逻路线至少要有一个巡逻点。"))

    def rows(self) -> list[dict]:
        """The kept rows in order, each with its ``id`` when it edits a stored checkpoint."""
        rows = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            if form.is_blank():
                continue
            rows.append({"id": form.cleaned_data.get("id"), **form.checkpoint_fields()})
        return rows


CheckpointFormSet = forms.formset_factory(
    CheckpointForm,
    formset=BaseCheckpointFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_CHECKPOINTS,
    validate_max=True,
    absolute_max=MAX_CHECKPOINTS,
)


def school_position_attrs(schools) -> dict:
    """data-* of each school option: the position and name a checkpoint row takes from it."""
    attrs = {}
    for school in schools:
        org = school.organization
        item = {"data-name": str(_("%(school)s校门")) % {"school": org.name}}
        if org.latitude is not None and org.longitude is not None:
            item["data-lat"], item["data-lon"] = str(org.latitude), str(org.longitude)
        attrs[school.pk] = item
    return attrs


def checkpoint_formset(data=None, *, user, route: PatrolRoute | None = None):
    schools = schools_for(user)
    listed = list(schools)
    attrs = school_position_attrs(listed)
    choices = [(s.pk, s.organization.name) for s in listed]
    initial = None
    if route is not None and data is None:
        initial = [
            {
                "id": cp.pk,
                "name": cp.name,
                "school": cp.school_id,
                "latitude": cp.latitude,
                "longitude": cp.longitude,
                "radius_m": cp.radius_m,
                "is_mandatory": cp.is_mandatory,
            }
            for cp in Checkpoint.objects.filter(route=route).order_by("order", "id")
        ]
    return CheckpointFormSet(
        data,
        initial=initial,
        prefix="cp",
        form_kwargs={"schools": schools, "school_choices": choices, "school_attrs": attrs},
    )


# ---- patrols -------------------------------------------------------------------------------------


class RouteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organization.name} · {obj.name}"


class PatrolStartForm(forms.Form):
    route = RouteChoiceField(label=_("巡逻路线"), queryset=PatrolRoute.objects.none())
    police_count = forms.IntegerField(label=_("民警（人）"), min_value=1, max_value=200, initial=1)
    auxiliary_count = forms.IntegerField(
        label=_("辅警（人）"), min_value=0, max_value=500, initial=0
    )
    vehicles = forms.IntegerField(label=_("车辆（台）"), min_value=0, max_value=100, initial=0)
    window = forms.ChoiceField(label=_("时段"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = (
            PatrolRoute.objects.visible_to(user)
            .filter(is_active=True)
            .select_related("organization")
            .order_by("organization__path", "name", "id")
        )
        self.fields["window"].choices = [("", _("其他时段")), *default_window_choices()]


class VisitForm(forms.Form):
    checkpoint = forms.IntegerField(widget=forms.HiddenInput)
    latitude = _decimal(_("纬度"), -90, 90)
    longitude = _decimal(_("经度"), -180, 180)


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("巡逻情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AbandonForm(forms.Form):
    note = forms.CharField(
        label=_("中止原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(forms.Form):
    school = SchoolChoiceField(label=_("学校"), queryset=School.objects.none())
    title = forms.CharField(label=_("发现的问题"), max_length=200)
    # The hazard categories of 字典管理 (inspections.hazard_category), enabled ones.
    category = forms.ChoiceField(
        label=_("类别"),
        choices=lambda: category_choices(),
        error_messages={"invalid_choice": CATEGORY_INVALID},
    )
    severity = forms.ChoiceField(
        label=_("等级"), choices=Severity.choices, initial=Severity.ORDINARY
    )
    description = forms.CharField(
        label=_("情况描述"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


# ---- video patrols -------------------------------------------------------------------------------


def schools_with_cameras(user):
    """Schools in scope with their cameras counted (one query), for the video patrol form."""
    cameras = Q(devices__kind=DeviceKind.CAMERA)
    return schools_for(user).annotate(
        camera_count=Count("devices", filter=cameras),
        camera_offline=Count("devices", filter=cameras & Q(devices__is_online=False)),
    )


def _tri_field(label):
    return forms.ChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


def _tri(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class VideoPatrolForm(forms.Form):
    school = SchoolChoiceField(
        label=_("学校"), queryset=School.objects.none(), empty_label=_("请选择学校")
    )
    at = forms.DateTimeField(
        label=_("巡查时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    cameras_checked = forms.IntegerField(
        label=_("查看摄像头（路）"), min_value=0, max_value=10000, initial=0
    )
    cameras_offline = forms.IntegerField(
        label=_("离线摄像头（路）"), min_value=0, max_value=10000, initial=0
    )
    gate_closed = _tri_field(_("校门关闭/管控"))
    guard_on_duty = _tri_field(_("保安在岗"))
    equipment_present = _tri_field(_("防护装备在位"))
    observations = forms.CharField(
        label=_("巡查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, school: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = list(schools_with_cameras(user))
        self.schools = {s.pk: s for s in schools}
        field = self.fields["school"]
        field.queryset = schools_for(user)
        extra = {
            s.pk: {"data-cameras": s.camera_count, "data-offline": s.camera_offline}
            for s in schools
        }
        field.widget = SchoolSelect(extra=extra)
        field.widget.choices = [("", field.empty_label)] + [
            (s.pk, s.organization.name) for s in schools
        ]
        if not self.is_bound:
            self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            for name in ("gate_closed", "guard_on_duty", "equipment_present"):
                self.fields[name].initial = ""
            if school is not None and school.pk in self.schools:
                known = self.schools[school.pk]
                field.initial = school.pk
                self.fields["cameras_checked"].initial = known.camera_count
                self.fields["cameras_offline"].initial = known.camera_offline

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("巡查时间不能晚于现在。"))
        return at

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "school": data["school"],
            "at": data["at"],
            "cameras_checked": data["cameras_checked"],
            "cameras_offline": data["cameras_offline"],
            "gate_closed": _tri(data.get("gate_closed", "")),
            "guard_on_duty": _tri(data.get("guard_on_duty", "")),
            "equipment_present": _tri(data.get("equipment_present", "")),
            "observations": data.get("observations", ""),
        }


# ---- statistics ----------------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class StatsForm(forms.Form):
    """The day and the part of the user's scope the statistics cover."""

    date = forms.DateField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit = UnitChoiceField(
        label=_("分局/派出所"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("全部"),
    )
    school = SchoolChoiceField(
        label=_("学校"), queryset=School.objects.none(), required=False, empty_label=_("全部学校")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org = getattr(user, "organization", None)
        if user.is_superuser or (org is not None and org.is_police):
            self.fields["unit"].queryset = (
                Organization.objects.visible_to(user)
                .filter(kind__in=[OrgKind.SUB_BUREAU, OrgKind.STATION], is_active=True)
                .order_by("path")
            )
        else:
            del self.fields["unit"]  # stations mean nothing to a school or a bureau
        self.fields["school"].queryset = schools_for(user)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
