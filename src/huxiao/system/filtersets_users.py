"""Filters of 用户管理's list, shared by the page and its .xlsx export."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core import parameters
from huxiao.core.filtersets import BootstrapFilterSet
from huxiao.core.models import Organization, Role, User
from huxiao.core.scoping import subtree_q


def _visible_orgs(request):
    return Organization.objects.visible_to(request.user).order_by("path")


class ManagedUserFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("用户名、姓名或警号"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"),
        queryset=_visible_orgs,
        empty_label=_("全部单位"),
        method="filter_subtree",
    )
    role = django_filters.ModelChoiceFilter(
        label=_("角色"), queryset=Role.objects.order_by("sort_order", "code"),
        empty_label=_("全部角色"),
    )  # fmt: skip
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=(("1", _("启用")), ("0", _("停用"))),
        empty_label=_("全部状态"),
        method="filter_active",
    )
    locked = django_filters.ChoiceFilter(
        label=_("锁定"),
        choices=(("1", _("已锁定")), ("0", _("未锁定"))),
        empty_label=_("全部"),
        method="filter_locked",
    )

    class Meta:
        model = User
        fields = ["q", "organization", "role", "is_active", "locked"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(full_name__icontains=value)
            | Q(police_number__icontains=value)
        )

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(subtree_q("organization", value.path))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def filter_locked(self, queryset, name, value):
        # The list's selector annotates recent_failures (selectors_users.recent_failures).
        limit = parameters.lockout_failure_limit()
        if value == "1":
            return queryset.filter(recent_failures__gte=limit)
        return queryset.filter(recent_failures__lt=limit)
