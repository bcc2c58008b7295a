"""The acceptance's browser walk of issue 15: the commander opens the city dashboard at laptop
(1366×768) and phone (390×844) size — nothing wider than the screen, the charts and the map
drawn under the CSP, and the 未达标 staffing tile opens the list of exactly those schools — and
the big screen at 1920×1080 fits without scrolling, shows its live indicator connected and
re-reads its figures when the socket says something changed."""

from __future__ import annotations

import json
import re

import pytest

from huxiao.demo.generator import DEFAULT_PASSWORD
from tests import dbsnapshot
from tests.e2e.conftest import answer_websockets, settle

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}


@pytest.fixture
def demo_city(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    return demo_snapshot.payload


def open_page(browser, viewport, **extra):
    context = browser.new_context(locale="zh-CN", viewport=viewport, **extra)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))
    page.on(
        "response",
        lambda r: (
            page.console_errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    return context, page


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()
    assert "/login/" not in page.url, page.locator("body").inner_text()[:300]


def canvas_size(page, selector: str) -> tuple[float, float]:
    return page.evaluate(
        """(sel) => { const c = document.querySelector(sel + ' canvas');
        if (!c) return [0, 0]; const r = c.getBoundingClientRect(); return [r.width, r.height]; }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_commander_walks_the_city_dashboard(
    live_server, demo_city, browser, viewport, artifacts
):
    phone = viewport is PHONE
    context, page = open_page(browser, viewport, is_mobile=phone, has_touch=phone)
    try:
        answer_websockets(page, {"type": "unread", "count": 0})
        sign_in(page, live_server.url, "commander")
        page.goto(f"{live_server.url}/reports/dashboard/")
        settle(page)
        page.locator("[data-testid=breakdown] [data-chart] canvas").wait_for(timeout=10000)
        page.locator("[data-testid=trend] [data-chart] canvas").wait_for(timeout=10000)
        for selector in (
            "[data-testid=breakdown] [data-chart]",
            "[data-testid=trend] [data-chart]",
        ):
            width, height = canvas_size(page, selector)
            assert width > 100 and height > 100, (selector, width, height)
        drawn = page.locator("#dashboard-map").get_attribute("data-drawn")
        assert drawn is not None and int(drawn) > 0
        assert page.locator("#dashboard-map .leaflet-interactive").count() >= int(drawn)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"页面比屏幕宽 {overflow}px"
        name = "phone" if phone else "laptop"
        page.wait_for_timeout(1200)  # the charts' opening animation (1 s), for the picture
        page.screenshot(path=str(artifacts / f"dashboard-commander-{name}.png"), full_page=True)

        tile = page.locator("[data-testid='tile-schools.failing_staffing']")
        shown = int(tile.locator(".hx-tile-value").inner_text())
        assert shown > 0
        with page.expect_navigation():
            tile.click()
        assert "/schools/" in page.url and "failing=staffing" in page.url
        settle(page)
        assert page.locator(".hx-table tbody tr").count() == shown
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_the_big_screen_fits_1920_by_1080_and_is_live(live_server, demo_city, browser, artifacts):
    context, page = open_page(browser, SCREEN)
    try:
        # The live server speaks WSGI only: the socket is answered in the browser, first with
        # the consumer's greeting, then with a change, which makes the page re-read its JSON.
        sockets = []

        def answer(ws):
            sockets.append(ws)
            for message in ({"type": "hello"}, {"type": "changed", "what": "checkin"}):
                ws.send(json.dumps(message))

        # the shell's own socket; the live one (the last route registered is asked first)
        answer_websockets(page, {"type": "unread", "count": 0})
        page.route_web_socket(re.compile(r"/ws/live/"), answer)
        sign_in(page, live_server.url, "commander")
        page.goto(f"{live_server.url}/reports/bigscreen/")
        settle(page)
        indicator = page.locator("[data-testid=live-indicator]")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=live-indicator]').dataset.live === 'open'",
            timeout=10000,
        )
        assert indicator.inner_text().strip() == "实时"
        page.wait_for_function(
            "() => document.querySelector('[data-bigscreen]').dataset.refreshed === '1'",
            timeout=10000,
        )
        page.locator("#bigscreen-chart canvas").wait_for(timeout=10000)
        width, height = canvas_size(page, "#bigscreen-chart")
        assert width > 200 and height > 150, (width, height)
        assert int(page.locator("#bigscreen-map").get_attribute("data-drawn")) > 0
        assert page.locator("[data-testid='tile-persons.in_control']").count() == 1
        sizes = page.evaluate(
            """() => ({h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth,
                      ih: window.innerHeight, iw: window.innerWidth})"""
        )
        assert sizes["h"] <= sizes["ih"] and sizes["w"] <= sizes["iw"], sizes
        # every tile is inside the screen (nothing cut off below the fold)
        bottom = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('.hx-bs-tile')]
                   .map(t => t.getBoundingClientRect().bottom))"""
        )
        assert bottom <= sizes["ih"], bottom
        page.screenshot(path=str(artifacts / "bigscreen-commander.png"))
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)

        # the JSON cannot be read (network down, signed out): the numbers stay, marked stale;
        # the next change that reads it clears the mark
        note = page.locator("[data-stale-note]")
        assert note.is_hidden()
        page.route("**/reports/bigscreen/data/**", lambda route: route.abort())
        sockets[-1].send(json.dumps({"type": "changed", "what": "checkin"}))
        note.wait_for(state="visible", timeout=10000)
        assert page.locator("[data-testid='tile-persons.in_control']").count() == 1
        page.unroute("**/reports/bigscreen/data/**")
        sockets[-1].send(json.dumps({"type": "changed", "what": "checkin"}))
        note.wait_for(state="hidden", timeout=10000)
        page.wait_for_function(
            "() => document.querySelector('[data-bigscreen]').dataset.refreshed === '2'",
            timeout=10000,
        )
    finally:
        context.close()
