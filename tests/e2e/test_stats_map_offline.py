"""巡逻统计's map on an intranet (issue 14): a tile server is configured but cannot be reached
(every tile request is aborted), and the map still draws each police station's area with its
name, the schools and the posts, in Debian's chromium under the real CSP.

The posts are legible at the zoom the page opens at (circles of 9 px with a dark halo), the
schools are named once zoomed in, and the legend's 民警到岗 is the window table's.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.patrols import views_stats
from huxiao.schools import services as school_services
from huxiao.system.services import parameters as tile_parameters
from tests.e2e.conftest import answer_websockets, settle
from tests.patrols.conftest import GATE_A, GATE_B, SCHOOL_DAY, posts, pschools  # noqa: F401
from tests.patrols.test_api import _in as check_in
from tests.patrols.test_pages_posts_browser import sign_in

pytestmark = pytest.mark.browser

TILES = "https://t{s}.tiles.example.cn/{z}/{x}/{y}.png"
TILE_REQUEST = re.compile(r"^https://t\d\.tiles\.example\.cn/")


@pytest.fixture
def site(transactional_db, settings, city, people, posts, monkeypatch):  # noqa: F811
    settings.MAP_TILE_URL = ""
    # Saved in 参数设置, so that the page's CSP allows the tile host: the tiles fail because
    # the network does not answer, not because the browser refused them.
    tile_parameters.parameter_set(key="MAP_TILE_URL", raw=TILES, actor=people.admin)
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 24 * 60)  # the day is over
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=GATE_A[0], longitude=GATE_A[1])
    Organization.objects.filter(pk=city.school_b.pk).update(latitude=GATE_B[0], longitude=GATE_B[1])
    for n, (lat, lon) in enumerate([("26.600000", "101.735000"), ("26.570000", "101.745000")]):
        org = core_services.organization_create(
            kind=OrgKind.SCHOOL,
            name=f"甲{n + 1}小",
            code=f"T-SCH-A{n}",
            division_code="530111",
            parent=city.station_a,
            education_bureau=city.edu_a,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        school_services.school_register(
            organization=org, school_code=f"530111802{n}", level="primary", locality="urban"
        )
    check_in(posts[0], people.officer_a, 7, 10)  # police in the morning, nobody after: red
    return posts


def test_it_draws_the_jurisdiction_and_the_posts_with_every_tile_blocked(
    live_server, site, page, artifacts
):
    blocked = []

    def abort(route):
        blocked.append(route.request.url)
        route.abort()

    page.route(TILE_REQUEST, abort)
    answer_websockets(page)  # the live server speaks no WebSocket
    sign_in(page, live_server.url, "commander")
    page.goto(f"{live_server.url}/patrols/stats/?date={SCHOOL_DAY.isoformat()}")
    settle(page)
    areas = page.locator("#stats-map path.hx-area")
    areas.first.wait_for()

    assert blocked, "the page asked for no tile: the test would prove nothing"
    assert areas.count() == 2
    assert page.get_attribute("#stats-map", "data-areas") == "2"
    labels = page.locator("#stats-map .leaflet-tooltip.hx-area-label")
    assert sorted(labels.all_inner_texts()) == ["乙派出所", "甲派出所"]
    assert page.locator("#stats-map path.hx-school").count() == 4
    markers = page.locator("#stats-map path.hx-mk")
    assert markers.count() == 2 and page.locator("#stats-map path.hx-mk-halo").count() == 2
    assert page.locator("#stats-map path.hx-mk-bad").count() == 2  # both have an empty window
    # Every shape is drawn (a path with a size), inside the map.
    box = page.locator("#stats-map").bounding_box()
    for shape in (areas.nth(0), areas.nth(1), markers.nth(0), markers.nth(1)):
        drawn = shape.bounding_box()
        assert drawn and drawn["width"] > 0 and drawn["height"] > 0
        assert box["x"] <= drawn["x"] + drawn["width"] / 2 <= box["x"] + box["width"]
        assert box["y"] <= drawn["y"] + drawn["height"] / 2 <= box["y"] + box["height"]
    # Legible at the zoom the page opens at: a post is at least 18 px across.
    assert min(markers.nth(n).bounding_box()["width"] for n in range(2)) >= 18
    # The failed tiles leave the plain background under the drawing.
    page.wait_for_function(
        "document.getElementById('stats-map').classList.contains('hx-map-plain')"
    )

    page.locator("#stats-map").screenshot(path=str(artifacts / "stats-map-offline.png"))

    # Zoomed in, the schools are named.
    assert page.locator("#stats-map .hx-school-label").count() == 0
    page.evaluate("document.getElementById('stats-map').hxMap.setView([26.58, 101.72], 16)")
    page.locator("#stats-map .hx-school-label").first.wait_for()
    assert "甲小学" in page.locator("#stats-map .hx-school-label").all_inner_texts()
    page.locator("#stats-map").screenshot(path=str(artifacts / "stats-map-offline-zoomed.png"))

    # The legend says what the table says.
    police = sum(
        int(text) for text in page.locator("#stats-windows [data-testid=police]").all_inner_texts()
    )
    assert page.get_attribute("#stats-map-legend [data-status=ok]", "data-count") == str(police)
    assert police == 1

    # Only the blocked tiles may fail (Chromium logs each as "Failed to load resource").
    errors = [e for e in page.console_errors if "ERR_FAILED" not in e]
    assert not errors, "控制台错误：\n" + "\n".join(errors)
