"""Filters of the campaign, checklist and inspection lists, shared by the pages and exports.

The querysets they filter already start from the user's scope (``selectors``); every choice
that names a record (issuer, school, campaign) comes from the same scope, so a filter can
never name something the user may not see: an id outside it makes the filter invalid, and
an invalid filter shows nothing (``core.views.generic.filtered``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.filtersets import BootstrapFilterSet, JurisdictionFilterSet
from huxiao.core.models import Organization
from huxiao.inspections.choices import InspectionStatus
from huxiao.inspections.filtersets_hazards import YES_NO
from huxiao.inspections.models import Campaign, ChecklistTemplate, Inspection
from huxiao.schools.models import School

ONGOING, FINISHED, UPCOMING = "ongoing", "finished", "upcoming"
CAMPAIGN_STATUS = (
    (ONGOING, _("进行中")),
    (FINISHED, _("已结束")),
    (UPCOMING, _("未开始")),
)


def campaign_status(campaign, today=None) -> str:
    """进行中 / 已结束 / 未开始 of a campaign, by its dates (as the status filter counts them)."""
    today = today or timezone.localdate()
    if campaign.start_date > today:
        return UPCOMING
    if campaign.end_date < today:
        return FINISHED
    return ONGOING


def _issuers(request):
    # The issuers of the campaigns the user sees: a station's officer sees the city bureau's
    # campaigns without seeing the city bureau in the organisation tree.
    campaigns = Campaign.objects.visible_to(request.user).order_by().values("issuer")
    return Organization.objects.filter(pk__in=campaigns).order_by("depth", "sort_order", "code")


def _schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__parent__code", "school_code")
    )


def _campaigns(request):
    return Campaign.objects.visible_to(request.user).order_by("-start_date", "-id")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CAMPAIGN_STATUS, empty_label=_("全部状态"), method="filter_status"
    )
    issuer = django_filters.ModelChoiceFilter(
        label=_("发起单位"), queryset=_issuers, empty_label=_("全部单位")
    )

    class Meta:
        model = Campaign
        fields = ["q", "status", "issuer"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == UPCOMING:
            return queryset.filter(start_date__gt=today)
        if value == FINISHED:
            return queryset.filter(end_date__lt=today)
        if value == ONGOING:
            return queryset.filter(start_date__lte=today, end_date__gte=today)
        return queryset


class CampaignApiFilterSet(CampaignFilterSet):
    """The page's filters, and ``active`` (running today, or not running), which API clients
    used before the API took the page's ``status``."""

    active = django_filters.ChoiceFilter(choices=YES_NO, method="filter_active")

    class Meta(CampaignFilterSet.Meta):
        fields = [*CampaignFilterSet.Meta.fields, "active"]

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        running = Q(start_date__lte=today, end_date__gte=today)
        return queryset.filter(running) if value == "1" else queryset.exclude(running)


class ChecklistFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=(("1", _("启用")), ("0", _("停用"))),
        empty_label=_("全部状态"),
        method="filter_active",
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["q", "is_active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


class InspectionFilterSet(JurisdictionFilterSet):
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_schools, empty_label=_("全部学校")
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项行动"), queryset=_campaigns, empty_label=_("全部"), method="filter_campaign"
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=InspectionStatus.choices, empty_label=_("全部状态")
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="date", lookup_expr="gte", widget=_date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="date", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = Inspection
        fields = ["school", "campaign", "status", "date_from", "date_to"]

    def filter_campaign(self, queryset, name, value):
        return queryset.filter(Q(campaign=value)) if value else queryset
