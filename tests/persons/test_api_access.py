"""Who reaches which endpoint: officer_a (station 01) everything of station 01; officer_b
(station 02) 404 on it; education, school, guard, volunteer, outsider, system administrator
and auditor 404 on every key-person and dispute path; anonymous 401."""

import json

import pytest
from django.test import Client

from huxiao.persons import services
from tests.persons.conftest import TODAY

NOT_POLICE = ("edu_officer", "chief", "guard", "volunteer", "outsider", "admin", "auditor")


@pytest.fixture
def dispute_a(person_a, schools, people):
    return services.dispute_create(
        school=schools[0],
        kind="home_school",
        parties="家长测试某",
        summary="赔偿纠纷",
        responsible_kind="school",
        threat_of_revenge=True,
        key_person=person_a,
        actor=people.officer_a,
        registered_on=TODAY,
    )


def endpoints(p, d):
    """(method, path, body) for every key-person and dispute endpoint."""
    return [
        ("get", "/api/v1/key-persons", None),
        ("post", "/api/v1/key-persons", {}),
        ("get", f"/api/v1/key-persons/{p}", None),
        ("get", f"/api/v1/key-persons/{p}?reveal=1", None),
        ("patch", f"/api/v1/key-persons/{p}", {"risk_level": "low"}),
        ("get", f"/api/v1/key-persons/{p}/follow-ups", None),
        (
            "post",
            f"/api/v1/key-persons/{p}/follow-ups",
            {"date": "2026-11-20", "method": "visit", "observations": "在家"},
        ),
        ("get", "/api/v1/screening-batches", None),
        ("get", "/api/v1/screening-batches/totals", None),
        ("post", "/api/v1/screening-batches", {}),
        ("get", "/api/v1/disputes", None),
        ("post", "/api/v1/disputes", {}),
        ("get", f"/api/v1/disputes/{d}", None),
        ("post", f"/api/v1/disputes/{d}/transitions", {"to": "mediating"}),
        ("post", f"/api/v1/disputes/{d}/mediations", {"date": "2026-11-20", "content": "座谈"}),
    ]


def call(client, method, path, body):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who", NOT_POLICE)
def test_non_police_get_404_everywhere(who, client_for, person_a, dispute_a):
    client = client_for(who)
    for method, path, body in endpoints(person_a.pk, dispute_a.pk):
        response = call(client, method, path, body)
        if (
            path.endswith(("/key-persons", "/disputes", "/screening-batches", "/totals"))
            and method == "get"
        ):
            # Lists answer 404 too: the registry does not exist for these roles.
            assert response.status_code == 404, (who, method, path)
        else:
            assert response.status_code == 404, (who, method, path, response.status_code)


def test_another_stations_officer_gets_404_on_the_record(client_for, person_a, dispute_a):
    client = client_for("officer_b")
    for method, path, body in endpoints(person_a.pk, dispute_a.pk):
        if path.endswith(("/key-persons", "/disputes", "/screening-batches", "/totals")):
            continue  # collections exist for officer_b (with their own station's rows)
        assert call(client, method, path, body).status_code == 404, (method, path)
    listing = client.get("/api/v1/key-persons").json()
    assert listing["count"] == 0
    assert client.get("/api/v1/disputes").json()["count"] == 0


def test_anonymous_gets_401(person_a, dispute_a):
    client = Client()
    for method, path, body in endpoints(person_a.pk, dispute_a.pk):
        assert call(client, method, path, body).status_code == 401, (method, path)


def test_the_officer_reads_masked_and_reveal_is_logged(client_for, person_a, people):
    from huxiao.core.models import AuditRecord

    client = client_for("officer_a")
    listing = client.get("/api/v1/key-persons").json()
    assert listing["count"] == 1
    row = listing["items"][0]
    assert row["id_number"] == "510402********" + person_a.id_number[-4:]
    assert row["phone"] == "138****1234"
    assert "birth_date" not in row
    detail = client.get(f"/api/v1/key-persons/{person_a.pk}").json()
    assert detail["revealed"] is False and "测试路" not in detail["address"]
    opened = AuditRecord.objects.get(kind="access", object_type="persons.keyperson")
    assert (opened.actor_id, opened.object_id, opened.after) == (
        people.officer_a.pk,
        str(person_a.pk),
        None,
    )
    revealed = client.get(f"/api/v1/key-persons/{person_a.pk}?reveal=1&reason=入户走访").json()
    assert revealed["id_number"] == person_a.id_number and revealed["revealed"] is True
    log = AuditRecord.objects.filter(kind="access", object_type="persons.keyperson").latest("seq")
    assert (log.actor_id, log.object_id, log.after) == (
        people.officer_a.pk,
        str(person_a.pk),
        {"reason": "入户走访"},
    )


