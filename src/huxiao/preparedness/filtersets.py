"""Filters of the preparedness lists, shared by the pages, their exports, the API's lists and the
figures, by the same names. A school outside the user's scope makes the filter invalid, and the
list shows nothing (400 in the API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.filtersets import JurisdictionFilterSet
from huxiao.preparedness.choices import DrillKind, DrillState, PlanKind, PlanStatus
from huxiao.preparedness.models import Drill, EmergencyPlan
from huxiao.schools.choices import SchoolLevel
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))


def _schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path")
    )


def _date(label, **kwargs):
    return django_filters.DateFilter(
        label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs
    )


def _school():
    return django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )


def _yes_no(label, method):
    return django_filters.ChoiceFilter(
        label=label, choices=YES_NO, empty_label=_("全部"), method=method
    )


class PlanFilterSet(JurisdictionFilterSet):
    school = _school()
    kind = django_filters.ChoiceFilter(
        label=_("预案类别"), choices=PlanKind.choices, empty_label=_("全部类别")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=PlanStatus.choices, empty_label=_("全部状态")
    )
    due = _yes_no(_("到期待评审"), "filter_due")
    q = django_filters.CharFilter(label=_("预案名称"), method="filter_q")

    class Meta:
        model = EmergencyPlan
        fields = ["school", "kind", "status", "due", "q"]

    def filter_due(self, queryset, name, value):
        due = Q(status=PlanStatus.IN_FORCE, next_review_on__lte=timezone.localdate())
        return queryset.filter(due) if value == "1" else queryset.exclude(due)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:60]
        return queryset.filter(title__icontains=value) if value else queryset


class DrillFilterSet(JurisdictionFilterSet):
    date_from = _date(_("起始日期"), field_name="day", lookup_expr="gte")
    date_to = _date(_("截止日期"), field_name="day", lookup_expr="lte")
    school = _school()
    kind = django_filters.ChoiceFilter(
        label=_("演练类别"), choices=DrillKind.choices, empty_label=_("全部类别")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=DrillState.choices, empty_label=_("全部状态")
    )
    missed = _yes_no(_("逾期未开展"), "filter_missed")
    timed = _yes_no(_("记录疏散用时"), "filter_timed")
    met = _yes_no(_("疏散达标"), "filter_met")

    class Meta:
        model = Drill
        fields = ["date_from", "date_to", "school", "kind", "state", "missed", "timed", "met"]

    def filter_missed(self, queryset, name, value):
        missed = Q(state=DrillState.PLANNED, planned_until__lt=timezone.localdate())
        return queryset.filter(missed) if value == "1" else queryset.exclude(missed)

    def filter_timed(self, queryset, name, value):
        timed = Q(state=DrillState.HELD, evacuation_seconds__isnull=False)
        return queryset.filter(timed) if value == "1" else queryset.exclude(timed)

    def filter_met(self, queryset, name, value):
        met = Q(
            state=DrillState.HELD,
            evacuation_seconds__isnull=False,
            evacuation_seconds__lte=F("evacuation_target_seconds"),
        )
        return queryset.filter(met) if value == "1" else queryset.exclude(met)


class ComplianceFilterSet(JurisdictionFilterSet):
    """Schools with the drills they held in the period (``held_count``): ``drilled=0`` lists the
    schools that held none."""

    date_from = _date(_("起始日期"), method="keep")
    date_to = _date(_("截止日期"), method="keep")
    level = django_filters.ChoiceFilter(
        label=_("学段"), choices=SchoolLevel.choices, empty_label=_("全部学段")
    )
    drilled = _yes_no(_("统计期内开展演练"), "filter_drilled")

    class Meta:
        model = School
        fields = ["date_from", "date_to", "level", "drilled"]

    def keep(self, queryset, name, value):
        return queryset  # the period bounds the count (filter_queryset), not the schools

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        held = Q(drills__state=DrillState.HELD)
        if data.get("date_from"):
            held &= Q(drills__day__gte=data["date_from"])
        if data.get("date_to"):
            held &= Q(drills__day__lte=data["date_to"])
        queryset = queryset.annotate(held_count=Count("drills", filter=held))
        return super().filter_queryset(queryset)

    def filter_drilled(self, queryset, name, value):
        return queryset.filter(held_count__gt=0) if value == "1" else queryset.filter(held_count=0)
