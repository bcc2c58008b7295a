"""Page forms of the preparedness module. They carry what the user typed to the services; the
services validate, and their refusals come back on the form (``core.forms.apply_service_errors``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huxiao.preparedness import selectors
from huxiao.preparedness.choices import DrillKind, PlanKind


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _count(label, maximum=100_000):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum)


class _SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class _SchoolsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class _SchoolForm(forms.Form):
    """A form acting at one school of the user's scope (a school's staff: theirs)."""

    school = _SchoolChoice(label=_("学校"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = selectors.schools_for(user=user)
        own = selectors.own_school(user)
        if own is not None:
            self.fields["school"].initial = own.pk
        self.single_school = own is not None


class PlanForm(_SchoolForm):
    kind = forms.ChoiceField(label=_("预案类别"), choices=PlanKind.choices)
    title = forms.CharField(label=_("预案名称"), max_length=120)
    version = forms.CharField(label=_("版本"), max_length=20, initial="V1.0")
    approved_on = _date(_("批准日期"))
    approved_by = forms.CharField(label=_("批准机关"), max_length=100)
    review_months = forms.IntegerField(
        label=_("评审周期（月）"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("不填按参数设置（默认12个月）。"),
    )
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)
    document = forms.FileField(label=_("预案文本"), required=False)


class ReviewForm(forms.Form):
    reviewed_on = _date(_("评审日期"))
    version = forms.CharField(label=_("修订后版本"), max_length=20, required=False)


class DrillPlanForm(_SchoolForm):
    kind = forms.ChoiceField(label=_("演练类别"), choices=DrillKind.choices)
    planned_from = _date(_("计划日期（或开始日期）"))
    planned_until = _date(_("计划截止日期"), required=False)


class BulkPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("演练类别"), choices=DrillKind.choices)
    planned_from = _date(_("计划日期（或开始日期）"))
    planned_until = _date(_("计划截止日期"), required=False)
    schools = _SchoolsChoice(
        label=_("学校"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("默认本单位所辖全部学校；每所学校安排一次演练，全部成功或全部不安排。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = selectors.schools_for(user=user)
        self.fields["schools"].queryset = schools
        self.fields["schools"].initial = list(schools.values_list("pk", flat=True))


class _HeldFields(forms.Form):
    held_on = _date(_("举行日期"))
    students = _count(_("参演学生数"))
    staff = _count(_("参演教职工数"))
    police = _count(_("到场民警数"))
    duration_minutes = forms.IntegerField(
        label=_("演练时长（分钟）"), required=False, min_value=1, max_value=600
    )
    evacuation_seconds = forms.IntegerField(
        label=_("疏散用时（秒）"), required=False, min_value=1, max_value=3600
    )
    evaluation = forms.CharField(label=_("演练评估"), required=False, widget=forms.Textarea)
    lessons = forms.CharField(label=_("经验教训"), required=False, widget=forms.Textarea)
    photo = forms.ImageField(label=_("照片"), required=False)


class HoldForm(_HeldFields):
    pass


class DrillRecordForm(_SchoolForm, _HeldFields):
    kind = forms.ChoiceField(label=_("演练类别"), choices=DrillKind.choices)

    field_order = ["school", "kind", "held_on"]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)
