"""Cell parsers: a spreadsheet or CSV cell → the Python value a model field takes.

calamine gives numbers as floats (1200.0), dates as ``datetime.date``/``datetime``,
booleans as ``bool``; CSV gives text. Each parser accepts both and raises ``CellError``
with a Chinese message. Parsers see only non-blank cells: blanks are handled by the
column (required → error, else the column's default).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell that cannot become the field's value; ``str(exc)`` is the message shown."""


Parser = Callable[[object], object]

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u3000]+")


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _integral_text(value: float) -> str:
    if not value.is_integer():
        raise CellError(_("应为文本，不能是小数"))
    return str(int(value))


def as_text(value) -> str:
    """A cell as text: 5301110001.0 (a code typed as a number) → "5301110001"."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"  # the file format is Chinese whatever the UI language
    if isinstance(value, float):
        return _integral_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def text(max_length: int, *, validators: Iterable = (), pattern: str | None = None) -> Parser:
    """Free text limited to the model field's length, checked by the field's own validators."""
    validators = tuple(validators)
    compiled = re.compile(pattern) if pattern else None

    def parse(value):
        result = as_text(value)
        if len(result) > max_length:
            raise CellError(_("长度不能超过%(n)d个字符") % {"n": max_length})
        if compiled is not None and not compiled.match(result):
            raise CellError(_("格式不正确"))
        for validator in validators:
            try:
                validator(result)
            except ValidationError as exc:
                raise CellError("；".join(exc.messages)) from exc
        return result

    return parse


def code(digits: int, message: str) -> Parser:
    """A numeric code of fixed length (学校标识码, 行政区划代码), also when typed as a number."""
    pattern = re.compile(rf"^\d{{{digits}}}$")

    def parse(value):
        result = as_text(value)
        if not pattern.match(result):
            raise CellError(str(message))
        return result

    return parse


_PHONE = re.compile(r"^\+?[\d][\d\-() ]{4,19}$")


def phone(value) -> str:
    """A mobile or landline number: digits, with optional +, -, spaces and brackets."""
    result = as_text(value)
    if not _PHONE.match(result):
        raise CellError(_("电话号码格式不正确"))
    return result


def integer(minimum: int = 0, maximum: int = 2_147_483_647) -> Parser:
    def parse(value):
        if isinstance(value, bool):
            raise CellError(_("应为整数"))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise CellError(_("应为整数"))
            number = int(value)
        else:
            raw = as_text(value).replace(",", "").replace("，", "")
            try:
                number = int(raw)
            except ValueError:
                try:
                    as_float = float(raw)
                except ValueError:
                    raise CellError(_("应为整数")) from None
                if not as_float.is_integer():
                    raise CellError(_("应为整数")) from None
                number = int(as_float)
        if number < minimum:
            raise CellError(_("不能小于%(n)d") % {"n": minimum})
        if number > maximum:
            raise CellError(_("不能大于%(n)d") % {"n": maximum})
        return number

    return parse


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "f"}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raw = as_text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("应填“是”或“否”"))


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _from_serial(number: float) -> dt.date:
    # Excel's serial day numbers (1900 system); a plain 8-digit number is read as YYYYMMDD.
    if 10_000_000 <= number <= 99_999_999 and number.is_integer():
        return date(str(int(number)))
    if not 1 <= number < 2_958_466:
        raise CellError(_("日期无效"))
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def date(value) -> dt.date:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("日期格式应为 2026-03-01"))
    if isinstance(value, int | float):
        return _from_serial(float(value))
    raw = as_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(_("日期无效")) from None
    raise CellError(_("日期格式应为 2026-03-01"))


def labels_of(choices) -> dict[str, str]:
    """Chinese label → value for a TextChoices class (the file format does not follow the UI language)."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


def label_of(choices, value: str) -> str:
    with translation.override("zh-hans"):
        return str(dict(choices.choices).get(value, value))


def _normalise_label(text: str) -> str:
    return _SPACES.sub("", text).replace("／", "/")


def choice(choices) -> Parser:
    """A Chinese label (视频监控) or the stored value (camera)."""
    lookup = {_normalise_label(label): value for label, value in labels_of(choices).items()}
    lookup.update({value: value for value in choices.values})
    allowed = "、".join(labels_of(choices))

    def parse(value):
        raw = _normalise_label(as_text(value))
        if raw in lookup:
            return lookup[raw]
        raise CellError(_("应为以下之一：%(allowed)s") % {"allowed": allowed})

    return parse


class DictionaryChoice:
    """A label (视频监控) or the code (camera) of an entry of a dictionary (字典管理), whose
    entries administrators add, relabel and disable: read when a file is parsed, not when the
    module is imported. ``prepared()`` reads the dictionary once for a whole file (the import
    calls it; calling the parser itself reads it per cell). A disabled entry is recognised
    (an existing record may keep it); the ledger decides whether a row may use it, with
    ``disabled`` and ``label``."""

    def __init__(self, dictionary: str):
        self.dictionary = dictionary

    def prepared(self) -> Parser:
        from huxiao.core import dictionaries

        entries = dictionaries.entries(self.dictionary)
        lookup = {_normalise_label(e.label): e.code for e in entries}
        lookup.update({e.code: e.code for e in entries})
        allowed = "、".join(e.label for e in entries if e.is_enabled)

        def parse(value):
            raw = _normalise_label(as_text(value))
            if raw in lookup:
                return lookup[raw]
            raise CellError(_("应为以下之一：%(allowed)s") % {"allowed": allowed})

        return parse

    def __call__(self, value):
        return self.prepared()(value)

    def enabled_labels(self) -> str:
        """The labels a new row may use, for the template's 说明 sheet."""
        from huxiao.core import dictionaries

        return "、".join(e.label for e in dictionaries.entries(self.dictionary) if e.is_enabled)


# Between items of a list cell (“拒马、隔离墩”, “SCH-01/SCH-02”).
SEPARATORS = re.compile(r"[、,，;；/\s]+")
_SEPARATORS_NO_SLASH = re.compile(r"[、,，;；\s]+")


def multi_choice(choices) -> Parser:
    """Several labels separated by 、 (or commas/semicolons); returns the values in file order."""
    one = choice(choices)

    def parse(value):
        result: list[str] = []
        # "/" separates items too, unless it belongs to a label (“心理失衡/对社会不满”).
        for chunk in _SEPARATORS_NO_SLASH.split(as_text(value)):
            try:
                parts = [one(chunk)] if chunk else []
            except CellError:
                parts = [one(p) for p in chunk.split("/") if p]
            for item in parts:
                if item not in result:
                    result.append(item)
        return result

    return parse


_COORD_STEP = Decimal("0.000001")


def coordinate(minimum: float, maximum: float, message: str) -> Parser:
    def parse(value):
        if isinstance(value, bool):
            raise CellError(str(message))
        try:
            number = (
                Decimal(str(value).strip())
                if not isinstance(value, float)
                else Decimal(repr(value))
            )
        except InvalidOperation:
            raise CellError(_("应为数字（十进制度，如 102.712345）")) from None
        if not number.is_finite() or not minimum <= number <= maximum:
            raise CellError(str(message))
        return number

    return parse


def quantize(number) -> Decimal:
    """Six decimals (about 0.1 m), the precision of the organisation's coordinate fields."""
    return Decimal(str(number)).quantize(_COORD_STEP, rounding=ROUND_HALF_UP)
