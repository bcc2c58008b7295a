"""No server error from input (issue 13, items 6 and 8): numbers beyond 64 bits, bodies too
large or malformed, JSON sent as something else — each gets a clear Chinese 4xx. Also the
API's answers are never cached, its docs are behind sign-in in production, the CSRF refusal
is in Chinese, and one address cannot spray passwords over many accounts."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD

BIG = "9" * 25  # beyond a signed 64-bit integer
API = "/api/v1"


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/organizations?limit={BIG}",
        f"{API}/organizations?offset={BIG}",
        f"{API}/schools?offset={BIG}",
        f"{API}/hazards?school={BIG}",
        f"{API}/checkins?post={BIG}",
        f"{API}/key-persons?station={BIG}",
    ],
)
def test_a_number_beyond_64_bits_in_a_query_is_a_400_in_chinese(client_for, url):
    response = client_for("commander").get(url)
    assert response.status_code in (400, 422), response.content
    assert "超出" in response.json()["detail"] or "不正确" in response.json()["detail"]


@pytest.mark.parametrize(
    "url", [f"{API}/organizations/{BIG}", f"{API}/hazards/{BIG}", f"{API}/guard-posts/{BIG}"]
)
def test_an_id_beyond_64_bits_in_the_path_is_missing_like_any_other(client_for, url):
    client = client_for("commander")
    response = client.get(url)
    missing = client.get(url.replace(BIG, "987654321"))
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/inspections/hazards/?school={BIG}",
        f"/patrols/posts/?school={BIG}",
        f"/organizations/?page={BIG}",
        f"/schools/?station={BIG}",
    ],
)
def test_a_page_given_a_huge_number_answers_without_a_server_error(client_for, url):
    response = client_for("commander").get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_a_huge_id_in_a_body_is_a_400(client_for, city):
    body = {"school_id": int(BIG), "date": "2026-09-01", "inspector_ids": [1]}
    response = client_for("officer_a").post(
        f"{API}/inspections", json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "超出" in response.json()["detail"] or "不存在" in response.json()["detail"]


def test_a_json_body_of_5_mb_or_more_is_a_413(client_for):
    body = json.dumps({"name": "令" * (2 * 1024 * 1024)})  # 6 MB in UTF-8
    response = client_for("officer_a").post(f"{API}/tokens", body, content_type="application/json")
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


def test_multipart_without_a_boundary_is_a_400(client_for):
    response = client_for("officer_a").post(
        f"{API}/hazards/1/photos", b"--x\r\n\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "multipart" in response.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", json.dumps({"name": "跨站"})),
        ("application/x-www-form-urlencoded", "name=%E8%B7%A8%E7%AB%99"),
    ],
)
def test_a_json_body_is_read_only_from_application_json(client_for, people, content_type, body):
    client = client_for("officer_a")
    response = client.post(f"{API}/tokens", body, content_type=content_type)
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert not people.officer_a.api_tokens.exists()


def test_api_answers_are_never_cached(client_for):
    response = client_for("officer_a").get(f"{API}/me")
    assert response["Cache-Control"] == "no-store"
    assert Client().get(f"{API}/me")["Cache-Control"] == "no-store"


def test_the_api_docs_are_behind_sign_in_in_production(settings, client_for):
    settings.API_DOCS_PUBLIC = False
    for path in (f"{API}/openapi.json", f"{API}/docs"):
        anonymous = Client().get(path)
        assert anonymous.status_code == 401 and "未登录" in anonymous.json()["detail"]
        assert client_for("officer_a").get(path).status_code == 200
    settings.API_DOCS_PUBLIC = True
    assert Client().get(f"{API}/openapi.json").status_code == 200


def test_the_csrf_refusal_is_a_page_in_chinese(people):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert "安全校验失败" in body and "<html" in body


def test_one_address_failing_over_many_accounts_is_refused_for_a_while(settings, people):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("officer_a", "officer_b", "commander"):  # one try each: no account locks
        response = sprayer.post("/login/", {"username": name, "password": "Spring2026!"})
        assert response.status_code == 200
    refused = sprayer.post("/login/", {"username": "chief", "password": PASSWORD})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.content.decode()
    # Another address, and the accounts themselves, are not affected.
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert other.post("/login/", {"username": "chief", "password": PASSWORD}).status_code == 302
