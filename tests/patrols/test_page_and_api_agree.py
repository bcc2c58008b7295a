"""What the pages and the API both write follows one rule, defined once: the 护学通道's 3 km
reach (``rules.corridor_problem``, enforced by the post services) and a checkpoint's defaults
(``services.checkpoint_defaults``)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from huxiao.core.models import Organization
from huxiao.patrols import rules, services
from huxiao.patrols.models import Checkpoint, GuardPost, PatrolRoute

from .conftest import GATE_A
from .test_pages_patrols import management, row
from .test_pages_posts import CORRIDOR, form_data

API = "/api/v1"
# A ring about 9.8 km east of school_a's gate (101.72 → 101.82).
FAR = [[101.819, 26.579], [101.821, 26.579], [101.821, 26.581]]


def send(client, path, data, method="post"):
    return getattr(client, method)(f"{API}{path}", data, content_type="application/json")


def corridor_error(response) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert set(errors) == {"corridor"}, body
    return errors["corridor"]


# ---- the 护学通道's reach ------------------------------------------------------------------------


def test_the_rule_measures_the_farthest_vertex():
    assert rules.corridor_problem(GATE_A[0], GATE_A[1], CORRIDOR) == ""
    assert rules.corridor_problem(GATE_A[0], GATE_A[1], None) == ""
    problem = rules.corridor_problem(GATE_A[0], GATE_A[1], FAR)
    assert "超过 3000 米" in problem and "护学通道有点距岗点" in problem


def test_the_api_refuses_a_far_corridor_on_a_new_post_and_writes_nothing(pschools, client_for):
    school_a, _ = pschools
    body = {
        "school_id": school_a.pk,
        "name": "远通道岗",
        "latitude": float(GATE_A[0]),
        "longitude": float(GATE_A[1]),
        "corridor": FAR,
    }
    response = send(client_for("officer_a"), "/guard-posts", body)
    message = corridor_error(response)
    assert message == rules.corridor_problem(GATE_A[0], GATE_A[1], FAR)
    assert response.json()["detail"] == message
    assert not GuardPost.objects.filter(name="远通道岗").exists()
    near = send(client_for("officer_a"), "/guard-posts", {**body, "corridor": CORRIDOR})
    assert near.status_code == 201 and near.json()["corridor"] == CORRIDOR


def test_the_api_refuses_a_far_corridor_on_an_edit_and_keeps_the_post(posts, client_for):
    post_a, _ = posts
    chief = client_for("chief")
    path = f"/guard-posts/{post_a.pk}"
    corridor_error(send(chief, path, {"corridor": FAR, "radius_m": 60}, "patch"))
    assert send(chief, path, {"corridor": CORRIDOR}, "patch").status_code == 200
    # Moving the post 10 km away from its corridor is refused the same way.
    moved = send(chief, path, {"longitude": 101.82}, "patch")
    assert "超过 3000 米" in corridor_error(moved)
    post_a.refresh_from_db()
    assert (post_a.longitude, post_a.radius_m, post_a.corridor) == (GATE_A[1], 100, CORRIDOR)


def test_the_page_and_the_api_give_the_same_message(pschools, client_for):
    school_a, _ = pschools
    page = client_for("officer_a").post(
        reverse("patrols:post_create"), form_data(school_a, corridor=json.dumps(FAR))
    )
    assert page.status_code == 400
    api = send(
        client_for("officer_a"),
        "/guard-posts",
        {
            "school_id": school_a.pk,
            "name": "东门护学岗",
            "latitude": float(GATE_A[0]),
            "longitude": float(GATE_A[1]),
            "corridor": FAR,
        },
    )
    message = corridor_error(api)
    assert message in page.content.decode()
    assert not GuardPost.objects.filter(name="东门护学岗").exists()


def test_the_services_refuse_a_far_corridor_whoever_calls_them(pschools, posts):
    school_a, _ = pschools
    with pytest.raises(ValidationError) as refused:
        services.post_create(
            school=school_a, name="服务层", latitude=GATE_A[0], longitude=GATE_A[1], corridor=FAR
        )
    assert "超过 3000 米" in refused.value.message_dict["corridor"][0]
    with pytest.raises(ValidationError):
        services.post_update(post=posts[0], corridor=FAR)
    assert GuardPost.objects.get(pk=posts[0].pk).corridor is None


# ---- checkpoint defaults -----------------------------------------------------------------------


@pytest.fixture
def gate_known(city):
    """School_a's organisation has a position: a checkpoint there needs no coordinates."""
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=GATE_A[0], longitude=GATE_A[1])


def _stored(route_name: str) -> tuple:
    point = Checkpoint.objects.get(route__name=route_name)
    return (
        point.name,
        point.school_id,
        point.latitude,
        point.longitude,
        point.radius_m,
        point.is_mandatory,
        point.order,
    )


def test_page_and_api_create_the_same_checkpoint_from_the_same_minimal_input(
    pschools, city, client_for, gate_known
):
    """Only the school is chosen. On the page the 必巡点 box is ticked, as the form shows it
    (an unticked box is a “no”, not a blank); the radius is left empty."""
    school_a, _ = pschools
    officer = client_for("officer_a")
    page = officer.post(
        reverse("patrols:route_create"),
        {
            "organization": city.station_a.pk,
            "name": "页面路线",
            **management(total=1),
            **row(0, school=school_a.pk, is_mandatory="on"),
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    api = send(
        officer, "/patrol-routes", {"name": "接口路线", "checkpoints": [{"school_id": school_a.pk}]}
    )
    assert api.status_code == 201, api.content
    expected = (
        "甲小学校门",
        school_a.pk,
        GATE_A[0],
        GATE_A[1],
        services.CHECKPOINT_RADIUS_M,
        services.CHECKPOINT_MANDATORY,
        1,
    )
    assert _stored("页面路线") == _stored("接口路线") == expected


def test_the_form_shows_the_services_defaults(client_for):
    html = client_for("officer_a").get(reverse("patrols:route_create")).content.decode()
    radius = re.search(r'<input[^>]*name="cp-0-radius_m"[^>]*>', html).group(0)
    mandatory = re.search(r'<input[^>]*name="cp-0-is_mandatory"[^>]*>', html).group(0)
    assert f'value="{services.CHECKPOINT_RADIUS_M}"' in radius
    assert ("checked" in mandatory) is services.CHECKPOINT_MANDATORY


def test_the_api_refuses_a_checkpoint_with_nothing_to_place_it_naming_the_row(pschools, client_for):
    school_b_less = {"name": "无处可放", "checkpoints": [{"name": "路口"}, {}]}
    response = send(client_for("officer_a"), "/patrol-routes", school_b_less)
    assert response.status_code == 400, response.content
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {
        "checkpoints.0.latitude": "第1个巡逻点：请填写巡逻点的纬度和经度（或选择已标注位置的学校）。"
    }
    assert not PatrolRoute.objects.filter(name="无处可放").exists()


@pytest.mark.parametrize("corridor", [[{}], [[1]], [["a", "b"]], "ring", [[None, None]]])
def test_a_malformed_corridor_is_a_400_never_a_server_error(posts, client_for, corridor):
    """Issue 13, item 6: ``corridor: [{}]`` on a guard post used to answer 500."""
    post = posts[0]
    response = client_for("chief").patch(
        f"/api/v1/guard-posts/{post.pk}",
        json.dumps({"corridor": corridor}),
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
