"""Forms of 单位管理. They only parse input: every write goes through
``system.services.organizations``; choices are limited to the actor's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.schools.choices import Locality, Ownership, SchoolLevel
from huxiao.system import rules


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def _bureaus(user, current_id=None):
    visible = Organization.objects.visible_to(user).filter(kind=OrgKind.EDUCATION_BUREAU)
    qs = Organization.objects.filter(pk__in=visible.values("pk"))
    if current_id:
        qs = qs | Organization.objects.filter(pk=current_id)
    return qs.order_by("code")


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或代码"), required=False, max_length=64)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["q"].strip(), self.cleaned_data["kind"]


class OrganizationFieldsForm(forms.Form):
    """The fields of a node that an administrator keeps (its kind and place excluded)."""

    name = forms.CharField(label=_("名称"), max_length=128)
    short_name = forms.CharField(label=_("简称"), max_length=64, required=False)
    code = forms.CharField(label=_("单位代码"), max_length=32)
    division_code = forms.CharField(
        label=_("行政区划代码"), max_length=6, min_length=6, help_text=_("6位数字（GB/T 2260）")
    )
    education_bureau = forms.ModelChoiceField(
        label=_("主管教育局"), queryset=Organization.objects.none(), required=False
    )
    doc_prefix = forms.CharField(
        label=_("机关代字"),
        max_length=16,
        required=False,
        help_text=_("发文字号前缀，如“昆公官函”"),
    )
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("纬度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("经度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args, user, kind: str, current_bureau_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == OrgKind.SCHOOL:
            self.fields["education_bureau"].queryset = _bureaus(user, current_bureau_id)
        else:
            del self.fields["education_bureau"]
        self.field_labels = {name: field.label for name, field in self.fields.items()}

    def clean_sort_order(self):
        return self.cleaned_data["sort_order"] or 0

    def clean(self):
        data = super().clean()
        one_missing = (data.get("latitude") is None) != (data.get("longitude") is None)
        if one_missing and not self.has_error("latitude") and not self.has_error("longitude"):
            raise forms.ValidationError(_("经度和纬度须同时填写。"))
        return data

    def org_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.cleaned_data and name in OrganizationFieldsForm.base_fields
        }


class OrganizationCreateForm(OrganizationFieldsForm):
    """A child of a chosen node; a school also carries the minimum of its school record."""

    kind = forms.ChoiceField(label=_("类型"), choices=())
    school_code = forms.RegexField(
        label=_("学校标识码"),
        regex=r"^\d{10}$",
        error_messages={"invalid": _("学校标识码应为10位数字")},
        help_text=_("教育部门颁发的10位学校标识码"),
    )
    level = forms.ChoiceField(label=_("学段"), choices=SchoolLevel.choices)
    ownership = forms.ChoiceField(
        label=_("办学性质"), choices=Ownership.choices, initial=Ownership.PUBLIC
    )
    locality = forms.ChoiceField(label=_("城乡类型"), choices=Locality.choices)
    students = forms.IntegerField(label=_("学生人数"), min_value=0, initial=0, required=False)
    staff = forms.IntegerField(label=_("教职工人数"), min_value=0, initial=0, required=False)

    SCHOOL_FIELDS = ("school_code", "level", "ownership", "locality", "students", "staff")

    def __init__(self, *args, user, parent: Organization, kind: str, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("division_code", parent.division_code)
        super().__init__(*args, user=user, kind=kind, **kwargs)
        allowed = rules.child_kinds(parent.kind)
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in allowed]
        self.fields["kind"].initial = kind
        self.fields["kind"].widget = forms.HiddenInput()
        if kind != OrgKind.SCHOOL:
            for name in self.SCHOOL_FIELDS:
                del self.fields[name]
        self.field_labels = {name: field.label for name, field in self.fields.items()}
        _styled(self)

    def school_values(self) -> dict | None:
        if self.cleaned_data.get("kind") != OrgKind.SCHOOL:
            return None
        values = {name: self.cleaned_data[name] for name in self.SCHOOL_FIELDS}
        values["students"] = values["students"] or 0
        values["staff"] = values["staff"] or 0
        return values


class OrganizationEditForm(OrganizationFieldsForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, user, org: Organization, **kwargs):
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", {}).update(
                {
                    name: getattr(org, name)
                    for name in (
                        *OrganizationFieldsForm.base_fields,
                        "is_active",
                    )
                    if name != "education_bureau"
                }
                | {"education_bureau": org.education_bureau_id}
            )
        super().__init__(
            *args, user=user, kind=org.kind, current_bureau_id=org.education_bureau_id, **kwargs
        )
        _styled(self)

    def changes(self) -> dict:
        values = self.org_values()
        values["is_active"] = self.cleaned_data["is_active"]
        return values


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("新的上级单位"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, user, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Any node in scope is accepted, so that a refused choice gets the service's own
        # reason; the list offers only the nodes that may hold this kind, neither the current
        # parent nor the node's own subtree.
        holders = [k for k in OrgKind.values if rules.may_hold(k, org.kind)]
        visible = Organization.objects.visible_to(user)
        field = self.fields["new_parent"]
        field.queryset = Organization.objects.filter(pk__in=visible.values("pk"))
        offered = (
            field.queryset.filter(kind__in=holders)
            .exclude(pk=org.parent_id)
            .exclude(pk__in=visible.filter(path__startswith=org.path).values("pk"))
            .order_by("path")
        )
        field.widget.choices = [("", "---------")] + [(o.pk, self.label(o)) for o in offered]
        _styled(self)

    @staticmethod
    def label(o: Organization) -> str:
        return f"{'　' * o.depth}{o.name}（{o.get_kind_display()}）"
