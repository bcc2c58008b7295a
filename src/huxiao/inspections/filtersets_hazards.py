"""Filters of the hazard, notice and 督办 lists, shared by the pages and their exports.

The querysets they filter already start from the user's scope (the selectors); every choice
that names a record (school, station, campaign, issuer) comes from the same scope, so a
filter cannot name something the user may not see — an id outside it makes the filter
invalid, and an invalid filter shows nothing (``core.views.generic.filtered``).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core import dictionaries
from huxiao.core.choices import OrgKind
from huxiao.core.filtersets import JurisdictionFilterSet, day_start, since, until
from huxiao.core.models import Organization
from huxiao.inspections import rules, selectors
from huxiao.inspections.choices import (
    HAZARD_CATEGORY,
    OPEN_STATES,
    HazardAction,
    HazardSource,
    HazardState,
    Severity,
)
from huxiao.inspections.models import (
    Campaign,
    Escalation,
    Hazard,
    HazardEvent,
    RectificationNotice,
)
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))


def overdue_q(today) -> Q:
    """Overdue: marked so by the daily sweep while open, or past its deadline while the school
    still owes work (before the sweep has run today)."""
    return Q(is_overdue=True, state__in=OPEN_STATES) | Q(
        state__in=rules.OVERDUE_STATES, deadline__lt=today
    )


def is_overdue(hazard: Hazard, today) -> bool:
    """The row-level twin of ``overdue_q`` (``rules.hazard_overdue``)."""
    return rules.hazard_overdue(hazard, today)


def _visible_schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path")
    )


def _visible_stations(request):
    return (
        Organization.objects.visible_to(request.user)
        .filter(kind=OrgKind.STATION)
        .order_by("sort_order", "code")
    )


def _hazard_campaigns(request):
    # The campaigns whose inspections found hazards the user sees (a campaign without a
    # visible hazard would only filter to nothing).
    found = Hazard.objects.visible_to(request.user).values(
        "inspection_result__inspection__campaign"
    )
    return Campaign.objects.filter(pk__in=found).order_by("-start_date", "-id")


def _notice_issuers(request):
    # The issuers of the notices the user sees: a school sees its station's name on the
    # notice itself, although the station is above its scope.
    issued = selectors.notice_list(user=request.user).values("issuer")
    return Organization.objects.filter(pk__in=issued).order_by("sort_order", "code")


def _supervisors(request):
    # The police organisations in the user's scope, and those supervising the 督办 items the
    # user sees (a station's items are supervised by the organisation above it).
    supervising = selectors.escalation_list(user=request.user).order_by().values("supervisor")
    police = (
        Organization.objects.visible_to(request.user)
        .filter(kind__in=(OrgKind.CITY_BUREAU, OrgKind.SUB_BUREAU, OrgKind.STATION))
        .values("pk")
    )
    return Organization.objects.filter(Q(pk__in=supervising) | Q(pk__in=police)).order_by(
        "depth", "sort_order", "code"
    )


def _is_police(user) -> bool:
    org = getattr(user, "organization", None)
    return bool(user.is_superuser or (org is not None and org.is_police))


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _flag(field: str):
    def method(queryset, name, value):
        return queryset.filter(**{field: value == "1"}) if value else queryset

    return method


def _all_categories() -> list[tuple[str, str]]:
    # Disabled entries too: the list still finds the hazards registered with them.
    return [(e.code, e.label) for e in dictionaries.entries(HAZARD_CATEGORY)]


class HazardFilterSet(JurisdictionFilterSet):
    q = django_filters.CharFilter(label=_("隐患或学校"), method="filter_q")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=HazardState.choices, empty_label=_("全部状态")
    )
    severity = django_filters.ChoiceFilter(
        label=_("等级"), choices=Severity.choices, empty_label=_("全部等级")
    )
    source = django_filters.ChoiceFilter(
        label=_("来源"), choices=HazardSource.choices, empty_label=_("全部来源")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=lambda: _all_categories(), empty_label=_("全部类别")
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_visible_schools, empty_label=_("全部学校")
    )
    station = django_filters.ModelChoiceFilter(
        label=_("派出所"),
        queryset=_visible_stations,
        empty_label=_("全部派出所"),
        field_name="school__organization__parent",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=YES_NO, empty_label=_("全部"), method="filter_overdue"
    )
    escalated = django_filters.ChoiceFilter(
        label=_("督办"), choices=YES_NO, empty_label=_("全部"), method="filter_escalated"
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项行动"),
        queryset=_hazard_campaigns,
        empty_label=_("全部专项行动"),
        field_name="inspection_result__inspection__campaign",
    )
    deadline_before = django_filters.DateFilter(
        label=_("期限不晚于"),
        field_name="deadline",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # The periods of the figures (inspections.figures): found, closed (销号) between two days.
    found_from = django_filters.DateFilter(
        label=_("发现起始日期"), field_name="found_on", lookup_expr="gte", widget=_date_input()
    )
    found_to = django_filters.DateFilter(
        label=_("发现截止日期"), field_name="found_on", lookup_expr="lte", widget=_date_input()
    )
    closed_from = django_filters.DateFilter(
        label=_("销号起始日期"), method=since("closed_at"), widget=_date_input()
    )
    closed_to = django_filters.DateFilter(
        label=_("销号截止日期"), method=until("closed_at"), widget=_date_input()
    )
    # Chased (催办) between two days: both ends bound the same chase (filter_chased).
    chased_from = django_filters.DateFilter(
        label=_("催办起始日期"), method="filter_chased", widget=_date_input()
    )
    chased_to = django_filters.DateFilter(
        label=_("催办截止日期"), method="filter_chased", widget=_date_input()
    )

    class Meta:
        model = Hazard
        fields = [
            "q",
            "state",
            "severity",
            "source",
            "category",
            "school",
            "station",
            "overdue",
            "escalated",
            "campaign",
            "deadline_before",
            "found_from",
            "found_to",
            "closed_from",
            "closed_to",
            "chased_from",
            "chased_to",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not _is_police(request.user):
            # Stations mean nothing to a school or an education bureau.
            self.filters.pop("station", None)
            self.form.fields.pop("station", None)

    def filter_chased(self, queryset, name, value):
        """Hazards chased at least once between ``chased_from`` and ``chased_to`` (one
        EXISTS over the history, applied once whichever of the two is given)."""
        start = self.form.cleaned_data.get("chased_from")
        end = self.form.cleaned_data.get("chased_to")
        if name == "chased_to" and start:
            return queryset  # chased_from applied both ends
        chases = HazardEvent.objects.filter(hazard=OuterRef("pk"), action=HazardAction.CHASED)
        if start:
            chases = chases.filter(at__gte=day_start(start))
        if end:
            chases = chases.filter(at__lt=day_start(end + dt.timedelta(days=1)))
        return queryset.filter(Exists(chases))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(school__organization__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value == "1" else queryset.exclude(q)

    filter_escalated = staticmethod(_flag("is_escalated"))


class NoticeFilterSet(JurisdictionFilterSet):
    q = django_filters.CharFilter(label=_("文号或标题"), method="filter_q")
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_visible_schools, empty_label=_("全部学校")
    )
    year = django_filters.NumberFilter(
        label=_("年度"), widget=forms.NumberInput(attrs={"min": 2000, "max": 2100})
    )
    issuer = django_filters.ModelChoiceFilter(
        label=_("发文单位"), queryset=_notice_issuers, empty_label=_("全部发文单位")
    )
    received = django_filters.ChoiceFilter(
        label=_("已签收"), choices=YES_NO, empty_label=_("全部"), method="filter_received"
    )
    date_from = django_filters.DateFilter(
        label=_("成文起始日期"), field_name="issue_date", lookup_expr="gte", widget=_date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("成文截止日期"), field_name="issue_date", lookup_expr="lte", widget=_date_input()
    )

    class Meta:
        model = RectificationNotice
        fields = ["q", "school", "year", "issuer", "received", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

    def filter_received(self, queryset, name, value):
        return queryset.filter(received_at__isnull=value != "1") if value else queryset


class EscalationFilterSet(JurisdictionFilterSet):
    q = django_filters.CharFilter(label=_("文号或隐患"), method="filter_q")
    school = django_filters.ModelChoiceFilter(
        label=_("学校"),
        queryset=_visible_schools,
        empty_label=_("全部学校"),
        field_name="hazard__school",
    )
    handled = django_filters.ChoiceFilter(
        label=_("已处理"), choices=YES_NO, empty_label=_("全部"), method="filter_handled"
    )
    date_from = django_filters.DateFilter(
        label=_("督办起始日期"), method=since("created_at"), widget=_date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("督办截止日期"), method=until("created_at"), widget=_date_input()
    )

    class Meta:
        model = Escalation
        fields = ["q", "school", "handled", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(hazard__title__icontains=value))

    def filter_handled(self, queryset, name, value):
        return queryset.filter(handled_at__isnull=value != "1") if value else queryset


class EscalationApiFilterSet(EscalationFilterSet):
    """The page's filters, and the supervising organisation, which API clients filter by (the
    page leaves it out: its choices would cost the page a query)."""

    supervisor = django_filters.ModelChoiceFilter(label=_("督办单位"), queryset=_supervisors)

    class Meta(EscalationFilterSet.Meta):
        fields = [*EscalationFilterSet.Meta.fields, "supervisor"]
