"""Filters of the patrol route, patrol log and video patrol lists, shared by the pages, their
exports and the API's lists (``api_schemas_patrols.filtered``), by the same names. The
querysets start from the user's scope and every choice that names a record comes from the
same scope: an id outside it makes the filter invalid, and an invalid filter shows nothing on
a page (``core.views.generic.filtered``) and answers 400 in the API.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import POLICE_KINDS
from huxiao.core.filtersets import BootstrapFilterSet, JurisdictionFilterSet, since, until
from huxiao.core.models import Organization
from huxiao.patrols.choices import PatrolStatus
from huxiao.patrols.forms_patrols import default_window_choices
from huxiao.patrols.models import PatrolLog, PatrolRoute, VideoPatrol
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))
# A patrol that is over, however it ended (已完成, 未完成（漏巡）, 中止): the 巡逻次数 figure.
ENDED = "ended"

# A video patrol saw a problem (the same test as ``VideoPatrol.found_problem``).
PROBLEM = (
    Q(cameras_offline__gt=0)
    | Q(gate_closed=False)
    | Q(guard_on_duty=False)
    | Q(equipment_present=False)
)


def _units(request):
    return (
        Organization.objects.visible_to(request.user).filter(kind__in=POLICE_KINDS).order_by("path")
    )


def _routes(request):
    return (
        PatrolRoute.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path", "name", "id")
    )


def _schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path")
    )


def _date(label, field, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name=field,
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RouteFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("路线名称"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=_units, empty_label=_("全部单位")
    )
    active = django_filters.ChoiceFilter(
        label=_("启用"), choices=YES_NO, empty_label=_("全部"), method="filter_active"
    )

    class Meta:
        model = PatrolRoute
        fields = ["q", "organization", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(grid__icontains=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1") if value else queryset


class PatrolLogFilterSet(JurisdictionFilterSet):
    date_from = _date(_("起始日期"), "date", "gte")
    date_to = _date(_("截止日期"), "date", "lte")
    route = django_filters.ModelChoiceFilter(
        label=_("巡逻路线"), queryset=_routes, empty_label=_("全部路线")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("巡逻单位"), queryset=_units, empty_label=_("全部单位")
    )
    window = django_filters.ChoiceFilter(
        label=_("时段"), choices=default_window_choices, empty_label=_("全部时段")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(ENDED, _("已结束")), *PatrolStatus.choices],
        empty_label=_("全部状态"),
        method="filter_status",
    )

    class Meta:
        model = PatrolLog
        fields = ["date_from", "date_to", "route", "organization", "window", "status"]

    def filter_status(self, queryset, name, value):
        if value == ENDED:
            return queryset.exclude(status=PatrolStatus.IN_PROGRESS)
        return queryset.filter(status=value) if value else queryset


class VideoPatrolFilterSet(JurisdictionFilterSet):
    date_from = django_filters.DateFilter(
        label=_("起始日期"), method=since("at"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), method=until("at"), widget=forms.DateInput(attrs={"type": "date"})
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )
    problem = django_filters.ChoiceFilter(
        label=_("发现问题"), choices=YES_NO, empty_label=_("全部"), method="filter_problem"
    )

    class Meta:
        model = VideoPatrol
        fields = ["date_from", "date_to", "school", "problem"]

    def filter_problem(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(PROBLEM) if value == "1" else queryset.exclude(PROBLEM)
