"""Validators shared by every module."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"\d"),
    re.compile(r"[^a-zA-Z\d]"),
)


class CharacterClassesValidator:
    """等保2.0: a password mixes at least three of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in _CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(
                ngettext(
                    "密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。",
                    "密码须包含小写字母、大写字母、数字、符号中的至少%(n)d类。",
                    self.min_classes,
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("至少包含小写字母、大写字母、数字、符号中的三类。")


class MinimumLengthValidator:
    """Django's length rule with a message in our catalogue (Django's zh-hans lacks it)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码过短，至少需要%(n)d个字符。") % {"n": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("至少%(n)d个字符。") % {"n": self.min_length}
