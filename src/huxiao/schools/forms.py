"""Forms of the school pages. They only parse input: every write goes through services.py.

Personal data follows the profile form's habit: a phone or ID number is never put back into
a form (the page shows it masked); left blank, the stored value is kept.
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huxiao.core import dictionaries
from huxiao.core.choices import OrgKind
from huxiao.core.forms import phone_validator
from huxiao.core.models import Organization
from huxiao.schools import policy as school_policy
from huxiao.schools.choices import DEVICE_KIND, EQUIPMENT_KIND, AntiCollisionKind
from huxiao.schools.models import Device, Guard, School

KEEP_HINT = _("留空表示不修改。已登记：%(masked)s")


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if isinstance(widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def _keep_hint(field: forms.Field, masked: str) -> None:
    if masked:
        field.help_text = KEEP_HINT % {"masked": masked}


# ---- school --------------------------------------------------------------------------------


class SchoolForm(forms.ModelForm):
    """The school's record plus the name, address and coordinates of its organisation node."""

    name = forms.CharField(label=_("学校名称"), max_length=128)
    short_name = forms.CharField(label=_("简称"), max_length=64, required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    coordinate_system = forms.ChoiceField(
        label=_("坐标系"),
        choices=(("wgs84", _("WGS-84（GPS）")), ("gcj02", _("GCJ-02（高德、腾讯地图）"))),
        initial="wgs84",
        help_text=_("从高德、腾讯地图取的坐标请选 GCJ-02，保存时换算为 WGS-84。"),
    )
    station = forms.ModelChoiceField(label=_("派出所"), queryset=Organization.objects.none())
    education_bureau = forms.ModelChoiceField(
        label=_("主管教育局"), queryset=Organization.objects.none(), required=False
    )
    principal_phone = forms.CharField(
        label=_("校长电话"), max_length=20, required=False, validators=[phone_validator]
    )
    security_chief_phone = forms.CharField(
        label=_("安保负责人电话"), max_length=20, required=False, validators=[phone_validator]
    )
    anti_collision = forms.MultipleChoiceField(
        label=_("防冲撞设施"),
        choices=AntiCollisionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    campus_boundary = forms.CharField(
        label=_("校园边界"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("WGS-84 坐标点列表，如 [[102.71, 25.04], [102.72, 25.04], [102.72, 25.05]]。"),
    )

    class Meta:
        model = School
        fields = [
            "school_code",
            "level",
            "ownership",
            "locality",
            "is_boarding",
            "boarders",
            "students",
            "staff",
            "principal_name",
            "security_chief_name",
            "legal_vice_principal",
            "is_pilot",
            "closed_management",
            "wall_compliant",
            "gate_compliant",
            "duty_24h",
        ]

    ORG_FIELDS = ("name", "short_name", "address", "latitude", "longitude")
    TREE_FIELDS = ("station", "education_bureau")

    def __init__(self, *args, user, **kwargs):
        school: School = kwargs["instance"]
        org = school.organization
        initial = kwargs.setdefault("initial", {})
        initial.update(
            name=org.name,
            short_name=org.short_name,
            address=org.address,
            latitude=org.latitude,
            longitude=org.longitude,
            station=org.parent_id,
            education_bureau=org.education_bureau_id,
            anti_collision=list(school.anti_collision or []),
            campus_boundary=json.dumps(school.campus_boundary) if school.campus_boundary else "",
        )
        super().__init__(*args, **kwargs)
        # The phones are never sent back to the browser.
        _keep_hint(
            self.fields["principal_phone"],
            School.principal_phone.field.mask(school.principal_phone),
        )
        _keep_hint(
            self.fields["security_chief_phone"],
            School.security_chief_phone.field.mask(school.security_chief_phone),
        )
        # Moving a school in the tree is an organisation change: only for those who may make
        # one, and only to places in their scope (the current ones stay selectable).
        self.can_move = user.has_perm("core.change_organization")
        if self.can_move:
            visible = Organization.objects.visible_to(user)
            self.fields["station"].queryset = (
                Organization.objects.filter(
                    kind=OrgKind.STATION, pk__in=visible.filter(kind=OrgKind.STATION).values("pk")
                )
                | Organization.objects.filter(pk=org.parent_id)
            ).order_by("code")
            self.fields["education_bureau"].queryset = (
                Organization.objects.filter(
                    kind=OrgKind.EDUCATION_BUREAU,
                    pk__in=visible.filter(kind=OrgKind.EDUCATION_BUREAU).values("pk"),
                )
                | Organization.objects.filter(pk=org.education_bureau_id)
            ).order_by("code")
        else:
            for name in self.TREE_FIELDS:
                del self.fields[name]
        self.field_labels = {name: field.label for name, field in self.fields.items()}
        self.field_labels["organization"] = _("单位")
        _styled(self)

    def clean_principal_phone(self):
        return self.cleaned_data["principal_phone"].replace(" ", "")

    def clean_security_chief_phone(self):
        return self.cleaned_data["security_chief_phone"].replace(" ", "")

    def clean_campus_boundary(self):
        text = self.cleaned_data["campus_boundary"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("校园边界不是有效的 JSON 坐标列表。")) from exc

    def clean(self):
        data = super().clean()
        lng, lat = data.get("longitude"), data.get("latitude")
        if (lng is None) != (lat is None) and not self.has_error("longitude"):
            raise ValidationError(_("经度和纬度须同时填写。"))
        return data

    def _post_clean(self):
        # The service validates the model (full_clean inside its transaction); the form
        # must not assign the cleaned data to the instance behind its back.
        pass

    def changes(self) -> dict:
        """Keyword arguments for services.school_update: only what the form may change."""
        from huxiao.schools.geo import gcj02_to_wgs84

        data = self.cleaned_data
        changes = {name: data[name] for name in self.Meta.fields}
        changes.update({name: data[name] for name in self.ORG_FIELDS})
        changes["anti_collision"] = list(data["anti_collision"])
        changes["campus_boundary"] = data["campus_boundary"]
        for phone in ("principal_phone", "security_chief_phone"):
            if data[phone]:
                changes[phone] = data[phone]
        lng, lat = data["longitude"], data["latitude"]
        if lng is not None and lat is not None and data["coordinate_system"] == "gcj02":
            wlng, wlat = gcj02_to_wgs84(float(lng), float(lat))
            changes["longitude"], changes["latitude"] = round_coord(wlng), round_coord(wlat)
        if self.can_move:
            changes["station"] = data["station"]
            changes["education_bureau"] = data["education_bureau"]
        return changes


def round_coord(value: float):
    from decimal import Decimal

    return Decimal(f"{value:.6f}")


# ---- guards --------------------------------------------------------------------------------


class GuardForm(forms.ModelForm):
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, validators=[phone_validator]
    )

    class Meta:
        model = Guard
        fields = [
            "name",
            "id_number",
            "birth_date",
            "phone",
            "certificate_number",
            "certificate_valid_until",
            "training_date",
            "employer",
            "is_full_time",
            "status",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certificate_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "training_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            # Never sent back: the masked ID (first 6, last 4) plus the birth date would
            # give the whole number, so the birth date is not pre-filled either.
            kwargs.setdefault("initial", {}).update(id_number="", phone="", birth_date=None)
        super().__init__(*args, **kwargs)
        self.editing = instance is not None and instance.pk is not None
        if self.editing:
            _keep_hint(self.fields["id_number"], Guard.id_number.field.mask(instance.id_number))
            _keep_hint(self.fields["phone"], Guard.phone.field.mask(instance.phone))
            if instance.birth_date:
                self.fields["birth_date"].help_text = _("留空表示不修改。")
        self.fields["birth_date"].help_text = self.fields["birth_date"].help_text or _(
            "填写身份证号时自动取得，可不填。"
        )
        self.field_labels = {name: field.label for name, field in self.fields.items()}
        _styled(self)

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")

    def _post_clean(self):
        pass

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if self.editing:
            if data["id_number"] and data["birth_date"] is None:
                pass  # a new ID number: the service takes the birth date from it
            elif data["birth_date"] is None:
                data.pop("birth_date")
            for name in ("id_number", "phone"):
                if not data[name]:
                    data.pop(name)
        elif data["birth_date"] is None:
            data.pop("birth_date")
        return data


# ---- devices -------------------------------------------------------------------------------


DEVICE_KIND_INVALID = _("设备类型不存在或已停用，请重新选择。")


class DeviceForm(forms.ModelForm):
    # The enabled entries of the dictionary schools.device_kind (字典管理), read when the form
    # is built; a device being edited keeps its own kind even if it was disabled since.
    kind = forms.ChoiceField(
        label=_("类型"), choices=(), error_messages={"invalid_choice": DEVICE_KIND_INVALID}
    )

    class Meta:
        model = Device
        fields = [
            "kind",
            "name",
            "area",
            "retention_days",
            "stream_url",
            "networked_police",
            "networked_education",
            "is_online",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.kind if self.instance.pk else None
        self.fields["kind"].choices = dictionaries.choices(DEVICE_KIND, current=current)
        self.fields["retention_days"].help_text = _("仅视频监控填写。")
        self.field_labels = {name: field.label for name, field in self.fields.items()}
        _styled(self)

    def _post_clean(self):
        pass

    def changes(self) -> dict:
        return dict(self.cleaned_data)


# ---- equipment -----------------------------------------------------------------------------


def equipment_kinds(stock: dict[str, int], policy=None) -> list[tuple[str, str]]:
    """(code, label) of the equipment kinds a school's kit page shows, in the dictionary's order
    (字典管理, schools.equipment_kind): the enabled ones, and a disabled one while the school
    holds a row of it or the minimum kit names it."""
    policy = policy or school_policy.current()
    return [
        (e.code, e.label)
        for e in dictionaries.entries(EQUIPMENT_KIND)
        if e.is_enabled or e.code in stock or e.code in policy.min_kit
    ]


class EquipmentForm(forms.Form):
    """One quantity per kind of guard equipment (守卫防护装备)."""

    def __init__(self, *args, stock: dict[str, int], policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stock = stock
        for item, label in equipment_kinds(stock, policy):
            self.fields[item] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=9999,
                initial=stock.get(item, 0),
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm hx-qty", "inputmode": "numeric"}
                ),
            )

    def changed_items(self) -> dict[str, int]:
        return {
            item: qty for item, qty in self.cleaned_data.items() if qty != self.stock.get(item, 0)
        }
