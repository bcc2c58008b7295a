"""Schools API: scope, filters, compliance, roll-up and the ledgers."""

import pytest


@pytest.fixture
def api(client_for, schools):
    return client_for


def test_it_lists_only_the_schools_in_scope(api, schools, city):
    a, b = schools
    data = api("officer_a").get("/api/v1/schools").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["id"] == a.pk and item["name"] == "甲小学" and item["students"] == 1200
    assert item["level"] == "primary" and item["police_station_id"] == city.station_a.pk
    assert api("commander").get("/api/v1/schools").json()["count"] == 2
    assert [s["id"] for s in api("edu_officer").get("/api/v1/schools").json()["items"]] == [a.pk]
    assert [s["id"] for s in api("chief").get("/api/v1/schools").json()["items"]] == [a.pk]


def test_it_answers_404_out_of_scope_like_missing(api, schools):
    a, b = schools
    client = api("officer_a")
    for path in ("", "/compliance", "/guards", "/devices", "/equipment"):
        out = client.get(f"/api/v1/schools/{b.pk}{path}")
        missing = client.get(f"/api/v1/schools/999999{path}")
        assert out.status_code == missing.status_code == 404 and out.json() == missing.json()


def test_it_refuses_roles_without_the_permission(api):
    assert api("volunteer").get("/api/v1/schools").status_code == 403
    assert api("auditor").get("/api/v1/compliance/summary?org=1").status_code == 403


def test_it_filters_by_failing_rule_and_level(api, schools):
    a, b = schools
    client = api("commander")
    failing = client.get("/api/v1/schools?failing=staffing").json()
    assert [s["id"] for s in failing["items"]] == [a.pk]
    kit = client.get("/api/v1/schools?failing=equipment_kit").json()
    assert [s["id"] for s in kit["items"]] == [b.pk]
    assert client.get("/api/v1/schools?level=junior").json()["count"] == 1
    bad = client.get("/api/v1/schools?failing=nonsense")
    assert bad.status_code == 400 and "筛选条件不正确" in bad.json()["detail"]


def test_it_explains_the_staffing_result(api, schools):
    a, _ = schools
    results = {
        r["code"]: r for r in api("officer_a").get(f"/api/v1/schools/{a.pk}/compliance").json()
    }
    staffing = results["staffing"]
    assert (staffing["status"], staffing["required"], staffing["actual"]) == ("fail", 3, 2)
    assert "GB/T 29315-2022" in staffing["source"] and staffing["reading"]
    assert (results["guard_post"]["status"], results["guard_post"]["actual"]) == ("fail", 0)


def test_the_summary_rolls_up_the_scope_with_a_row_per_child(api, schools, city):
    a, b = schools
    data = api("commander").get(f"/api/v1/compliance/summary?org={city.sub_bureau.pk}").json()
    assert data["total"]["schools"] == 2
    ind = {i["code"]: i for i in data["total"]["indicators"]}
    assert (ind["staffing"]["passing"], ind["staffing"]["applicable"], ind["staffing"]["rate"]) == (
        1,
        2,
        0.5,
    )
    assert ind["closed_management"]["rate"] == 1.0
    assert ind["networked"]["rate"] == 1.0
    assert ind["guard_post"]["rate"] == 0.0  # neither school has a 护学岗
    assert (ind["anti_collision"]["applicable"], ind["anti_collision"]["passing"]) == (1, 1)
    assert {c["organization_id"] for c in data["children"]} == {
        city.station_a.pk,
        city.station_b.pk,
    }


def test_the_summary_of_an_out_of_scope_organisation_is_404(api, schools, city):
    response = api("officer_a").get(f"/api/v1/compliance/summary?org={city.station_b.pk}")
    assert response.status_code == 404


def test_an_officer_sees_only_own_schools_in_a_summary_of_a_higher_office(api, schools, city):
    data = api("edu_officer").get(f"/api/v1/compliance/summary?org={city.edu_a.pk}").json()
    assert data["total"]["schools"] == 1


def test_guards_are_masked_and_created_through_the_service(api, schools):
    from huxiao.core.models import AuditRecord

    a, _ = schools
    client = api("chief")
    listing = client.get(f"/api/v1/schools/{a.pk}/guards").json()
    assert listing["count"] == 2 and "********" in listing["items"][0]["id_number"]
    import datetime as dt

    from tests.schools.conftest import id_number

    created = client.post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": "新保安", "id_number": id_number("530111", dt.date(1990, 5, 6), 7)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    # The age, never the birth date beside the masked ID number (issue 13, item 1).
    assert "birth_date" not in created.json() and created.json()["age"] >= 18
    assert AuditRecord.objects.filter(object_type="schools.guard", action="create").count() == 5
    bad = client.post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": "错号", "id_number": "530111199005060071"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "校验位" in bad.json()["detail"]


def test_equipment_is_set_and_devices_deleted(api, schools):
    a, _ = schools
    client = api("chief")
    items = client.put(
        f"/api/v1/schools/{a.pk}/equipment",
        {"items": {"shield": 3}},
        content_type="application/json",
    ).json()
    assert {"item": "shield", "item_label": "盾牌", "quantity": 3} in items
    device_id = client.get(f"/api/v1/schools/{a.pk}/devices").json()["items"][0]["id"]
    assert api("guard").delete(f"/api/v1/schools/{a.pk}/devices/{device_id}").status_code == 403
    assert client.delete(f"/api/v1/schools/{a.pk}/devices/{device_id}").status_code == 204


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("https://video.example.gov.cn/live/5301110001-01", 201),
        ("rtsp://10.20.30.40:554/Streaming/Channels/101", 201),
        ("javascript:alert(1)", 400),
        ("file:///etc/passwd", 400),
        ("rtsp://", 400),
    ],
)
def test_a_cameras_stream_link_is_an_http_or_rtsp_address(api, schools, url, status):
    a, _ = schools
    answer = api("chief").post(
        f"/api/v1/schools/{a.pk}/devices",
        {"kind": "camera", "name": "北门", "stream_url": url},
        content_type="application/json",
    )
    assert answer.status_code == status, answer.content
    if status == 201:
        assert answer.json()["stream_url"] == url
    else:
        assert "视频流地址" in answer.json()["detail"]
        assert not a.devices.filter(name="北门").exists()
