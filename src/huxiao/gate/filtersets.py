"""Filters of the gate lists, shared by the pages, their exports, the API's lists and the
figures, by the same names. A school outside the user's scope makes the filter invalid, and the
list shows nothing (400 in the API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.filtersets import JurisdictionFilterSet, since, until
from huxiao.gate.choices import (
    CONTROLLED_KNIVES,
    BanBasis,
    MatchOutcome,
    PassKind,
    SeizedFrom,
    SeizureCategory,
    SeizureState,
    VisitPurpose,
    VisitState,
)
from huxiao.gate.models import BanEntry, Pass, Pickup, Seizure, VehicleEntry, Visit
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


def _school():
    return django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )


class VisitFilterSet(JurisdictionFilterSet):
    date_from = _day(_("起始日期"), since("arrived_at"))
    date_to = _day(_("截止日期"), until("arrived_at"))
    school = _school()
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=VisitState.choices, empty_label=_("全部状态")
    )
    outcome = django_filters.ChoiceFilter(
        field_name="match_outcome",
        label=_("比对结果"),
        choices=MatchOutcome.choices,
        empty_label=_("全部结果"),
    )
    purpose = django_filters.ChoiceFilter(
        label=_("来访事由"), choices=VisitPurpose.choices, empty_label=_("全部事由")
    )
    q = django_filters.CharFilter(label=_("姓名"), method="filter_q")

    class Meta:
        model = Visit
        fields = ["date_from", "date_to", "school", "state", "outcome", "purpose", "q"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:40]
        return queryset.filter(name__icontains=value) if value else queryset


class BanFilterSet(JurisdictionFilterSet):
    basis = django_filters.ChoiceFilter(
        label=_("依据"), choices=BanBasis.choices, empty_label=_("全部依据")
    )
    in_force = django_filters.ChoiceFilter(
        label=_("有效"), choices=YES_NO, empty_label=_("全部"), method="filter_in_force"
    )

    class Meta:
        model = BanEntry
        fields = ["basis", "in_force"]

    def filter_in_force(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        live = Q(revoked_at__isnull=True, starts_on__lte=today) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        return queryset.filter(live) if value == "1" else queryset.exclude(live)


class PassFilterSet(JurisdictionFilterSet):
    school = _school()
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=PassKind.choices, empty_label=_("全部类别")
    )
    in_force = django_filters.ChoiceFilter(
        label=_("有效"), choices=YES_NO, empty_label=_("全部"), method="filter_in_force"
    )
    q = django_filters.CharFilter(label=_("证号/持证人/车牌"), method="filter_q")

    class Meta:
        model = Pass
        fields = ["school", "kind", "in_force", "q"]

    def filter_in_force(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        live = Q(revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today)
        return queryset.filter(live) if value == "1" else queryset.exclude(live)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:40]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(holder__icontains=value) | Q(plate__icontains=value)
        )


class VehicleFilterSet(JurisdictionFilterSet):
    date_from = _day(_("起始日期"), since("arrived_at"))
    date_to = _day(_("截止日期"), until("arrived_at"))
    school = _school()
    with_pass = django_filters.ChoiceFilter(
        label=_("持证车辆"), choices=YES_NO, empty_label=_("全部"), method="filter_with_pass"
    )
    plate = django_filters.CharFilter(label=_("车牌号"), lookup_expr="icontains")

    class Meta:
        model = VehicleEntry
        fields = ["date_from", "date_to", "school", "with_pass", "plate"]

    def filter_with_pass(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pass_used__isnull=value != "1")


class PickupFilterSet(JurisdictionFilterSet):
    school = _school()
    pupil_class = django_filters.CharFilter(label=_("班级"), lookup_expr="exact")
    in_force = django_filters.ChoiceFilter(
        label=_("有效"), choices=YES_NO, empty_label=_("全部"), method="filter_in_force"
    )

    class Meta:
        model = Pickup
        fields = ["school", "pupil_class", "in_force"]

    def filter_in_force(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        live = Q(revoked_at__isnull=True, valid_from__lte=today) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        return queryset.filter(live) if value == "1" else queryset.exclude(live)


class SeizureFilterSet(JurisdictionFilterSet):
    date_from = _day(_("起始日期"), since("seized_at"))
    date_to = _day(_("截止日期"), until("seized_at"))
    school = _school()
    category = django_filters.ChoiceFilter(
        label=_("物品类别"), choices=SeizureCategory.choices, empty_label=_("全部类别")
    )
    knife = django_filters.ChoiceFilter(
        label=_("管制刀具"), choices=YES_NO, empty_label=_("全部"), method="filter_knife"
    )
    seized_from = django_filters.ChoiceFilter(
        label=_("收缴对象"), choices=SeizedFrom.choices, empty_label=_("全部")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=SeizureState.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Seizure
        fields = ["date_from", "date_to", "school", "category", "knife", "seized_from", "state"]

    def filter_knife(self, queryset, name, value):
        if not value:
            return queryset
        knives = [str(c) for c in CONTROLLED_KNIVES]
        if value == "1":
            return queryset.filter(category__in=knives)
        return queryset.exclude(category__in=knives)
