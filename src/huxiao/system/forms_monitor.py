"""Filters of the monitoring lists (在线用户, 登录日志, 账号锁定, 任务执行记录)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import AuditAction
from huxiao.core.filtersets import BootstrapFilterSet, since, until
from huxiao.core.models import AuditRecord, TaskRun, UserSession


class SessionFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("用户名或姓名"), method="filter_q")
    ip = django_filters.CharFilter(label=_("IP地址"), method="filter_ip")

    class Meta:
        model = UserSession
        fields = ["q", "ip"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=value) | Q(user__full_name__icontains=value)
        )

    def filter_ip(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(ip__startswith=value) if value else queryset


LOGIN_RESULTS = (
    (AuditAction.LOGIN_SUCCESS, _("登录成功")),
    (AuditAction.LOGIN_FAILURE, _("登录失败")),
    (AuditAction.LOGOUT, _("退出登录")),
)


class LoginFilterSet(BootstrapFilterSet):
    user = django_filters.CharFilter(
        label=_("用户名"), field_name="actor_name", lookup_expr="icontains"
    )
    result = django_filters.ChoiceFilter(
        label=_("结果"), field_name="action", choices=LOGIN_RESULTS, empty_label=_("全部结果")
    )
    ip = django_filters.CharFilter(label=_("IP地址"), field_name="ip", lookup_expr="startswith")
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
        fields = ["user", "result", "ip", "date_from", "date_to"]


class LockoutFilter(forms.Form):
    """Not a queryset (django-axes' attempts grouped by account): a plain form."""

    q = forms.CharField(label=_("用户名"), required=False, max_length=150)
    show = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=(("locked", _("仅已锁定")), ("all", _("全部有失败记录的账号"))),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": _("用户名")}
        )
        self.fields["show"].widget.attrs["class"] = "form-select form-select-sm"

    @property
    def form(self):
        """The filter bar (core/partials/filters.html) reads a filterset's ``form``."""
        return self

    @property
    def active_filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        return {k: v for k, v in self.data.items() if k in self.fields and v}


class TaskRunFilterSet(BootstrapFilterSet):
    outcome = django_filters.ChoiceFilter(
        label=_("结果"), choices=TaskRun.Outcome.choices, empty_label=_("全部结果")
    )
    manual = django_filters.ChoiceFilter(
        label=_("触发方式"),
        method="filter_manual",
        choices=(("yes", _("手动执行")), ("no", _("定时执行"))),
        empty_label=_("全部"),
    )

    class Meta:
        model = TaskRun
        fields = ["outcome", "manual"]

    def filter_manual(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(triggered_by=None)
        if value == "no":
            return queryset.filter(triggered_by=None)
        return queryset
