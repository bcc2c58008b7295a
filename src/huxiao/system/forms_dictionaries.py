"""Forms and filters of 字典管理. They only parse input: the services check codes, labels and
whether an entry may be deleted, and the views put their refusals back on the form."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from huxiao.core.filtersets import BootstrapFilterSet
from huxiao.core.models import DictionaryItem

YES_NO = (("1", _("是")), ("0", _("否")))


def _flag(field: str):
    def method(queryset, name, value):
        return queryset.filter(**{field: value == "1"}) if value else queryset

    return method


class DictionaryListFilter(forms.Form):
    """The filters of the list of dictionaries (declared in code, not a queryset)."""

    q = forms.CharField(label=_("字典名称或编码"), required=False)
    module = forms.ChoiceField(label=_("所属模块"), required=False)

    def __init__(self, *args, modules: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("全部模块")), *modules]
        self.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "placeholder": _("字典名称或编码")}
        )
        self.fields["module"].widget.attrs["class"] = "form-select form-select-sm"

    @property
    def active_filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DictionaryItemFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("编码或名称"), method="filter_q")
    enabled = django_filters.ChoiceFilter(
        label=_("启用"), choices=YES_NO, empty_label=_("全部"), method=_flag("is_enabled")
    )
    builtin = django_filters.ChoiceFilter(
        label=_("内置"), choices=YES_NO, empty_label=_("全部"), method=_flag("is_builtin")
    )

    class Meta:
        model = DictionaryItem
        fields = ["q", "enabled", "builtin"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(code__icontains=value) | queryset.filter(label__icontains=value)


class DictionaryItemEditForm(forms.Form):
    label = forms.CharField(label=_("名称"), max_length=64)
    sort_order = forms.IntegerField(
        label=_("排序"), min_value=0, max_value=1_000_000, help_text=_("数字小的排在前面。")
    )
    is_enabled = forms.BooleanField(
        label=_("启用"),
        required=False,
        help_text=_("停用后不再供新记录选择，已使用的记录仍保留并显示该项。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class DictionaryItemCreateForm(DictionaryItemEditForm):
    code = forms.CharField(
        label=_("编码"),
        max_length=32,
        help_text=_("小写字母、数字和下划线，保存后不能修改。"),
    )
    field_order = ["code", "label", "sort_order", "is_enabled", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].required = False
        self.fields["sort_order"].help_text = _("留空则排在最后；数字小的排在前面。")
        self.fields["is_enabled"].initial = True
