"""Filters of the role and role-grant lists, shared by the pages and their Excel exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import DataScope
from huxiao.core.filtersets import BootstrapFilterSet
from huxiao.core.models import Role, RoleGrant

_YES_NO = (("1", _("是")), ("0", _("否")))


class RoleFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="filter_q")
    data_scope = django_filters.ChoiceFilter(
        label=_("数据范围"), choices=DataScope.choices, empty_label=_("全部范围")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=(("1", _("启用")), ("0", _("停用"))),
        empty_label=_("全部状态"),
        method="filter_bool",
    )
    is_builtin = django_filters.ChoiceFilter(
        label=_("内置角色"), choices=_YES_NO, empty_label=_("全部"), method="filter_bool"
    )
    is_police = django_filters.ChoiceFilter(
        label=_("公安角色"), choices=_YES_NO, empty_label=_("全部"), method="filter_bool"
    )

    class Meta:
        model = Role
        fields = ["q", "data_scope", "is_active", "is_builtin", "is_police"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_bool(self, queryset, name, value):
        return queryset.filter(**{name: value == "1"})


class GrantFilterSet(BootstrapFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=RoleGrant.State.choices, empty_label=_("全部状态")
    )
    role = django_filters.ModelChoiceFilter(
        label=_("授予角色"), queryset=Role.objects.all(), empty_label=_("全部角色")
    )
    q = django_filters.CharFilter(label=_("用户名或姓名"), method="filter_q")

    class Meta:
        model = RoleGrant
        fields = ["state", "role", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=value) | Q(user__full_name__icontains=value)
        )
