"""The API's lists filter with the list pages' filtersets: the same names give the same rows
as the page shows the same user, and a filter the page would refuse (a bad value, a record
outside the user's scope) answers 400 “筛选条件不正确” naming it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.patrols import services
from huxiao.patrols.choices import PatrolStatus

from .conftest import GATE_A, GATE_B, SCHOOL_DAY, local, offset

API = "/api/v1"


def api_ids(client, path, params) -> set[int]:
    response = client.get(f"{API}{path}", {**params, "limit": 100})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def page_ids(client, name, params) -> set[int]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return {row.pk for row in response.context["page_obj"].paginator.object_list}


def refused(client, path, params) -> str:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith("筛选条件不正确")
    return detail


def _route(org, name, school, gate, grid=""):
    north, _lon = offset(gate[0], gate[1], 500)
    return services.route_create(
        organization=org,
        name=name,
        grid=grid,
        checkpoints=[
            {"school": school, "latitude": gate[0], "longitude": gate[1]},
            {"name": "路口", "latitude": north, "longitude": gate[1]},
        ],
    )


@pytest.fixture
def world(city, people, pschools, posts):
    """Both stations' posts, shifts, check-ins, routes, patrols and video patrols."""
    a, b = pschools
    post_a, post_b = posts
    services.post_update(
        post=post_a, corridor=[[101.719, 26.579], [101.721, 26.579], [101.72, 26.58]]
    )
    services.post_create(
        school=a, name="北门高峰勤务", kind="peak", latitude=GATE_A[0], longitude=GATE_A[1]
    )
    services.shift_bulk_create(
        post=post_a,
        start=SCHOOL_DAY,
        end=SCHOOL_DAY + dt.timedelta(days=2),
        windows=["am", "pm"],
        people=[people.officer_a, people.guard],
    )
    services.shift_bulk_create(
        post=post_b, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.officer_b]
    )
    for user, post, minute, metres in (
        (people.officer_a, post_a, 5, 0),
        (people.guard, post_a, 8, 900),  # a try from too far, then a valid check-in
        (people.guard, post_a, 10, 0),
        (people.officer_b, post_b, 5, 0),
    ):
        at = local(SCHOOL_DAY, 7, minute)
        lat, lon = offset(post.latitude, post.longitude, metres)
        services.checkin_record(post=post, user=user, at=at, latitude=lat, longitude=lon, now=at)
    route_a = _route(city.station_a, "甲一号线", a, GATE_A, grid="甲-东")
    _route(city.station_a, "甲二号线", a, GATE_A)
    route_b = _route(city.station_b, "乙一号线", b, GATE_B)
    done = services.patrol_start(route=route_a, leader=people.officer_a, window="am")
    services.patrol_finish(log=done)
    services.patrol_start(route=route_a, leader=people.officer_a, window="pm")
    services.patrol_abandon(
        log=services.patrol_start(route=route_b, leader=people.officer_b), note="警情"
    )
    services.video_patrol_record(school=a, officer=people.officer_a, cameras_checked=4)
    services.video_patrol_record(
        school=a, officer=people.officer_a, cameras_checked=4, cameras_offline=1
    )
    services.video_patrol_record(school=b, officer=people.officer_b, cameras_checked=2)
    return {"route_a": route_a}


