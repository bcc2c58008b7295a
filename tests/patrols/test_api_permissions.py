"""Patrols API permissions: every endpoint for every kind of user.

Alice is officer_a (station 01, over school_a, owns the records); Bob is officer_b (station
02): school_a's posts, shifts, routes, patrols and video patrols answer 404 to him, as if
missing. The commander and the education officer read but do not write; the security chief
edits the own school's posts and rosters; the gate guard reads posts and shifts; the
volunteer (仅本人) reads the own shifts only; the auditor and anonymous callers get nothing.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from huxiao.core import services as core_services
from huxiao.patrols import services

from .conftest import GATE_A, GATE_B, SCHOOL_DAY

API = "/api/v1"


@pytest.fixture
def world(pschools, posts, people, city):
    school_a, school_b = pschools
    post_a, post_b = posts

    def route(org, school, gate):
        return services.route_create(
            organization=org,
            name=f"{org.name}巡逻线",
            checkpoints=[
                {"name": "校门", "school": school, "latitude": gate[0], "longitude": gate[1]}
            ],
        )

    route_a, route_b = (
        route(city.station_a, school_a, GATE_A),
        route(city.station_b, school_b, GATE_B),
    )
    # A swap refuses a past shift: school_a's is on the next school day after today.
    today = timezone.localdate()
    day = services.school_days(school_a, today + dt.timedelta(days=1), today + dt.timedelta(60))[0]
    shift_a = services.shift_bulk_create(
        post=post_a, start=day, end=day, windows=["am"], people=[people.guard]
    )[0]
    shift_b = services.shift_bulk_create(
        post=post_b, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.officer_b]
    )[0]
    log_a = services.patrol_start(route=route_a, leader=people.officer_a)
    log_b = services.patrol_start(route=route_b, leader=people.officer_b)
    video_a = services.video_patrol_record(
        school=school_a, officer=people.officer_a, cameras_checked=4
    )
    video_b = services.video_patrol_record(
        school=school_b, officer=people.officer_b, cameras_checked=4
    )
    return SimpleNamespace(
        school_a=school_a,
        post_a=post_a,
        post_b=post_b,
        shift_a=shift_a,
        shift_b=shift_b,
        route_a=route_a,
        route_b=route_b,
        checkpoint_a=route_a.checkpoints.get(),
        log_a=log_a,
        log_b=log_b,
        video_a=video_a,
        video_b=video_b,
    )


def endpoints(w, people):
    """(method, path, body, kind): kind is "list", "read" (of school_a's object), "create"
    (refers to school_a's records in the body) or "write" (acts on school_a's object in the
    path). Every body is valid, so a refusal is the permission's or the scope's."""
    lat, lon = float(GATE_A[0]), float(GATE_A[1])
    p, s, r, log, v = w.post_a.pk, w.shift_a.pk, w.route_a.pk, w.log_a.pk, w.video_a.pk
    return [
        ("get", "/guard-posts", None, "list"),
        ("get", f"/guard-posts/{p}", None, "read"),
        (
            "post",
            "/guard-posts",
            {"school_id": w.school_a.pk, "name": "新岗", "latitude": lat, "longitude": lon},
            "create",
        ),
        ("patch", f"/guard-posts/{p}", {"radius_m": 120}, "write"),
        ("get", "/duty-shifts", None, "list"),
        (
            "post",
            "/duty-shifts/bulk",
            {
                "post_id": p,
                "start": str(SCHOOL_DAY),
                "end": str(SCHOOL_DAY),
                "windows": ["pm"],
                "person_ids": [people.guard.pk],
            },
            "create",
        ),
        ("post", f"/duty-shifts/{s}/swap", {"person_id": people.chief.pk}, "write"),
        ("post", f"/duty-shifts/{s}/cancel", {"note": "x"}, "write"),
        ("get", "/patrol-routes", None, "list"),
        ("get", f"/patrol-routes/{r}", None, "read"),
        (
            "post",
            "/patrol-routes",
            {
                "name": "新路线",
                "checkpoints": [
                    {"name": "校门", "school_id": w.school_a.pk, "latitude": lat, "longitude": lon}
                ],
            },
            "create",
        ),
        ("get", "/patrol-logs", None, "list"),
        ("get", f"/patrol-logs/{log}", None, "read"),
        ("post", "/patrol-logs", {"route_id": r}, "create"),
        (
            "post",
            f"/patrol-logs/{log}/visits",
            {"checkpoint_id": w.checkpoint_a.pk, "latitude": lat, "longitude": lon},
            "write",
        ),
        (
            "post",
            f"/patrol-logs/{log}/findings",
            {"school_id": w.school_a.pk, "title": "发现问题", "category": "physical"},
            "write",
        ),
        ("post", f"/patrol-logs/{log}/finish", {}, "write"),
        ("post", f"/patrol-logs/{log}/abandon", {"note": "接警"}, "write"),
        ("get", "/video-patrols", None, "list"),
        ("get", f"/video-patrols/{v}", None, "read"),
        ("post", "/video-patrols", {"school_id": w.school_a.pk, "cameras_checked": 2}, "create"),
        ("get", "/patrol-stats", {"date": str(SCHOOL_DAY)}, "list"),
    ]


def call(client, method, path, body):
    if method == "get":
        return client.get(f"{API}{path}", body or {})
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json")


def answers(client, w, people, kinds=None) -> dict[tuple[str, str], int]:
    return {
        (method, path): call(client, method, path, body).status_code
        for method, path, body, kind in endpoints(w, people)
        if kinds is None or kind in kinds
    }


def only(got: dict, status: int) -> dict:
    """The answers that are not ``status`` (empty when all are)."""
    return {k: v for k, v in got.items() if v != status}


def test_it_answers_401_to_anonymous_callers_everywhere(world, people):
    got = answers(Client(), world, people)
    assert len(got) == 22 and set(got.values()) == {401}


def test_it_lets_alice_read_and_write_her_stations_records(world, people, client_for):
    alice = client_for("officer_a")
    assert only(answers(alice, world, people, kinds={"list", "read"}), 200) == {}
    got = answers(alice, world, people, kinds={"create", "write"})
    # Each write succeeds (201/200) or is a refusal of the service after an earlier write
    # (the shift already swapped cannot be cancelled as planned, the finished patrol cannot
    # be abandoned): never 403 or 404.
    assert set(got.values()) <= {200, 201, 400}
    assert got[("post", f"/patrol-logs/{world.log_a.pk}/abandon")] == 400


def test_it_answers_404_to_another_station_as_for_a_missing_object(world, people, client_for):
    bob = client_for("officer_b")
    assert only(answers(bob, world, people, kinds={"read", "write"}), 404) == {}
    for path, pk in (
        ("guard-posts", world.post_a.pk),
        ("patrol-routes", world.route_a.pk),
        ("patrol-logs", world.log_a.pk),
        ("video-patrols", world.video_a.pk),
    ):
        out, missing = bob.get(f"{API}/{path}/{pk}"), bob.get(f"{API}/{path}/999999")
        assert missing.status_code == 404 and out.json() == missing.json()
    # A body naming school_a's records: 400 naming them (the path's object exists).
    created = answers(bob, world, people, kinds={"create"})
    assert only(created, 400) == {}

    def listed(path):
        return {row["id"] for row in bob.get(f"{API}{path}").json()["items"]}

    assert listed("/guard-posts") == {world.post_b.pk}
    assert listed("/duty-shifts") == {world.shift_b.pk}
    assert listed("/patrol-routes") == {world.route_b.pk}
    assert listed("/patrol-logs") == {world.log_b.pk}
    assert listed("/video-patrols") == {world.video_b.pk}
    figures = bob.get(f"{API}/patrol-stats", {"date": str(SCHOOL_DAY)}).json()
    assert figures["expected_posts"] == 2 and figures["schools_with_posts"] == 1
    assert figures["windows"][0]["unstaffed"] == [world.post_b.pk]


def test_a_security_company_sees_nothing(world, people, client_for):
    outsider = client_for("outsider")
    assert only(answers(outsider, world, people, kinds={"read", "write"}), 404) == {}
    assert only(answers(outsider, world, people, kinds={"create"}), 400) == {}
    for path in (
        "/guard-posts",
        "/duty-shifts",
        "/patrol-routes",
        "/patrol-logs",
        "/video-patrols",
    ):
        assert outsider.get(API + path).json()["count"] == 0
    figures = outsider.get(f"{API}/patrol-stats", {"date": str(SCHOOL_DAY)}).json()
    assert figures["expected_posts"] == 0 and figures["schools_with_posts"] == 0


def test_the_commander_reads_everything_and_writes_nothing(world, people, client_for):
    commander = client_for("commander")
    assert only(answers(commander, world, people, kinds={"list", "read"}), 200) == {}
    assert only(answers(commander, world, people, kinds={"create", "write"}), 403) == {}
    assert commander.get(f"{API}/guard-posts").json()["count"] == 2


def test_the_education_officer_reads_posts_rosters_video_and_statistics(world, people, client_for):
    edu = client_for("edu_officer")
    got = answers(edu, world, people, kinds={"list", "read"})
    police_only = {k for k in got if k[1].startswith(("/patrol-routes", "/patrol-logs"))}
    assert police_only and all(got[k] == 403 for k in police_only)
    assert only({k: v for k, v in got.items() if k not in police_only}, 200) == {}
    assert only(answers(edu, world, people, kinds={"create", "write"}), 403) == {}
    # Bureau A's school only.
    assert {r["id"] for r in edu.get(f"{API}/guard-posts").json()["items"]} == {world.post_a.pk}
    assert {r["id"] for r in edu.get(f"{API}/video-patrols").json()["items"]} == {world.video_a.pk}


def test_the_security_chief_keeps_the_own_schools_posts_and_rosters(world, people, client_for):
    chief = client_for("chief")
    got = answers(chief, world, people)
    mine = {
        ("get", "/guard-posts"): 200,
        ("get", f"/guard-posts/{world.post_a.pk}"): 200,
        ("patch", f"/guard-posts/{world.post_a.pk}"): 200,
        ("get", "/duty-shifts"): 200,
        ("post", "/duty-shifts/bulk"): 201,
        ("post", f"/duty-shifts/{world.shift_a.pk}/swap"): 201,
        ("post", f"/duty-shifts/{world.shift_a.pk}/cancel"): 200,
        ("get", "/patrol-stats"): 200,
    }
    assert {k: got[k] for k in mine} == mine
    assert only({k: v for k, v in got.items() if k not in mine}, 403) == {}
    # Not another school's post, and not a new post (that is the police's).
    other = chief.patch(
        f"{API}/guard-posts/{world.post_b.pk}", {"radius_m": 90}, content_type="application/json"
    )
    assert other.status_code == 404
    assert {r["id"] for r in chief.get(f"{API}/guard-posts").json()["items"]} == {world.post_a.pk}


def test_the_gate_guard_reads_posts_and_shifts_only(world, people, client_for):
    guard = client_for("guard")
    got = answers(guard, world, people)
    reads = {
        ("get", "/guard-posts"),
        ("get", f"/guard-posts/{world.post_a.pk}"),
        ("get", "/duty-shifts"),
    }
    assert {k: got[k] for k in reads} == dict.fromkeys(reads, 200)
    assert only({k: v for k, v in got.items() if k not in reads}, 403) == {}
    assert guard.get(f"{API}/guard-posts/{world.post_b.pk}").status_code == 404
    assert {r["id"] for r in guard.get(f"{API}/duty-shifts").json()["items"]} == {world.shift_a.pk}


def test_the_volunteer_reads_the_own_shifts_only(world, people, client_for):
    services.shift_bulk_create(
        post=world.post_a,
        start=SCHOOL_DAY,
        end=SCHOOL_DAY,
        windows=["pm"],
        people=[people.volunteer],
    )
    volunteer = client_for("volunteer")
    got = answers(volunteer, world, people)
    assert got.pop(("get", "/duty-shifts")) == 200
    assert only(got, 403) == {}
    rows = volunteer.get(f"{API}/duty-shifts").json()["items"]
    assert [r["person_id"] for r in rows] == [people.volunteer.pk]


def test_the_auditor_gets_403_everywhere(world, people, client_for):
    assert only(answers(client_for("auditor"), world, people), 403) == {}


def test_a_bearer_token_carries_its_users_scope(world, people):
    _, raw = core_services.token_create(user=people.officer_b, name="乙所对接")
    bob = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bob.get(f"{API}/guard-posts/{world.post_a.pk}").status_code == 404
    assert {r["id"] for r in bob.get(f"{API}/guard-posts").json()["items"]} == {world.post_b.pk}
    assert bob.get(f"{API}/patrol-logs/{world.log_a.pk}").status_code == 404
    moved = bob.patch(
        f"{API}/guard-posts/{world.post_b.pk}", {"radius_m": 150}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["radius_m"] == 150
    _, raw = core_services.token_create(user=people.edu_officer, name="教育局对接")
    edu = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert edu.get(f"{API}/guard-posts/{world.post_a.pk}").status_code == 200
    refused = edu.patch(
        f"{API}/guard-posts/{world.post_a.pk}", {"radius_m": 150}, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = Client(HTTP_AUTHORIZATION="Bearer hx_not-a-token")
    assert bad.get(f"{API}/guard-posts").status_code == 401
