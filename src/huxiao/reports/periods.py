"""The period a dashboard or report is counted over: ``?from=&to=`` or a named preset.

One reading for the pages, the API and the documents: ``parse(query, today)`` gives a
``Period`` or raises ``PeriodError`` with a message in Chinese (the API answers 400 with it,
the pages show it above the figures and count the default period instead).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.modules import Period

# A year and a day: a leap year's whole year, with room for a closing day.
MAX_DAYS = 367

PRESETS = {
    "month": gettext_lazy("本月"),
    "last_month": gettext_lazy("上月"),
    "quarter": gettext_lazy("本季度"),
    "year": gettext_lazy("本年"),
    "30d": gettext_lazy("近30天"),
    "semester": gettext_lazy("本学期"),
}


class PeriodError(ValueError):
    pass


def month_of(day: dt.date) -> Period:
    start = day.replace(day=1)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, nxt - dt.timedelta(days=1))


def preset(name: str, today: dt.date) -> Period:
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "last_month":
        return month_of(today.replace(day=1) - dt.timedelta(days=1))
    if name == "quarter":
        first = (today.month - 1) // 3 * 3 + 1
        return Period(today.replace(month=first, day=1), today)
    if name == "year":
        return Period(today.replace(month=1, day=1), today)
    if name == "30d":
        return Period(today - dt.timedelta(days=29), today)
    if name == "semester":
        # 春季学期 from 1 February, 秋季学期 from 1 September (the one that holds today).
        if 2 <= today.month <= 8:
            return Period(today.replace(month=2, day=1), today)
        year = today.year if today.month >= 9 else today.year - 1
        return Period(dt.date(year, 9, 1), today)
    raise PeriodError(_("未知的统计期间：%(name)s") % {"name": name})


def default(today: dt.date) -> Period:
    return preset("month", today)


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            _("%(what)s“%(value)s”不是有效日期，请按 YYYY-MM-DD 填写。")
            % {"what": what, "value": value}
        ) from None


def parse(query, today: dt.date) -> Period:
    """``from``/``to`` (either may be left out: the month's first day, today), or ``period``."""
    start, end, name = (query.get(k, "") or "" for k in ("from", "to", "period"))
    if name and not (start or end):
        return preset(name, today)
    if not (start or end):
        return default(today)
    first = _date(start, _("起始日期")) if start else None
    last = _date(end, _("截止日期")) if end else None
    if first is None:
        first = last.replace(day=1)
    if last is None:
        last = max(first, today) if (today - first).days < MAX_DAYS else first
    if first > last:
        raise PeriodError(_("起始日期不能晚于截止日期。"))
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(_("统计期间不能超过一年。"))
    return Period(first, last)
