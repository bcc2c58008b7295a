"""The alarms module's figures (declared in ``registry.py``): each is the alarm list's rows for
the period (接警时间 in it), counted, or for the median its 签收 times; ``*_url`` opens the
list with the same filters, so the number and the rows it opens are the same.
"""

from __future__ import annotations

import datetime as dt

from huxiao.alarms import selectors
from huxiao.alarms.choices import AlarmResult
from huxiao.alarms.filtersets import AlarmFilterSet, OutageFilterSet
from huxiao.core.figures import list_rows, list_url
from huxiao.core.filtersets import day_start
from huxiao.core.modules import Period

LIST = "alarms:alarm_list"


def _query(period: Period | None, **filters) -> dict[str, str]:
    dates = {}
    if period is not None:
        dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    return {**dates, **filters}


def _rows(user, period, org, **filters):
    rows = selectors.alarm_list(user=user)
    return list_rows(AlarmFilterSet, rows, user, _query(period, **filters), org)


# ---- 接警数 ------------------------------------------------------------------------------------


def received_rows(user, period: Period, org=None):
    return _rows(user, period, org)


def received(user, period: Period, org=None) -> int:
    return received_rows(user, period, org).count()


def received_url(period: Period, org=None) -> str:
    return list_url(LIST, _query(period), org)


# ---- by result (误报/误触, 测试, 真实警情, 设备故障) ------------------------------------------------


def by_result_rows(result: str, user, period: Period, org=None):
    return _rows(user, period, org, result=result)


def by_result(result: str, user, period: Period, org=None) -> int:
    return by_result_rows(result, user, period, org).count()


def by_result_url(result: str, period: Period, org=None) -> str:
    return list_url(LIST, _query(period, result=result), org)


# ---- 签收用时中位数 --------------------------------------------------------------------------------


def median_minutes_to_acknowledge(user, period: Period, org=None) -> float | None:
    """The median minutes from receipt to 签收 of the period's acknowledged alarms (the list
    opened shows the same median over the same rows); None when none was acknowledged."""
    return selectors.median_minutes_to_acknowledge(_rows(user, period, org, acknowledged="1"))


def median_minutes_to_acknowledge_url(period: Period, org=None) -> str:
    return list_url(LIST, _query(period, acknowledged="1"), org)


RESULTS = (
    AlarmResult.FALSE,
    AlarmResult.TEST,
    AlarmResult.REAL,
    AlarmResult.FAULT,
)


# ---- 设备离线小时数 (issue 16 item 7) -------------------------------------------------------------

OUTAGES = "alarms:outage_list"


def _outage_rows(user, period: Period, org=None):
    rows = selectors.outage_list(user=user)
    return list_rows(OutageFilterSet, rows, user, _query(period), org)


def offline_hours(user, period: Period, org=None) -> float:
    """Hours the supervised one-key alarm devices in scope were offline within the period (an
    outage still open counted to now): the outage list opened shows the same total over the
    same rows, and each outage's hours per device."""
    return selectors.offline_hours(
        _outage_rows(user, period, org),
        since=day_start(period.start),
        until=day_start(period.end + dt.timedelta(days=1)),
    )


def offline_hours_url(period: Period, org=None) -> str:
    return list_url(OUTAGES, _query(period), org)
