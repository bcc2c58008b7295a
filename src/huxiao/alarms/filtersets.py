"""Filters of the alarm and test-window lists, shared by the pages, their exports, the API's
lists and the figures, by the same names. Every choice naming a record comes from the user's
scope: an id outside it makes the filter invalid, and the list shows nothing (400 in the API).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from huxiao.alarms.choices import AlarmKind, AlarmResult, AlarmState
from huxiao.alarms.models import AlarmEscalation, AlarmEvent, DeviceOutage, TestWindow
from huxiao.core.filtersets import JurisdictionFilterSet, day_start, since, until
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))


def _schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path")
    )


def _day(label, method):
    return django_filters.DateFilter(
        label=label, method=method, widget=forms.DateInput(attrs={"type": "date"})
    )


class AlarmFilterSet(JurisdictionFilterSet):
    date_from = _day(_("起始日期"), since("received_at"))
    date_to = _day(_("截止日期"), until("received_at"))
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )
    kind = django_filters.ChoiceFilter(
        label=_("报警类型"), choices=AlarmKind.choices, empty_label=_("全部类型")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=AlarmState.choices, empty_label=_("全部状态")
    )
    result = django_filters.ChoiceFilter(
        label=_("处置结果"), choices=AlarmResult.choices, empty_label=_("全部结果")
    )
    acknowledged = django_filters.ChoiceFilter(
        label=_("已签收"), choices=YES_NO, empty_label=_("全部"), method="filter_reached"
    )
    dispatched = django_filters.ChoiceFilter(
        label=_("已派警"), choices=YES_NO, empty_label=_("全部"), method="filter_reached"
    )
    on_scene = django_filters.ChoiceFilter(
        label=_("已到场"), choices=YES_NO, empty_label=_("全部"), method="filter_reached"
    )
    test = django_filters.ChoiceFilter(
        label=_("测试"), choices=YES_NO, empty_label=_("全部"), method="filter_test"
    )
    reported = django_filters.ChoiceFilter(
        label=_("报备时段内"), choices=YES_NO, empty_label=_("全部"), method="filter_reported"
    )
    escalated = django_filters.ChoiceFilter(
        label=_("已升级"), choices=YES_NO, empty_label=_("全部"), method="filter_escalated"
    )

    class Meta:
        model = AlarmEvent
        fields = [
            "date_from",
            "date_to",
            "school",
            "kind",
            "state",
            "result",
            "acknowledged",
            "dispatched",
            "on_scene",
            "test",
            "reported",
            "escalated",
        ]

    # The step whose time a yes/no filter asks for (the response clock's columns).
    REACHED = {
        "acknowledged": "acknowledged_at",
        "dispatched": "dispatched_at",
        "on_scene": "on_scene_at",
    }

    def filter_reached(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.REACHED[name]}__isnull": value != "1"})

    def filter_test(self, queryset, name, value):
        """A test (result 测试: 报备 presses, self-tests, those closed as tests) or not (every
        other alarm, open ones included: the presses a false-press rate is taken of)."""
        if not value:
            return queryset
        if value == "1":
            return queryset.filter(result=AlarmResult.TEST)
        return queryset.exclude(result=AlarmResult.TEST)

    def filter_reported(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(test_window__isnull=value != "1")

    def filter_escalated(self, queryset, name, value):
        if not value:
            return queryset
        escalated = Exists(AlarmEscalation.objects.filter(alarm=OuterRef("pk")))
        return queryset.filter(escalated) if value == "1" else queryset.exclude(escalated)


class TestWindowFilterSet(JurisdictionFilterSet):
    date_from = _day(_("起始日期"), since("starts_at"))
    date_to = _day(_("截止日期"), until("starts_at"))
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )

    class Meta:
        model = TestWindow
        fields = ["date_from", "date_to", "school"]


STATISTICS_BY = (
    ("station", _("按派出所")),
    ("school", _("按学校")),
    ("month", _("按月份")),
)


class AlarmStatisticsFilterSet(JurisdictionFilterSet):
    """The statistics page's period (接警时间), jurisdiction (``?org=``) and how its rows are
    grouped (``by``: station, school or month; grouping filters nothing)."""

    date_from = _day(_("起始日期"), since("received_at"))
    date_to = _day(_("截止日期"), until("received_at"))
    by = django_filters.ChoiceFilter(
        label=_("统计维度"), choices=STATISTICS_BY, empty_label=None, method="filter_nothing"
    )

    class Meta:
        model = AlarmEvent
        fields = ["date_from", "date_to", "by"]

    def filter_nothing(self, queryset, name, value):
        return queryset


OUTAGE_STATES = (("open", _("离线中")), ("ended", _("已恢复")))


class OutageFilterSet(JurisdictionFilterSet):
    """Outages that were offline at some time of the days chosen (they overlap the period): the
    offline-hours figure counts the hours inside it."""

    date_from = _day(_("起始日期"), "filter_date_from")
    date_to = _day(_("截止日期"), "filter_date_to")
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=OUTAGE_STATES, empty_label=_("全部"), method="filter_state"
    )

    class Meta:
        model = DeviceOutage
        fields = ["date_from", "date_to", "school", "state"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=day_start(value)))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(started_at__lt=day_start(value + dt.timedelta(days=1)))

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(ended_at__isnull=value == "open")
