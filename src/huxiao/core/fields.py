"""Model fields for personal data encrypted at rest."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _

from huxiao.core import crypto

# A mainland mobile number, or a landline with its area code (0871-12345678).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext; Python code sees the plaintext.

    ``mask`` says how the value is shown on screen, in exports and in the audit
    trail; the audit log never stores the plaintext (see core.audit). Before every save,
    ``core.signals`` refuses a value that is a mask sent back, and a phone that is not one
    (``plain_value_problem``).
    """

    encrypted = True

    def __init__(self, *args, mask: Callable[[str], str] = crypto.mask_middle_default, **kwargs):
        self.mask = mask
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("mask", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)


def shows_part(mask: Callable[[str], str]) -> bool:
    """Whether the mask lets part of the value through (a phone, an ID number, an address):
    then a masked value looks like data and could be sent back."""
    return any(ch.isdigit() for ch in mask("0123456789012345678"))


def plain_value_problem(value: str, mask: Callable[[str], str]) -> str | None:
    if shows_part(mask) and "**" in value:
        return _("不能保存打码显示的值（含“**”）：请输入完整的内容，或不修改该项。")
    if mask is crypto.mask_phone and not PHONE.match(value):
        return _("请输入11位手机号，或带区号的固定电话（如 0871-12345678）。")
    return None
