"""Page forms of the gate module. They carry what the user typed to the services; the services
validate (plates, ID numbers, periods) and their refusals come back on the form
(``core.forms.apply_service_errors``)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.models import Organization
from huxiao.core.scoping import scope_filter
from huxiao.gate import selectors
from huxiao.gate.choices import BanBasis, PassKind, SeizedFrom, SeizureCategory, VisitPurpose

_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%fZ"]
KEY_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class _SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class _HostChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class _SchoolForm(forms.Form):
    """A form acting at one school of the user's scope (a guard's: theirs, chosen for them)."""

    school = _SchoolChoice(label=_("学校"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = selectors.schools_for(user=user)
        self.fields["school"].queryset = schools
        own = selectors.own_school(user)
        if own is not None:
            self.fields["school"].initial = own.pk
        self.single_school = own is not None


class VisitForm(_SchoolForm):
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "data-id-input": "",
                "spellcheck": "false",
            }
        ),
    )
    name = forms.CharField(label=_("姓名"), max_length=40)
    purpose = forms.ChoiceField(
        label=_("来访事由"), choices=VisitPurpose.choices, widget=forms.RadioSelect
    )
    host = _HostChoice(
        label=_("被访人"), queryset=None, required=False, empty_label=_("（不指定）")
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    plate = forms.CharField(label=_("车牌号"), max_length=12, required=False)
    photo = forms.ImageField(label=_("照片"), required=False)
    idempotency_key = forms.RegexField(regex=KEY_PATTERN, widget=forms.HiddenInput)
    at = forms.DateTimeField(required=False, widget=forms.HiddenInput, input_formats=_DT_FORMATS)
    was_offline = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, user=user, **kwargs)
        school = selectors.own_school(user)
        from huxiao.core.models import User

        self.fields["host"].queryset = (
            selectors.hosts_for(school) if school is not None else User.objects.none()
        )

    def clean_host(self):
        host = self.cleaned_data.get("host")
        school = self.cleaned_data.get("school")
        if (
            host is not None
            and school is not None
            and host.organization_id != school.organization_id
        ):
            raise forms.ValidationError(_("被访人须是本校教职工。"))
        return host


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


def _keeper_organizations(user):
    """Organisations in the user's scope that may keep a ban: education bureaus and police."""
    from huxiao.core.choices import POLICE_KINDS, OrgKind

    q = scope_filter(Organization, user)
    if q is None:
        return Organization.objects.none()
    kinds = [*POLICE_KINDS, OrgKind.EDUCATION_BUREAU]
    return Organization.objects.filter(q, kind__in=kinds).order_by("path")


class BanForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("发布单位"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    basis = forms.ChoiceField(label=_("依据"), choices=BanBasis.choices)
    reason = forms.CharField(label=_("禁入事由"), max_length=200)
    decided_by = forms.CharField(label=_("决定机关/决定人"), max_length=100)
    document_number = forms.CharField(label=_("文书编号"), max_length=60, required=False)
    starts_on = _date(_("起始日期"))
    ends_on = _date(_("截止日期"), required=False)
    police_note = forms.CharField(
        label=_("公安备注（学校不可见）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _keeper_organizations(user)
        if user.organization_id:
            self.fields["organization"].initial = user.organization_id
        if not selectors.shows_police_note(user):
            del self.fields["police_note"]


class PassForm(_SchoolForm):
    kind = forms.ChoiceField(label=_("类别"), choices=PassKind.choices)
    number = forms.CharField(label=_("证号"), max_length=20)
    holder = forms.CharField(label=_("持证人"), max_length=40)
    plate = forms.CharField(label=_("车牌号（车辆出入证）"), max_length=12, required=False)
    valid_from = _date(_("有效期起"))
    valid_until = _date(_("有效期至"))


class VehicleForm(_SchoolForm):
    plate = forms.CharField(label=_("车牌号"), max_length=12)
    driver = forms.CharField(label=_("驾驶人"), max_length=40)
    purpose = forms.CharField(label=_("事由"), max_length=100)


class PickupForm(_SchoolForm):
    pupil_name = forms.CharField(label=_("学生姓名"), max_length=40)
    pupil_class = forms.CharField(label=_("班级"), max_length=40)
    adult_name = forms.CharField(label=_("接送人"), max_length=40)
    relation = forms.CharField(label=_("关系"), max_length=20)
    phone = forms.CharField(label=_("接送人手机号"), max_length=20)
    id_tail = forms.CharField(label=_("身份证后四位"), max_length=4, min_length=4)
    valid_from = _date(_("有效期起"))
    valid_until = _date(_("有效期至"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)


class PickupCheckForm(_SchoolForm):
    pupil_name = forms.CharField(label=_("学生姓名"), max_length=40)
    pupil_class = forms.CharField(label=_("班级"), max_length=40)
    adult_name = forms.CharField(label=_("接送人"), max_length=40)
    id_tail = forms.CharField(label=_("接送人身份证后四位"), max_length=4, min_length=4)


class SeizureForm(_SchoolForm):
    category = forms.ChoiceField(label=_("物品类别"), choices=SeizureCategory.choices)
    description = forms.CharField(label=_("物品描述"), max_length=200)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=1000, initial=1)
    seized_from = forms.ChoiceField(label=_("收缴对象"), choices=SeizedFrom.choices)
    person_name = forms.CharField(label=_("当事人"), max_length=40, required=False)
    seized_at = forms.DateTimeField(
        label=_("收缴时间"),
        required=False,
        input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    photo = forms.ImageField(label=_("照片"), required=False)
