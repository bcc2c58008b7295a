"""Inspections API permissions: every endpoint for every kind of user.

Alice is officer_a (station 01, over school_a, owns the records); Bob is officer_b (station
02): school_a's records answer 404 to him, as if missing. The education officer of school_a's
bureau reads them but may not write; the school's security chief reports but does not
re-check; guards and volunteers are refused; anonymous callers get 401.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from huxiao.core import services as core_services
from huxiao.inspections import services

from .conftest import photo

API = "/api/v1"


@pytest.fixture
def world(ischools, city, people, make_inspection, make_hazard):
    school_a, school_b = ischools
    today = timezone.localdate()
    campaign = services.campaign_create(
        name="甲所专项检查",
        issuer=city.station_a,
        start_date=today,
        end_date=today,
        checklist=services.checklist_create(
            name="专项检查表", items=[{"group": "physical", "code": "WF-01", "text": "校门"}]
        ),
        targets=[school_a],
        actor=people.officer_a,
    )
    inspection = make_inspection(school_a, fail=("WF-01",), campaign=campaign)
    result = inspection.results.get(item__code="WF-01")
    hazard = services.hazard_from_result(result=result, actor=people.officer_a)
    notice = services.notice_issue(
        school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
    )
    escalation = services.hazard_escalate(
        hazard=make_hazard(school_a, title="久拖隐患"), reason="久拖不改", actor=people.officer_a
    )
    # What Bob does see, so that his lists are not empty by accident.
    b_hazard = make_hazard(school_b, actor=people.officer_b, title="乙校隐患")
    b_inspection = make_inspection(school_b, officer=people.officer_b)
    return SimpleNamespace(
        school_a=school_a,
        campaign=campaign,
        checklist=campaign.checklist,
        inspection=inspection,
        result=result,
        hazard=hazard,
        notice=notice,
        escalation=escalation,
        b_hazard=b_hazard,
        b_inspection=b_inspection,
    )


def endpoints(w, people):
    """(method, path, body, kind): kind is "list", "read" (of school_a's object), "create"
    (refers to school_a in the body) or "write" (acts on school_a's object in the path)."""
    today = str(timezone.localdate())
    i, h, n, e = w.inspection.pk, w.hazard.pk, w.notice.pk, w.escalation.pk
    return [
        ("get", "/campaigns", None, "list"),
        ("get", f"/campaigns/{w.campaign.pk}", None, "read"),
        (
            "post",
            "/campaigns",
            {
                "name": "新专项",
                "start_date": today,
                "end_date": today,
                "checklist_id": w.checklist.pk,
                "target_school_ids": [w.school_a.pk],
            },
            "create",
        ),
        ("get", "/checklists", None, "list"),
        ("get", f"/checklists/{w.checklist.pk}", None, "shared"),
        ("get", "/inspections", None, "list"),
        ("get", f"/inspections/{i}", None, "read"),
        (
            "post",
            "/inspections",
            {"school_id": w.school_a.pk, "date": today, "inspector_ids": [people.officer_a.pk]},
            "create",
        ),
        ("put", f"/inspections/{i}/results", [], "write"),
        ("post", f"/inspections/{i}/finish", {}, "write"),
        ("post", f"/inspections/{i}/results/{w.result.pk}/hazard", {}, "write"),
        ("get", "/hazards", None, "list"),
        ("get", f"/hazards/{h}", None, "read"),
        (
            "post",
            "/hazards",
            {"school_id": w.school_a.pk, "category": "physical", "title": "新隐患"},
            "create",
        ),
        ("get", f"/hazards/{h}/transitions", None, "read"),
        ("post", f"/hazards/{h}/transitions", {"action": "escalated", "note": "督办"}, "write"),
        ("multipart", f"/hazards/{h}/photos", None, "write"),
        ("get", "/notices", None, "list"),
        ("get", f"/notices/{n}", None, "read"),
        ("get", f"/notices/{n}/document", None, "read"),
        ("post", "/notices", {"school_id": w.school_a.pk, "hazard_ids": [h]}, "create"),
        ("get", "/escalations", None, "list"),
        ("get", f"/escalations/{e}", None, "read"),
        ("get", f"/escalations/{e}/document", None, "read"),
        ("post", f"/escalations/{e}/handle", {"note": "督办意见"}, "write"),
    ]


def call(client, method, path, body):
    if method == "multipart":
        return client.post(f"{API}{path}", {"files": [photo()], "purpose": "before"})
    if method == "get":
        return client.get(f"{API}{path}")
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json")


def answers(client, w, people, kinds=None) -> dict[tuple[str, str], int]:
    return {
        (method, path): call(client, method, path, body).status_code
        for method, path, body, kind in endpoints(w, people)
        if kinds is None or kind in kinds
    }


def test_anonymous_callers_get_401_everywhere(world, people):
    got = answers(Client(), world, people)
    assert got and set(got.values()) == {401}
    response = Client().get(f"{API}/my-tasks")
    assert response.status_code == 401 and "未登录" in response.json()["detail"]


@pytest.mark.parametrize("who", ["volunteer", "guard"])
def test_guards_and_volunteers_are_refused_everywhere(world, people, client_for, who):
    client = client_for(who)
    got = answers(client, world, people)
    assert {k: v for k, v in got.items() if v != 403} == {}
    refused = client.get(f"{API}/hazards")
    assert "没有权限" in refused.json()["detail"]
    assert client.get(f"{API}/my-tasks").json() == []


def test_another_station_gets_404_and_does_not_see_them_in_lists(world, people, client_for):
    bob = client_for("officer_b")
    got = answers(bob, world, people, kinds={"read", "write"})
    assert {k: v for k, v in got.items() if v != 404} == {}
    # ... exactly as for a missing object.
    for kind, obj in (
        ("hazards", world.hazard),
        ("notices", world.notice),
        ("inspections", world.inspection),
        ("campaigns", world.campaign),
        ("escalations", world.escalation),
    ):
        out, missing = bob.get(f"{API}/{kind}/{obj.pk}"), bob.get(f"{API}/{kind}/999999")
        assert missing.status_code == 404 and out.json() == missing.json()
    created = answers(bob, world, people, kinds={"create"})
    assert {k: v for k, v in created.items() if v != 400} == {}

    listed = {
        path: {row["id"] for row in bob.get(API + path).json()["items"]}
        for path in ("/campaigns", "/inspections", "/hazards", "/notices", "/escalations")
    }
    assert listed == {
        "/campaigns": set(),
        "/inspections": {world.b_inspection.pk},
        "/hazards": {world.b_hazard.pk},
        "/notices": set(),
        "/escalations": set(),
    }
    # Alice, who owns them, sees them all.
    alice = client_for("officer_a")
    assert {r["id"] for r in alice.get(f"{API}/hazards").json()["items"]} == {
        world.hazard.pk,
        world.escalation.hazard_id,
    }
    assert set(answers(alice, world, people, kinds={"read", "list"}).values()) == {200}


def test_a_security_company_sees_nothing_of_the_loop(world, people, client_for):
    outsider = client_for("outsider")
    got = answers(outsider, world, people, kinds={"read", "write"})
    assert {k: v for k, v in got.items() if v != 404} == {}
    for path in ("/campaigns", "/inspections", "/hazards", "/notices", "/escalations"):
        assert outsider.get(API + path).json()["count"] == 0


def test_the_education_officer_reads_but_does_not_write(world, people, client_for):
    edu = client_for("edu_officer")
    reads = answers(edu, world, people, kinds={"list", "read", "shared"})
    assert {k: v for k, v in reads.items() if v != 200} == {}
    writes = answers(edu, world, people, kinds={"create", "write"})
    assert {k: v for k, v in writes.items() if v != 403} == {}
    for action in ("started", "reported", "recheck_passed", "deadline_changed", "escalated"):
        response = edu.post(
            f"{API}/hazards/{world.hazard.pk}/transitions",
            {"action": action, "measures": "x", "note": "x"},
            content_type="application/json",
        )
        assert response.status_code == 403, action
    assert {r["id"] for r in edu.get(f"{API}/notices").json()["items"]} == {world.notice.pk}
    # Reading the notice is not receiving it: only the school signs for it.
    world.notice.refresh_from_db()
    assert world.notice.received_at is None


def test_the_school_reports_but_does_not_recheck(world, people, client_for):
    chief = client_for("chief")
    path = f"{API}/hazards/{world.hazard.pk}/transitions"
    for action in ("recheck_passed", "recheck_failed", "deadline_changed", "escalated"):
        refused = chief.post(path, {"action": action, "note": "x"}, content_type="application/json")
        assert refused.status_code == 403, action
    reported = chief.post(
        path, {"action": "reported", "measures": "已整改"}, content_type="application/json"
    )
    assert reported.status_code == 200 and reported.json()["state"] == "awaiting_recheck"
    again = chief.post(
        path, {"action": "recheck_passed", "note": "x"}, content_type="application/json"
    )
    assert again.status_code == 403
    writes = {
        k: v
        for k, v in answers(chief, world, people, kinds={"create", "write"}).items()
        if k[1] not in ("/hazards", f"/hazards/{world.hazard.pk}/photos")
    }
    assert {k: v for k, v in writes.items() if v != 403} == {}
    assert chief.get(f"{API}/escalations").status_code == 403
    assert chief.get(f"{API}/hazards/{world.hazard.pk}").status_code == 200


def test_a_bearer_token_carries_its_users_scope(world, people):
    _, raw = core_services.token_create(user=people.officer_b, name="乙所对接")
    bob = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bob.get(f"{API}/hazards/{world.hazard.pk}").status_code == 404
    assert {r["id"] for r in bob.get(f"{API}/hazards").json()["items"]} == {world.b_hazard.pk}
    _, raw = core_services.token_create(user=people.edu_officer, name="教育局对接")
    edu = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert edu.get(f"{API}/notices/{world.notice.pk}").status_code == 200
    refused = edu.post(
        f"{API}/notices",
        {"school_id": world.school_a.pk, "hazard_ids": [world.hazard.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 403
