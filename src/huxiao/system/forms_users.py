"""Forms of 用户管理. The choices come from the actor's scope and the role rules, and the
services check them again (a forged POST gets the same refusal as the page)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from huxiao.core.forms import phone_validator
from huxiao.core.models import Organization
from huxiao.system import rules


def _org_field(actor, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=Organization.objects.visible_to(actor).order_by("path"),
        empty_label=_("请选择单位"),
        error_messages={"invalid_choice": _("所属单位不存在或不在您的管理范围内。")},
        **kwargs,
    )


def _phone_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class _ProfileFields(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64, required=True)
    police_number = forms.CharField(
        label=_("警号"), max_length=16, required=False, help_text=_("公安民警填写。")
    )

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")


class UserCreateForm(_ProfileFields):
    field_order = ["username", "full_name", "organization", "role", "phone", "police_number"]

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用的账号，创建后不能修改。字母、数字和 @ . + - _。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _org_field(actor)
        self.fields["role"] = forms.ModelChoiceField(
            label=_("角色"),
            queryset=rules.assignable_roles(actor),
            required=False,
            empty_label=_("暂不分配"),
            error_messages={"invalid_choice": _("您无权分配该角色。")},
            help_text=_("公安角色（可查看公安数据）须经安全管理员批准后生效。"),
        )
        self.fields["phone"] = _phone_field(_("号码加密存储，页面上只显示掩码。"))
        self.order_fields(self.field_order)


class UserEditForm(_ProfileFields):
    field_order = ["full_name", "organization", "phone", "police_number"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _org_field(actor)
        self.fields["phone"] = _phone_field(_("留空表示不修改。号码加密存储，页面上只显示掩码。"))
        self.order_fields(self.field_order)


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        allow_empty_file=True,  # an empty file gets the import's own message
        help_text=_(".xlsx 或 .csv（UTF-8 或 GBK 编码），不超过20 MB"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
