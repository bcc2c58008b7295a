"""Scope beyond the table (tests/gate/matrix_gate.py): a guard registers at and reads only the
own school; the school reads the bans it enforces without the police-only note; every read of
pick-up lists is logged; the API registers once per key and answers the match."""

import pytest
from django.utils import timezone

from huxiao.core.models import AuditRecord
from huxiao.gate import services
from tests.gate.conftest import ban, new_id, visit

pytestmark = pytest.mark.django_db


def test_a_guard_sees_and_acts_at_the_own_school_only(schools, people, client_for):
    a, b = schools
    mine, theirs = visit(a, people.guard, name="本校访客"), visit(b, people.chief, name="他校访客")
    guard = client_for("guard")
    page = guard.get("/gate/").content.decode()
    assert "本校访客" in page and "他校访客" not in page
    listing = guard.get("/gate/visits/").content.decode()
    assert "本校访客" in listing and "他校访客" not in listing
    today = timezone.localdate().isoformat()
    assert f"?date_from={today}&amp;date_to={today}" in listing  # the day's log, one tap
    assert (
        "本校访客" in guard.get(f"/gate/visits/?date_from={today}&date_to={today}").content.decode()
    )
    assert guard.get(f"/gate/visits/{theirs.pk}/").status_code == 404
    # A school of another station chosen in the form is refused, nothing stored.
    response = guard.post(
        "/gate/",
        {
            "school": b.pk,
            "id_number": new_id(),
            "name": "越权访客",
            "purpose": "parent",
            "idempotency_key": "guard-wrong-school",
        },
    )
    assert response.status_code == 400
    assert not mine.__class__.objects.filter(name="越权访客").exists()


def test_the_school_sees_the_ban_it_enforces_without_the_police_note(
    schools, people, city, client_for
):
    kept = ban(city.station_a, people.officer_a, new_id(), police_note="涉案人员，注意安全")
    for who, note_shown in (
        ("guard", False),
        ("chief", False),
        ("officer_a", True),
        ("commander", True),
    ):
        client = client_for(who)
        page = client.get(f"/gate/bans/{kept.pk}/").content.decode()
        assert ("涉案人员" in page) is note_shown, who
        api = client.get("/api/v1/gate/bans").json()["items"]
        row = next(r for r in api if r["id"] == kept.pk)
        assert (row["police_note"] == "涉案人员，注意安全") is note_shown, who
        assert row["id_number_masked"] != kept.id_number


def test_every_read_of_pick_up_lists_is_logged(schools, people, client_for):
    services.pickup_create(
        school=schools[0],
        actor=people.chief,
        pupil_name="测试学生",
        pupil_class="二年级3班",
        adult_name="测试家长",
        relation="父亲",
        phone="13800000009",
        id_tail="0012",
        valid_from=timezone.localdate(),
    )
    before = AuditRecord.objects.filter(object_type="gate.pickup").count()
    assert client_for("chief").get("/gate/pickups/").status_code == 200
    check = client_for("guard").post(
        "/gate/pickups/check/",
        {
            "school": schools[0].pk,
            "pupil_name": "测试学生",
            "pupil_class": "二年级3班",
            "adult_name": "测试家长",
            "id_tail": "0012",
        },
    )
    assert "核验通过" in check.content.decode()
    stranger = client_for("guard").post(
        "/gate/pickups/check/",
        {
            "school": schools[0].pk,
            "pupil_name": "测试学生",
            "pupil_class": "二年级3班",
            "adult_name": "陌生人",
            "id_tail": "9999",
        },
    )
    assert "核验未通过" in stranger.content.decode()
    assert AuditRecord.objects.filter(object_type="gate.pickup").count() == before + 3


def test_the_api_registers_once_per_key_and_answers_the_match(schools, people, client_for):
    guard = client_for("guard")
    body = {
        "name": "接口访客",
        "id_number": new_id(),
        "purpose": "official",
        "idempotency_key": "api-key-00001",
    }
    first = guard.post("/api/v1/gate/visits", body, content_type="application/json")
    again = guard.post("/api/v1/gate/visits", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and again.json()["duplicate"] is True
    assert first.json()["state"] == "in" and first.json()["match_outcome"] == "clear"
    bad = guard.post(
        "/api/v1/gate/visits",
        {"name": "接口访客", "id_number": "123", "purpose": "official"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "身份证" in bad.content.decode()
    other = guard.post(
        "/api/v1/gate/visits",
        {**body, "idempotency_key": "api-key-00002", "school_id": schools[1].pk},
        content_type="application/json",
    )
    assert other.status_code in (400, 404)
