"""Patrols API: posts, rosters, patrol routes and logs, video patrols and the day's statistics,
end to end through the endpoints, with the lists' query counts pinned."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from huxiao.inspections.models import Hazard
from huxiao.patrols import services, stats
from huxiao.patrols.models import DutyShift, GuardPost, PatrolLog

from .conftest import GATE_A, GATE_B, SCHOOL_DAY, local, offset

API = "/api/v1"


def send(client, path, data=None, method="post"):
    return getattr(client, method)(f"{API}{path}", data or {}, content_type="application/json")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {i["id"] for i in response.json()["items"]}


def next_school_days(school, n=5) -> list[dt.date]:
    """The next ``n`` school days after today (the swap refuses past shifts)."""
    today = timezone.localdate()
    return services.school_days(school, today + dt.timedelta(days=1), today + dt.timedelta(60))[:n]


# ---- posts ---------------------------------------------------------------------------------------


def test_it_creates_lists_and_edits_guard_posts(pschools, posts, client_for, city):
    school_a, school_b = pschools
    post_a, post_b = posts
    officer = client_for("officer_a")
    created = send(
        officer,
        "/guard-posts",
        {
            "school_id": school_a.pk,
            "name": "北门高峰勤务",
            "kind": "peak",
            # a phone's 7 decimals are rounded to the 6 stored
            "latitude": 26.5812345,
            "longitude": 101.7212345,
            "radius_m": 80,
            "staffing": {"police": 2, "volunteer": 2},
            "is_pilot": True,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind_label"], body["school_name"], body["station_id"]) == (
        "高峰勤务",
        "甲小学",
        city.station_a.pk,
    )
    assert body["latitude"] == 26.581235 and body["radius_m"] == 80
    assert [w["code"] for w in body["windows"]] == ["am", "pm"]  # the default windows
    assert "qr_secret" not in body
    assert GuardPost.objects.get(pk=body["id"]).qr_secret

    assert ids(officer.get(f"{API}/guard-posts")) == {post_a.pk, body["id"]}
    assert ids(officer.get(f"{API}/guard-posts", {"kind": "peak"})) == {body["id"]}
    assert ids(officer.get(f"{API}/guard-posts", {"pilot": "false"})) == {post_a.pk}
    assert ids(officer.get(f"{API}/guard-posts", {"q": "北门"})) == {body["id"]}
    commander = client_for("commander")
    assert ids(commander.get(f"{API}/guard-posts", {"station": city.station_b.pk})) == {post_b.pk}
    assert ids(commander.get(f"{API}/guard-posts", {"school": school_a.pk})) == {
        post_a.pk,
        body["id"],
    }
    bad = officer.get(f"{API}/guard-posts", {"kind": "nonsense"})
    assert bad.status_code == 400 and "筛选条件不正确" in bad.json()["detail"]

    path = f"/guard-posts/{body['id']}"
    windows = [{"code": "am", "name": "上学", "start": "07:20", "end": "08:10"}]
    patched = send(officer, path, {"windows": windows, "is_active": False}, method="patch")
    assert patched.status_code == 200, patched.content
    assert patched.json()["windows"] == windows and patched.json()["is_active"] is False
    assert patched.json()["name"] == "北门高峰勤务"  # untouched
    assert ids(officer.get(f"{API}/guard-posts", {"active": "true"})) == {post_a.pk}
    wrong = send(
        officer, path, {"windows": [{"code": "am", "start": "09:00", "end": "08:00"}]}, "patch"
    )
    assert wrong.status_code == 400
    assert "结束时间应晚于开始时间" in wrong.json()["detail"]
    staffing = send(officer, path, {"staffing": {"police": -1}}, "patch")
    assert staffing.status_code == 400 and "非负整数" in staffing.json()["detail"]

    elsewhere = send(
        officer,
        "/guard-posts",
        {"school_id": school_b.pk, "name": "乙校岗", "latitude": 26.5, "longitude": 101.7},
    )
    assert elsewhere.status_code == 400 and "不在您的数据范围内" in elsewhere.json()["detail"]
    assert officer.get(f"{API}/guard-posts/{post_b.pk}").status_code == 404


def test_the_security_chief_edits_the_own_schools_posts(posts, client_for):
    post_a, post_b = posts
    chief = client_for("chief")
    moved = send(chief, f"/guard-posts/{post_a.pk}", {"radius_m": 60}, "patch")
    assert moved.status_code == 200 and moved.json()["radius_m"] == 60
    assert send(chief, f"/guard-posts/{post_b.pk}", {"radius_m": 60}, "patch").status_code == 404
    too_small = send(chief, f"/guard-posts/{post_a.pk}", {"radius_m": 5}, "patch")
    assert too_small.status_code == 400


# ---- rosters -------------------------------------------------------------------------------------


def test_it_rosters_school_days_swaps_and_cancels(pschools, posts, people, client_for):
    school_a, _ = pschools
    post_a, _ = posts
    officer = client_for("officer_a")
    # Mon 2026-11-23 .. Sun 2026-11-29: five school days, two windows, two people.
    body = {
        "post_id": post_a.pk,
        "start": str(SCHOOL_DAY),
        "end": str(SCHOOL_DAY + dt.timedelta(days=6)),
        "windows": ["am", "pm"],
        "person_ids": [people.officer_a.pk, people.guard.pk],
    }
    made = send(officer, "/duty-shifts/bulk", body)
    assert made.status_code == 201, made.content
    assert made.json()["count"] == 20 and len(made.json()["items"]) == 20
    first = made.json()["items"][0]
    assert first["post_name"] == "南门护学岗" and first["school_name"] == "甲小学"
    assert {i["window_name"] for i in made.json()["items"]} == {"上学", "放学"}
    assert {i["person_kind"] for i in made.json()["items"]} == {"police", "guard"}
    assert {dt.date.fromisoformat(i["date"]).weekday() for i in made.json()["items"]} == set(
        range(5)
    )
    again = send(officer, "/duty-shifts/bulk", body)
    assert again.status_code == 201 and again.json()["count"] == 0

    listing = officer.get(
        f"{API}/duty-shifts",
        {
            "person": people.guard.pk,
            "window": "am",
            "date_from": str(SCHOOL_DAY),
            "date_to": str(SCHOOL_DAY),
        },
    )
    assert listing.json()["count"] == 1
    assert officer.get(f"{API}/duty-shifts", {"school": school_a.pk}).json()["count"] == 20
    assert officer.get(f"{API}/duty-shifts", {"status": "bogus"}).status_code == 400
    wrong = send(officer, "/duty-shifts/bulk", {**body, "windows": ["noon"]})
    assert wrong.status_code == 400 and "时段不正确" in wrong.json()["detail"]
    outsider = send(officer, "/duty-shifts/bulk", {**body, "person_ids": [people.officer_b.pk]})
    assert outsider.status_code == 400 and "值守人员" in outsider.json()["detail"]

    # Swaps refuse past shifts: roster days after today.
    days = next_school_days(school_a, 1)
    shift = services.shift_bulk_create(
        post=post_a, start=days[0], end=days[0], windows=["am"], people=[people.volunteer]
    )[0]
    swapped = send(officer, f"/duty-shifts/{shift.pk}/swap", {"person_id": people.chief.pk})
    assert swapped.status_code == 201, swapped.content
    assert swapped.json()["person_id"] == people.chief.pk
    assert swapped.json()["swapped_from_id"] == shift.pk
    shift.refresh_from_db()
    assert shift.status == "swapped"
    twice = send(officer, f"/duty-shifts/{shift.pk}/swap", {"person_id": people.chief.pk})
    assert twice.status_code == 400 and "已调班" in twice.json()["detail"]

    new_id = swapped.json()["id"]
    cancelled = send(officer, f"/duty-shifts/{new_id}/cancel", {"note": "临时调整"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["note"] == "临时调整"
    assert send(officer, f"/duty-shifts/{new_id}/cancel").status_code == 400


def test_a_volunteer_sees_only_the_own_shifts(posts, people, client_for):
    post_a, post_b = posts
    services.shift_bulk_create(
        post=post_a,
        start=SCHOOL_DAY,
        end=SCHOOL_DAY,
        windows=["am"],
        people=[people.volunteer, people.guard],
    )
    services.shift_bulk_create(
        post=post_b, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.officer_b]
    )
    mine = client_for("volunteer").get(f"{API}/duty-shifts").json()
    assert mine["count"] == 1
    assert mine["items"][0]["person_id"] == people.volunteer.pk
    assert mine["items"][0]["person_kind"] == "volunteer"
    assert client_for("guard").get(f"{API}/duty-shifts").json()["count"] == 2


# ---- patrols -------------------------------------------------------------------------------------


@pytest.fixture
def route_body(pschools):
    school_a, _ = pschools
    far = offset(*GATE_A, 800)
    return {
        "name": "甲所一号巡逻线",
        "grid": "甲-01",
        "checkpoints": [
            {
                "name": "甲小学南门",
                "school_id": school_a.pk,
                "latitude": GATE_A[0],
                "longitude": GATE_A[1],
            },
            {"name": "菜市场路口", "latitude": float(far[0]), "longitude": float(far[1])},
            {"name": "公园", "latitude": 26.6, "longitude": 101.73, "is_mandatory": False},
        ],
    }


def test_it_runs_a_patrol_from_route_to_finding(pschools, people, client_for, city, route_body):
    school_a, school_b = pschools
    officer = client_for("officer_a")
    created = send(officer, "/patrol-routes", route_body)
    assert created.status_code == 201, created.content
    route = created.json()
    assert route["organization_id"] == city.station_a.pk and route["checkpoint_count"] == 3
    names = [c["name"] for c in route["checkpoints"]]
    assert names == ["甲小学南门", "菜市场路口", "公园"]
    gate, market, park = route["checkpoints"]
    assert ids(officer.get(f"{API}/patrol-routes")) == {route["id"]}
    assert (
        officer.get(f"{API}/patrol-routes/{route['id']}").json()["checkpoints"][0]["school_id"]
        == school_a.pk
    )

    started = send(
        officer,
        "/patrol-logs",
        {
            "route_id": route["id"],
            "police_count": 2,
            "auxiliary_count": 3,
            "vehicles": 1,
            "window": "am",
        },
    )
    assert started.status_code == 201, started.content
    log = started.json()
    assert (log["status"], log["person_times"], log["leader_name"]) == (
        "in_progress",
        5,
        "officer_a",
    )
    assert {c["id"] for c in log["missed_checkpoints"]} == {gate["id"], market["id"]}
    base = f"/patrol-logs/{log['id']}"

    near = offset(*GATE_A, 40)
    ticked = send(
        officer,
        f"{base}/visits",
        {"checkpoint_id": gate["id"], "latitude": float(near[0]), "longitude": float(near[1])},
    )
    assert ticked.status_code == 201, ticked.content
    assert [v["checkpoint_name"] for v in ticked.json()["visits"]] == ["甲小学南门"]
    assert ticked.json()["visits"][0]["distance_m"] == 40
    assert [c["id"] for c in ticked.json()["missed_checkpoints"]] == [market["id"]]
    away = send(
        officer,
        f"{base}/visits",
        {"checkpoint_id": market["id"], "latitude": GATE_A[0], "longitude": GATE_A[1]},
    )
    assert away.status_code == 400 and "未到达" in away.json()["detail"]

    finding = send(
        officer,
        f"{base}/findings",
        {
            "school_id": school_a.pk,
            "title": "校门口防冲撞设施缺失",
            "category": "physical",
            "severity": "major",
        },
    )
    assert finding.status_code == 201, finding.content
    hazard = Hazard.objects.get(pk=finding.json()["hazard_id"])
    assert (hazard.source, hazard.school_id, hazard.severity) == ("patrol", school_a.pk, "major")
    assert finding.json()["state"] == "pending"
    elsewhere = send(
        officer,
        f"{base}/findings",
        {"school_id": school_b.pk, "title": "x", "category": "physical"},
    )
    assert elsewhere.status_code == 400

    finished = send(officer, f"{base}/finish", {"note": "菜市场路口因交通管制未到"})
    assert finished.status_code == 200
    assert (finished.json()["status"], finished.json()["status_label"]) == (
        "incomplete",
        "未完成（漏巡）",
    )
    assert finished.json()["ended_at"] and finished.json()["note"].startswith("菜市场")
    late = send(
        officer,
        f"{base}/visits",
        {
            "checkpoint_id": market["id"],
            "latitude": float(offset(*GATE_A, 800)[0]),
            "longitude": GATE_A[1],
        },
    )
    assert late.status_code == 400 and "巡逻已结束" in late.json()["detail"]

    second = send(officer, "/patrol-logs", {"route_id": route["id"]}).json()
    refused = send(officer, f"/patrol-logs/{second['id']}/abandon", {"note": "  "})
    assert refused.status_code == 400 and "中止原因" in refused.json()["detail"]
    abandoned = send(officer, f"/patrol-logs/{second['id']}/abandon", {"note": "接警处置"})
    assert abandoned.json()["status"] == "abandoned"

    assert officer.get(f"{API}/patrol-logs").json()["count"] == 2
    assert ids(officer.get(f"{API}/patrol-logs", {"status": "abandoned"})) == {second["id"]}
    assert officer.get(f"{API}/patrol-logs", {"status": "x"}).status_code == 400
    today = str(timezone.localdate())
    assert (
        officer.get(f"{API}/patrol-logs", {"date_from": today, "route": route["id"]}).json()[
            "count"
        ]
        == 2
    )
    assert client_for("commander").get(f"{API}/patrol-logs/{log['id']}").status_code == 200

    # A checkpoint of another route of the station is refused; another station's is not found.
    other = send(officer, "/patrol-routes", {**route_body, "name": "二号线"}).json()
    third = send(officer, "/patrol-logs", {"route_id": route["id"]}).json()
    point = {"latitude": GATE_A[0], "longitude": GATE_A[1]}
    wrong = send(
        officer,
        f"/patrol-logs/{third['id']}/visits",
        {"checkpoint_id": other["checkpoints"][0]["id"], **point},
    )
    assert wrong.status_code == 400 and "不在本路线上" in wrong.json()["detail"]
    theirs = services.route_create(
        organization=city.station_b,
        name="乙所线",
        checkpoints=[{"name": "乙门", "latitude": GATE_B[0], "longitude": GATE_B[1]}],
    )
    hidden = send(
        officer,
        f"/patrol-logs/{third['id']}/visits",
        {"checkpoint_id": theirs.checkpoints.get().pk, **point},
    )
    assert hidden.status_code == 400 and "checkpoint_id" in str(hidden.json()["errors"])


def test_a_route_needs_checkpoints_in_scope(pschools, client_for, route_body):
    _, school_b = pschools
    officer = client_for("officer_a")
    body = {
        **route_body,
        "checkpoints": [{**route_body["checkpoints"][0], "school_id": school_b.pk}],
    }
    refused = send(officer, "/patrol-routes", body)
    assert refused.status_code == 400 and "checkpoints.0.school_id" in str(refused.json()["errors"])
    empty = send(officer, "/patrol-routes", {**route_body, "checkpoints": []})
    assert empty.status_code == 422


def test_a_video_patrol_with_a_problem_registers_a_hazard(pschools, client_for):
    school_a, _ = pschools
    officer = client_for("officer_a")
    fine = send(
        officer,
        "/video-patrols",
        {
            "school_id": school_a.pk,
            "cameras_checked": 12,
            "gate_closed": True,
            "guard_on_duty": True,
        },
    )
    assert fine.status_code == 201, fine.content
    assert fine.json()["hazard_id"] is None and fine.json()["found_problem"] is False
    problem = send(
        officer,
        "/video-patrols",
        {
            "school_id": school_a.pk,
            "cameras_checked": 12,
            "cameras_offline": 2,
            "guard_on_duty": False,
            "observations": "东侧两路离线，门岗无人",
        },
    )
    assert problem.status_code == 201
    body = problem.json()
    assert body["found_problem"] is True and body["officer_name"] == "officer_a"
    hazard = Hazard.objects.get(pk=body["hazard_id"])
    assert hazard.source == "video_patrol" and "2 路摄像头离线" in hazard.title
    assert ids(officer.get(f"{API}/video-patrols", {"problem": "true"})) == {body["id"]}
    assert ids(officer.get(f"{API}/video-patrols", {"problem": "false"})) == {fine.json()["id"]}
    assert officer.get(f"{API}/video-patrols/{body['id']}").json()["hazard_id"] == hazard.pk
    wrong = send(
        officer,
        "/video-patrols",
        {"school_id": school_a.pk, "cameras_checked": 1, "cameras_offline": 3},
    )
    assert wrong.status_code == 400 and "离线数" in wrong.json()["detail"]
    edu = client_for("edu_officer")
    assert edu.get(f"{API}/video-patrols").json()["count"] == 2


# ---- statistics ----------------------------------------------------------------------------------


def _in(post, user, hh, mm=0, gate=GATE_A):
    when = local(SCHOOL_DAY, hh, mm)
    return services.checkin_record(
        post=post,
        user=user,
        at=when,
        latitude=gate[0],
        longitude=gate[1],
        accuracy_m=10,
        now=when + dt.timedelta(minutes=1),
    )[0]


def test_the_day_statistics_are_the_services_figures(posts, people, client_for):
    a, b = posts
    _in(a, people.officer_a, 7, 10)
    _in(a, people.guard, 7, 15)
    _in(a, people.officer_a, 16, 30)
    _in(b, people.officer_b, 7, 5, gate=GATE_B)
    _in(b, people.officer_b, 12, 0, gate=GATE_B)  # outside the windows
    _in(b, people.officer_b, 17, 0, gate=(GATE_B[0] + Decimal("0.01"), GATE_B[1]))  # too far
    commander = client_for("commander")
    got = commander.get(f"{API}/patrol-stats", {"date": str(SCHOOL_DAY)})
    assert got.status_code == 200, got.content
    data = got.json()
    want = stats.day_stats(user=people.commander, day=SCHOOL_DAY)
    assert data["date"] == str(SCHOOL_DAY) and data["is_workday"] is True
    assert data["expected_posts"] == want.expected_posts == 4
    assert data["police_rate"] == want.police_rate == 0.75
    assert data["police_person_times_checkins"] == 3 and data["police_person_times"] == 3
    assert (data["checkins"], data["invalid_checkins"], data["covered_posts"]) == (4, 1, 3)
    am, pm = data["windows"]
    assert (am["code"], am["name"], am["expected_posts"], am["covered_posts"]) == (
        "am",
        "上学",
        2,
        2,
    )
    assert (am["schools_expected"], am["schools_covered"], am["coverage_rate"]) == (2, 2, 1.0)
    assert pm["unstaffed"] == [b.pk] and pm["police_rate"] == 0.5 and pm["invalid_checkins"] == 1
    assert am["police_person_times"] == 2 and am["checkins"] == 3

    # Station 01 sees its own school; a station filter narrows the commander's view.
    mine = client_for("officer_a").get(f"{API}/patrol-stats", {"date": str(SCHOOL_DAY)}).json()
    assert mine["expected_posts"] == 2 and mine["police_person_times_checkins"] == 2
    narrowed = commander.get(
        f"{API}/patrol-stats", {"date": str(SCHOOL_DAY), "school": a.school_id}
    ).json()
    assert narrowed["expected_posts"] == 2 and narrowed["windows"][1]["unstaffed"] == []
    holiday = commander.get(f"{API}/patrol-stats", {"date": "2026-10-01"}).json()
    assert holiday["expected_posts"] == 0 and holiday["police_rate"] is None
    assert holiday["calendar_warning"] == ""  # 2026's arrangement is known
    later = commander.get(f"{API}/patrol-stats", {"date": "2041-03-06"}).json()
    assert later["calendar_warning"].startswith("2041年放假调休安排尚未导入")
    assert commander.get(f"{API}/patrol-stats", {"date": "2026-13-01"}).status_code == 422


# ---- query counts --------------------------------------------------------------------------------


def _many_posts(school, n):
    return [
        services.post_create(school=school, name=f"岗{i}", latitude=GATE_A[0], longitude=GATE_A[1])
        for i in range(n)
    ]


def _pinned(client, path, grow, django_assert_max_num_queries, want_count):
    """A list costs the same number of queries with 1 row and with 20."""
    client.get(f"{API}{path}")  # warm the session and the content types
    with django_assert_max_num_queries(11) as few:
        assert client.get(f"{API}{path}").status_code == 200
    n = len(few.captured_queries)
    grow()
    with django_assert_max_num_queries(n):
        data = client.get(f"{API}{path}").json()
    assert data["count"] == want_count


def test_the_lists_run_a_fixed_number_of_queries(
    pschools, posts, people, client_for, django_assert_max_num_queries, route_body
):
    school_a, _ = pschools
    post_a, _ = posts
    officer = client_for("officer_a")
    _pinned(
        officer,
        "/guard-posts",
        lambda: _many_posts(school_a, 20),
        django_assert_max_num_queries,
        21,
    )

    def shifts():
        services.shift_bulk_create(
            post=post_a,
            start=SCHOOL_DAY,
            end=SCHOOL_DAY + dt.timedelta(days=13),
            windows=["am", "pm"],
            people=[people.guard],
        )

    services.shift_bulk_create(
        post=post_a, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.officer_a]
    )
    _pinned(officer, "/duty-shifts", shifts, django_assert_max_num_queries, 21)

    route = send(officer, "/patrol-routes", route_body).json()

    def routes():
        for i in range(20):
            send(officer, "/patrol-routes", {**route_body, "name": f"路线{i}"})

    _pinned(officer, "/patrol-routes", routes, django_assert_max_num_queries, 21)
    send(officer, "/patrol-logs", {"route_id": route["id"]})

    def logs():
        for _ in range(20):
            send(officer, "/patrol-logs", {"route_id": route["id"]})

    _pinned(officer, "/patrol-logs", logs, django_assert_max_num_queries, 21)
    assert PatrolLog.objects.count() == 21
    send(officer, "/video-patrols", {"school_id": school_a.pk, "cameras_checked": 3})

    def videos():
        for i in range(20):
            send(officer, "/video-patrols", {"school_id": school_a.pk, "cameras_checked": i + 1})

    _pinned(officer, "/video-patrols", videos, django_assert_max_num_queries, 21)
    assert DutyShift.objects.count() == 21
