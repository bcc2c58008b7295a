"""The statistics figures of issue 16 item 7 (alarms by kind, 报备 tests, escalated alarms, the
false-press rate, median and p90 minutes to 签收, 派警 and 到场) against hand-computed values and
against the lists they open, for users of two jurisdictions and through ?org=; the percentile
rule against hand-computed values."""

import datetime as dt
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from huxiao.alarms import figures as alarm_figures
from huxiao.alarms import rules, services
from huxiao.alarms.choices import AlarmAction, AlarmKind, AlarmResult
from huxiao.core.modules import Period
from huxiao.reports import figures as report_figures
from tests.figures_support import export_rows, module_figures

pytestmark = pytest.mark.django_db

A, B = 0, 1
# (side, days ago, kind, seconds to 签收, to 派警, to 到场 (None: not reached), result,
#  escalated before 签收)
PLAN = [
    (A, 2, AlarmKind.EMERGENCY, 60, 180, 600, AlarmResult.FALSE, False),
    (A, 3, AlarmKind.INTRUSION, 120, 300, 900, AlarmResult.REAL, False),
    (A, 4, AlarmKind.EMERGENCY, 240, None, None, AlarmResult.FALSE, False),
    (A, 5, AlarmKind.FIRE, None, None, None, None, True),
    (A, 6, AlarmKind.SELF_TEST, None, None, None, None, False),  # a test on arrival
    (B, 1, AlarmKind.EMERGENCY, 30, 90, 300, AlarmResult.REAL, False),
    (B, 7, AlarmKind.DURESS, 630, None, None, AlarmResult.FALSE, True),
    (B, 45, AlarmKind.EMERGENCY, 20, None, None, AlarmResult.FALSE, False),  # before the period
]
STEPS = (
    (AlarmAction.ACKNOWLEDGE, {}),
    (AlarmAction.DISPATCH, {"unit": "巡逻一组"}),
    (AlarmAction.ON_SCENE, {}),
)


def _event_figures():
    """The figures counting alarm events (the offline hours count outages:
    test_supervision_figures.py)."""
    return [f for f in module_figures("alarms") if f.permission == "alarms.view_alarmevent"]


def record_plan(devices, people, plan=PLAN, *, now=None):
    now = now or timezone.now()
    officers = (people.officer_a, people.officer_b)
    made = []
    for n, (side, days, kind, *seconds, result, escalate) in enumerate(plan):
        d = devices[side]
        received = now - dt.timedelta(days=days)
        alarm = services.alarm_record(
            device=d.device,
            school=d.school,
            event_id=f"S-{n}-{days}",
            kind=kind,
            place="",
            occurred_at=received,
            received_at=received,
        )
        made.append(alarm)
        if escalate:
            assert services.alarm_escalate(
                alarm=alarm, now=received + dt.timedelta(seconds=61), seconds=60
            )
        last = received
        for (action, extra), after in zip(STEPS, seconds, strict=True):
            if after is None:
                break
            last = received + dt.timedelta(seconds=after)
            services.alarm_transition(
                alarm=alarm, action=action, actor=officers[side], at=last, **extra
            )
        if result:
            services.alarm_transition(
                alarm=alarm,
                action=AlarmAction.CLOSE,
                actor=officers[side],
                result=result,
                at=last + dt.timedelta(minutes=5),
            )
    return made


@pytest.fixture
def history(devices, people):
    now = timezone.now()
    made = record_plan(devices, people, now=now)
    # school_a reported a test 10 days ago and pressed inside it.
    start = now - dt.timedelta(days=10)
    services.test_window_create(
        school=devices[A].school,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        now=start - dt.timedelta(hours=1),
    )
    made.append(
        services.alarm_record(
            device=devices[A].device,
            school=devices[A].school,
            event_id="S-reported",
            kind=AlarmKind.EMERGENCY,
            place="",
            occurred_at=start + dt.timedelta(minutes=5),
            received_at=start + dt.timedelta(minutes=5),
        )
    )
    return SimpleNamespace(alarms=made)


def _period():
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today)


def value(code, user, org=None):
    return next(f for f in module_figures("alarms") if f.code == code).value(user, _period(), org)


# ---- the percentile rule ------------------------------------------------------------------------


