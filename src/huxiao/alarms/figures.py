"""The alarms module's figures (declared in ``registry.py``): each is the alarm list's rows for
the period (接警时间 in it) with the list's filters, counted, or for a response time the median
or p90 of the minutes to a step of the rows that reached it, or for the false-press rate two
such lists; ``*_url`` opens the list with the same filters, so the number and the rows it opens
are the same (the list shows the same medians and p90s above its rows).
"""

from __future__ import annotations

from huxiao.alarms import rules, selectors
from huxiao.alarms.choices import AlarmKind, AlarmResult
from huxiao.alarms.filtersets import AlarmFilterSet
from huxiao.core.figures import list_rows, list_url
from huxiao.core.modules import Period

LIST = "alarms:alarm_list"

# The list's yes/no filter for "reached this step of the response clock".
REACHED = {"acknowledge": "acknowledged", "dispatch": "dispatched", "on_scene": "on_scene"}
STEPS = tuple(REACHED)


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


# ---- by kind (紧急求助, 入侵, 胁持/静默报警, 火警, 设备自检) ---------------------------------------


def by_kind_rows(kind: str, user, period: Period, org=None):
    return _rows(user, period, org, kind=kind)


def by_kind(kind: str, user, period: Period, org=None) -> int:
    return by_kind_rows(kind, user, period, org).count()


def by_kind_url(kind: str, period: Period, org=None) -> str:
    return list_url(LIST, _query(period, kind=kind), org)


# ---- by result (误报/误触, 测试, 真实警情, 设备故障) ------------------------------------------------


def by_result_rows(result: str, user, period: Period, org=None):
    return _rows(user, period, org, result=result)


def by_result(result: str, user, period: Period, org=None) -> int:
    return by_result_rows(result, user, period, org).count()


def by_result_url(result: str, period: Period, org=None) -> str:
    return list_url(LIST, _query(period, result=result), org)


# ---- 报备测试 (presses inside a reported test window) --------------------------------------------


def reported_tests_rows(user, period: Period, org=None):
    return _rows(user, period, org, reported="1")


def reported_tests(user, period: Period, org=None) -> int:
    return reported_tests_rows(user, period, org).count()


def reported_tests_url(period: Period, org=None) -> str:
    return list_url(LIST, _query(period, reported="1"), org)


# ---- 升级报警 (escalated: nobody acknowledged in time) -------------------------------------------


def escalated_rows(user, period: Period, org=None):
    return _rows(user, period, org, escalated="1")


def escalated(user, period: Period, org=None) -> int:
    return escalated_rows(user, period, org).count()


def escalated_url(period: Period, org=None) -> str:
    return list_url(LIST, _query(period, escalated="1"), org)


# ---- 误报率 (false presses over the presses that were not tests) -------------------------------


def false_press_rate(user, period: Period, org=None) -> float | None:
    """误报/误触 (the list with result=false) over the presses that were not tests (the list
    with test=0), per cent, one decimal; None without presses."""
    return rules.false_press_rate(
        _rows(user, period, org, result=AlarmResult.FALSE).count(),
        _rows(user, period, org, test="0").count(),
    )


def false_press_rate_url(period: Period, org=None) -> str:
    return list_url(LIST, _query(period, result=AlarmResult.FALSE), org)


def presses_url(period: Period, org=None) -> str:
    """The rate's denominator: the period's alarms that were not tests."""
    return list_url(LIST, _query(period, test="0"), org)


# ---- response times: median and p90 to 签收, 派警, 到场 -------------------------------------------


def response_minutes(step: str, statistic: str, user, period: Period, org=None) -> float | None:
    """The median or p90 minutes from receipt to ``step`` of the period's alarms that reached it
    (the list opened shows the same reading over the same rows); None when none did."""
    rows = _rows(user, period, org, **{REACHED[step]: "1"})
    return selectors.response_statistic(rows, step, statistic)


def response_minutes_url(step: str, statistic: str, period: Period, org=None) -> str:
    return list_url(LIST, _query(period, **{REACHED[step]: "1"}), org)


RESULTS = (
    AlarmResult.FALSE,
    AlarmResult.TEST,
    AlarmResult.REAL,
    AlarmResult.FAULT,
)
KINDS = tuple(AlarmKind.values)
