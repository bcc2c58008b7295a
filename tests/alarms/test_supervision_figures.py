"""The figure 报警设备离线小时数 equals the list it opens: the total the outage list shows above
its rows, over the same outages (the export's rows), for users of different jurisdictions and
in a station's jurisdiction through ?org=; an outage is counted only for its hours inside the
period, an open one to now.

Outages (interval 300 s): school_a — one 40 days ago (outside the period), one from 22:00 the day
before the period starts lasting 4 hours (2 inside), one 3 days ago lasting 5 hours; school_b —
one open since 2 hours ago."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.core.filtersets import day_start
from huxiao.core.modules import Period
from tests.figures_support import export_rows, module_figures

from .supervision_support import INTERVAL, outage

pytestmark = pytest.mark.django_db

CODE = "alarms.offline_hours"


@pytest.fixture(autouse=True)
def _interval(settings):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = INTERVAL


def _period():
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today)


@pytest.fixture
def outages(devices):
    a, b = devices
    now = timezone.now()
    start = day_start(_period().start)
    return [
        outage(a, start=now - dt.timedelta(days=40), hours=3),
        outage(a, start=start - dt.timedelta(hours=2), hours=4),
        outage(a, start=now - dt.timedelta(days=3), hours=5),
        outage(b, start=now - dt.timedelta(hours=2), hours=None),
    ]


def _figure():
    return next(f for f in module_figures("alarms") if f.code == CODE)


def _shown(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return float(re.search(r'data-testid="offline-hours">([^<]*)<', page.content.decode())[1])


@pytest.mark.parametrize(
    ("user", "hours", "rows"),
    [
        ("officer_a", 7.0, 2),
        ("officer_b", 2.0, 1),
        ("commander", 9.0, 3),
        ("edu_officer", 7.0, 2),
        ("chief", 7.0, 2),
        ("outsider", 0.0, 0),
    ],
)
def test_the_figure_equals_its_list(outages, people, client_for, user, hours, rows):
    figure = _figure()
    period = _period()
    client = client_for(user)
    value = figure.value(getattr(people, user), period)
    assert value == hours
    url = figure.url(period)
    assert url.startswith(reverse("alarms:outage_list"))
    assert _shown(client, url) == value
    assert export_rows(client, url) == rows


def test_in_a_stations_jurisdiction(outages, people, city, client_for):
    figure = _figure()
    period = _period()
    assert figure.value(people.commander, period, city.station_b) == 2.0
    url = figure.url(period, city.station_b)
    assert f"org={city.station_b.pk}" in url
    assert _shown(client_for("commander"), url) == 2.0


def test_the_list_shows_each_outages_hours_and_filters_the_open_ones(outages, client_for):
    client = client_for("commander")
    page = client.get(reverse("alarms:outage_list")).content.decode()
    for o in outages:
        assert f'data-outage="{o.pk}"' in page
    assert page.count('data-testid="outage-open"') == 1
    # Without a period the total is every outage's whole length: 3 + 4 + 5 + 2.
    assert _shown(client, reverse("alarms:outage_list")) == 14.0
    open_only = client.get(reverse("alarms:outage_list") + "?state=open").content.decode()
    assert f'data-outage="{outages[3].pk}"' in open_only
    assert f'data-outage="{outages[0].pk}"' not in open_only