def test_percentiles_interpolate_between_ranks():
    ten = [float(n) for n in range(10, 0, -1)]  # order does not matter
    assert rules.percentile(ten, 90) == 9.1  # rank 8.1: 9 + 0.1 × (10 − 9)
    assert rules.percentile(ten, 50) == 5.5 == rules.median(ten)
    assert rules.percentile(ten, 0) == 1 and rules.percentile(ten, 100) == 10
    assert rules.percentile([4.0], 90) == 4.0
    assert rules.percentile([], 90) is None and rules.median([]) is None
    # 0.5, 1, 2, 4, 10.5 minutes: rank 3.6 → 4 + 0.6 × 6.5
    assert rules.percentile([10.5, 0.5, 2, 1, 4], 90) == 7.9
    assert rules.median([1, 2, 3]) == 2 and rules.median([1, 2]) == 1.5


def test_the_false_press_rate_leaves_tests_out():
    assert rules.false_press_rate(3, 6) == 50.0
    assert rules.false_press_rate(1, 3) == 33.3
    assert rules.false_press_rate(0, 0) is None


# ---- the figures' numbers ----------------------------------------------------------------------


def test_the_numbers_are_the_hand_computed_ones(history, people, city):
    commander, alice = people.commander, people.officer_a
    assert value("alarms.received", commander) == 8  # seven in the period and the 报备 press
    assert value("alarms.kind_emergency", commander) == 4  # the 报备 press is one
    assert value("alarms.kind_intrusion", commander) == 1
    assert value("alarms.kind_fire", commander) == 1
    assert value("alarms.kind_duress", commander) == 1
    assert value("alarms.kind_self_test", commander) == 1
    assert value("alarms.result_test", commander) == 2  # the self-test and the 报备 press
    assert value("alarms.reported_tests", commander) == 1
    assert value("alarms.escalated", commander) == 2
    # 3 false presses of the 6 alarms that were not tests (the open fire alarm counts).
    assert value("alarms.false_press_rate", commander) == 50.0
    # 签收 after 1, 2, 4, 0.5 and 10.5 minutes.
    assert value("alarms.median_minutes_to_acknowledge", commander) == 2.0
    assert value("alarms.p90_minutes_to_acknowledge", commander) == 7.9
    # 派警 after 3, 5 and 1.5 minutes; 到场 after 10, 15 and 5.
    assert value("alarms.median_minutes_to_dispatch", commander) == 3.0
    assert value("alarms.p90_minutes_to_dispatch", commander) == 4.6
    assert value("alarms.median_minutes_to_on_scene", commander) == 10.0
    assert value("alarms.p90_minutes_to_on_scene", commander) == 14.0
    # Alice (station 01) sees school_a's: 2 false of 4 presses; 签收 after 1, 2, 4 minutes.
    assert value("alarms.received", alice) == 6
    assert value("alarms.false_press_rate", alice) == 50.0
    assert value("alarms.p90_minutes_to_acknowledge", alice) == 3.6
    assert value("alarms.escalated", alice) == 1
    assert value("alarms.p90_minutes_to_on_scene", alice) == 14.5
    # The commander in station 02's jurisdiction: 签收 after 0.5 and 10.5 minutes.
    assert value("alarms.median_minutes_to_acknowledge", commander, city.station_b) == 5.5
    assert value("alarms.p90_minutes_to_acknowledge", commander, city.station_b) == 9.5
    assert value("alarms.false_press_rate", commander, city.station_b) == 50.0
    assert value("alarms.received", people.officer_b, city.station_a) == 0


# ---- each figure equals its list -----------------------------------------------------------------


def _shown(client, url, testid):
    page = client.get(url).content.decode()
    found = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert found, (url, testid)
    text = found.group(1).strip()
    return None if text == "—" else float(text.split()[0])


