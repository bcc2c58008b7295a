"""Every page names the newest urgent message its user has not been shown yet (data-pending of
#hx-urgent-alerts), which the page then claims and shows, and says whether to play the sound."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huxiao.core import services
from huxiao.core.choices import NotificationLevel
from huxiao.core.models import Notification

PENDING = re.compile(r'id="hx-urgent-alerts"[^>]*data-pending="([^"]*)"', re.S)
MUTE = re.compile(r'id="hx-urgent-alerts"[^>]*data-mute-urgent-sound="([01])"', re.S)


def urgent(user, title="布控比中"):
    return services.notify(recipients=[user], title=title, level=NotificationLevel.URGENT)[0]


def pending(client, url="/") -> list[int]:
    body = client.get(url).content.decode()
    match = PENDING.search(body)
    assert match, "no #hx-urgent-alerts on the page"
    return [int(i) for i in match.group(1).split()]


def test_it_names_my_newest_unshown_urgent_message_only(client_for, people):
    shown = urgent(people.officer_a, "已弹出")
    services.notification_mark_alerted(user=people.officer_a, notification=shown)
    read = urgent(people.officer_a, "已读")
    services.notification_mark_read(user=people.officer_a, ids=[read.pk])
    old = urgent(people.officer_a, "一个月前")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    services.notify(recipients=[people.officer_a], title="普通通知")
    urgent(people.officer_b, "乙的")
    new = urgent(people.officer_a, "新的")
    assert pending(client_for("officer_a")) == [new.pk]
    assert pending(client_for("officer_a"), reverse("core:notification_list")) == [new.pk]


def test_it_names_the_next_one_once_claimed_then_none(client_for, people):
    older, newer = urgent(people.officer_a), urgent(people.officer_a)
    client = client_for("officer_a")
    assert pending(client) == [newer.pk]
    client.post(reverse("core:notification_alert", args=[newer.pk]))
    assert pending(client) == [older.pk]
    client.post(reverse("core:notification_alert", args=[older.pk]))
    assert pending(client) == []


def test_it_costs_no_query_of_its_own(client_for, people):
    client = client_for("officer_a")
    client.get("/")  # warm what is cached across requests

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    none = queries()
    services.notify(recipients=[people.officer_a], title="普通通知")
    urgent(people.officer_a)
    urgent(people.officer_a)
    assert queries() == none  # the bell's count query also finds the newest one to show


@pytest.mark.parametrize(("muted", "shown"), [(False, "0"), (True, "1")])
def test_it_tells_the_page_whether_to_play_the_sound(client_for, people, muted, shown):
    services.user_update_alert_settings(user=people.officer_a, mute_urgent_sound=muted)
    body = client_for("officer_a").get("/").content.decode()
    assert MUTE.search(body).group(1) == shown


def test_it_has_no_toasts_before_the_first_password_change(client_for, people):
    urgent(people.officer_a)
    people.officer_a.must_change_password = True
    people.officer_a.save(update_fields=["must_change_password"])
    body = client_for("officer_a").get(reverse("core:password_change")).content.decode()
    assert "hx-urgent-alerts" not in body
