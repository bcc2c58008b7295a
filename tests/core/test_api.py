"""The /api/v1/ contract: auth, scope, pagination, Chinese errors."""

import json

import pytest
from django.test import Client

from huxiao.core import services
from huxiao.core.models import ApiToken


def bearer(user):
    _, raw = services.token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_refuses_anonymous_calls_with_a_chinese_401(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]


def test_it_returns_the_user_organisation_and_role(client_for, people):
    data = client_for("officer_a").get("/api/v1/me").json()
    assert data["username"] == "officer_a"
    assert data["organization"]["name"] == "甲派出所"
    assert data["role"] == {"code": "officer", "name": "民警", "data_scope": "subtree"}


def test_it_lists_only_the_organisations_in_scope_with_count_and_items(client_for, city):
    data = client_for("officer_a").get("/api/v1/organizations").json()
    assert data["count"] == 2
    assert {(o["id"], o["kind"], o["parent_id"]) for o in data["items"]} == {
        (city.station_a.pk, "station", city.sub_bureau.pk),
        (city.school_a.pk, "school", city.station_a.pk),
    }


def test_it_pages_with_limit_and_offset(client_for):
    client = client_for("commander")
    first = client.get("/api/v1/organizations?limit=2&offset=0").json()
    second = client.get("/api/v1/organizations?limit=2&offset=2").json()
    assert first["count"] == second["count"] == 6
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert {o["id"] for o in first["items"]}.isdisjoint({o["id"] for o in second["items"]})


def test_it_answers_404_for_out_of_scope_exactly_as_for_missing(client_for, city):
    client = client_for("officer_a")
    out_of_scope = client.get(f"/api/v1/organizations/{city.school_b.pk}")
    missing = client.get("/api/v1/organizations/987654")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()
    assert client.get(f"/api/v1/organizations/{city.school_a.pk}").status_code == 200


def test_it_forbids_roles_without_the_permission(client_for):
    response = client_for("volunteer").get("/api/v1/organizations")
    assert response.status_code == 403 and "没有权限" in response.json()["detail"]


def test_it_accepts_a_bearer_token_and_applies_the_same_scope(people, city):
    client = bearer(people.officer_b)
    data = client.get("/api/v1/organizations").json()
    assert {o["id"] for o in data["items"]} == {city.station_b.pk, city.school_b.pk}
    assert client.get(f"/api/v1/organizations/{city.school_a.pk}").status_code == 404


def test_it_refuses_a_revoked_token(people):
    token, raw = services.token_create(user=people.officer_a)
    services.token_revoke(token=token)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.status_code == 401


def test_it_lists_creates_and_revokes_own_tokens(client_for, people):
    client = client_for("officer_a")
    created = client.post("/api/v1/tokens", {"name": "脚本"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["token"].startswith("hx_")
    listing = client.get("/api/v1/tokens").json()
    assert listing["count"] == 1 and "token" not in listing["items"][0]
    token_id = listing["items"][0]["id"]
    assert client_for("officer_b").delete(f"/api/v1/tokens/{token_id}").status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}").json()["revoked_at"] is not None
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


def test_it_answers_malformed_json_with_a_400_and_a_message(people):
    client = bearer(people.officer_a)
    response = client.post("/api/v1/tokens", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的JSON。"


def test_it_answers_invalid_fields_with_chinese_field_errors(people):
    client = bearer(people.officer_a)
    response = client.post(
        "/api/v1/tokens", json.dumps({"name": "x" * 100}), content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert "请求参数不正确" in body["detail"] and body["errors"][0]["field"] == "name"


def test_it_answers_an_unknown_api_route_with_json_404(people):
    response = bearer(people.officer_a).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "不存在" in response.json()["detail"]


def test_it_requires_csrf_for_session_writes(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.officer_a)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_it_shows_the_audit_trail_to_auditors_only(client_for):
    assert client_for("auditor").get("/api/v1/audit/records?kind=change").json()["count"] > 0
    assert client_for("commander").get("/api/v1/audit/records").status_code == 403


def test_it_marks_notifications_read(client_for, people):
    services.notify(recipients=[people.officer_a], title="复查提醒")
    client = client_for("officer_a")
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert (
        client.post("/api/v1/notifications/read", {}, content_type="application/json").json()[
            "marked"
        ]
        == 1
    )
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0
    assert client_for("officer_b").get("/api/v1/notifications").json()["count"] == 0


def test_it_publishes_openapi_and_docs(client_for, db):
    spec = Client().get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/organizations" in spec.json()["paths"]
    assert client_for("officer_a").get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "edu_officer", "guard", "outsider"])
def test_every_harness_user_sees_only_in_scope_organisations(client_for, people, user):
    from huxiao.core.models import Organization

    expected = set(
        Organization.objects.visible_to(getattr(people, user)).values_list("id", flat=True)
    )
    data = client_for(user).get("/api/v1/organizations?limit=100").json()
    assert {o["id"] for o in data["items"]} == expected


def test_it_answers_in_readable_utf8_json(people):
    response = bearer(people.officer_a).get("/api/v1/organizations/987654")
    assert "charset=utf-8" in response["Content-Type"]
    assert "不存在".encode() in response.content
