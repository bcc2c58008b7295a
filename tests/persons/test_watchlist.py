"""The gate's watchlist match: one indexed query whatever the list's size, an audit record
for every question, an urgent alert on a match, and nothing about the person for a guard."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huxiao.core.models import AuditRecord, Notification
from huxiao.persons import services
from huxiao.persons.watchlist import TooManyQueries, watchlist_lookup, watchlist_match
from tests.persons.conftest import ID_A, ID_B, TODAY
from tests.schools.conftest import id_number

VISITOR = id_number("510411", dt.date(1966, 6, 6), 66)  # nobody listed


def fill(station, n):
    services.key_person_create_many(
        station=station,
        people=[
            {
                "name": f"测试名单{i}",
                "id_number": id_number(
                    "510421", dt.date(1960, 1, 1) + dt.timedelta(days=i), i % 1000
                ),
                "categories": ["idle"],
            }
            for i in range(n)
        ],
        today=TODAY,
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_the_lookup_is_one_query_whatever_the_size(
    size, person_a, located, django_assert_num_queries
):
    fill(located.station_b, size)
    with django_assert_num_queries(1):
        hit, by, shown = watchlist_lookup(id_number=ID_A)
    assert hit.pk == person_a.pk and by == "id_number" and shown == "510402********" + ID_A[-4:]
    with django_assert_num_queries(1):
        assert watchlist_lookup(id_number=VISITOR)[0] is None
    with django_assert_num_queries(1):
        assert (
            watchlist_lookup(name="测试甲某", birth_date=dt.date(1985, 3, 14))[0].pk == person_a.pk
        )


@pytest.mark.parametrize("size", [10, 1000])
def test_the_match_costs_the_same_whatever_the_size(size, person_a, located, people, schools):
    fill(located.station_b, size)
    with CaptureQueriesContext(connection) as miss:
        watchlist_match(actor=people.guard, id_number=VISITOR, school=schools[0])
    with CaptureQueriesContext(connection) as hit:
        watchlist_match(actor=people.guard, id_number=ID_A, school=schools[0])
    # Pinned: the look-up, then the audit record (and on a hit the alert).
    assert len(miss.captured_queries) == EXPECTED_MISS[connection.vendor]
    assert len(hit.captured_queries) == EXPECTED_HIT[connection.vendor]
    lookups = [q["sql"] for q in miss.captured_queries if "persons_keyperson" in q["sql"]]
    assert len(lookups) == 1 and "id_number_index" in lookups[0]


# Inside the test's transaction: the look-up; a savepoint and its release around the audit
# record (chained at once: no block of the code under test is open); the audit head's select,
# the record's insert and the head's update. A hit adds the recipients' query, the
# notification insert (with its savepoints) and the unread-count push's read.
EXPECTED_MISS = {"sqlite": 6, "postgresql": 6}
EXPECTED_HIT = {"sqlite": 12, "postgresql": 12}


def test_a_match_alerts_the_station_and_is_audited(person_a, people, schools):
    result = watchlist_match(actor=people.guard, id_number=ID_A.lower(), school=schools[0])
    assert result.matched and result.alert_raised and result.person_id is None
    assert "不要放行" in result.instruction and "拖延" in result.instruction
    note = Notification.objects.get(recipient=people.officer_a)
    assert note.level == "urgent" and "甲小学" in note.title
    assert not Notification.objects.filter(recipient=people.officer_b).exists()
    record = AuditRecord.objects.filter(object_type="persons.watchlist").get()
    assert record.actor_id == people.guard.pk and record.object_id == str(person_a.pk)
    assert record.after["matched"] is True and record.after["query"].count("*") == 8
    assert ID_A not in json.dumps(record.after, ensure_ascii=False)


def test_no_match_is_answered_and_audited(person_a, people, schools):
    result = watchlist_match(actor=people.guard, id_number=VISITOR, school=schools[0])
    assert not result.matched and not result.alert_raised and "未比中" in result.instruction
    record = AuditRecord.objects.filter(object_type="persons.watchlist").get()
    assert record.after["matched"] is False and record.object_id == ""
    assert not Notification.objects.exists()


def test_a_revoked_person_does_not_match_but_a_lost_one_does(person_a, person_b, people):
    services.key_person_update(
        person=person_a, actor=people.commander, status="revoked", status_note="已迁出"
    )
    assert not watchlist_match(actor=people.guard, id_number=ID_A).matched
    services.key_person_update(person=person_b, actor=people.officer_b, status="lost")
    lost = watchlist_match(actor=people.guard, id_number=ID_B)
    assert lost.matched and "拖延" in lost.instruction


def test_an_invalid_id_number_is_refused_not_silently_missed(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        watchlist_match(actor=people.guard, id_number="510402198503141239")


def test_the_name_and_birth_date_match_asks_for_the_id_card(person_a, people):
    result = watchlist_match(actor=people.guard, name="测试甲某", birth_date=dt.date(1985, 3, 14))
    assert result.matched and "核验身份证件" in result.instruction
    assert not watchlist_match(
        actor=people.guard, name="测试甲某", birth_date=dt.date(1985, 3, 15)
    ).matched


def test_police_learn_which_person(person_a, people):
    assert watchlist_match(actor=people.officer_a, id_number=ID_A).person_id == person_a.pk


def test_too_many_questions_are_refused(people, settings):
    settings.PERSONS_WATCHLIST_PER_MINUTE = 2
    from django.core.cache import cache

    cache.clear()
    watchlist_match(actor=people.guard, id_number=VISITOR)
    watchlist_match(actor=people.guard, id_number=VISITOR)
    with pytest.raises(TooManyQueries):
        watchlist_match(actor=people.guard, id_number=VISITOR)
    cache.clear()


def test_the_api_tells_the_guard_yes_or_no_only(client_for, person_a, people):
    from django.core.cache import cache

    cache.clear()
    response = client_for("guard").post(
        "/api/v1/watchlist/match",
        data=json.dumps({"id_number": ID_A}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["matched"] is True and body["person_id"] is None and body["alert_raised"]
    assert "测试甲某" not in response.content.decode()
    assert Notification.objects.filter(recipient=people.officer_a).exists()
    miss = client_for("chief").post(
        "/api/v1/watchlist/match",
        data=json.dumps({"id_number": VISITOR}),
        content_type="application/json",
    )
    assert miss.status_code == 200 and miss.json()["matched"] is False


@pytest.mark.parametrize("who", ["edu_officer", "volunteer", "auditor", "admin"])
def test_the_api_refuses_roles_without_the_permission(who, client_for):
    response = client_for(who).post(
        "/api/v1/watchlist/match",
        data=json.dumps({"id_number": VISITOR}),
        content_type="application/json",
    )
    assert response.status_code in (403, 404)


def test_the_api_answers_401_to_anonymous():
    from django.test import Client

    response = Client().post(
        "/api/v1/watchlist/match",
        data=json.dumps({"id_number": VISITOR}),
        content_type="application/json",
    )
    assert response.status_code == 401
