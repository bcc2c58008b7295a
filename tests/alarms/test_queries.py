"""The alarm list page, its API list and the test-window list read a fixed number of queries,
whatever the number of rows (no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import services
from huxiao.alarms.choices import AlarmAction, AlarmKind

pytestmark = pytest.mark.django_db


def _alarms(devices, people, n):
    now = timezone.now()
    d = devices[0]
    for i in range(n):
        alarm = services.alarm_record(
            device=d.device,
            school=d.school,
            event_id=f"Q-{n}-{i}",
            kind=AlarmKind.EMERGENCY,
            place="",
            occurred_at=now,
            received_at=now,
        )
        services.alarm_transition(
            alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=people.officer_a
        )
        start = now + dt.timedelta(days=n * 20 + i + 1)
        services.test_window_create(
            school=d.school,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            actor=people.chief,
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [reverse("alarms:alarm_list"), "/api/v1/alarms", reverse("alarms:test_window_list")],
)
def test_a_list_reads_the_same_queries_for_one_row_or_many(devices, people, client_for, url):
    client = client_for("officer_a")
    _alarms(devices, people, 1)
    client.get(url)  # warm the session and the cached parameters
    one = _count(client, url)
    _alarms(devices, people, 12)
    assert _count(client, url) == one
    assert one == PINNED[url]


PINNED = {
    # The median and p90 minutes to 签收, 派警 and 到场 above the list: one query for all.
    reverse("alarms:alarm_list"): 7,
    "/api/v1/alarms": 4,
    reverse("alarms:test_window_list"): 6,
}