def test_the_commander_reads_reveals_and_revokes(client_for, person_a):
    client = client_for("commander")
    assert client.get(f"/api/v1/key-persons/{person_a.pk}?reveal=1").status_code == 200
    response = client.patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({"status": "revoked", "status_note": "已迁出辖区"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"


def test_the_officer_writes_through_the_api(client_for, person_a, schools, city):
    import datetime as dt

    from tests.schools.conftest import id_number

    client = client_for("officer_a")
    created = client.post(
        "/api/v1/key-persons",
        data=json.dumps(
            {
                "name": "测试丙某",
                "id_number": id_number("510411", dt.date(1979, 5, 6), 9),
                "station_id": city.station_a.pk,
                "categories": ["released"],
                "phone": "13800009999",
                "schools": [{"school_id": schools[0].pk, "relation": "nearby"}],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phone"] == "138****9999" and body["schools"][0]["school_id"] == schools[0].pk
    # Another station's school is out of scope: 400 naming the field.
    bad = client.post(
        "/api/v1/key-persons",
        data=json.dumps(
            {
                "name": "测试丁某",
                "id_number": id_number("510411", dt.date(1979, 5, 7), 9),
                "station_id": city.station_a.pk,
                "categories": ["released"],
                "schools": [{"school_id": schools[1].pk}],
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    follow = client.post(
        f"/api/v1/key-persons/{person_a.pk}/follow-ups",
        data=json.dumps(
            {"date": "2026-11-20", "method": "visit", "observations": "在家", "whereabouts": "在家"}
        ),
        content_type="application/json",
    )
    assert follow.status_code == 201 and follow.json()["whereabouts"] == "******"
    patch = client.patch(
        f"/api/v1/key-persons/{person_a.pk}",
        data=json.dumps({"risk_level": "low", "expected_version": 1}),
        content_type="application/json",
    )
    assert patch.status_code == 409  # the follow-up moved the version on


def test_disputes_through_the_api(client_for, person_a, schools):
    client = client_for("officer_a")
    created = client.post(
        "/api/v1/disputes",
        data=json.dumps(
            {
                "school_id": schools[0].pk,
                "kind": "teacher_student",
                "parties": "教师某与学生家长某",
                "summary": "体罚争议",
                "responsible_kind": "education_bureau",
                "threat_of_revenge": True,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 400  # threat without a key person
    created = client.post(
        "/api/v1/disputes",
        data=json.dumps(
            {
                "school_id": schools[0].pk,
                "kind": "teacher_student",
                "parties": "教师某与学生家长某",
                "summary": "体罚争议",
                "responsible_kind": "education_bureau",
                "threat_of_revenge": True,
                "key_person_id": person_a.pk,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    d = created.json()
    assert d["parties"] == "******" and d["status"] == "registered"
    refused = client.post(
        f"/api/v1/disputes/{d['id']}/transitions",
        data=json.dumps({"to": "resolved", "note": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "不能转为" in refused.json()["detail"]
    med = client.post(
        f"/api/v1/disputes/{d['id']}/mediations",
        data=json.dumps({"date": "2026-11-20", "content": "三方座谈"}),
        content_type="application/json",
    )
    assert med.status_code == 201
    done = client.post(
        f"/api/v1/disputes/{d['id']}/transitions",
        data=json.dumps({"to": "resolved", "note": "达成和解"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert len(done.json()["mediations"]) == 1
    revealed = client.get(f"/api/v1/disputes/{d['id']}?reveal=1").json()
    assert revealed["parties"] == "教师某与学生家长某"


def test_screening_totals_through_the_api(client_for, city):
    client = client_for("officer_a")
    for n in (100, 18):
        assert (
            client.post(
                "/api/v1/screening-batches",
                data=json.dumps(
                    {
                        "organization_id": city.station_a.pk,
                        "period_start": "2026-02-20",
                        "period_end": "2026-03-10",
                        "imported": True,
                        "screened": n,
                        "newly_listed": 2,
                    }
                ),
                content_type="application/json",
            ).status_code
            == 201
        )
    totals = client.get(f"/api/v1/screening-batches/totals?org={city.station_a.pk}").json()
    assert totals == {
        "screened": 118,
        "newly_listed": 4,
        "removed": 0,
        "batches": 2,
        "imported": 2,
    }
    assert client_for("officer_b").get("/api/v1/screening-batches/totals").json()["screened"] == 0


def test_follow_up_whereabouts_are_masked_unless_revealed(client_for, person_a, people):
    from huxiao.core.models import AuditRecord

    services.follow_up_create(
        person=person_a,
        actor=people.officer_a,
        date=TODAY,
        method="visit",
        observations="在家",
        whereabouts="在某工地打工",
        today=TODAY,
    )
    client = client_for("officer_a")
    url = f"/api/v1/key-persons/{person_a.pk}/follow-ups"
    assert client.get(url).json()["items"][0]["whereabouts"] == "******"
    assert client.get(url + "?reveal=1").json()["items"][0]["whereabouts"] == "在某工地打工"
    assert AuditRecord.objects.filter(kind="access", object_id=str(person_a.pk)).count() == 1
