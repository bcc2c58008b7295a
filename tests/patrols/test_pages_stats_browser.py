"""巡逻统计 and the patrol pages in Debian's chromium at laptop and phone size, under the real CSP.

The statistics page's map is drawn by Leaflet without tiles (the offline demo): one marker
per post coloured by the day's status, the pilot school's 护学通道 as a polygon. Console
errors (a CSP violation is one), requests leaving the site and sideways overflow on a phone
fail the test. On a phone, 到点打卡 sends the browser's position; the route form fills a
checkpoint from the school chosen and the video patrol form the school's cameras.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huxiao.core.models import Organization
from huxiao.patrols import services, views_stats
from huxiao.patrols.models import CheckpointVisit
from huxiao.schools import services as school_services
from tests.core.test_pages_browser import SIZES, open_page
from tests.e2e import conftest as e2e

from .conftest import GATE_A, GATE_B, SCHOOL_DAY, local, offset
from .test_pages_posts_browser import sign_in

pytestmark = pytest.mark.browser

browser = e2e.browser
artifacts = e2e.artifacts

CORRIDOR = [[101.719, 26.579], [101.721, 26.579], [101.721, 26.581], [101.719, 26.581]]


def _in(post, user, hh, mm, gate):
    when = local(SCHOOL_DAY, hh, mm)
    services.checkin_record(
        post=post,
        user=user,
        at=when,
        latitude=gate[0],
        longitude=gate[1],
        accuracy_m=10,
        now=when + dt.timedelta(minutes=1),
    )


@pytest.fixture
def site(transactional_db, settings, posts, people, pschools, city, monkeypatch):
    settings.MAP_TILE_URL = ""  # offline: nothing may be fetched from outside
    # The morning of the demo day is over: the map's colours do not depend on the clock.
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 12 * 60)
    a, b = posts
    services.post_update(post=a, corridor=CORRIDOR, is_pilot=True)
    c = services.post_create(
        school=pschools[1],
        name="后门护学岗",
        latitude=GATE_B[0],
        longitude=GATE_B[1] + Decimal("0.002"),
    )
    _in(a, people.guard, 7, 15, GATE_A)  # a guard only: amber
    _in(b, people.officer_b, 7, 5, GATE_B)  # police: green; post c nobody: red
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=GATE_A[0], longitude=GATE_A[1])
    north, _lon = offset(GATE_A[0], GATE_A[1], 800)
    route = services.route_create(
        organization=city.station_a,
        name="甲网格一号线",
        checkpoints=[
            {
                "name": "甲小学校门",
                "school": pschools[0],
                "latitude": GATE_A[0],
                "longitude": GATE_A[1],
            },
            {"name": "农贸市场路口", "latitude": north, "longitude": GATE_A[1]},
        ],
    )
    log = services.patrol_start(route=route, leader=people.officer_a)
    for n in range(3):
        school_services.device_create(
            school=pschools[0], kind="camera", name=f"摄像机{n}", is_online=n != 0
        )
    video = services.video_patrol_record(
        school=pschools[0], officer=people.officer_a, cameras_checked=3, cameras_offline=1
    )
    return {"posts": (a, b, c), "route": route, "log": log, "video": video}


def pages_of(site):
    return [
        f"/patrols/stats/?date={SCHOOL_DAY.isoformat()}",
        "/patrols/routes/",
        f"/patrols/routes/{site['route'].pk}/",
        "/patrols/routes/new/",
        f"/patrols/routes/{site['route'].pk}/edit/",
        "/patrols/logs/",
        "/patrols/logs/new/",
        f"/patrols/logs/{site['log'].pk}/",
        "/patrols/video/",
        "/patrols/video/new/",
        f"/patrols/video/{site['video'].pk}/",
    ]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_renders_the_stats_map_and_the_patrol_pages_without_console_errors(
    live_server, site, browser, artifacts, size
):
    context, page = open_page(browser, size)
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("data:", live_server.url)) else None
        ),
    )
    try:
        sign_in(page, live_server.url, "commander" if size == "laptop" else "officer_a")
        for path in pages_of(site):
            if size == "laptop" and ("/new/" in path or "/edit/" in path):
                continue  # the commander reads only; the forms are checked on the phone
            page.goto(live_server.url + path)
            e2e.settle(page)
            assert page.locator("h1").first.is_visible(), path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=str(artifacts / f"patrols-{size}-{name}.png"), full_page=True)
            if path.startswith("/patrols/stats/"):
                markers = page.locator("#stats-map path.hx-mk")
                markers.first.wait_for()
                expected = 3 if size == "laptop" else 1  # officer_a sees station 01's post
                assert markers.count() == expected
                assert page.get_attribute("#stats-map", "data-drawn") == str(expected)
                assert page.locator("#stats-map path.hx-corridor").count() == 1
                assert page.locator("#stats-map .leaflet-control-scale").count() == 1
                assert page.locator("#stats-map .leaflet-tile").count() == 0
                assert "hx-map-plain" in page.get_attribute("#stats-map", "class")
                if size == "laptop":
                    for status in ("ok", "warn", "bad"):
                        assert page.locator(f"#stats-map path.hx-mk-{status}").count() == 1
                else:
                    assert page.locator("#stats-map path.hx-mk-warn").count() == 1
                page.locator("#stats-map path.hx-mk").first.click()
                page.locator(".hx-map-popup").wait_for()
        assert not outside, outside
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_officer_a_ticks_a_checkpoint_from_the_phones_position(live_server, site, browser):
    context, page = open_page(browser, "phone")
    log = site["log"]
    gate, crossing = site["route"].checkpoints.order_by("order")
    try:
        context.grant_permissions(["geolocation"], origin=live_server.url)
        lat, lon = offset(GATE_A[0], GATE_A[1], 25)
        context.set_geolocation({"latitude": float(lat), "longitude": float(lon), "accuracy": 10})
        sign_in(page, live_server.url, "officer_a")
        page.goto(f"{live_server.url}/patrols/logs/{log.pk}/")
        with page.expect_navigation():
            page.locator(f"[data-testid=visit-{gate.pk}]").click()
        page.get_by_text("已到达巡逻点“甲小学校门”").wait_for()
        visit = CheckpointVisit.objects.get(log=log, checkpoint=gate)
        assert 20 <= visit.distance_m <= 30
        assert page.locator(f"[data-checkpoint='{gate.pk}'][data-state=visited]").count() == 1
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
        # Still at the gate, 800 m short of the crossing: refused with the distance.
        with page.expect_navigation():
            page.locator(f"[data-testid=visit-{crossing.pk}]").click()
        refusal = page.locator("[data-testid=visit-refusal]")
        refusal.wait_for()
        assert "未到达（半径 150 米）" in refusal.inner_text()
        assert "距巡逻点 7" in refusal.inner_text()  # ~775 m
        assert not CheckpointVisit.objects.filter(log=log, checkpoint=crossing).exists()
    finally:
        context.close()


def test_the_forms_fill_in_what_the_school_chosen_tells(live_server, site, browser, pschools):
    context, page = open_page(browser, "laptop")
    school = pschools[0]
    try:
        sign_in(page, live_server.url, "officer_a")
        page.goto(f"{live_server.url}/patrols/routes/new/")
        page.select_option("#id_cp-0-school", str(school.pk))
        assert page.input_value("#id_cp-0-name") == "甲小学校门"
        assert Decimal(page.input_value("#id_cp-0-latitude")) == GATE_A[0]
        assert Decimal(page.input_value("#id_cp-0-longitude")) == GATE_A[1]
        page.locator("[data-testid=add-checkpoint]").click()
        assert page.input_value("#id_cp-TOTAL_FORMS") == "4"
        assert page.locator("#id_cp-3-name").is_visible()
        page.fill("#id_name", "浏览器路线")
        page.fill("#id_cp-3-name", "第四个点")
        page.fill("#id_cp-3-latitude", "26.581000")
        page.fill("#id_cp-3-longitude", "101.721000")
        with page.expect_navigation():
            page.locator("[data-testid=save-route]").click()
        page.get_by_text("巡逻路线已创建。").wait_for()
        assert page.locator("#checkpoints tbody tr").count() == 2
        page.goto(f"{live_server.url}/patrols/video/new/")
        page.select_option("#id_school", str(school.pk))
        assert page.input_value("#id_cameras_checked") == "3"
        assert page.input_value("#id_cameras_offline") == "1"
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
