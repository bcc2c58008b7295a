"""Forms and filters of 参数设置. They only parse input: the parameter's declaration
(``Parameter.clean``, through the service) checks the value, and the view puts its refusal back
on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huxiao.core.parameters import Parameter

SOURCES = (
    ("env", _("环境变量")),
    ("saved", _("已修改")),
    ("default", _("默认")),
)


class _FilterForm(forms.Form):
    """A filter bar over declared things (not a queryset), shaped like a FilterSet for the
    shared filter template (``filter.form``) and the export's record (``active_filters``)."""

    @property
    def form(self):
        return self

    @property
    def active_filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v}

    def _style(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs.update(
                    {"class": "form-control form-control-sm", "placeholder": field.label}
                )


class ParameterListFilter(_FilterForm):
    q = forms.CharField(label=_("参数名称或编码"), required=False, max_length=64)
    module = forms.ChoiceField(label=_("所属模块"), required=False)
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部来源")), *SOURCES]
    )

    def __init__(self, *args, modules: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("全部模块")), *modules]
        self._style()


class ParameterHistoryFilter(_FilterForm):
    key = forms.ChoiceField(label=_("参数"), required=False)
    actor = forms.CharField(label=_("修改人账号"), required=False, max_length=150)

    def __init__(self, *args, specs: list[Parameter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", _("全部参数")), *((p.key, p.label) for p in specs)]
        self._style()


class ParameterEditForm(forms.Form):
    """One field, ``value``, shaped by the parameter's kind; the service checks it."""

    value = forms.CharField(label=_("参数值"), required=False, max_length=500)

    def __init__(self, *args, spec: Parameter, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        field.label = spec.label
        field.help_text = spec.help
        if spec.kind == "choice":
            field.widget = forms.Select(choices=[(code, label) for code, label in spec.choices])
        elif spec.kind == "bool":
            field.widget = forms.Select(choices=[("1", _("是")), ("0", _("否"))])
        elif spec.kind == "int":
            # Text, not a number input: the declaration's range is checked (and explained in
            # Chinese) by the server, not silently by the browser.
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        else:
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})
        field.widget.attrs["data-testid"] = "parameter-value"
