"""The response-time statistics page (报警统计, issue 16 item 7): per station, per school or per
month, the alarms received, tests, the false-press rate, the median and p90 minutes to 签收,
派警 and 到场 and the alarms escalated, over a period (接警时间) and a jurisdiction (``?org=``),
with its .xlsx.

Rows are read through ``selectors.alarm_list`` (the user's scope) and the statistics filterset;
each count opens the alarm list with the same rows. Police and education roles hold the page's
permission; no column is police-only (the school and its bureau see each alarm's times).
"""

from __future__ import annotations

import calendar
import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.alarms import rules, selectors
from huxiao.alarms.filtersets import STATISTICS_BY, AlarmStatisticsFilterSet
from huxiao.core.exports import xlsx_response
from huxiao.core.views.generic import filtered, require

VIEW = ("alarms.view_alarmevent", "alarms.view_statistics")
DEFAULT_MONTHS = 12

# The response clock's steps the page reads, named as its buttons are (rules.TRANSITIONS).
STEP_LABELS = tuple(
    (step, rules.TRANSITIONS[step].label) for step in ("acknowledge", "dispatch", "on_scene")
)
GROUP_HEADERS = {
    "station": gettext_lazy("派出所"),
    "school": gettext_lazy("学校"),
    "month": gettext_lazy("月份"),
}


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve calendar months, this one up to today."""
    year, month = today.year, today.month - (DEFAULT_MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1), today


def _selection(request):
    data = request.GET.copy()
    start, end = default_period(timezone.localdate())
    data.setdefault("date_from", start.isoformat())
    data.setdefault("date_to", end.isoformat())
    if data.get("by") not in dict(STATISTICS_BY):
        # The police read their stations; the education bureau its schools.
        data["by"] = "station" if selectors.is_police(request.user) else "school"
    filterset = AlarmStatisticsFilterSet(
        data, queryset=selectors.alarm_list(user=request.user), request=request
    )
    rows = filtered(filterset)
    valid = filterset.is_valid()
    cleaned = filterset.form.cleaned_data if valid else {}
    return filterset, rows, data["by"], cleaned


def _list_url(**query) -> str:
    query = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{reverse('alarms:alarm_list')}?{urlencode(query)}"


def _month_bounds(month: dt.date, start, end) -> tuple[dt.date, dt.date]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return max(month, start or month), min(last, end or last)


def _row_links(row, by: str, cleaned: dict, org, stations: set[int]) -> dict:
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    dates = {"date_from": start and start.isoformat(), "date_to": end and end.isoformat()}
    org_id = org.pk if org is not None else None
    if by == "station":
        if row.key not in stations:  # a station outside the user's scope: its name only
            return {"list": None, "drill": None}
        where = {**dates, "org": row.key}
        drill = f"{reverse('alarms:statistics')}?{urlencode({**where, 'by': 'school'})}"
    elif by == "school":
        where, drill = {**dates, "school": row.key, "org": org_id}, None
    else:
        first, last = _month_bounds(row.month, start, end)
        where = {"date_from": first.isoformat(), "date_to": last.isoformat(), "org": org_id}
        drill = None
    return {"list": _list_url(**where), "drill": drill}


def _headers() -> list[str]:
    headers = [_("接警数"), _("测试"), _("报备测试"), _("误报/误触"), _("误报率（%）")]
    for _step, label in STEP_LABELS:
        headers += [
            _("%(step)s用时中位数（分钟）") % {"step": label},
            _("%(step)s用时P90（分钟）") % {"step": label},
        ]
    return [*headers, _("升级报警")]


def _cells(row) -> list:
    return [
        row.count,
        row.tests,
        row.reported,
        row.false_presses,
        row.false_rate,
        *row.readings(),
        row.escalated,
    ]


@require(*VIEW)
def statistics(request):
    filterset, rows, by, cleaned = _selection(request)
    groups, total = selectors.alarm_statistics(rows, by)
    org = cleaned.get("org")
    stations = (
        selectors.organizations_in_scope(user=request.user, ids=[r.key for r in groups])
        if by == "station"
        else set()
    )
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    dates = {"date_from": start and start.isoformat(), "date_to": end and end.isoformat()}
    context = {
        "filter": filterset,
        "by": by,
        "group_header": GROUP_HEADERS[by],
        "headers": _headers(),
        "rows": [
            {"row": r, "cells": _cells(r), **_row_links(r, by, cleaned, org, stations)}
            for r in groups
        ],
        "total": {"row": total, "cells": _cells(total)},
        "total_url": _list_url(**dates, org=org.pk if org is not None else None),
    }
    return render(request, "alarms/statistics.html", context)


@require(*VIEW)
def statistics_export(request):
    filterset, rows, by, _cleaned = _selection(request)
    groups, total = selectors.alarm_statistics(rows, by)
    body = [[r.label, *_cells(r)] for r in groups]
    body.append([_("合计"), *_cells(total)])
    return xlsx_response(
        request=request,
        filename=str(gettext_lazy("报警统计")),
        headers=[str(GROUP_HEADERS[by]), *_headers()],
        rows=body,
        object_type="alarms.alarmevent",
        filters=filterset.active_filters,
    )
