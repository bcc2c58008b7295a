"""Filters of the 护学岗, roster and check-in lists, shared by the pages, their exports and the
API's lists (``api_schemas_patrols.filtered``), by the same names.

The querysets already start from the user's scope; every choice that names a record (school,
station, post) comes from the same scope, so an id outside it makes the filter invalid: an
invalid filter shows nothing on a page (``core.views.generic.filtered``) and answers 400 in
the API. The ``*ApiFilterSet`` subclasses add the few filters only the API has.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import OrgKind
from huxiao.core.filtersets import BootstrapFilterSet, JurisdictionFilterSet
from huxiao.core.models import Organization
from huxiao.patrols.choices import DEFAULT_WINDOWS, PersonKind, PostKind, ProofKind, ShiftStatus
from huxiao.patrols.models import CheckIn, DutyShift, GuardPost
from huxiao.schools.models import School

YES_NO = (("1", _("是")), ("0", _("否")))


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


def _visible_posts(request):
    return (
        GuardPost.objects.visible_to(request.user)
        .select_related("school__organization")
        .order_by("school__organization__path", "name", "id")
    )


def _is_police(user) -> bool:
    org = getattr(user, "organization", None)
    return bool(user.is_superuser or (org is not None and org.is_police))


def _flag(field: str):
    def method(queryset, name, value):
        return queryset.filter(**{field: value == "1"}) if value else queryset

    return method


class PostFilterSet(JurisdictionFilterSet):
    q = django_filters.CharFilter(label=_("岗位名称"), field_name="name", lookup_expr="icontains")
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_visible_schools, empty_label=_("全部学校")
    )
    station = django_filters.ModelChoiceFilter(
        label=_("派出所"),
        queryset=_visible_stations,
        empty_label=_("全部派出所"),
        field_name="school__organization__parent",
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=PostKind.choices, empty_label=_("全部类型")
    )
    pilot = django_filters.ChoiceFilter(
        label=_("“警校家”试点"), choices=YES_NO, empty_label=_("全部"), method="filter_pilot"
    )
    active = django_filters.ChoiceFilter(
        label=_("启用"), choices=YES_NO, empty_label=_("全部"), method="filter_active"
    )
    corridor = django_filters.ChoiceFilter(
        label=_("护学通道"), choices=YES_NO, empty_label=_("全部"), method="filter_corridor"
    )

    class Meta:
        model = GuardPost
        fields = ["q", "school", "station", "kind", "pilot", "active", "corridor"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not _is_police(request.user):
            # Stations mean nothing to a school or an education bureau.
            self.filters.pop("station", None)
            self.form.fields.pop("station", None)

    filter_pilot = staticmethod(_flag("is_pilot"))
    filter_active = staticmethod(_flag("is_active"))

    def filter_corridor(self, queryset, name, value):
        return queryset.filter(corridor__isnull=value != "1") if value else queryset


def window_choices(request) -> list[tuple[str, str]]:
    """The window codes of the posts in scope, each with the name most posts give it."""
    names: dict[str, str] = {}
    if request is not None:
        rows = GuardPost.objects.visible_to(request.user).values_list("windows", flat=True)
        for windows in rows.order_by().distinct()[:500]:
            for w in windows or []:
                if isinstance(w, dict) and w.get("code"):
                    names.setdefault(w["code"], w.get("name") or w["code"])
    if not names:
        names = {code: w["name"] for code, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)}
    return sorted(names.items())


class LazyChoices(BaseChoiceIterator):
    """Choices read when first iterated (the page rendering its select, or a value given to
    check), then kept: a list read through the API without that filter costs no query."""

    def __init__(self, load):
        self._load = load
        self._items: list | None = None

    def __iter__(self):
        if self._items is None:
            self._items = list(self._load())
        return iter(self._items)


def _window_filter():
    return django_filters.ChoiceFilter(label=_("时段"), choices=(), empty_label=_("全部时段"))


class ShiftFilterSet(BootstrapFilterSet):
    """The roster; with no dates given it starts today (what is coming, not last year)."""

    starts_today = True

    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"),
        queryset=_visible_schools,
        empty_label=_("全部学校"),
        field_name="post__school",
    )
    post = django_filters.ModelChoiceFilter(
        label=_("护学岗"), queryset=_visible_posts, empty_label=_("全部护学岗")
    )
    window = _window_filter()
    person_kind = django_filters.ChoiceFilter(
        label=_("人员类别"), choices=PersonKind.choices, empty_label=_("全部类别")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ShiftStatus.choices, empty_label=_("全部状态")
    )
    q = django_filters.CharFilter(
        label=_("姓名"), field_name="person_name", lookup_expr="icontains"
    )

    class Meta:
        model = DutyShift
        fields = [
            "date_from",
            "date_to",
            "school",
            "post",
            "window",
            "person_kind",
            "status",
            "q",
        ]

    def __init__(self, data=None, *args, request=None, **kwargs):
        if (
            self.starts_today
            and data is not None
            and "date_from" not in data
            and "date_to" not in data
        ):
            data = data.copy()
            data["date_from"] = timezone.localdate().isoformat()
        super().__init__(data, *args, request=request, **kwargs)
        # The form exists already (BootstrapFilterSet styles it): give its field the choices
        # (a figure's narrowed filterset may have no window: core.figures.list_rows).
        if "window" in self.form.fields:
            self.form.fields["window"].choices = LazyChoices(lambda: window_choices(request))


class ShiftApiFilterSet(ShiftFilterSet):
    """The API's roster: every date unless dates are given, and one person's shifts."""

    starts_today = False
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta(ShiftFilterSet.Meta):
        fields = [*ShiftFilterSet.Meta.fields, "person"]


class CheckInFilterSet(JurisdictionFilterSet):
    """打卡记录: the check-ins of a date range, a school or post, a window, by proof and verdict."""

    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), queryset=_visible_schools, empty_label=_("全部学校")
    )
    post = django_filters.ModelChoiceFilter(
        label=_("护学岗"), queryset=_visible_posts, empty_label=_("全部护学岗")
    )
    window = _window_filter()
    proof = django_filters.ChoiceFilter(
        label=_("证明方式"), choices=ProofKind.choices, empty_label=_("全部方式")
    )
    valid = django_filters.ChoiceFilter(
        label=_("有效"), choices=YES_NO, empty_label=_("全部"), method="filter_valid"
    )
    person_kind = django_filters.ChoiceFilter(
        label=_("人员类别"), choices=PersonKind.choices, empty_label=_("全部类别")
    )
    q = django_filters.CharFilter(label=_("打卡人"), method="filter_q")

    class Meta:
        model = CheckIn
        fields = [
            "date_from",
            "date_to",
            "school",
            "post",
            "window",
            "proof",
            "valid",
            "person_kind",
            "q",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if "window" in self.form.fields:  # a figure's narrowed filterset may have none
            self.form.fields["window"].choices = LazyChoices(lambda: window_choices(request))

    filter_valid = staticmethod(_flag("is_valid"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(user__username__icontains=value)
        )


class CheckInApiFilterSet(CheckInFilterSet):
    """The API's check-ins: also one day, one person, sent offline or not."""

    date = django_filters.DateFilter(field_name="date")
    user = django_filters.NumberFilter(field_name="user_id")
    offline = django_filters.ChoiceFilter(choices=YES_NO, method="filter_offline")

    class Meta(CheckInFilterSet.Meta):
        fields = [*CheckInFilterSet.Meta.fields, "date", "user", "offline"]

    filter_offline = staticmethod(_flag("was_offline"))
