"""Filters of the school, guard and device lists, shared by the pages and their exports.

The querysets they filter already start from the user's scope; every choice that names an
organisation (sub-bureau, station, ``org``) comes from the same scope, so a filter can never
name something the user may not see — an id outside it makes the filter invalid, and an
invalid filter shows nothing (``core.views.generic.filtered``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core import dictionaries, modules
from huxiao.core.choices import OrgKind
from huxiao.core.filtersets import BootstrapFilterSet, JurisdictionFilterSet
from huxiao.core.models import Organization
from huxiao.schools import compliance, rules
from huxiao.schools import policy as school_policy
from huxiao.schools.choices import DEVICE_KIND, GuardStatus, Locality, SchoolLevel
from huxiao.schools.models import Device, Guard, School

YES_NO = (("1", _("是")), ("0", _("否")))


def rule_titles(policy=None) -> dict[str, str]:
    """Each rule's title under the deployment's policy ("保安员年龄不超过60岁"), by code."""
    policy = policy or school_policy.current()
    return {r.code: r.title for r in rules.evaluate(rules.SchoolFacts(), policy)}


def _failing_choices():
    return list(rule_titles().items())


# The indicators of the compliance roll-up (compliance.INDICATORS) a school can pass, as the
# roll-up counts them: every rule of the indicator passes. The urban-only rate is this list's
# 视频监控联网 with 城乡 = 城区, so it is not a choice of its own.
PASSING = {spec.code: spec for spec in compliance.INDICATORS if not spec.only_urban}


def _passing_choices():
    return [(code, spec.title) for code, spec in PASSING.items()]


def _visible_of_kind(kind):
    def queryset(request):
        return (
            Organization.objects.visible_to(request.user)
            .filter(kind=kind)
            .order_by("sort_order", "code")
        )

    return queryset


def _visible_orgs(request):
    return Organization.objects.visible_to(request.user)


class SchoolFilterSet(JurisdictionFilterSet):
    # ?org=: any organisation in scope (the compliance roll-up links here with ?failing=…&org=…).
    q = django_filters.CharFilter(label=_("名称或标识码"), method="filter_q")
    sub_bureau = django_filters.ModelChoiceFilter(
        label=_("分局/县局"),
        queryset=_visible_of_kind(OrgKind.SUB_BUREAU),
        empty_label=_("全部分局"),
        method="filter_under",
    )
    station = django_filters.ModelChoiceFilter(
        label=_("派出所"),
        queryset=_visible_of_kind(OrgKind.STATION),
        empty_label=_("全部派出所"),
        field_name="organization__parent",
    )
    level = django_filters.ChoiceFilter(
        label=_("学段"), choices=SchoolLevel.choices, empty_label=_("全部学段")
    )
    locality = django_filters.ChoiceFilter(
        label=_("城乡"), choices=Locality.choices, empty_label=_("全部")
    )
    boarding = django_filters.ChoiceFilter(
        label=_("寄宿制"), choices=YES_NO, empty_label=_("全部"), method="filter_boarding"
    )
    failing = django_filters.ChoiceFilter(
        label=_("未达标项"),
        choices=_failing_choices,
        empty_label=_("全部"),
        method="filter_failing",
    )
    passing = django_filters.ChoiceFilter(
        label=_("达标项"),
        choices=_passing_choices,
        empty_label=_("全部"),
        method="filter_passing",
    )
    # 逐校逐园: the schools with a finished inspection dated in the range (both bounds apply to
    # the same inspection). The inspections module answers it (its fact "schools_inspected").
    inspected_from = django_filters.DateFilter(
        label=_("检查起始日期"),
        method="filter_inspected",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    inspected_to = django_filters.DateFilter(
        label=_("检查截止日期"),
        method="filter_inspected",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = School
        fields = [
            "q",
            "sub_bureau",
            "station",
            "level",
            "locality",
            "boarding",
            "failing",
            "passing",
            "org",
            "inspected_from",
            "inspected_to",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__name__icontains=value)
            | Q(organization__short_name__icontains=value)
            | Q(school_code__icontains=value)
        )

    def filter_under(self, queryset, name, value):
        return compliance.schools_under(value, queryset) if value else queryset

    def filter_boarding(self, queryset, name, value):
        return queryset.filter(is_boarding=value == "1")

    def filter_failing(self, queryset, name, value):
        # The selector annotates "<code>_status" (compliance.with_facts).
        return queryset.filter(**{f"{value}_status": rules.FAIL}) if value else queryset

    def filter_passing(self, queryset, name, value):
        # As the roll-up counts an indicator's passing schools: each of its rules passes.
        if not value:
            return queryset
        return queryset.filter(**dict.fromkeys(PASSING[value].statuses, rules.PASS))

    def filter_inspected(self, queryset, name, value):
        # Called for each bound given; both bounds are applied once, by the first one given.
        date_from = self.form.cleaned_data.get("inspected_from")
        date_to = self.form.cleaned_data.get("inspected_to")
        if name == "inspected_to" and date_from is not None:
            return queryset
        if not modules.has_fact("schools_inspected"):
            return queryset.none()  # no inspections module, no school inspected
        return queryset.filter(pk__in=modules.fact("schools_inspected")(date_from, date_to))


class GuardFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("姓名或证号"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=GuardStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Guard
        fields = ["q", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(certificate_number__icontains=value))


class DeviceFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("名称或区域"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("类型"),
        # Disabled entries too: the list still finds the devices registered with them.
        choices=lambda: [(e.code, e.label) for e in dictionaries.entries(DEVICE_KIND)],
        empty_label=_("全部类型"),
    )
    networked_police = django_filters.ChoiceFilter(
        label=_("联网公安"), choices=YES_NO, empty_label=_("全部"), method="filter_flag"
    )
    is_online = django_filters.ChoiceFilter(
        label=_("在线"), choices=YES_NO, empty_label=_("全部"), method="filter_flag"
    )

    class Meta:
        model = Device
        fields = ["q", "kind", "networked_police", "is_online"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(area__icontains=value))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "1"})
