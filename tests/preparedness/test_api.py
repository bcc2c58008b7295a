"""The API: same permissions, scope and filters as the pages; refusals 400 in Chinese with
nothing stored; the bulk plan all or nothing."""

import datetime as dt

import pytest

from huxiao.preparedness.choices import DrillState
from huxiao.preparedness.models import Drill, EmergencyPlan
from tests.preparedness.conftest import today

pytestmark = pytest.mark.django_db
V1 = "/api/v1/preparedness"


def test_lists_and_records_are_scoped(world, client_for):
    officer_b = client_for("officer_b")
    drills = officer_b.get(f"{V1}/drills").json()
    assert {d["school_name"] for d in drills["items"]} == {"乙中学"}
    assert officer_b.get(f"{V1}/drills/{world['held']['a'].pk}").status_code == 404
    assert officer_b.get(f"{V1}/drills/{world['held']['b'].pk}").status_code == 200
    assert officer_b.get(f"{V1}/plans/{world['plan']['a'].pk}").status_code == 404
    missed = client_for("commander").get(f"{V1}/drills", {"missed": True}).json()
    assert [d["id"] for d in missed["items"]] == [world["missed"].pk]
    assert client_for("guard").get(f"{V1}/drills").status_code == 403
    bad = client_for("chief").get(f"{V1}/drills", {"school": world["plan"]["b"].school_id})
    assert bad.status_code == 400 and "筛选条件不正确" in bad.json()["detail"]


def test_the_school_creates_plans_and_drills(schools, client_for):
    chief = client_for("chief")
    body = {
        "kind": "campus_violence",
        "title": "防范校园侵害应急预案",
        "version": "V1.0",
        "approved_on": (today() - dt.timedelta(days=1)).isoformat(),
        "approved_by": "校务会",
    }
    response = chief.post(f"{V1}/plans", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["school_name"] == "甲小学"
    bad = chief.post(f"{V1}/plans", {**body, "kind": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "请选择预案类别" in bad.json()["detail"]
    assert EmergencyPlan.objects.count() == 1
    other = chief.post(
        f"{V1}/plans", {**body, "school_id": schools[1].pk}, content_type="application/json"
    )
    assert other.status_code == 400 and EmergencyPlan.objects.count() == 1
    planned = chief.post(
        f"{V1}/drills",
        {"kind": "fire_evacuation", "planned_from": today().isoformat()},
        content_type="application/json",
    )
    assert planned.status_code == 201 and planned.json()["state"] == "planned"
    recorded = chief.post(
        f"{V1}/drills",
        {
            "kind": "earthquake",
            "held": {"held_on": today().isoformat(), "students": 100, "evacuation_seconds": 200},
        },
        content_type="application/json",
    )
    assert recorded.status_code == 201
    assert recorded.json()["met_target"] is False
    assert (
        client_for("officer_a")
        .post(f"{V1}/plans", body, content_type="application/json")
        .status_code
        == 403
    )


def test_hold_and_cancel(world, client_for):
    chief = client_for("chief")
    drill = world["planned"]["a"].pk
    held = chief.post(
        f"{V1}/drills/{drill}/hold",
        {"held_on": today().isoformat(), "students": 300, "staff": 20, "evacuation_seconds": 150},
        content_type="application/json",
    )
    assert held.status_code == 200 and held.json()["state"] == DrillState.HELD
    again = chief.post(
        f"{V1}/drills/{drill}/cancel", {"reason": "改期"}, content_type="application/json"
    )
    assert again.status_code == 400 and "不能取消" in again.json()["detail"]
    other = world["planned"]["b"].pk
    assert (
        chief.post(
            f"{V1}/drills/{other}/cancel", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client_for("officer_a")
        .post(
            f"{V1}/drills/{world['missed'].pk}/cancel",
            {"reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_the_bulk_plan(schools, client_for):
    edu = client_for("edu_officer")
    body = {"kind": "terrorism", "planned_from": today().isoformat()}
    response = edu.post(f"{V1}/drill-plans", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["created"] == 1
    outside = edu.post(
        f"{V1}/drill-plans",
        {**body, "school_ids": [schools[0].pk, schools[1].pk]},
        content_type="application/json",
    )
    assert outside.status_code == 400 and "不存在或不在您的数据范围内" in outside.json()["detail"]
    assert Drill.objects.count() == 1
    assert (
        client_for("chief")
        .post(f"{V1}/drill-plans", body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        client_for("commander")
        .post(f"{V1}/drill-plans", body, content_type="application/json")
        .status_code
        == 403
    )
