"""Forms of the shell's own pages (profile, API tokens)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A mainland mobile number, or a landline with its area code (0871-12345678).
phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("请输入11位手机号，或带区号的固定电话（如 0871-12345678）。"),
)


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("姓名"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    # Left blank, the stored number is kept: the page never shows it in full.
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        help_text=_("留空表示不修改。号码加密存储，页面上只显示掩码。"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "tel", "inputmode": "tel"}
        ),
    )

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")


EXPIRY_CHOICES = (
    ("30", _("30天")),
    ("90", _("90天")),
    ("365", _("1年")),
    ("", _("永不过期")),
)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("令牌名称"),
        max_length=64,
        required=True,
        help_text=_("写明用途，例如“门禁系统对接”。"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires_in = forms.ChoiceField(
        label=_("有效期"),
        choices=EXPIRY_CHOICES,
        required=False,
        initial="90",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None
