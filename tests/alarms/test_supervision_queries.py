"""The outage list page and its API list read a fixed number of queries, whatever the number
of rows (no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .supervision_support import INTERVAL, outage

pytestmark = pytest.mark.django_db

PINNED = {
    reverse("alarms:outage_list"): 7,
    "/api/v1/alarm-outages": 4,
}


def _outages(device, n, base):
    for i in range(n):
        outage(device, start=base + dt.timedelta(hours=2 * i), hours=1)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", list(PINNED))
def test_the_outage_list_reads_the_same_queries_for_one_row_or_many(
    devices, people, client_for, settings, url
):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = INTERVAL
    client = client_for("officer_a")
    base = timezone.now() - dt.timedelta(days=5)
    _outages(devices[0], 1, base)
    client.get(url)  # warm the session and the cached parameters
    one = _count(client, url)
    _outages(devices[0], 12, base + dt.timedelta(days=1))
    assert _count(client, url) == one
    assert one == PINNED[url]
