"""Patrol routes, patrol logs and video patrols, page by page and role by role.

officer_a (station 01) runs route_a and its patrols and records video patrols of school_a;
officer_b (station 02) gets 404 on all of them and never sees them listed; the commander
reads everything and writes nothing; the education officer reads school_a's video patrols
only and gets 403 on every patrol form; the school's chief and guard and the volunteer get
403; anonymous visitors go to the sign-in page.
"""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core.models import Organization
from huxiao.inspections.models import Hazard
from huxiao.patrols import services
from huxiao.patrols.models import Checkpoint, CheckpointVisit, PatrolLog, PatrolRoute, VideoPatrol
from huxiao.schools import services as school_services
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import GATE_A, GATE_B, offset


def _route(org, name, school, gate, *, extra=True):
    checkpoints = [
        {
            "name": f"{school.organization.name}校门",
            "school": school,
            "latitude": gate[0],
            "longitude": gate[1],
        }
    ]
    if extra:
        north, _lon = offset(gate[0], gate[1], 800)
        checkpoints.append({"name": "农贸市场路口", "latitude": north, "longitude": gate[1]})
        checkpoints.append(
            {"name": "公园东门", "latitude": north, "longitude": gate[1], "is_mandatory": False}
        )
    return services.route_create(organization=org, name=name, grid="G-01", checkpoints=checkpoints)


@pytest.fixture
def field(city, people, pschools, posts):
    """route_a (station 01) with a patrol under way, route_b (station 02); a video patrol each."""
    a, b = pschools
    route_a = _route(city.station_a, "甲网格一号线", a, GATE_A)
    route_b = _route(city.station_b, "乙网格一号线", b, GATE_B, extra=False)
    log_a = services.patrol_start(route=route_a, leader=people.officer_a, police_count=2)
    log_b = services.patrol_start(route=route_b, leader=people.officer_b)
    video_a = services.video_patrol_record(school=a, officer=people.officer_a, cameras_checked=8)
    video_b = services.video_patrol_record(school=b, officer=people.officer_b, cameras_checked=4)
    return {
        "route_a": route_a,
        "route_b": route_b,
        "log_a": log_a,
        "log_b": log_b,
        "video_a": video_a,
        "video_b": video_b,
    }


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def checkpoints(route):
    return list(Checkpoint.objects.filter(route=route).order_by("order"))


# ---- access ------------------------------------------------------------------------------------


