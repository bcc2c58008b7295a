"""Forms of the shell's own pages (profile, API tokens), and what every module's forms share."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core.fields import PHONE


def apply_service_errors(
    form: forms.Form, exc: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form that sent its arguments.

    Each message goes on the form field of the same name (``aliases`` maps a model field to the
    form field that stands for it, e.g. ``{"school": "school_id"}``), or above the form when the
    form has no such field, so no message is lost; there it is prefixed with the field's label
    when the form names it (``form.field_labels``).
    """
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    labels = getattr(form, "field_labels", {}) or {}
    for field, errors in exc.error_dict.items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        label = "" if target else labels.get(field, "")
        for error in errors:
            for message in error.messages:
                form.add_error(target, f"{label}：{message}" if label else message)


# A mainland mobile number, or a landline with its area code (0871-12345678).
phone_validator = RegexValidator(
    PHONE,
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


class AlertSettingsForm(forms.Form):
    mute_urgent_sound = forms.BooleanField(
        label=_("静音紧急提醒提示音"),
        required=False,
        help_text=_("紧急通知（如布控比中）仍会弹出提示，但不播放提示音。"),
    )


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


def warn_id_number(request, value) -> None:
    """After a save: a valid ID number whose region code has been retired (GB/T 2260) is
    accepted, and the page says so, so someone can check it."""
    from django.contrib import messages

    from huxiao.core.validators import id_number_warning

    warning = id_number_warning(value or "") if isinstance(value, str) and value else None
    if warning:
        messages.warning(request, warning)
