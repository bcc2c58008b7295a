"""Page forms of the alarms module: the response clock's steps, test windows, credentials.
Service refusals come back on the form (``core.forms.apply_service_errors``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.alarms import selectors
from huxiao.alarms.choices import AlarmResult

_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _moment(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=_DT_FORMATS,
    )


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organization.name


class _Patrol(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.route.name}（{obj.organization.name}，{obj.leader.display_name}）"


class StepForm(forms.Form):
    """签收 and 到场: nothing to fill in."""


class DispatchForm(forms.Form):
    unit = forms.CharField(label=_("出警单位"), max_length=100, required=False)
    patrol = _Patrol(
        label=_("或选择正在巡逻的警力"),
        queryset=None,
        required=False,
        empty_label=_("（不选）"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patrol"].queryset = selectors.dispatchable_patrols(user=user)


class CloseForm(forms.Form):
    result = forms.ChoiceField(
        label=_("处置结果"), choices=[("", _("请选择")), *AlarmResult.choices]
    )
    note = forms.CharField(
        label=_("处置情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TestWindowForm(forms.Form):
    school = _Named(label=_("学校"), queryset=None, empty_label=_("请选择学校"))
    starts_at = _moment(_("开始时间"))
    ends_at = _moment(_("结束时间"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = selectors.schools_for(user=user)
        self.fields["school"].queryset = schools
        if not self.is_bound:
            start = timezone.localtime().replace(second=0, microsecond=0)
            self.fields["starts_at"].initial = start
            self.fields["ends_at"].initial = start + dt.timedelta(hours=1)
            if len(schools[:2]) == 1:
                self.fields["school"].initial = schools[0].pk


class CredentialForm(forms.Form):
    place = forms.CharField(label=_("安装位置"), max_length=64, required=False)
