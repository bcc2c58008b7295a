"""Filters of the key-person, dispute and screening lists, shared by the pages and exports.

The filter semantics live in the selectors (``selectors.key_person_list`` with
``PersonFilters``: a whole ID number is looked up by its blind index, anything else by
name; ``selectors.dispute_list`` with ``DisputeFilters``), so the pages, the exports and
the API filter alike: these filtersets only parse the query string and hand the values
over. Every choice that names a record (station, school, campaign) comes from the user's
scope; an id outside it makes the filter invalid, and an invalid filter shows nothing
(``core.views.generic.filtered``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from huxiao.core import crypto, dictionaries
from huxiao.core.choices import POLICE_KINDS
from huxiao.core.filtersets import JurisdictionFilterSet
from huxiao.core.models import Organization
from huxiao.inspections.models import Campaign
from huxiao.persons import selectors
from huxiao.persons.choices import (
    DISPUTE_KIND,
    Category,
    DisputeStatus,
    PersonStatus,
    RiskLevel,
)
from huxiao.persons.models import Dispute, KeyPerson, ScreeningBatch
from huxiao.persons.services.persons import RESPONSIBLE_KINDS
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))
REVIEW_CHOICES = (
    ("due", _("即将到期或逾期")),
    ("overdue", _("已逾期")),
    ("week", _("7日内到期（未逾期）")),
)
# 列管中 (in control or lost, not revoked) first: the persons a station keeps under control.
PERSON_STATUS_CHOICES = ((selectors.LISTED, _("列管中（在控或失控）")), *PersonStatus.choices)


def _date_filter(label):
    """A day, read by the selector (``method="keep"``); the figures' periods use them."""
    return django_filters.DateFilter(
        label=label,
        method="keep",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def visible_stations(request):
    """Police organisations that can be responsible for a person (派出所, 警种单位)."""
    return (
        Organization.objects.visible_to(request.user)
        .filter(kind__in=RESPONSIBLE_KINDS)
        .order_by("sort_order", "code")
    )


def visible_schools(request):
    return (
        School.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__path")
    )


def _pk(value):
    return value.pk if value is not None else None


class KeyPersonFilterSet(JurisdictionFilterSet):
    q = django_filters.CharFilter(label=_("姓名或完整身份证号"), method="keep")
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别"), method="keep"
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=PERSON_STATUS_CHOICES, empty_label=_("全部状态"), method="keep"
    )
    risk = django_filters.ChoiceFilter(
        label=_("总体风险"), choices=RiskLevel.choices, empty_label=_("全部"), method="keep"
    )
    station = django_filters.ModelChoiceFilter(
        label=_("责任单位"),
        queryset=visible_stations,
        empty_label=_("全部单位"),
        method="keep",
    )
    school = django_filters.ModelChoiceFilter(
        label=_("关联学校"), queryset=visible_schools, empty_label=_("全部学校"), method="keep"
    )
    review = django_filters.ChoiceFilter(
        label=_("核查"), choices=REVIEW_CHOICES, empty_label=_("全部"), method="keep"
    )
    listed_from = _date_filter(_("列管起始日期"))
    listed_to = _date_filter(_("列管截止日期"))
    followed_from = _date_filter(_("走访核查起始日期"))
    followed_to = _date_filter(_("走访核查截止日期"))

    class Meta:
        model = KeyPerson
        fields = [
            "q",
            "category",
            "status",
            "risk",
            "station",
            "school",
            "review",
            "listed_from",
            "listed_to",
            "followed_from",
            "followed_to",
        ]

    def keep(self, queryset, name, value):
        return queryset  # applied all at once by the selector (filter_queryset)

    @property
    def active_filters(self) -> dict[str, str]:
        """As recorded with an export: a searched ID number is kept masked in the audit
        trail, like every other identity there."""
        active = super().active_filters
        q = (active.get("q") or "").strip()
        if sum(ch.isdigit() for ch in q) >= 6:
            active["q"] = crypto.mask_id_number(q) if len(q) == 18 else crypto.mask_middle(q, 0, 2)
        return active

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        filters = selectors.PersonFilters(
            q=(data.get("q") or "").strip(),
            category=data.get("category") or "",
            status=data.get("status") or "",
            risk=data.get("risk") or "",
            station=_pk(data.get("station")),
            school=_pk(data.get("school")),
            review=data.get("review") or "",
            listed_from=data.get("listed_from"),
            listed_to=data.get("listed_to"),
            followed_from=data.get("followed_from"),
            followed_to=data.get("followed_to"),
        )
        # ``queryset`` is this same selector without filters (the ScopedList's), so the
        # filtered selector replaces it; the jurisdiction (?org=) narrows it as on every list.
        persons = selectors.key_person_list(user=self.request.user, filters=filters)
        return self.filter_jurisdiction(persons, "org", data.get("org"))


