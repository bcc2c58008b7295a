"""A person checks in once per post and window (issue 14: "a second check-in by the same person at
the same post in the same window is accepted as another valid check-in without a word"): the
second is not stored, the person is told when the first was, the offline queue's sync gets a
2xx either way, and the statistics count the person once."""

import datetime as dt
import importlib
import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from huxiao.patrols import services
from huxiao.patrols.models import CheckIn
from huxiao.patrols.stats import day_stats
from tests.patrols.test_api_checkins import URL, body, clock, post_json  # noqa: F401  (fixture)

from .conftest import SCHOOL_DAY, local, offset


def test_it_tells_the_person_they_are_already_checked_in(clock, posts, client_for):  # noqa: F811
    guard = client_for("guard")
    first = post_json(guard, body(posts[0], metres=20))
    assert first.status_code == 201, first.content

    clock.set(7, 45)
    guard = client_for("guard")  # signed in again: the idle timeout follows the clock
    again = post_json(guard, body(posts[0], metres=10))
    assert again.status_code == 200, again.content
    answer = again.json()
    assert answer["id"] == first.json()["id"]  # the first check-in, not a new one
    assert answer["already_checked_in"] is True and answer["duplicate"] is True
    assert answer["message"] == "您已在本时段签到（07:20），不重复计数。"
    assert CheckIn.objects.filter(user__username="guard").count() == 1

    # A try that would fail now (too far) is not stored as a failure either: they are in.
    far = post_json(guard, body(posts[0], metres=600))
    assert far.status_code == 200 and far.json()["already_checked_in"] is True
    assert CheckIn.objects.filter(user__username="guard").count() == 1


def test_the_offline_queue_syncs_a_second_check_in_as_a_2xx_every_time(
    clock,  # noqa: F811
    posts,
    client_for,
):
    guard = client_for("guard")
    assert post_json(guard, body(posts[0], metres=20)).status_code == 201
    # Queued on the phone at 07:30 while offline, sent later (twice: a retry after a timeout).
    queued = body(
        posts[0],
        metres=15,
        at=local(SCHOOL_DAY, 7, 30).isoformat(),
        was_offline=True,
        idempotency_key=uuid.uuid4().hex,
    )
    clock.set(9, 0)
    guard = client_for("guard")
    answers = [post_json(guard, queued) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all(a.json()["already_checked_in"] for a in answers)
    assert CheckIn.objects.filter(user__username="guard", is_valid=True).count() == 1


def test_a_first_invalid_try_then_a_valid_one_both_stay(clock, posts, client_for):  # noqa: F811
    guard = client_for("guard")
    assert post_json(guard, body(posts[0], metres=500)).json()["is_valid"] is False
    clock.set(7, 25)
    guard = client_for("guard")
    valid = post_json(guard, body(posts[0], metres=20))
    assert valid.status_code == 201 and valid.json()["is_valid"] is True
    assert valid.json()["already_checked_in"] is False and valid.json()["message"] == ""
    # The other window and the other post are other turn-outs.
    clock.set(16, 30)
    guard = client_for("guard")
    assert post_json(guard, body(posts[0], metres=20)).status_code == 201


def test_the_qr_page_and_a_supervisors_entry_say_so_too(
    clock,  # noqa: F811
    posts,
    people,
    client_for,
):
    post_a = posts[0]
    guard = client_for("guard")
    assert post_json(guard, body(post_a, metres=20)).status_code == 201  # 07:20
    clock.set(7, 40)
    guard = client_for("guard")
    token = services.post_qr_token(post_a, SCHOOL_DAY)
    qr = guard.post(
        reverse("patrols:checkin_qr", args=[post_a.pk, token]),
        {"idempotency_key": uuid.uuid4().hex},
        follow=True,
    )
    assert "您已在本时段签到（07:20），不重复计数。" in qr.content.decode()

    manual = client_for("chief").post(
        reverse("patrols:checkin_manual"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "post": post_a.pk,
            "person": people.guard.pk,
            "at": "2026-11-23T07:35",
            "note": "手机无法定位，现场确认到岗",
        },
        follow=True,
    )
    name = people.guard.display_name
    assert f"{name}已在本时段签到（07:20），不重复计数。" in manual.content.decode()
    assert CheckIn.objects.filter(user=people.guard).count() == 1


def test_statistics_count_a_person_once_per_post_and_window(posts, people):
    post_a = posts[0]
    lat, lon = offset(post_a.latitude, post_a.longitude, 10)
    now = local(SCHOOL_DAY, 8, 0)
    for minute in (5, 20, 40):
        services.checkin_record(
            post=post_a,
            user=people.officer_a,
            at=local(SCHOOL_DAY, 7, minute),
            latitude=lat,
            longitude=lon,
            accuracy_m=10,
            now=now,
        )
    assert CheckIn.objects.filter(is_valid=True).count() == 1
    [am] = [w for w in day_stats(user=people.commander, day=SCHOOL_DAY).windows if w.code == "am"]
    assert (am.checkins, am.police_person_times, am.invalid_checkins) == (1, 1, 0)


def test_the_migration_sets_later_duplicates_aside(posts, people):
    """Rows stored twice before the constraint: the first stays valid, the later ones not."""
    from django.db import connection

    post_a = posts[0]
    lat, lon = offset(post_a.latitude, post_a.longitude, 10)
    stored, _ = services.checkin_record(
        post=post_a,
        user=people.guard,
        at=local(SCHOOL_DAY, 7, 5),
        latitude=lat,
        longitude=lon,
        accuracy_m=10,
        now=local(SCHOOL_DAY, 7, 6),
    )
    # Both SQLite and PostgreSQL undo DDL with the test's transaction: the index comes back.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX checkin_once_per_window")
    later = CheckIn.objects.get(pk=stored.pk)
    later.pk, later.idempotency_key = None, uuid.uuid4().hex
    later.at = local(SCHOOL_DAY, 7, 50)
    later.save()
    migration = importlib.import_module(
        "huxiao.patrols.migrations.0004_checkin_duplicates_set_aside"
    )
    migration.set_aside_duplicates(apps, None)
    stored.refresh_from_db()
    later.refresh_from_db()
    assert stored.is_valid and not later.is_valid
    assert later.problem == "重复签到：本人本时段已于07:05签到，不重复计数。"
    assert dt.timedelta(0) < later.at - stored.at


def test_the_database_refuses_a_second_valid_row(posts, people):
    """(After the migration's test: its dropped index came back with its rollback.)"""
    post_a = posts[0]
    lat, lon = offset(post_a.latitude, post_a.longitude, 10)
    stored, _ = services.checkin_record(
        post=post_a,
        user=people.guard,
        at=local(SCHOOL_DAY, 7, 5),
        latitude=lat,
        longitude=lon,
        accuracy_m=10,
        now=local(SCHOOL_DAY, 7, 6),
    )
    copy = CheckIn.objects.get(pk=stored.pk)
    copy.pk, copy.idempotency_key = None, uuid.uuid4().hex
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