def _rate_denominator(url):
    return url.replace("result=false", "test=0")


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "commander", "edu_officer", "chief"])
def test_each_figure_equals_its_list(history, people, client_for, city, user):
    period = _period()
    client = client_for(user)
    account = getattr(people, user)
    testids = {"acknowledge": "ack", "dispatch": "dispatch", "on_scene": "on-scene"}
    for org in (None, city.station_b):
        for figure in _event_figures():
            got = figure.value(account, period, org)
            url = figure.url(period, org)
            if figure.measure == "statistic" and figure.args:
                step, statistic = figure.args
                shown = _shown(client, url, f"stat-{statistic}-{testids[step]}")
                assert got == shown, (user, figure.code, org)
            elif figure.measure == "statistic":
                assert got == _shown(client, url, "median-ack"), (user, figure.code)
            elif figure.measure == "rate":
                assert "result=false" in url
                assert _rate_denominator(url) == alarm_figures.presses_url(period, org)
                false, presses = (
                    export_rows(client, url),
                    export_rows(client, _rate_denominator(url)),
                )
                assert got == rules.false_press_rate(false, presses), (user, figure.code, org)
            else:
                assert got == export_rows(client, url), (user, figure.code, org)


def test_the_api_lists_mirror_the_new_filters(history, people, client_for):
    client = client_for("commander")
    period = _period()
    for code, query in (
        ("alarms.escalated", "escalated=true"),
        ("alarms.reported_tests", "reported=true"),
        ("alarms.kind_fire", "kind=fire"),
    ):
        figure = next(f for f in module_figures("alarms") if f.code == code)
        dates = f"date_from={period.start}&date_to={period.end}"
        rows = client.get(f"/api/v1/alarms?{dates}&{query}&limit=100").json()
        assert rows["count"] == figure.value(people.commander, period), code
    presses = client.get("/api/v1/alarms?test=false&limit=100").json()["count"]
    assert presses == 7  # every alarm but the two tests, the older one included
    assert client.get("/api/v1/alarms?escalated=maybe").status_code in (400, 422)


def test_the_grouped_counts_equal_counting_each_child_and_month(history, people, city):
    """The breakdown and the trend count the ``rows`` figures in one grouped query each."""
    commander = people.commander
    period = _period()
    codes = [f.code for f in module_figures("alarms") if f.rows]
    heads, rows = report_figures.breakdown(
        user=commander, org=city.sub_bureau, period=period, codes=codes
    )
    for child, cells in rows:
        for figure, cell in zip(heads, cells, strict=True):
            assert cell.value == figure.value(commander, period, child), (figure.code, child)
    months = [
        Period(period.start, period.start + dt.timedelta(days=14)),
        Period(period.start + dt.timedelta(days=15), period.end),
    ]
    heads, trend = report_figures.trend(user=commander, org=None, periods=months, codes=codes)
    for p, cells in trend:
        for figure, cell in zip(heads, cells, strict=True):
            assert cell.value == figure.value(commander, p), (figure.code, p)
    for figure in module_figures("alarms"):
        if figure.rows:
            counted = import_string(figure.rows)(*figure.args, commander, period, None).count()
            assert counted == figure.value(commander, period), figure.code


def test_the_list_page_shows_the_readings_of_its_rows(history, client_for):
    url = urlsplit(
        next(f for f in module_figures("alarms") if f.code == "alarms.received").url(_period())
    )
    client = client_for("commander")
    page = f"{url.path}?{url.query}"
    assert _shown(client, page, "stat-median-on-scene") == 10.0
    assert _shown(client, page, "stat-p90-dispatch") == 4.6


@pytest.mark.parametrize("user", ["commander", "officer_a", "edu_officer"])
def test_the_batch_gives_what_each_figure_gives(history, people, city, user):
    """The dashboard reads every alarms figure in one pass (figures.batch): the same numbers,
    for the whole scope and for each child organisation."""
    account, period = getattr(people, user), _period()
    figures = _event_figures()
    codes = [f.code for f in figures]
    assert len(figures) > 10
    assert all(f.batch == "huxiao.alarms.figures.batch" for f in figures)
    together = alarm_figures.batch(codes, account, period, None)
    assert together == {f.code: f.value(account, period) for f in figures}
    # Children are disjoint jurisdictions: the stations, or the education bureaus.
    for children in ([city.station_a, city.station_b], [city.edu_a, city.edu_b]):
        apart = alarm_figures.batch(codes, account, period, None, children=children)
        for child in children:
            for f in figures:
                assert apart[child.pk][f.code] == f.value(account, period, child), (f.code, child)
    assert alarm_figures.batch(codes, account, period, None, children=[]) == {}
