"""The alarms figures equal the lists they open: the count figures the rows of the list's
export with the same filters, the median minutes to 签收 the median the list shows, for users
of different jurisdictions and in a station's jurisdiction through ?org=. A press inside a
reported test window is a test and never a false press."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from huxiao.alarms import services
from huxiao.alarms.choices import AlarmAction, AlarmKind, AlarmResult
from huxiao.core.modules import Period
from tests.figures_support import export_rows, module_figures

pytestmark = pytest.mark.django_db

# (school side, days ago, seconds to 签收 or None, result or None)
PLAN = [
    (0, 2, 30, AlarmResult.FALSE),
    (0, 3, 90, AlarmResult.REAL),
    (0, 5, 150, None),
    (0, 6, None, None),
    (0, 40, 20, AlarmResult.FALSE),  # before the period
    (1, 1, 60, AlarmResult.FALSE),
    (1, 4, 240, AlarmResult.FAULT),
]


@pytest.fixture
def history(devices, people):
    now = timezone.now()
    officers = (people.officer_a, people.officer_b)
    for n, (side, days, ack, result) in enumerate(PLAN):
        d = devices[side]
        received = now - dt.timedelta(days=days)
        alarm = services.alarm_record(
            device=d.device,
            school=d.school,
            event_id=f"H-{n}",
            kind=AlarmKind.EMERGENCY,
            place="",
            occurred_at=received,
            received_at=received,
        )
        if ack is None:
            continue
        at = received + dt.timedelta(seconds=ack)
        services.alarm_transition(
            alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=officers[side], at=at
        )
        if result:
            services.alarm_transition(
                alarm=alarm,
                action=AlarmAction.CLOSE,
                actor=officers[side],
                result=result,
                at=at + dt.timedelta(minutes=5),
            )
    # school_a reported a test 10 days ago and pressed inside it.
    start = now - dt.timedelta(days=10)
    services.test_window_create(
        school=devices[0].school,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        now=start - dt.timedelta(hours=1),
    )
    services.alarm_record(
        device=devices[0].device,
        school=devices[0].school,
        event_id="H-test",
        kind=AlarmKind.EMERGENCY,
        place="",
        occurred_at=start + dt.timedelta(minutes=5),
        received_at=start + dt.timedelta(minutes=5),
    )


def _period():
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today)


# The testid of the number a "statistic" figure's list shows above its rows.
SHOWN = {
    "alarms.median_minutes_to_acknowledge": "median-ack",
    "alarms.offline_hours": "offline-hours",
}


def _median_shown(client, url, testid="median-ack"):
    page = client.get(url).content.decode()
    shown = re.search(rf'data-testid="{testid}">([^<]*)<', page).group(1).strip()
    return None if shown == "—" else float(shown.split()[0])


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "commander", "edu_officer", "chief"])
def test_each_figure_equals_its_list(history, people, client_for, user):
    period = _period()
    client = client_for(user)
    figures = module_figures("alarms")
    first = {
        "alarms.received",
        "alarms.result_false",
        "alarms.result_test",
        "alarms.result_real",
        "alarms.result_fault",
        "alarms.median_minutes_to_acknowledge",
        "alarms.offline_hours",
    }
    # The statistics of item 7 (tests/alarms/test_statistics_figures.py checks them).
    statistics = {
        *(f"alarms.kind_{k}" for k in AlarmKind.values),
        "alarms.reported_tests",
        "alarms.escalated",
        "alarms.false_press_rate",
        *(
            f"alarms.{s}_minutes_to_{step}"
            for s in ("median", "p90")
            for step in ("acknowledge", "dispatch", "on_scene")
        ),
    }
    assert {f.code for f in figures} == first | statistics
    figures = [f for f in figures if f.code in first]
    account = getattr(people, user)
    for figure in figures:
        value = figure.value(account, period)
        url = figure.url(period)
        if figure.measure == "statistic":
            assert value == _median_shown(client, url, SHOWN[figure.code]), (user, figure.code)
        else:
            assert value == export_rows(client, url), (user, figure.code)


def test_the_numbers_are_the_expected_ones(history, people, city, client_for):
    period = _period()
    commander = people.commander

    def value(code, user=commander, org=None):
        return next(f for f in module_figures("alarms") if f.code == code).value(user, period, org)

    assert value("alarms.received") == 7  # six in the period and the test
    assert value("alarms.result_false") == 2  # the test press is not one
    assert value("alarms.result_test") == 1
    assert value("alarms.result_false", people.officer_a) == 1
    assert value("alarms.received", org=city.station_b) == 2
    # 签收 after 30, 90, 150, 60 and 240 seconds: the median is 90 s = 1.5 minutes.
    assert value("alarms.median_minutes_to_acknowledge") == 1.5
    assert value("alarms.median_minutes_to_acknowledge", people.officer_a) == 1.5
    assert value("alarms.median_minutes_to_acknowledge", org=city.station_b) == 2.5
    figure = next(f for f in module_figures("alarms") if f.code == "alarms.received")
    url = figure.url(period, city.station_b)
    assert f"org={city.station_b.pk}" in url
    assert export_rows(client_for("commander"), url) == 2


def test_the_rows_each_count_figure_counts_are_its_count(history, people):
    from django.utils.module_loading import import_string

    period = _period()
    for figure in module_figures("alarms"):
        if figure.rows:
            rows = import_string(figure.rows)(*figure.args, people.commander, period, None)
            assert rows.count() == figure.value(people.commander, period), figure.code