class DisputeFilterSet(JurisdictionFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=DisputeStatus.choices, empty_label=_("全部状态"), method="keep"
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"),
        # Disabled entries too: the list still finds the disputes registered with them.
        choices=lambda: [(e.code, e.label) for e in dictionaries.entries(DISPUTE_KIND)],
        empty_label=_("全部类型"),
        method="keep",
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=visible_schools, empty_label=_("全部学校"), method="keep"
    )
    station = django_filters.ModelChoiceFilter(
        label=_("责任派出所"),
        queryset=visible_stations,
        empty_label=_("全部派出所"),
        method="keep",
    )
    threat = django_filters.ChoiceFilter(
        label=_("扬言报复"), choices=YES_NO, empty_label=_("全部"), method="keep"
    )
    overdue = django_filters.ChoiceFilter(
        label=_("超期未化解"), choices=(("1", _("是")),), empty_label=_("全部"), method="keep"
    )
    registered_from = _date_filter(_("登记起始日期"))
    registered_to = _date_filter(_("登记截止日期"))
    closed_from = _date_filter(_("办结起始日期"))
    closed_to = _date_filter(_("办结截止日期"))

    class Meta:
        model = Dispute
        fields = [
            "status",
            "kind",
            "school",
            "station",
            "threat",
            "overdue",
            "registered_from",
            "registered_to",
            "closed_from",
            "closed_to",
        ]

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        threat = data.get("threat")
        filters = selectors.DisputeFilters(
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            school=_pk(data.get("school")),
            station=_pk(data.get("station")),
            threat=None if not threat else threat == "1",
            overdue=data.get("overdue") == "1",
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
            closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
        )
        disputes = selectors.dispute_list(user=self.request.user, filters=filters)
        return self.filter_jurisdiction(disputes, "org", data.get("org"))


def _batch_campaigns(request):
    # The campaigns of the batches the user sees (a campaign without one filters to nothing).
    used = selectors.screening_batch_list(user=request.user).values("campaign")
    return Campaign.objects.filter(pk__in=used).order_by("-start_date", "-id")


def _police_orgs(request):
    return (
        Organization.objects.visible_to(request.user)
        .filter(kind__in=POLICE_KINDS)
        .order_by("depth", "sort_order", "code")
    )


class ScreeningFilterSet(JurisdictionFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("专项行动"), queryset=_batch_campaigns, empty_label=_("全部专项行动")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("排查单位（含下级）"),
        queryset=_police_orgs,
        empty_label=_("全部单位"),
        method="filter_under",
    )
    start = django_filters.DateFilter(
        label=_("开始日期不早于"),
        field_name="period_start",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        label=_("结束日期不晚于"),
        field_name="period_end",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    imported = django_filters.ChoiceFilter(
        label=_("历史导入"), choices=YES_NO, empty_label=_("全部"), method="filter_imported"
    )

    class Meta:
        model = ScreeningBatch
        fields = ["campaign", "organization", "start", "end", "imported"]

    def filter_imported(self, queryset, name, value):
        return queryset.filter(imported=value == "1") if value else queryset

    def filter_under(self, queryset, name, value):
        from huxiao.core.scoping import subtree_q

        return queryset.filter(subtree_q("organization", value.path)) if value else queryset
