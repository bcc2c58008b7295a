"""Reading a year's 放假调休 arrangement typed, pasted or uploaded by an administrator.

The State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) lists, per
festival, the days off and the weekend days worked. An administrator enters them one line per
day or per span, in either of two shapes:

    2027-02-05 至 2027-02-11 放假 春节
    2027-02-14 上班 春节调休

(separators: spaces, tabs, commas; spans with 至, ~ or a dash between two dates), or uploads
an .xlsx whose first sheet has the columns 日期（or 开始日期 and 结束日期）, 类型, 名称. Nothing is
written here: ``parse`` answers the days and the problems (by line and column), and
``check`` compares the days with the statutory holidays of the year, which a complete
arrangement always contains.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils import dateformat
from django.utils.translation import gettext as _

from huxiao.core import workcalendar

MAX_LINES = 400
HOLIDAY_WORDS = {"放假", "休", "休息", "假", "holiday", "off"}
WORKDAY_WORDS = {"上班", "班", "调休上班", "工作日", "workday", "work"}
_SPAN = re.compile(r"^\s*(\S+?)\s*(?:至|~|～|—|--)\s*(\S+)\s*(.*)$")
_SPLIT = re.compile(r"[\s,，、\t]+")


@dataclass
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(line)d 行（%(column)s）：%(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Arrangement:
    """The days of one year's arrangement as read, in date order."""

    year: int
    days: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)  # date -> (workday, name)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def holidays(self) -> int:
        return sum(1 for workday, _name in self.days.values() if not workday)

    @property
    def workdays(self) -> int:
        return sum(1 for workday, _name in self.days.values() if workday)

    def rows(self) -> list[tuple[dt.date, bool, str]]:
        return [(day, workday, name) for day, (workday, name) in sorted(self.days.items())]

    def as_text(self) -> str:
        """The days as lines ``parse`` reads back (the preview's confirmation sends these)."""
        return "\n".join(
            f"{day.isoformat()} {'上班' if workday else '放假'} {name}".rstrip()
            for day, workday, name in self.rows()
        )


def _date(text: str, year: int) -> dt.date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text
    )
    if match:
        numbers = [int(g) for g in match.groups()]
    else:
        short = re.fullmatch(r"(\d{1,2})月(\d{1,2})日?", text)
        if short is None:
            return None
        numbers = [year, *(int(g) for g in short.groups())]
    try:
        return dt.date(*numbers)
    except ValueError:
        return None


def _kind(word: str) -> bool | None:
    """True for a workday, False for a day off, None when the word is neither."""
    word = word.strip().lower()
    if word in WORKDAY_WORDS:
        return True
    if word in HOLIDAY_WORDS:
        return False
    return None


def _allowed(day: dt.date, year: int) -> bool:
    # A notice may reach back into the last days of the year before (元旦 spanning 12-30 to
    # 01-01, with a 12-29 workday, as in the 2019 notice).
    return day.year == year or (day.year == year - 1 and day.month == 12 and day.day >= 20)


def _add(result: Arrangement, line: int, start, end, kind, name: str) -> None:
    year = result.year
    first = _date(start, year) if isinstance(start, str) else start
    if first is None:
        result.problems.append(Problem(line, _("日期"), _("“%(v)s”不是日期") % {"v": start}))
        return
    last = first
    if end is not None:
        last = _date(end, year) if isinstance(end, str) else end
        if last is None:
            result.problems.append(Problem(line, _("结束日期"), _("“%(v)s”不是日期") % {"v": end}))
            return
        if last < first:
            result.problems.append(Problem(line, _("结束日期"), _("结束日期早于开始日期")))
            return
        if (last - first).days > 15:
            result.problems.append(Problem(line, _("结束日期"), _("一段假期不会超过 16 天")))
            return
    workday = _kind(kind) if isinstance(kind, str) else None
    if workday is None:
        result.problems.append(
            Problem(line, _("类型"), _("“%(v)s”应为“放假”或“上班”") % {"v": kind or ""})
        )
        return
    day = first
    while day <= last:
        if not _allowed(day, year):
            result.problems.append(
                Problem(
                    line,
                    _("日期"),
                    _("%(d)s 不在 %(y)d 年的安排内") % {"d": day.isoformat(), "y": year},
                )
            )
            return
        if day in result.days:
            result.problems.append(
                Problem(line, _("日期"), _("%(d)s 重复出现") % {"d": day.isoformat()})
            )
            return
        result.days[day] = (workday, (name or "").strip()[:64])
        day += dt.timedelta(days=1)


def parse_text(year: int, text: str) -> Arrangement:
    result = Arrangement(year)
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > MAX_LINES:
        result.problems.append(Problem(MAX_LINES + 1, _("行"), _("行数过多")))
        return result
    for number, line in lines:
        span = _SPAN.match(line)
        if span:
            start, end, rest = span.groups()
        else:
            parts = _SPLIT.split(line.strip(), maxsplit=1)
            start, rest = parts[0], parts[1] if len(parts) > 1 else ""
            end = None
        words = [w for w in _SPLIT.split(rest.strip()) if w]
        kind = words[0] if words else ""
        name = " ".join(words[1:])
        _add(result, number, start, end, kind, name)
    return check(result)


def parse_xlsx(year: int, data: bytes) -> Arrangement:
    """The first sheet: a header row naming 日期 (or 开始日期, 结束日期), 类型 and 名称."""
    from openpyxl import load_workbook

    result = Arrangement(year)
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.problems.append(Problem(1, _("文件"), _("无法读取该 .xlsx 文件")))
        return result
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    columns = {name: header.index(name) for name in header if name}
    start_col = columns.get("日期", columns.get("开始日期"))
    if start_col is None or "类型" not in columns:
        result.problems.append(Problem(1, _("表头"), _("表头应包含“日期”（或“开始日期”）和“类型”")))
        return result

    def cell(row, name):
        index = columns.get(name)
        value = row[index] if index is not None and index < len(row) else None
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    for number, row in enumerate(rows, 2):
        if number > MAX_LINES + 1:
            result.problems.append(Problem(number, _("行"), _("行数过多")))
            break
        if not any(v not in (None, "") for v in row):
            continue
        start = row[start_col]
        start = start.date() if isinstance(start, dt.datetime) else start
        end = cell(row, "结束日期")
        _add(
            result,
            number,
            start if isinstance(start, dt.date) else str(start or ""),
            end if isinstance(end, dt.date) or end is None else (str(end).strip() or None),
            str(cell(row, "类型") or ""),
            str(cell(row, "名称") or ""),
        )
    return check(result)


def check(result: Arrangement) -> Arrangement:
    """Problems no arrangement may have, and what an administrator should look at twice."""
    if not result.days and not result.problems:
        result.problems.append(Problem(1, _("日期"), _("没有读到任何日期")))
        return result
    for day, (workday, _name) in sorted(result.days.items()):
        if workday and day.weekday() < 5:
            result.warnings.append(
                _("%(d)s 是%(w)s，本就是工作日，列为“上班”不改变什么。")
                % {"d": day.isoformat(), "w": dateformat.format(day, "l")}
            )
    statutory = workcalendar.statutory_holidays(result.year)
    for day, name in sorted(statutory.items()):
        listed = result.days.get(day)
        if listed is None or listed[0]:
            result.warnings.append(
                _("法定节假日 %(d)s（%(name)s）未列为放假，请与通知核对。")
                % {"d": day.isoformat(), "name": name}
            )
    return result
