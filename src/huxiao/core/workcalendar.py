"""Working days on the Chinese official calendar (national holidays and 调休 workdays).

Sources, in order: the ``CalendarDay`` table (administrators enter a year the bundled data
does not know yet, or correct a day), then the chinese-calendar package (the State Council's
notices 2004 onwards, as far as the installed version goes), then plain weekdays. Deadlines
of rectification notices, reminders and school-day rosters all count days here.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.core.cache import cache
from django.db import transaction

_CACHE_KEY = "huxiao:calendar-overrides:v1"
_CHINESE_NAMES = {h.value: h.chinese for h in Holiday}


def _overrides() -> dict[dt.date, tuple[bool, str]]:
    data = cache.get(_CACHE_KEY)
    if data is None:
        from huxiao.core.models import CalendarDay

        data = {
            d.date: (d.is_workday, d.name)
            for d in CalendarDay.objects.only("date", "is_workday", "name")
        }
        cache.set(_CACHE_KEY, data, 300)
    return data


def overrides_changed() -> None:
    """Call after writing ``CalendarDay`` rows (the admin and the seed do).

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


def day_info(day: dt.date, overrides: dict | None = None) -> tuple[bool, str, str]:
    """(is_workday, holiday name, source) for one date."""
    override = (_overrides() if overrides is None else overrides).get(day)
    if override is not None:
        return override[0], override[1], "table"
    package = _package_day(day)
    if package is not None:
        return package[0], package[1], "chinese-calendar"
    return day.weekday() < 5, "", "weekday"


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
    overrides = _overrides()  # one cache read per count, not one per day
    remaining = n
    while remaining:
        day += dt.timedelta(days=direction)
        if day_info(day, overrides)[0]:
            remaining -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -workdays_between(end, start)
    overrides = _overrides()
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day_info(day, overrides)[0]:
            count += 1
    return count


def subtract_workdays(end: dt.date, n: int) -> dt.date:
    """The n-th working day before ``end`` (the reminder date of a deadline); n >= 0."""
    return _step(end, n, -1)


def package_years() -> tuple[int, int]:
    """The years the installed chinese-calendar knows (shown on the admin page)."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]
