"""Working days on the Chinese official calendar (national holidays and 调休 workdays).

Sources, in order:
1. the ``CalendarDay`` table: a year whose State Council 放假调休 notice an administrator has
   loaded (``CalendarYear``, 系统管理 → 工作日历) is its rows and nothing else; single rows of
   other years correct the bundled data;
2. the chinese-calendar package (the State Council's notices 2004 onwards, as far as the
   installed version goes);
3. for a year neither knows: the statutory holidays of 《全国年节及纪念日放假办法》 (2024
   revision, 国务院令第798号, from 2025), computed for any year (``statutory_holidays``), and
   weekends. Only the 调休 arrangement (make-up workdays, bridged days) waits for the notice,
   so every deadline, reminder or school-day count that reaches such a year carries a warning
   (``schedule_warning``) until the year is loaded.
Deadlines of rectification notices, reminders and school-day rosters all count days here.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

_CACHE_KEY = "huxiao:calendar-overrides:v2"
_CHINESE_NAMES = {h.value: h.chinese for h in Holiday}

# 《全国年节及纪念日放假办法》 art. 2 (2024 revision, 国务院令第798号, in force 2025-01-01): the
# holidays of all citizens. 春节: 农历除夕、正月初一至初三; 清明节: 农历清明当日; 端午节, 中秋节:
# the lunar festival day; the others by the Gregorian calendar.
STATUTORY_SOURCE = "《全国年节及纪念日放假办法》（2024年修订，国务院令第798号）第二条"


@functools.lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory holidays of ``year`` (13 days) by date, with their names; lunar dates and
    清明 (a solar term) from the lunar_python package."""
    from lunar_python import Lunar, Solar

    def solar(value) -> dt.date:
        return dt.date(value.getYear(), value.getMonth(), value.getDay())

    days: dict[dt.date, str] = {}

    def add(day: dt.date, name: str) -> None:
        days[day] = f"{days[day]}、{name}" if day in days and name not in days[day] else name

    add(dt.date(year, 1, 1), "元旦")
    new_year = solar(Lunar.fromYmd(year, 1, 1).getSolar())
    for offset in range(-1, 3):  # 除夕 and 正月初一至初三
        add(new_year + dt.timedelta(days=offset), "春节")
    add(solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]), "清明节")
    add(dt.date(year, 5, 1), "劳动节")
    add(dt.date(year, 5, 2), "劳动节")
    add(solar(Lunar.fromYmd(year, 5, 5).getSolar()), "端午节")
    add(solar(Lunar.fromYmd(year, 8, 15).getSolar()), "中秋节")
    for day in (1, 2, 3):
        add(dt.date(year, 10, day), "国庆节")
    return days


def _table() -> tuple[dict[dt.date, tuple[bool, str]], frozenset[int]]:
    """The table's days and the years loaded as a whole (cached a few minutes)."""
    data = cache.get(_CACHE_KEY)
    if data is None:
        from huxiao.core.models import CalendarDay, CalendarYear

        days = {
            d.date: (d.is_workday, d.name)
            for d in CalendarDay.objects.only("date", "is_workday", "name")
        }
        data = (days, frozenset(CalendarYear.objects.values_list("year", flat=True)))
        cache.set(_CACHE_KEY, data, 300)
    return data


def overrides_changed() -> None:
    """Call after writing ``CalendarDay`` or ``CalendarYear`` rows (the admin, the year's
    import and the seed do).

    The cached table is dropped now, for the rest of this request, and again when the
    transaction commits: a concurrent request may have cached the old rows in between.
    """
    cache.delete(_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))


@functools.lru_cache(maxsize=4096)
def _package_day(day: dt.date) -> tuple[bool, str] | None:
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year the installed package has no notice for
        return None
    label = _CHINESE_NAMES.get(name, name or "")
    if label and not is_holiday and day.weekday() >= 5:
        label = label + "调休上班"
    return (not is_holiday, label)


def day_info(day: dt.date, table=None) -> tuple[bool, str, str]:
    """(is_workday, holiday name, source) for one date; source is "table", "chinese-calendar",
    "statutory" (a statutory holiday of a year not loaded) or "weekday"."""
    days, years = _table() if table is None else table
    override = days.get(day)
    if override is not None:
        return override[0], override[1], "table"
    if day.year in years:
        return day.weekday() < 5, "", "table"
    package = _package_day(day)
    if package is not None:
        return package[0], package[1], "chinese-calendar"
    statutory = statutory_holidays(day.year).get(day)
    if statutory is not None:
        return False, statutory, "statutory"
    return day.weekday() < 5, "", "weekday"


def statuses(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """Whether each day from ``first`` to ``last`` is a working day (one cache read)."""
    table = _table()
    days, day = {}, first
    while day <= last:
        days[day] = day_info(day, table)[0]
        day += dt.timedelta(days=1)
    return days


def year_loaded(year: int, table=None) -> bool:
    """Whether ``year``'s 放假调休 arrangement is known: loaded by an administrator, or in the
    bundled package."""
    first, last = package_years()
    return first <= year <= last or year in (_table() if table is None else table)[1]


def unloaded_years(*days: dt.date | None, span: bool = True) -> list[int]:
    """The years from the earliest to the latest of ``days`` (``span``; else only the years
    of the days themselves) whose arrangement is not known."""
    known = [d for d in days if d is not None]
    if not known:
        return []
    table = _table()
    years = range(min(known).year, max(known).year + 1) if span else sorted({d.year for d in known})
    return [y for y in years if not year_loaded(y, table)]


def schedule_warning(*days: dt.date | None, span: bool = True) -> str:
    """The warning shown beside a deadline, reminder or school-day count that reaches a year
    whose 放假调休 arrangement is not loaded ("" when none does). A count from one day to
    another spans the years between (``span``); a list of due dates names their own years."""
    years = unloaded_years(*days, span=span)
    if not years:
        return ""
    return _("%(years)s放假调休安排尚未导入，期限按法定节假日计算，导入后可能调整。") % {
        "years": "、".join(_("%(y)d年") % {"y": y} for y in years)
    }


def is_workday(day: dt.date) -> bool:
    return day_info(day)[0]


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself is not counted).

    A notice issued on a Friday with 5 working days runs Monday to Friday of the next
    working week, skipping holidays and counting 调休 weekend workdays.
    """
    return _step(start, n, 1)


def _step(day: dt.date, n: int, direction: int) -> dt.date:
    if n < 0:
        raise ValueError("n must be >= 0")
    table = _table()  # one cache read per count, not one per day
    remaining = n
    while remaining:
        day += dt.timedelta(days=direction)
        if day_info(day, table)[0]:
            remaining -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -workdays_between(end, start)
    table = _table()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day_info(day, table)[0]:
            count += 1
    return count


def subtract_workdays(end: dt.date, n: int) -> dt.date:
    """The n-th working day before ``end`` (the reminder date of a deadline); n >= 0."""
    return _step(end, n, -1)


@functools.cache
def package_years() -> tuple[int, int]:
    """The years the installed chinese-calendar knows (shown on the calendar page)."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]