READ_PAGES = {
    "patrols:route_detail": "route_a",
    "patrols:route_edit": "route_a",
    "patrols:patrol_detail": "log_a",
    "patrols:video_patrol_detail": "video_a",
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "officer_a",
            {
                "patrols:route_detail": 200,
                "patrols:route_edit": 200,
                "patrols:patrol_detail": 200,
                "patrols:video_patrol_detail": 200,
            },
        ),
        (
            "officer_b",
            {
                "patrols:route_detail": 404,
                "patrols:route_edit": 404,
                "patrols:patrol_detail": 404,
                "patrols:video_patrol_detail": 404,
            },
        ),
        (
            "outsider",
            {
                "patrols:route_detail": 404,
                "patrols:route_edit": 404,
                "patrols:patrol_detail": 404,
                "patrols:video_patrol_detail": 404,
            },
        ),
        (
            "commander",
            {
                "patrols:route_detail": 200,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 200,
                "patrols:video_patrol_detail": 200,
            },
        ),
        (
            "edu_officer",
            {
                "patrols:route_detail": 403,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 403,
                "patrols:video_patrol_detail": 200,
            },
        ),
        (
            "chief",
            {
                "patrols:route_detail": 403,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 403,
                "patrols:video_patrol_detail": 403,
            },
        ),
        (
            "guard",
            {
                "patrols:route_detail": 403,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 403,
                "patrols:video_patrol_detail": 403,
            },
        ),
        (
            "volunteer",
            {
                "patrols:route_detail": 403,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 403,
                "patrols:video_patrol_detail": 403,
            },
        ),
        (
            "auditor",
            {
                "patrols:route_detail": 403,
                "patrols:route_edit": 403,
                "patrols:patrol_detail": 403,
                "patrols:video_patrol_detail": 403,
            },
        ),
    ],
)
def test_it_answers_each_role_on_station_01s_records(client_for, field, who, expected):
    client = client_for(who)
    for name, key in READ_PAGES.items():
        response = client.get(reverse(name, args=[field[key].pk]))
        assert response.status_code == expected[name], (who, name)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (
            "officer_a",
            {
                "patrols:route_list": 200,
                "patrols:patrol_list": 200,
                "patrols:video_patrol_list": 200,
                "forms": 200,
            },
        ),
        (
            "officer_b",
            {
                "patrols:route_list": 200,
                "patrols:patrol_list": 200,
                "patrols:video_patrol_list": 200,
                "forms": 200,
            },
        ),
        (
            "commander",
            {
                "patrols:route_list": 200,
                "patrols:patrol_list": 200,
                "patrols:video_patrol_list": 200,
                "forms": 403,
            },
        ),
        (
            "edu_officer",
            {
                "patrols:route_list": 403,
                "patrols:patrol_list": 403,
                "patrols:video_patrol_list": 200,
                "forms": 403,
            },
        ),
        (
            "chief",
            {
                "patrols:route_list": 403,
                "patrols:patrol_list": 403,
                "patrols:video_patrol_list": 403,
                "forms": 403,
            },
        ),
        (
            "guard",
            {
                "patrols:route_list": 403,
                "patrols:patrol_list": 403,
                "patrols:video_patrol_list": 403,
                "forms": 403,
            },
        ),
        (
            "volunteer",
            {
                "patrols:route_list": 403,
                "patrols:patrol_list": 403,
                "patrols:video_patrol_list": 403,
                "forms": 403,
            },
        ),
        (
            "auditor",
            {
                "patrols:route_list": 403,
                "patrols:patrol_list": 403,
                "patrols:video_patrol_list": 403,
                "forms": 403,
            },
        ),
    ],
)
def test_it_answers_each_role_on_the_lists_exports_and_forms(client_for, field, who, status):
    client = client_for(who)
    for name in ("patrols:route_list", "patrols:patrol_list", "patrols:video_patrol_list"):
        assert client.get(reverse(name)).status_code == status[name], (who, name)
        export = name.replace("_list", "_export")
        assert client.get(reverse(export)).status_code == status[name], (who, export)
    for name in ("patrols:route_create", "patrols:patrol_start", "patrols:video_patrol_create"):
        assert client.get(reverse(name)).status_code == status["forms"], (who, name)
        assert client.post(reverse(name), {}).status_code in (status["forms"], 400), (who, name)


