"""The alarms module's figures (declared in ``registry.py``): each is the alarm list's rows for
the period (接警时间 in it) with the list's filters, counted, or for a response time the median
or p90 of the minutes to a step of the rows that reached it, or for the false-press rate two
such lists; ``*_url`` opens the list with the same filters, so the number and the rows it opens
are the same (the list shows the same medians and p90s above its rows).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When

from huxiao.alarms import rules, selectors
from huxiao.alarms.choices import AlarmKind, AlarmResult
from huxiao.alarms.filtersets import AlarmFilterSet, OutageFilterSet
from huxiao.alarms.models import AlarmEscalation, AlarmEvent
from huxiao.core.figures import list_rows, list_url
from huxiao.core.filtersets import day_start
from huxiao.core.modules import Period
from huxiao.core.scoping import jurisdiction_q

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


# ---- every figure in one pass (the dashboard's tiles and breakdown) ----------------------------


def _bucketed(rows, children):
    """``rows`` with ``_bucket``: the first child whose jurisdiction holds each (as
    ``core.figures.by_child`` assigns them), None for the rest."""
    whens = [
        When(jurisdiction_q(AlarmEvent.scope_org_path, child), then=Value(child.pk))
        for child in children
    ]
    return rows.annotate(_bucket=Case(*whens, default=None, output_field=IntegerField()))


def _value(code: str, alarms: list[dict]):
    """One figure over the period's alarms (dicts), exactly as its own function counts it."""
    name = code.partition(".")[2]
    if name == "received":
        return len(alarms)
    if name.startswith("kind_"):
        return sum(1 for a in alarms if a["kind"] == name[5:])
    if name.startswith("result_"):
        return sum(1 for a in alarms if a["result"] == name[7:])
    if name == "reported_tests":
        return sum(1 for a in alarms if a["test_window_id"] is not None)
    if name == "escalated":
        return sum(1 for a in alarms if a["escalated"])
    if name == "false_press_rate":
        presses = [a for a in alarms if a["result"] != AlarmResult.TEST]
        false = sum(1 for a in presses if rules.counts_as_false(a["result"]))
        return rules.false_press_rate(false, len(presses))
    statistic, _sep, step = name.partition("_minutes_to_")
    field = rules.TRANSITIONS[step].time_field
    minutes = [
        (a[field] - a["received_at"]).total_seconds() / 60 for a in alarms if a[field] is not None
    ]
    return rules.percentile(minutes, rules.STATISTICS[statistic])


def batch(codes, user, period: Period, org=None, children=None) -> dict:
    """Several alarms figures from one read of the period's alarms in ``org``'s jurisdiction
    (``core.modules.Figure.batch``); with ``children``, each child's apart."""
    rows = _rows(user, period, org).annotate(
        escalated=Exists(AlarmEscalation.objects.filter(alarm=OuterRef("pk")))
    )
    fields = [
        "kind",
        "result",
        "test_window_id",
        "escalated",
        "received_at",
        *(rules.TRANSITIONS[step].time_field for step in STEPS),
    ]
    if children is None:
        alarms = list(rows.order_by().values(*fields))
        return {code: _value(code, alarms) for code in codes}
    groups: dict[int, list[dict]] = {child.pk: [] for child in children}
    if children:
        for alarm in _bucketed(rows, children).order_by().values(*fields, "_bucket"):
            if alarm["_bucket"] is not None:
                groups[alarm["_bucket"]].append(alarm)
    return {pk: {code: _value(code, found) for code in codes} for pk, found in groups.items()}


RESULTS = (
    AlarmResult.FALSE,
    AlarmResult.TEST,
    AlarmResult.REAL,
    AlarmResult.FAULT,
)
KINDS = tuple(AlarmKind.values)


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
