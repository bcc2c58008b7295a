"""Forms of the key-person and dispute pages. They only parse input: every write goes through
``persons.services``, whose refusals (an ID number failing its checksum, a duplicate, an
illegal transition) the views put back on the form in the service's words.

Identity fields are never filled in from the record: the edit form shows the masked value
as a hint and keeps the stored one when the field is left blank, so opening a form is not
a way around the logged "查看完整信息".
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto, dictionaries
from huxiao.core.models import User
from huxiao.inspections.models import Campaign
from huxiao.persons import selectors
from huxiao.persons.choices import (
    DISPUTE_KIND,
    Category,
    ControlMeasure,
    DisputeStatus,
    FollowUpMethod,
    PersonStatus,
    ResponsibleKind,
    RiskLevel,
    SchoolRelation,
    ScreeningOutcome,
)
from huxiao.persons.filtersets import visible_schools, visible_stations
from huxiao.persons.models import KeyPerson
from huxiao.persons.services.persons import RESPONSIBLE_KINDS

LEVELS = [("", _("—"))] + [(str(n), str(n)) for n in range(6)]
ACTIVE_STATUSES = [(s.value, s.label) for s in (PersonStatus.IN_CONTROL, PersonStatus.LOST)]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _level_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
    )


class _Request:
    """What the shared scope helpers of ``filtersets`` expect: an object with ``user``."""

    def __init__(self, user):
        self.user = user


class SchoolChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.organization.name}）" if obj.organization_id else str(obj)


def police_officers(user):
    """Active police users of the responsible organisations in ``user``'s scope."""
    stations = visible_stations(_Request(user))
    return (
        User.objects.visible_to(user)
        .filter(role__is_police=True, is_active=True, organization__in=stations)
        .select_related("organization")
        .order_by("organization__code", "username")
    )


# ---- key persons -------------------------------------------------------------------------