@pytest.mark.parametrize(
    "action",
    [
        "patrols:patrol_visit",
        "patrols:patrol_finish",
        "patrols:patrol_abandon",
        "patrols:patrol_finding",
    ],
)
def test_it_refuses_actions_on_a_patrol_to_other_roles(client_for, field, action):
    url = reverse(action, args=[field["log_a"].pk])
    data = {"note": "原因", "checkpoint": checkpoints(field["route_a"])[0].pk}
    assert client_for("officer_b").post(url, data).status_code == 404
    assert client_for("commander").post(url, data).status_code == 403
    assert client_for("edu_officer").post(url, data).status_code == 403
    assert client_for("guard").post(url, data).status_code == 403
    assert client_for("officer_a").get(url).status_code == 405
    log = PatrolLog.objects.get(pk=field["log_a"].pk)
    assert log.status == "in_progress" and not log.visits.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, field):
    names = [
        ("patrols:route_list", []),
        ("patrols:route_export", []),
        ("patrols:route_create", []),
        ("patrols:route_detail", [field["route_a"].pk]),
        ("patrols:route_edit", [field["route_a"].pk]),
        ("patrols:patrol_list", []),
        ("patrols:patrol_export", []),
        ("patrols:patrol_start", []),
        ("patrols:patrol_detail", [field["log_a"].pk]),
        ("patrols:video_patrol_list", []),
        ("patrols:video_patrol_export", []),
        ("patrols:video_patrol_create", []),
        ("patrols:video_patrol_detail", [field["video_a"].pk]),
    ]
    for name, args in names:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    response = client.post(reverse("patrols:patrol_finish", args=[field["log_a"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "routes", "videos"),
    [
        ("officer_a", {"甲网格一号线"}, {"甲小学"}),
        ("officer_b", {"乙网格一号线"}, {"乙中学"}),
        ("commander", {"甲网格一号线", "乙网格一号线"}, {"甲小学", "乙中学"}),
        ("outsider", set(), set()),
    ],
)
def test_it_lists_only_the_records_in_scope(client_for, field, who, routes, videos):
    client = client_for(who)
    html = client.get(reverse("patrols:route_list")).content.decode()
    assert {name for name in ("甲网格一号线", "乙网格一号线") if name in html} == routes
    logs = client.get(reverse("patrols:patrol_list")).content.decode()
    assert {name for name in ("甲网格一号线", "乙网格一号线") if name in logs} == routes
    video = client.get(reverse("patrols:video_patrol_list")).content.decode()
    shown = set(re.findall(r'data-video="(\d+)"', video))
    expected = {
        str(field[k].pk)
        for k, school in (("video_a", "甲小学"), ("video_b", "乙中学"))
        if school in videos
    }
    assert shown == expected


def test_it_shows_the_education_officer_the_video_patrols_of_their_schools(client_for, field):
    html = client_for("edu_officer").get(reverse("patrols:video_patrol_list")).content.decode()
    assert f'data-video="{field["video_a"].pk}"' in html
    assert f'data-video="{field["video_b"].pk}"' not in html
    assert 'data-testid="new-video-patrol"' not in html


# ---- routes ------------------------------------------------------------------------------------


def management(prefix="cp", total=3, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }


def row(n, **fields):
    return {f"cp-{n}-{k}": v for k, v in fields.items()}


@pytest.fixture
def gate_positions(city):
    """School_a's organisation has a position: a checkpoint there needs no coordinates typed."""
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=GATE_A[0], longitude=GATE_A[1])


def test_it_offers_each_schools_gate_to_prefill_a_checkpoint(client_for, pschools, gate_positions):
    html = client_for("officer_a").get(reverse("patrols:route_create")).content.decode()
    option = re.search(rf'<option value="{pschools[0].pk}"[^>]*>', html).group(0)
    assert f'data-lat="{GATE_A[0]}"' in option and f'data-lon="{GATE_A[1]}"' in option
    assert 'data-name="甲小学校门"' in option
    assert f'<option value="{pschools[1].pk}"' not in html  # station 02's school
    assert "huxiao/js/patrol_pages.js" in html and "data-cp-template" in html
    assert_csp_clean(html, "patrols:route_create")


def test_officer_a_creates_a_route_with_a_school_gate_and_a_crossing(
    client_for, pschools, city, gate_positions
):
    north, _lon = offset(GATE_A[0], GATE_A[1], 600)
    data = {
        "organization": city.station_a.pk,
        "name": "甲网格二号线",
        "grid": "G-02",
        **management(total=3),
        **row(
            0,
            school=pschools[0].pk,
            name="",
            latitude="",
            longitude="",
            radius_m="",
            is_mandatory="on",
        ),
        **row(1, name="菜市场路口", latitude=str(north), longitude=str(GATE_A[1]), radius_m="100"),
        **row(2, is_mandatory="on"),  # an untouched spare row
    }
    response = client_for("officer_a").post(reverse("patrols:route_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    route = PatrolRoute.objects.get(name="甲网格二号线")
    assert route.organization == city.station_a and route.grid == "G-02"
    gate, crossing = checkpoints(route)
    assert (gate.name, gate.school_id, gate.latitude, gate.longitude) == (
        "甲小学校门",
        pschools[0].pk,
        GATE_A[0],
        GATE_A[1],
    )
    assert gate.is_mandatory and gate.radius_m == 150
    assert (crossing.name, crossing.radius_m, crossing.is_mandatory) == ("菜市场路口", 100, False)
    assert response["Location"] == reverse("patrols:route_detail", args=[route.pk])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({}, "巡逻路线至少要有一个巡逻点。"),
        (row(0, name="无坐标的点"), "请填写巡逻点的纬度和经度"),
        (row(0, name="", latitude="26.5", longitude="101.7"), "请填写巡逻点名称。"),
        (row(0, name="太远", latitude="95", longitude="101.7"), "确保该值小于或等于90"),
    ],
)
def test_it_refuses_a_route_without_usable_checkpoints(client_for, city, rows, message):
    data = {"organization": city.station_a.pk, "name": "坏路线", **management(total=1), **rows}
    response = client_for("officer_a").post(reverse("patrols:route_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PatrolRoute.objects.filter(name="坏路线").exists()


def test_it_refuses_another_stations_school_or_unit_on_a_route(client_for, city, pschools):
    base = {"name": "越界路线", **management(total=1)}
    school_b = {
        **base,
        "organization": city.station_a.pk,
        **row(0, name="乙中学门", school=pschools[1].pk, latitude="26.5", longitude="101.7"),
    }
    unit_b = {
        **base,
        "organization": city.station_b.pk,
        **row(0, name="某点", latitude="26.5", longitude="101.7"),
    }
    client = client_for("officer_a")
    for data in (school_b, unit_b):
        response = client.post(reverse("patrols:route_create"), data)
        assert response.status_code == 400
        assert "选择一个有效的选项" in response.content.decode()
    assert not PatrolRoute.objects.filter(name="越界路线").exists()


def test_officer_a_edits_a_route_and_its_checkpoints(client_for, field):
    route = field["route_a"]
    gate, crossing, park = checkpoints(route)
    data = {
        "name": "甲网格一号线（调整）",
        "grid": "G-09",
        "is_active": "on",
        **management(total=3, initial=3),
        **row(
            0,
            id=gate.pk,
            name=gate.name,
            school=gate.school_id,
            latitude=str(gate.latitude),
            longitude=str(gate.longitude),
            radius_m="120",
            is_mandatory="on",
        ),
        **row(
            1,
            id=crossing.pk,
            name="农贸市场路口",
            latitude=str(crossing.latitude),
            longitude=str(crossing.longitude),
            radius_m="150",
            is_mandatory="on",
            DELETE="on",
        ),
        **row(
            2,
            id=park.pk,
            name="公园东门",
            latitude=str(park.latitude),
            longitude=str(park.longitude),
            radius_m="150",
            is_mandatory="on",
        ),
    }
    response = client_for("officer_a").post(reverse("patrols:route_edit", args=[route.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    route.refresh_from_db()
    assert (route.name, route.grid) == ("甲网格一号线（调整）", "G-09")
    kept = checkpoints(route)
    assert [(c.pk, c.radius_m, c.is_mandatory, c.order) for c in kept] == [
        (gate.pk, 120, True, 1),
        (park.pk, 150, True, 2),
    ]


def test_it_keeps_a_checkpoint_a_patrol_has_ticked(client_for, field):
    route, log = field["route_a"], field["log_a"]
    gate, crossing, park = checkpoints(route)
    services.patrol_visit(log=log, checkpoint=gate, latitude=GATE_A[0], longitude=GATE_A[1])
    data = {
        "name": route.name,
        "grid": route.grid,
        "is_active": "on",
        **management(total=2, initial=3),
        **row(
            0,
            id=crossing.pk,
            name=crossing.name,
            latitude=str(crossing.latitude),
            longitude=str(crossing.longitude),
            radius_m="150",
            is_mandatory="on",
        ),
        **row(
            1,
            id=park.pk,
            name=park.name,
            latitude=str(park.latitude),
            longitude=str(park.longitude),
            radius_m="150",
        ),
    }
    response = client_for("officer_a").post(reverse("patrols:route_edit", args=[route.pk]), data)
    assert response.status_code == 400
    assert "已有到点记录，不能删除；可改为非必巡点" in response.content.decode()
    assert len(checkpoints(route)) == 3


def test_it_exports_the_routes_in_scope(client_for, field):
    rows = xlsx_rows(client_for("officer_a").get(reverse("patrols:route_export")))
    assert rows[0] == ["路线名称", "所属单位", "网格", "巡逻点", "必巡点", "启用"]
    assert rows[1:] == [["甲网格一号线", "甲派出所", "G-01", 3, 2, "是"]]


def test_it_shows_a_routes_checkpoints_and_map(client_for, field):
    route = field["route_a"]
    html = (
        client_for("officer_a")
        .get(reverse("patrols:route_detail", args=[route.pk]))
        .content.decode()
    )
    assert html.count('data-checkpoint="') == 3
    assert 'data-hx-map="points"' in html and "农贸市场路口" in html
    assert f"{reverse('patrols:patrol_start')}?route={route.pk}" in html
    assert_csp_clean(html, "patrols:route_detail")


# ---- a patrol from start to finish -------------------------------------------------------------


def test_officer_a_runs_a_patrol_and_finishes_it_incomplete(client_for, field, people):
    route = field["route_a"]
    gate, crossing, park = checkpoints(route)
    client = client_for("officer_a")
    form = client.get(reverse("patrols:patrol_start") + f"?route={route.pk}").content.decode()
    assert re.search(rf'<option value="{route.pk}" selected>', form)
    assert "乙网格一号线" not in form

    response = client.post(
        reverse("patrols:patrol_start"),
        {
            "route": route.pk,
            "police_count": "2",
            "auxiliary_count": "4",
            "vehicles": "1",
            "window": "am",
        },
    )
    assert response.status_code == 302
    log = PatrolLog.objects.exclude(pk=field["log_a"].pk).get(route=route)
    assert (log.leader, log.police_count, log.auxiliary_count, log.vehicles, log.window) == (
        people.officer_a,
        2,
        4,
        1,
        "am",
    )
    assert response["Location"] == reverse("patrols:patrol_detail", args=[log.pk])
    detail = client.get(response["Location"]).content.decode()
    assert f'data-testid="visit-{gate.pk}"' in detail and "data-geo-visit" in detail
    assert_csp_clean(detail, "patrols:patrol_detail")

    visit = reverse("patrols:patrol_visit", args=[log.pk])
    # at the gate (30 m off): ticked
    lat, lon = offset(GATE_A[0], GATE_A[1], 30)
    response = client.post(
        visit, {"checkpoint": gate.pk, "latitude": str(lat), "longitude": str(lon)}
    )
    assert response.status_code == 302
    assert CheckpointVisit.objects.get(log=log, checkpoint=gate).distance_m == 30
    assert (
        "距 30 米" in client.get(reverse("patrols:patrol_detail", args=[log.pk])).content.decode()
    )
    # 500 m short of the crossing: refused with the distance
    lat, lon = offset(crossing.latitude, crossing.longitude, -500)
    response = client.post(
        visit, {"checkpoint": crossing.pk, "latitude": str(lat), "longitude": str(lon)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "距巡逻点 500 米，未到达（半径 150 米）。" in html
    assert 'data-testid="visit-refusal"' in html
    # no position at all
    response = client.post(visit, {"checkpoint": crossing.pk})
    assert response.status_code == 400 and "距巡逻点 — 米，未到达" in response.content.decode()
    # a checkpoint of another route
    other = checkpoints(field["route_b"])[0]
    response = client.post(
        visit, {"checkpoint": other.pk, "latitude": "26.56", "longitude": "101.7"}
    )
    assert response.status_code == 400 and "该巡逻点不在本路线上。" in response.content.decode()
    assert not CheckpointVisit.objects.filter(log=log, checkpoint=crossing).exists()

    response = client.post(
        reverse("patrols:patrol_finish", args=[log.pk]), {"note": "沿线正常"}, follow=True
    )
    assert response.status_code == 200
    log.refresh_from_db()
    assert log.status == "incomplete" and log.ended_at is not None and log.note == "沿线正常"
    html = response.content.decode()
    assert "巡逻已结束，未完成（漏巡）：农贸市场路口。" in html
    missed = re.search(r'data-testid="missed-list">(.*?)</div>', html, re.S).group(1)
    assert "农贸市场路口" in missed and "公园东门" not in missed  # optional: not missed
    assert re.search(rf'data-checkpoint="{crossing.pk}" data-state="missed"', html)
    assert re.search(rf'data-checkpoint="{park.pk}" data-state="todo"', html)
    assert 'data-testid="finish"' not in html  # over: no more actions
    # a finished patrol takes no more visits
    response = client.post(
        visit,
        {
            "checkpoint": crossing.pk,
            "latitude": str(crossing.latitude),
            "longitude": str(crossing.longitude),
        },
    )
    assert response.status_code == 400 and "巡逻已结束。" in response.content.decode()

    rows = xlsx_rows(
        client.get(reverse("patrols:patrol_export"), {"route": route.pk, "status": "incomplete"})
    )
    header, line = rows[0], rows[1]
    assert len(rows) == 2
    values = dict(zip(header, line, strict=True))
    assert values["路线"] == "甲网格一号线" and values["巡逻单位"] == "甲派出所"
    assert values["带班民警"] == people.officer_a.display_name
    assert (
        values["民警（人）"],
        values["辅警（人）"],
        values["车辆（台）"],
        values["警力（人次）"],
    ) == (2, 4, 1, 6)
    assert (
        values["时段"] == "上学" and values["状态"] == "未完成（漏巡）" and values["漏巡点数"] == 1
    )


def test_it_completes_a_patrol_with_every_checkpoint_ticked(client_for, field):
    route_b, log_b = field["route_b"], field["log_b"]
    (gate,) = checkpoints(route_b)
    client = client_for("officer_b")
    client.post(
        reverse("patrols:patrol_visit", args=[log_b.pk]),
        {"checkpoint": gate.pk, "latitude": str(GATE_B[0]), "longitude": str(GATE_B[1])},
    )
    response = client.post(reverse("patrols:patrol_finish", args=[log_b.pk]), {}, follow=True)
    assert "巡逻已结束，必巡点全部到达。" in response.content.decode()
    log_b.refresh_from_db()
    assert log_b.status == "completed"


def test_officer_a_abandons_a_patrol_with_a_reason(client_for, field):
    log = field["log_a"]
    client = client_for("officer_a")
    response = client.post(reverse("patrols:patrol_abandon", args=[log.pk]), {"note": ""})
    assert response.status_code == 400
    assert PatrolLog.objects.get(pk=log.pk).status == "in_progress"
    response = client.post(
        reverse("patrols:patrol_abandon", args=[log.pk]),
        {"note": "接警处置，中止巡逻"},
        follow=True,
    )
    log.refresh_from_db()
    assert log.status == "abandoned" and log.note == "接警处置，中止巡逻"
    html = response.content.decode()
    assert "巡逻已中止。" in html and "中止原因" in html and "接警处置，中止巡逻" in html
    response = client.post(reverse("patrols:patrol_finish", args=[log.pk]), {})
    assert response.status_code == 400 and "巡逻已结束。" in response.content.decode()


def test_it_refuses_a_patrol_without_police(client_for, field):
    response = client_for("officer_a").post(
        reverse("patrols:patrol_start"),
        {
            "route": field["route_a"].pk,
            "police_count": "0",
            "auxiliary_count": "2",
            "vehicles": "0",
        },
    )
    assert response.status_code == 400
    assert PatrolLog.objects.filter(route=field["route_a"]).count() == 1


def test_it_refuses_another_stations_route_on_start(client_for, field):
    response = client_for("officer_a").post(
        reverse("patrols:patrol_start"),
        {
            "route": field["route_b"].pk,
            "police_count": "1",
            "auxiliary_count": "0",
            "vehicles": "0",
        },
    )
    assert response.status_code == 400
    assert PatrolLog.objects.filter(route=field["route_b"]).count() == 1


def test_a_finding_on_the_patrol_becomes_a_hazard_of_the_school(
    client_for, field, pschools, people
):
    log = field["log_a"]
    client = client_for("officer_a")
    data = {
        "school": pschools[0].pk,
        "title": "校门口护栏损坏",
        "category": "physical",
        "severity": "ordinary",
        "description": "东侧护栏缺失约3米",
    }
    response = client.post(reverse("patrols:patrol_finding", args=[log.pk]), data)
    assert response.status_code == 302
    hazard = Hazard.objects.get(title="校门口护栏损坏")
    assert (hazard.school, hazard.source, hazard.category, hazard.reported_by) == (
        pschools[0],
        "patrol",
        "physical",
        people.officer_a,
    )
    assert (
        response["Location"]
        == reverse("patrols:patrol_detail", args=[log.pk]) + f"?finding={hazard.pk}"
    )
    html = client.get(response["Location"]).content.decode()
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in html and "刚登记" in html
    # a school that is not on the route
    response = client.post(
        reverse("patrols:patrol_finding", args=[log.pk]),
        {**data, "school": pschools[1].pk, "title": "别处"},
    )
    assert response.status_code == 400
    assert not Hazard.objects.filter(title="别处").exists()
    # the finding also shows in the route's school's hazard list for the station
    assert "校门口护栏损坏" in client.get(reverse("inspections:hazard_list")).content.decode()


# ---- video patrols -----------------------------------------------------------------------------


@pytest.fixture
def cameras(pschools):
    a, _b = pschools
    for n in range(3):
        school_services.device_create(school=a, kind="camera", name=f"摄像机{n}", is_online=n != 0)
    school_services.device_create(school=a, kind="one_key_alarm", is_online=False)


def test_it_prefills_the_schools_cameras(client_for, pschools, cameras):
    a, b = pschools
    client = client_for("officer_a")
    html = client.get(reverse("patrols:video_patrol_create"), {"school": a.pk}).content.decode()
    assert re.search(r'name="cameras_checked" value="3"', html)
    assert re.search(r'name="cameras_offline" value="1"', html)
    option = re.search(rf'<option value="{a.pk}"[^>]*>', html).group(0)
    assert 'data-cameras="3"' in option and 'data-offline="1"' in option and "selected" in option
    assert f'<option value="{b.pk}"' not in html
    assert_csp_clean(html, "patrols:video_patrol_create")


def _video(school, **changes):
    data = {
        "school": school.pk,
        "at": "2026-11-20T09:30",
        "cameras_checked": "3",
        "cameras_offline": "0",
        "gate_closed": "1",
        "guard_on_duty": "1",
        "equipment_present": "",
        "observations": "",
    }
    data.update(changes)
    return data


def test_an_offline_camera_seen_on_a_video_patrol_becomes_a_hazard(
    client_for, pschools, cameras, people
):
    a, _b = pschools
    client = client_for("officer_a")
    response = client.post(
        reverse("patrols:video_patrol_create"),
        _video(a, cameras_offline="1", observations="北门摄像机黑屏"),
    )
    assert response.status_code == 302
    patrol = VideoPatrol.objects.get()
    assert (patrol.officer, patrol.cameras_checked, patrol.cameras_offline) == (
        people.officer_a,
        3,
        1,
    )
    assert (patrol.gate_closed, patrol.guard_on_duty, patrol.equipment_present) == (
        True,
        True,
        None,
    )
    hazard = patrol.hazard
    assert hazard is not None and hazard.source == "video_patrol" and hazard.school == a
    assert hazard.category == "technical" and "1 路摄像头离线" in hazard.title
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="hazard-link"' in html
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in html
    listed = client.get(reverse("patrols:video_patrol_list")).content.decode()
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in listed
    rows = xlsx_rows(client.get(reverse("patrols:video_patrol_export"), {"problem": "1"}))
    values = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert values["学校"] == "甲小学" and values["离线摄像头（路）"] == 1
    assert values["校门关闭/管控"] == "是" and values["防护装备在位"] == "未查看"
    assert values["发现问题"] == "是" and values["发现隐患"] == hazard.title


def test_a_guard_away_is_a_personnel_hazard_and_a_clean_patrol_none(client_for, pschools):
    a, _b = pschools
    client = client_for("officer_a")
    client.post(reverse("patrols:video_patrol_create"), _video(a, guard_on_duty="0"))
    client.post(reverse("patrols:video_patrol_create"), _video(a, at="2026-11-20T10:30"))
    away, clean = VideoPatrol.objects.order_by("at")
    assert away.hazard.category == "personnel" and "保安不在岗" in away.hazard.title
    assert clean.hazard is None
    html = client.get(reverse("patrols:video_patrol_detail", args=[clean.pk])).content.decode()
    assert 'data-testid="no-problem"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cameras_offline": "4"}, "离线数不能多于查看数。"),
        ({"at": "2099-01-01T08:00"}, "巡查时间不能晚于现在。"),
        ({"gate_closed": "maybe"}, "选择一个有效的选项"),
    ],
)
def test_it_refuses_a_video_patrol_that_does_not_add_up(client_for, pschools, changes, message):
    response = client_for("officer_a").post(
        reverse("patrols:video_patrol_create"), _video(pschools[0], **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VideoPatrol.objects.exists()


def test_it_refuses_a_video_patrol_of_another_stations_school(client_for, pschools):
    response = client_for("officer_a").post(
        reverse("patrols:video_patrol_create"), _video(pschools[1])
    )
    assert response.status_code == 400
    assert not VideoPatrol.objects.exists()


# ---- pages keep to the CSP and pin their queries -----------------------------------------------


def test_it_renders_every_patrol_page_without_inline_script_or_style(client_for, field):
    client = client_for("officer_a")
    urls = [
        reverse("patrols:route_list"),
        reverse("patrols:route_create"),
        reverse("patrols:route_edit", args=[field["route_a"].pk]),
        reverse("patrols:patrol_list"),
        reverse("patrols:patrol_start"),
        reverse("patrols:patrol_detail", args=[field["log_a"].pk]),
        reverse("patrols:video_patrol_list"),
        reverse("patrols:video_patrol_detail", args=[field["video_a"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode(), url)


# Each count includes the shell's own (the session; the user with its role and scope organisation
# in one statement; the unread badge). Update only after checking that the new query is not
# per row.
PINNED = {
    "patrols:route_list": 6,
    "patrols:patrol_list": 7,
    "patrols:video_patrol_list": 6,
    "patrols:patrol_detail": 9,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_30_rows(
    client_for, field, pschools, people, city
):
    client = client_for("officer_a")
    names = ["patrols:route_list", "patrols:patrol_list", "patrols:video_patrol_list"]
    client.get(reverse(names[0]))
    before = [_count(client, reverse(name)) for name in names]
    for n in range(30):
        route = _route(city.station_a, f"线路{n:02d}", pschools[0], GATE_A)
        log = services.patrol_start(route=route, leader=people.officer_a)
        if n % 2:
            services.patrol_finish(log=log)
        services.video_patrol_record(
            school=pschools[0], officer=people.officer_a, cameras_checked=2, cameras_offline=n % 2
        )
    after = [_count(client, reverse(name)) for name in names]
    assert before == after == [PINNED[name] for name in names]


def test_it_costs_a_fixed_number_of_queries_for_a_long_patrol(client_for, field, pschools, city):
    client = client_for("officer_a")
    log = field["log_a"]
    url = reverse("patrols:patrol_detail", args=[log.pk])
    client.get(url)
    few = _count(client, url)
    points = [
        {"name": f"点{n:02d}", "school": pschools[0], "latitude": GATE_A[0], "longitude": GATE_A[1]}
        for n in range(30)
    ]
    route = services.route_create(organization=city.station_a, name="长路线", checkpoints=points)
    long_log = services.patrol_start(route=route, leader=log.leader)
    for cp in checkpoints(route)[:20]:
        services.patrol_visit(log=long_log, checkpoint=cp, latitude=GATE_A[0], longitude=GATE_A[1])
    for n in range(5):
        services.patrol_finding(
            log=long_log, school=pschools[0], title=f"发现{n}", category="physical"
        )
    many = _count(client, reverse("patrols:patrol_detail", args=[long_log.pk]))
    assert few == many == PINNED["patrols:patrol_detail"]
