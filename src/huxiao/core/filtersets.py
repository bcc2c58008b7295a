"""Filters of the core lists, shared by the pages and their Excel exports.

Each filterset filters a queryset that already starts from the user's scope (a
selector); the choices it offers (parent organisation, organisation) come from the
same scope, so a filter can never name something the user may not see.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.models import AuditRecord, Organization, Role, User
from huxiao.core.scoping import jurisdiction_q


class BootstrapFilterSet(django_filters.FilterSet):
    """Gives every widget its Bootstrap class, so templates render fields as they are."""

    # False where nothing is rendered (a figure counting a list's rows: core.figures).
    styled = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.styled:
            return
        for field in self.form.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.TextInput) and not isinstance(widget, forms.DateInput):
                widget.attrs.setdefault("placeholder", field.label)

    @property
    def active_filters(self) -> dict[str, str]:
        """The filters in use, as recorded with an export."""
        if not self.is_bound:
            return {}
        return {k: v for k, v in self.data.items() if k in self.filters and v not in ("", None)}


def _text_search(fields: tuple[str, ...]):
    def method(queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    return method


_ORG_ORDER = ("depth", "sort_order", "code")


def _visible_parents(request):
    # Schools have no children; leaving them out keeps the list short in a big city.
    return (
        Organization.objects.visible_to(request.user)
        .exclude(kind=OrgKind.SCHOOL)
        .order_by(*_ORG_ORDER)
    )


def _visible_orgs(request):
    return Organization.objects.visible_to(request.user).order_by(*_ORG_ORDER)


class JurisdictionFilterSet(BootstrapFilterSet):
    """A list that can be narrowed to one organisation's jurisdiction (``?org=<id>``).

    The dashboards and reports open a list with the figure's filters and the jurisdiction it
    was counted in; ``core/partials/filters.html`` keeps the hidden field and shows the
    organisation as a removable chip (``jurisdiction``). An id outside the user's scope does
    not validate, so the list shows nothing, as for any bad filter.
    """

    org = django_filters.ModelChoiceFilter(
        label=_("辖区"),
        queryset=_visible_orgs,
        method="filter_jurisdiction",
        widget=forms.HiddenInput,
    )

    def filter_jurisdiction(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(jurisdiction_q(queryset.model.scope_org_path, value))

    @property
    def jurisdiction(self):
        """The organisation of ``?org=``, or None (also when it is not in the user's scope)."""
        if not self.is_bound or not self.data.get("org"):
            return None
        return self.form.cleaned_data.get("org") if self.is_valid() else None


class OrganizationFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=OrgKind.choices, empty_label=_("全部类型")
    )
    parent = django_filters.ModelChoiceFilter(
        label=_("上级单位"), queryset=_visible_parents, empty_label=_("全部上级单位")
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "parent"]

    def filter_q(self, queryset, name, value):
        return _text_search(("name", "short_name", "code"))(queryset, name, value)


class UserFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("用户名或姓名"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=_visible_orgs, empty_label=_("全部单位")
    )
    role = django_filters.ModelChoiceFilter(
        label=_("角色"), queryset=Role.objects.all(), empty_label=_("全部角色")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=(("1", _("启用")), ("0", _("停用"))),
        empty_label=_("全部状态"),
        method="filter_active",
    )

    class Meta:
        model = User
        fields = ["q", "organization", "role", "is_active"]

    def filter_q(self, queryset, name, value):
        return _text_search(("username", "full_name"))(queryset, name, value)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


def day_start(day: dt.date) -> dt.datetime:
    """The instant a day begins in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def since(field: str):
    """A filter method: a time on or after the start of the day. The bound is an instant, so
    an index on ``field`` serves it (``field__date`` casts every row, in Python on SQLite)."""

    def method(queryset, name, value):
        return queryset.filter(**{f"{field}__gte": day_start(value)})

    return method


def until(field: str):
    """A filter method: a time on or before the day, the whole day included."""

    def method(queryset, name, value):
        return queryset.filter(**{f"{field}__lt": day_start(value + dt.timedelta(days=1))})

    return method


class AuditFilterSet(BootstrapFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=AuditKind.choices, empty_label=_("全部类别")
    )
    action = django_filters.ChoiceFilter(
        label=_("动作"), choices=AuditAction.choices, empty_label=_("全部动作")
    )
    actor = django_filters.CharFilter(
        label=_("操作人账号"), field_name="actor_name", lookup_expr="icontains"
    )
    object_type = django_filters.CharFilter(
        label=_("对象类型"), field_name="object_type", lookup_expr="iexact"
    )
    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        method=since("ts"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), method=until("ts"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditRecord
        fields = ["kind", "action", "actor", "object_type", "date_from", "date_to"]
