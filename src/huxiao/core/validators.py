"""Validators shared by every module."""

import functools
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


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dXx]$")


def id_check_character(body: str) -> str:
    """The check character of the 17 digits ``body`` (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def make_id_number(region: str, born, sequence: int) -> str:
    """An 18-character citizen ID with its check character: the demo city's, tests' and
    benches' people (``region`` a GB/T 2260 code, ``born`` a date, ``sequence`` 0–999)."""
    body = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return body + id_check_character(body)


@functools.cache
def _regions() -> dict[str, tuple[str, bool]]:
    """GB/T 2260 county-level codes → (name, still in use), from the table python-stdnum ships
    (stdnum/cn/loc.dat: the codes since 1980, a retired one marked "[-2010]")."""
    from importlib import resources

    table: dict[str, tuple[str, bool]] = {}
    prefix = ""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _sep, rest = line.strip().partition(" ")
        name = rest.partition('"')[2].rstrip('"')
        if not line.startswith(" "):
            prefix = code
            continue
        table[prefix + code] = (name.split("]")[-1], not name.startswith("[-"))
    return table


def region_of(code: str) -> tuple[str, bool] | None:
    """The county (区县) of a 6-digit GB/T 2260 code and whether it is still in use."""
    return _regions().get(code)


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit citizen ID (GB 11643-1999), or None."""
    import datetime as dt

    value = (value or "").strip()
    if not _ID_PATTERN.match(value):
        return _("身份证号应为18位，前17位为数字，末位为数字或X。")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期无效。")
    from django.utils import timezone

    if born.year < 1900 or born > timezone.localdate():
        return _("身份证号中的出生日期（%(day)s）不可能：早于1900年或晚于今天。") % {
            "day": born.isoformat()
        }
    if id_check_character(value[:17]) != value[17].upper():
        return _("身份证号校验位错误（GB 11643）。")
    if region_of(value[:6]) is None:
        return _("身份证号前6位（%(code)s）不是 GB/T 2260 行政区划代码。") % {"code": value[:6]}
    return None


def id_number_warning(value: str) -> str | None:
    """A valid number whose region code has since been retired (accepted; worth a look)."""
    region = region_of((value or "").strip()[:6])
    if region is None or region[1]:
        return None
    return _("身份证号前6位（%(code)s，%(name)s）是已撤销的行政区划代码，请核对。") % {
        "code": value.strip()[:6],
        "name": region[0],
    }


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError({"id_number": problem}, code="invalid_id_number")


def birth_date_from_id(value: str):
    import datetime as dt

    value = value.strip()
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


# C0 controls but tab, line feed and carriage return; DEL and the C1 controls. A text field
# holding one breaks every .xlsx export of its list (XML 1.0 cannot carry it) and hides
# content from whoever reads the record.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character_problem(value: str) -> str | None:
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return None
    return _("含有不可见的控制字符（U+%(code)04X，第 %(pos)d 个字符），请删除后重新输入。") % {
        "code": ord(found.group()),
        "pos": found.start() + 1,
    }


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


STREAM_SCHEMES = ("http", "https", "rtsp", "rtsps")


def validate_stream_url(value: str) -> None:
    """A camera's live view: an http(s) page of the video platform or an rtsp(s) stream, with a
    host; nothing else (a javascript: or file: address would run or read in the viewer)."""
    from django.core.validators import URLValidator

    if not value:
        return
    try:
        URLValidator(schemes=STREAM_SCHEMES)(value)
    except ValidationError:
        raise ValidationError(
            _("视频流地址须以 http://、https://、rtsp:// 或 rtsps:// 开头，并写明主机。"),
            code="invalid_stream_url",
        ) from None
