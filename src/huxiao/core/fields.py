"""Model fields for personal data encrypted at rest."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from huxiao.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext; Python code sees the plaintext.

    ``mask`` says how the value is shown on screen, in exports and in the audit
    trail; the audit log never stores the plaintext (see core.audit).
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