class KeyPersonForm(forms.Form):
    """Create (``person`` None) or edit a key person."""

    IDENTITY = ("id_number", "phone", "address", "notes")

    name = forms.CharField(label=_("姓名"), max_length=32)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        help_text=_("18位，末位按GB 11643校验；出生日期和性别由身份证号得出。"),
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    home_latitude = forms.DecimalField(
        label=_("住址纬度"), max_digits=9, decimal_places=6, required=False
    )
    home_longitude = forms.DecimalField(
        label=_("住址经度"),
        max_digits=10,
        decimal_places=6,
        required=False,
        help_text=_("WGS-84十进制度数；用于计算与关联学校的距离。"),
    )
    categories = forms.MultipleChoiceField(
        label=_("类别"), choices=Category.choices, widget=_checkboxes()
    )
    mental_risk_level = _level_field(
        _("精神障碍危险性等级"), _("0–5级，仅“严重精神障碍患者”类别填写。")
    )
    risk_level = forms.ChoiceField(
        label=_("总体风险"), choices=RiskLevel.choices, initial=RiskLevel.LOW
    )
    station = forms.ModelChoiceField(label=_("责任单位"), queryset=KeyPerson.objects.none())
    officer = OfficerChoice(label=_("责任民警"), queryset=User.objects.none(), required=False)
    control_measures = forms.MultipleChoiceField(
        label=_("管控措施"), choices=ControlMeasure.choices, widget=_checkboxes(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=PersonStatus.choices, initial=PersonStatus.IN_CONTROL
    )
    status_note = forms.CharField(
        label=_("状态说明"), max_length=200, required=False, help_text=_("撤销列管须填写理由。")
    )
    listed_on = forms.DateField(
        label=_("列管日期"), required=False, widget=_date_input(), help_text=_("留空为今天。")
    )
    notes = forms.CharField(label=_("情况说明"), required=False, widget=_textarea(4))
    nearby_schools = SchoolChoice(
        label=_("周边学校"), queryset=KeyPerson.objects.none(), required=False
    )
    targeted_schools = SchoolChoice(
        label=_("指向学校"),
        queryset=KeyPerson.objects.none(),
        required=False,
        help_text=_("扬言报复等指向的学校。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, person: KeyPerson | None = None, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.person = user, person
        request = _Request(user)
        self.fields["station"].queryset = visible_stations(request)
        self.fields["officer"].queryset = police_officers(user)
        for name in ("nearby_schools", "targeted_schools"):
            self.fields[name].queryset = visible_schools(request)
            self.fields[name].widget.attrs.setdefault("size", 6)
        if person is None:
            org = user.organization if user.organization_id else None
            if org is not None and org.kind in RESPONSIBLE_KINDS:
                self.fields["station"].initial = org.pk
            self.fields["officer"].initial = user.pk
            self.fields["listed_on"].initial = timezone.localdate()
            return
        del self.fields["listed_on"]
        self.fields["version"].initial = person.version
        masks = {
            "id_number": crypto.mask_id_number(person.id_number or ""),
            "phone": crypto.mask_phone(person.phone or ""),
            "address": crypto.mask_address(person.address or ""),
            "notes": _("已填写") if person.notes else "",
        }
        for name in self.IDENTITY:
            field = self.fields[name]
            field.required = False
            field.widget.attrs["placeholder"] = masks[name] or _("未填写")
            field.help_text = _("加密存储；留空则保持原值。")
        self.fields["home_latitude"].help_text = _("留空则保持原坐标。")
        self.fields["home_longitude"].help_text = _("留空则保持原坐标。")
        self.initial.update(
            name=person.name,
            categories=list(person.categories),
            mental_risk_level=person.mental_risk_level,
            risk_level=person.risk_level,
            station=person.station_id,
            officer=person.officer_id,
            control_measures=list(person.control_measures),
            status=person.status,
            status_note=person.status_note,
            nearby_schools=[k.school_id for k in links if k.relation == SchoolRelation.NEARBY],
            targeted_schools=[k.school_id for k in links if k.relation == SchoolRelation.TARGETED],
        )

    def clean(self):
        data = super().clean()
        lat, lng = data.get("home_latitude"), data.get("home_longitude")
        if (lat is None) != (lng is None):
            self.add_error("home_longitude", _("经度和纬度须同时填写。"))
        both = set(data.get("nearby_schools") or ()) & set(data.get("targeted_schools") or ())
        if both:
            self.add_error("targeted_schools", _("同一所学校只能选“周边”或“指向”之一。"))
        return data

    def _schools(self) -> list:
        data = self.cleaned_data
        return [(s, SchoolRelation.TARGETED) for s in data.get("targeted_schools") or ()] + [
            (s, SchoolRelation.NEARBY) for s in data.get("nearby_schools") or ()
        ]

    def _fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "phone",
                "address",
                "categories",
                "mental_risk_level",
                "risk_level",
                "officer",
                "control_measures",
                "status",
                "status_note",
                "notes",
            )
        }
        fields["status_note"] = (fields["status_note"] or "").strip()
        return fields

    def create_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "station": data["station"],
            "name": data["name"],
            "id_number": data["id_number"],
            "home_latitude": data.get("home_latitude"),
            "home_longitude": data.get("home_longitude"),
            "schools": self._schools(),
            "listed_on": data.get("listed_on"),
            **self._fields(),
        }

    def update_kwargs(self) -> dict:
        """Only what changed; a blank identity field keeps the stored value."""
        person, data = self.person, self.cleaned_data
        changes = {"name": data["name"], **self._fields()}
        if data.get("id_number"):
            changes["id_number"] = data["id_number"]
        for name in ("phone", "address", "notes"):
            if not changes[name]:
                del changes[name]
        changes = {k: v for k, v in changes.items() if getattr(person, k) != v}
        kwargs: dict = {"expected_version": data.get("version"), "schools": self._schools()}
        if data["station"].pk != person.station_id:
            kwargs["station"] = data["station"]
        if data.get("home_latitude") is not None:
            kwargs["home_latitude"] = data["home_latitude"]
            kwargs["home_longitude"] = data["home_longitude"]
        return {**kwargs, **changes}


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        required=False,
        help_text=_("可选；连同查看人、时间记入访问日志。"),
    )


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("核查日期"), widget=_date_input())
    method = forms.ChoiceField(
        label=_("方式"), choices=FollowUpMethod.choices, initial=FollowUpMethod.VISIT
    )
    observations = forms.CharField(label=_("核查情况"), widget=_textarea(3))
    whereabouts = forms.CharField(
        label=_("去向/现状"),
        required=False,
        widget=_textarea(2),
        help_text=_("加密存储，页面上不显示原文。"),
    )
    status_after = forms.ChoiceField(label=_("核查后状态"), choices=ACTIVE_STATUSES)
    mental_risk_level_after = _level_field(
        _("核查后危险性等级"), _("仅“严重精神障碍患者”填写；留空为不变。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, person: KeyPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["version"].initial = person.version
        if person.status in dict(ACTIVE_STATUSES):
            self.fields["status_after"].initial = person.status
        if Category.MENTAL not in person.categories:
            del self.fields["mental_risk_level_after"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


# ---- disputes ----------------------------------------------------------------------------


class SchoolSelect(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class PersonSelect(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.station.name}）"


class DisputeForm(forms.Form):
    school = SchoolSelect(label=_("学校"), queryset=KeyPerson.objects.none())
    # The enabled entries of the dictionary, read when the form is built (字典管理).
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=lambda: dictionaries.choices(DISPUTE_KIND),
        error_messages={"invalid_choice": _("纠纷类型不存在或已停用，请重新选择。")},
    )
    parties = forms.CharField(
        label=_("当事人"), widget=_textarea(2), help_text=_("加密存储，页面上只显示掩码。")
    )
    summary = forms.CharField(label=_("纠纷概要"), widget=_textarea(4))
    threat_of_revenge = forms.BooleanField(label=_("有扬言报复倾向"), required=False)
    key_person = PersonSelect(
        label=_("关联重点人员"),
        queryset=KeyPerson.objects.none(),
        required=False,
        help_text=_("有扬言报复倾向的纠纷必须关联重点人员。"),
    )
    responsible_kind = forms.ChoiceField(
        label=_("责任单位"),
        choices=ResponsibleKind.choices,
        initial=ResponsibleKind.SCHOOL,
        help_text=_("学校本身、学校的主管教育局或学校所属派出所。"),
    )
    registered_on = forms.DateField(label=_("登记日期"), required=False, widget=_date_input())
    due_date = forms.DateField(
        label=_("化解期限"), required=False, widget=_date_input(), help_text=_("留空按默认期限。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = visible_schools(_Request(user))
        self.fields["key_person"].queryset = (
            selectors.key_person_list(user=user)
            .filter(status__in=selectors.ACTIVE_STATUSES)
            .order_by("name", "id")
        )
        self.fields["registered_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if not data["threat_of_revenge"] and data["key_person"] is None:
            data.pop("key_person")
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=DisputeStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MediationForm(forms.Form):
    date = forms.DateField(label=_("调解日期"), widget=_date_input())
    participants = forms.CharField(label=_("参加单位"), max_length=200, required=False)
    content = forms.CharField(label=_("调解情况"), widget=_textarea(3))
    result = forms.CharField(label=_("调解结果"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


# ---- screening ---------------------------------------------------------------------------


class CampaignChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ScreeningForm(forms.Form):
    """A new batch. Its persons are listed on the batch's page afterwards; the totals are typed
    only for a batch imported from history (历史导入)."""

    organization = OrgChoice(label=_("排查单位"), queryset=KeyPerson.objects.none())
    campaign = CampaignChoice(label=_("专项行动"), queryset=Campaign.objects.none(), required=False)
    period_start = forms.DateField(label=_("开始日期"), widget=_date_input())
    period_end = forms.DateField(label=_("结束日期"), widget=_date_input())
    imported = forms.BooleanField(
        label=_("历史导入（无逐人名单，只填合计）"),
        required=False,
        help_text=_("平时的排查批次不勾选：保存后在批次页面逐人登记排查人员，人数自动得出。"),
    )
    screened = forms.IntegerField(label=_("排查人数"), min_value=0, required=False)
    newly_listed = forms.IntegerField(label=_("新增列管"), min_value=0, required=False)
    removed = forms.IntegerField(label=_("撤销列管"), min_value=0, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        from huxiao.core.choices import POLICE_KINDS
        from huxiao.core.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user)
            .filter(kind__in=POLICE_KINDS)
            .order_by("depth", "sort_order", "code")
        )
        if user.organization_id:
            self.fields["organization"].initial = user.organization_id
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by(
            "-start_date", "-id"
        )
        self.fields["period_end"].initial = timezone.localdate()
        for name in ("screened", "newly_listed", "removed"):
            self.fields[name].help_text = _("仅历史导入时填写。")

    def clean(self):
        data = super().clean()
        for name in ("screened", "newly_listed", "removed"):
            data[name] = data.get(name) or 0
        if data.get("imported") and self.is_bound and self.data.get("screened") in (None, ""):
            self.add_error("screened", _("历史导入的批次须填写排查人数。"))
        return data


class EntryPersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.station.name}，{obj.get_status_display()}）"


class ScreeningEntryForm(forms.Form):
    """Persons checked in a batch, with one outcome: a person outside the batch's
    organisation, or outside the user's scope, is not a choice (a 400 that says so)."""

    persons = EntryPersonChoice(
        label=_("排查人员"),
        queryset=KeyPerson.objects.none(),
        error_messages={
            "invalid_choice": _("所选人员不存在、不在本批次排查单位的辖区内或已在本批次中登记。"),
            "invalid_pk_value": _("所选人员不存在。"),
            "required": _("请至少选择一名重点人员。"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("排查结果"), choices=ScreeningOutcome.choices, initial=ScreeningOutcome.CHECKED
    )
    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, help_text=_("撤销列管须填写理由。")
    )

    def __init__(self, *args, user, batch, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = selectors.screening_candidates(user=user, batch=batch)
        self.fields["persons"].queryset = queryset
        self.fields["persons"].widget.attrs["size"] = 10
