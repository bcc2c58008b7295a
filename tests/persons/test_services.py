"""Key-person services: validation, derived fields, distances, follow-ups, revocation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.exceptions import ConflictError
from huxiao.core.models import Notification
from huxiao.persons import services
from huxiao.persons.models import KeyPerson
from tests.persons.conftest import ID_A, TODAY
from tests.schools.conftest import id_number


def test_it_derives_birth_date_gender_index_and_next_review(person_a):
    assert person_a.birth_date == dt.date(1985, 3, 14)
    assert person_a.gender == "male"  # 17th digit 3 is odd
    assert person_a.id_number_index and person_a.id_number_index != ID_A
    # revenge (7 days) is stricter than level 3 (14 days)
    assert person_a.next_review_date == TODAY + dt.timedelta(days=7)
    assert person_a.review_rule == "revenge"


def test_it_stores_the_distance_rounded(person_a):
    link = person_a.school_links.get()
    assert link.relation == "targeted" and link.distance_m == 100


def test_it_refuses_a_bad_checksum_and_a_duplicate(person_a, people, located):
    with pytest.raises(ValidationError) as bad:
        services.key_person_create(
            station=located.station_a,
            name="测试丙某",
            id_number=ID_A[:-1] + "0",
            categories=["drug"],
            today=TODAY,
        )
    assert "id_number" in bad.value.message_dict
    with pytest.raises(ValidationError) as dup:
        services.key_person_create(
            station=located.station_b,
            name="测试丙某",
            id_number=ID_A.lower(),
            categories=["drug"],
            today=TODAY,
        )
    assert "已登记" in dup.value.message_dict["id_number"][0]


def test_the_mental_level_goes_with_the_category_only(located):
    ident = id_number("510411", dt.date(1970, 1, 1), 7)
    with pytest.raises(ValidationError) as missing:
        services.key_person_create(
            station=located.station_a,
            name="测试丁某",
            id_number=ident,
            categories=["mental"],
            today=TODAY,
        )
    assert "mental_risk_level" in missing.value.message_dict
    with pytest.raises(ValidationError) as stray:
        services.key_person_create(
            station=located.station_a,
            name="测试丁某",
            id_number=ident,
            categories=["drug"],
            mental_risk_level=2,
            today=TODAY,
        )
    assert "mental_risk_level" in stray.value.message_dict
    with pytest.raises(ValidationError):
        services.key_person_create(
            station=located.station_a,
            name="测试丁某",
            id_number=ident,
            categories=["mental"],
            mental_risk_level=6,
            today=TODAY,
        )


def test_the_officer_must_belong_to_the_station(people, located):
    with pytest.raises(ValidationError) as exc:
        services.key_person_create(
            station=located.station_a,
            name="测试戊某",
            id_number=id_number("510411", dt.date(1971, 1, 1), 8),
            categories=["drug"],
            officer=people.officer_b,
            today=TODAY,
        )
    assert "officer" in exc.value.message_dict


def test_a_follow_up_moves_the_review(person_b, people):
    assert person_b.next_review_date == TODAY + dt.timedelta(days=30)
    visit = TODAY + dt.timedelta(days=5)
    follow = services.follow_up_create(
        person=person_b,
        actor=people.officer_b,
        date=visit,
        method="visit",
        observations="在家，情绪稳定",
        whereabouts="在家",
        today=visit,
    )
    person_b.refresh_from_db()
    assert person_b.last_review_date == visit
    assert person_b.next_review_date == visit + dt.timedelta(days=30) == follow.next_review_date
    assert person_b.version == 2


def test_a_follow_up_that_finds_the_person_lost_alerts_the_station(person_b, people):
    services.follow_up_create(
        person=person_b,
        actor=people.officer_b,
        date=TODAY,
        method="check",
        observations="人不在住处",
        status_after="lost",
        today=TODAY,
    )
    person_b.refresh_from_db()
    assert person_b.status == "lost" and person_b.next_review_date == TODAY
    note = Notification.objects.get(recipient=people.officer_b)
    assert note.level == "urgent" and "失控" in note.title


def test_a_follow_up_can_lower_the_mental_level(person_a, people):
    services.follow_up_create(
        person=person_a,
        actor=people.officer_a,
        date=TODAY,
        method="visit",
        observations="服药规律",
        mental_risk_level_after=1,
        today=TODAY,
    )
    person_a.refresh_from_db()
    assert person_a.mental_risk_level == 1
    assert person_a.review_rule == "revenge"  # still listed for threats


def test_only_the_commander_may_revoke(person_a, people):
    with pytest.raises(ValidationError) as exc:
        services.key_person_update(
            person=person_a, actor=people.officer_a, status="revoked", status_note="已迁出"
        )
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        services.key_person_update(person=person_a, actor=people.commander, status="revoked")
    assert "status_note" in no_reason.value.message_dict
    services.key_person_update(
        person=person_a, actor=people.commander, status="revoked", status_note="已迁出辖区"
    )
    person_a.refresh_from_db()
    assert person_a.status == "revoked" and person_a.next_review_date is None


def test_a_stale_version_is_a_conflict(person_a, people):
    services.key_person_update(
        person=person_a, actor=people.officer_a, risk_level="medium", expected_version=1
    )
    with pytest.raises(ConflictError):
        services.key_person_update(
            person=person_a, actor=people.officer_a, risk_level="low", expected_version=1
        )


def test_moving_the_home_recomputes_distances(person_a, people):
    services.key_person_update(
        person=person_a,
        actor=people.officer_a,
        home_latitude="26.590000",
        home_longitude="101.720000",
    )
    assert person_a.school_links.get().distance_m == 1100


def test_create_many_writes_one_audit_record(people, located):
    from huxiao.core.models import AuditRecord

    before = AuditRecord.objects.count()
    created = services.key_person_create_many(
        station=located.station_a,
        people=[
            {
                "name": f"测试批量{i}",
                "id_number": id_number("510402", dt.date(1980, 1, 1), 200 + i),
                "categories": ["idle"],
            }
            for i in range(5)
        ],
        today=TODAY,
    )
    assert len(created) == 5 and KeyPerson.objects.count() == 5
    assert AuditRecord.objects.count() == before + 1
    assert all(p.id_number_index for p in KeyPerson.objects.all())