CASES = [
    ("/guard-posts", "patrols:post_list", {}),
    ("/guard-posts", "patrols:post_list", {"q": "北门"}),
    ("/guard-posts", "patrols:post_list", {"kind": "peak"}),
    ("/guard-posts", "patrols:post_list", {"corridor": ("true", "1")}),
    ("/guard-posts", "patrols:post_list", {"pilot": ("false", "0")}),
    ("/duty-shifts", "patrols:shift_list", {"date_from": str(SCHOOL_DAY)}),
    ("/duty-shifts", "patrols:shift_list", {"date_from": str(SCHOOL_DAY), "window": "pm"}),
    ("/duty-shifts", "patrols:shift_list", {"date_to": "2030-01-01", "person_kind": "guard"}),
    ("/duty-shifts", "patrols:shift_list", {"date_from": "2026-01-01", "q": "officer"}),
    ("/checkins", "patrols:post_checkin_list", {}),
    ("/checkins", "patrols:post_checkin_list", {"valid": ("false", "0")}),
    ("/checkins", "patrols:post_checkin_list", {"q": "guard", "proof": "gps"}),
    ("/checkins", "patrols:post_checkin_list", {"date_from": str(SCHOOL_DAY), "window": "am"}),
    ("/patrol-routes", "patrols:route_list", {}),
    ("/patrol-routes", "patrols:route_list", {"q": "甲-东"}),
    ("/patrol-routes", "patrols:route_list", {"active": ("true", "1")}),
    ("/patrol-logs", "patrols:patrol_list", {}),
    ("/patrol-logs", "patrols:patrol_list", {"status": "ended"}),
    ("/patrol-logs", "patrols:patrol_list", {"window": "pm"}),
    ("/video-patrols", "patrols:video_patrol_list", {"problem": ("true", "1")}),
    ("/video-patrols", "patrols:video_patrol_list", {"problem": ("false", "0")}),
]


@pytest.mark.parametrize("who", ["officer_a", "officer_b", "commander"])
@pytest.mark.parametrize(("path", "page", "params"), CASES)
def test_the_api_lists_the_rows_the_page_lists(world, client_for, who, path, page, params):
    """A yes/no is true/false in the API and 1/0 on the page: (api value, page value)."""
    client = client_for(who)
    api = {k: v[0] if isinstance(v, tuple) else v for k, v in params.items()}
    on_page = {k: v[1] if isinstance(v, tuple) else v for k, v in params.items()}
    assert api_ids(client, path, api) == page_ids(client, page, on_page)


def test_the_filters_select_what_they_name(world, client_for, people):
    officer = client_for("officer_a")
    assert len(api_ids(officer, "/guard-posts", {"kind": "peak"})) == 1
    assert len(api_ids(officer, "/guard-posts", {"corridor": "true"})) == 1
    logs = officer.get(f"{API}/patrol-logs", {"status": "ended"}).json()["items"]
    # Finished without its checkpoints ticked: 未完成（漏巡）, ended all the same.
    assert [log["status"] for log in logs] == [PatrolStatus.INCOMPLETE]
    shifts = officer.get(f"{API}/duty-shifts", {"person": people.guard.pk}).json()
    assert shifts["count"] == 6 and {s["person_id"] for s in shifts["items"]} == {people.guard.pk}
    checkins = officer.get(f"{API}/checkins", {"q": "guard", "valid": "false"}).json()["items"]
    assert [(c["user_name"], c["distance_m"]) for c in checkins] == [("guard", 900)]


def test_the_api_roster_is_not_limited_to_today_as_the_page_is(world, client_for):
    """The page's roster starts today when no date is given; the API's has every date."""
    officer = client_for("officer_a")
    assert officer.get(f"{API}/duty-shifts").json()["count"] == 12
    assert officer.get(f"{API}/duty-shifts", {"date_from": "2099-01-01"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/guard-posts", {"kind": "nonsense"}, "kind"),
        ("/duty-shifts", {"status": "bogus"}, "status"),
        ("/duty-shifts", {"window": "night"}, "window"),
        ("/checkins", {"proof": "face"}, "proof"),
        ("/patrol-logs", {"status": "x"}, "status"),
        ("/patrol-logs", {"window": "noon"}, "window"),
    ],
)
def test_a_bad_value_answers_400_naming_the_filter(world, client_for, path, params, named):
    assert f"{named}：" in refused(client_for("officer_a"), path, params)


def test_a_record_outside_the_scope_in_a_filter_answers_400(world, client_for, city, pschools):
    officer = client_for("officer_a")
    _a, school_b = pschools
    assert "school：" in refused(officer, "/guard-posts", {"school": school_b.pk})
    assert "school：" in refused(officer, "/video-patrols", {"school": school_b.pk})
    assert "organization：" in refused(
        officer, "/patrol-routes", {"organization": city.station_b.pk}
    )
    assert "station：" in refused(officer, "/guard-posts", {"station": city.station_b.pk})
    # The commander sees both: the same filters are fine.
    commander = client_for("commander")
    assert len(api_ids(commander, "/guard-posts", {"school": school_b.pk})) == 1
