"""The 护学岗 pages in Debian's chromium at laptop and phone size, under the real CSP.

The list's map and a post's map (marker image from static, radius circle, 护学通道 polygon) are
drawn by Leaflet without tiles (the offline demo); console errors (a CSP violation is one),
failed requests and sideways overflow on a phone fail the test. On a laptop officer_a draws
a post's position and corridor by clicking the map and saves it.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from huxiao.patrols import services
from huxiao.patrols.models import DutyShift, GuardPost
from tests.conftest import PASSWORD
from tests.core.test_pages_browser import SIZES, open_page
from tests.e2e import conftest as e2e

from .conftest import SCHOOL_DAY

pytestmark = pytest.mark.browser

browser = e2e.browser
artifacts = e2e.artifacts

CORRIDOR = [[101.719, 26.579], [101.721, 26.579], [101.721, 26.581], [101.719, 26.581]]


def sign_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator(".hx-auth-body button[type=submit]").click()


@pytest.fixture
def site(transactional_db, settings, posts, people):
    settings.MAP_TILE_URL = ""  # offline: nothing may be fetched from outside
    post_a, _ = posts
    services.post_update(post=post_a, corridor=CORRIDOR, is_pilot=True)
    today = timezone.localdate()
    DutyShift.objects.create(
        post=post_a,
        date=today,
        window="am",
        person=people.guard,
        person_name="门卫老王",
        person_kind="guard",
    )
    return post_a


def pages_of(post):
    return [
        "/patrols/posts/",
        f"/patrols/posts/{post.pk}/",
        f"/patrols/posts/{post.pk}/edit/",
        "/patrols/posts/new/",
        f"/patrols/posts/{post.pk}/roster/?day={SCHOOL_DAY.isoformat()}",
        "/patrols/shifts/?date_from=2026-01-01",
        f"/patrols/shifts/new/?post={post.pk}",
    ]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_renders_the_post_pages_and_their_maps_without_console_errors(
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
        sign_in(page, live_server.url, "officer_a")
        for path in pages_of(site):
            page.goto(live_server.url + path)
            e2e.settle(page)
            assert page.locator("h1").first.is_visible(), path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=str(artifacts / f"patrols-{size}-{name}.png"), full_page=True)
            if path == "/patrols/posts/":
                # one marker for the post, its corridor, a scale bar and no tiles
                assert page.locator("#post-map path.hx-mk").count() == 1
                assert page.locator("#post-map path.hx-corridor").count() == 1
                assert page.locator("#post-map .leaflet-control-scale").count() == 1
                assert page.locator("#post-map .leaflet-tile").count() == 0
                assert "hx-map-plain" in page.get_attribute("#post-map", "class")
            if path == f"/patrols/posts/{site.pk}/":
                icon = page.locator("#post-map img.leaflet-marker-icon")
                icon.wait_for()
                assert "/static/vendor/leaflet/images/marker-icon" in icon.get_attribute("src")
                assert page.evaluate(
                    "document.querySelector('#post-map img.leaflet-marker-icon').naturalWidth"
                )
                assert page.locator("#post-map path.hx-radius").count() == 1
                assert page.locator("#post-map path.hx-corridor").count() == 1
                assert page.locator("[data-testid=qr-code] svg").is_visible()
                # printing the page prints the QR sign alone
                page.emulate_media(media="print")
                assert page.locator("#qr-sign svg").is_visible()
                assert not page.locator("#post-facts").is_visible()
                assert not page.locator("#today-duty").is_visible()
                assert not page.locator("[data-testid=print-sign]").is_visible()
                page.screenshot(path=str(artifacts / f"patrols-{size}-qr-print.png"))
                page.emulate_media(media="screen")
        assert not outside, outside
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_officer_a_sets_a_post_and_draws_its_corridor_on_the_map(
    live_server, site, browser, pschools
):
    context, page = open_page(browser, "laptop")
    try:
        sign_in(page, live_server.url, "officer_a")
        page.goto(live_server.url + "/patrols/posts/new/")
        page.select_option("#id_school", str(pschools[0].pk))
        page.fill("#id_name", "西门护学岗")
        box = page.locator("#post-editor-map").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(cx, cy)  # the post's position
        assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
        page.check("#map-click-corridor")
        for dx, dy in ((-60, -60), (60, -60), (60, 60), (-60, 60), (0, 90)):
            page.mouse.click(cx + dx, cy + dy)
        assert page.inner_text("[data-testid=corridor-count]") == "5"
        page.get_by_role("button", name="撤销一点").click()
        assert page.inner_text("[data-testid=corridor-count]") == "4"
        page.get_by_role("button", name="保存").click()
        page.get_by_text("护学岗已创建。").wait_for()
        post = GuardPost.objects.get(name="西门护学岗")
        assert len(post.corridor) == 4
        lats = [p[1] for p in post.corridor]
        assert min(lats) < float(post.latitude) < max(lats)
        page.locator("#post-map path.hx-corridor").wait_for()
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_the_bulk_form_reloads_a_posts_windows_and_counts_school_days(
    live_server, site, browser, pschools, people
):
    evening = services.post_create(
        school=pschools[0],
        name="北门晚自习岗",
        latitude=site.latitude,
        longitude=site.longitude,
        windows=[{"code": "ev", "name": "晚自习", "start": "20:30", "end": "21:30"}],
    )
    context, page = open_page(browser, "phone")
    try:
        sign_in(page, live_server.url, "chief")
        page.goto(live_server.url + "/patrols/shifts/new/")
        assert page.get_by_label("放学 16:00–18:00").is_visible()
        page.select_option("#id_post", str(evening.pk))
        page.get_by_label("晚自习 20:30–21:30").wait_for()
        assert page.get_by_label("放学 16:00–18:00").count() == 0
        page.fill("#id_start", "2026-09-28")
        page.fill("#id_end", "2026-10-11")
        page.select_option("#id_people", [str(people.guard.pk), str(people.chief.pk)])
        page.get_by_role("button", name="计算上学日").click()
        page.get_by_text("所选 14 天中有 6 个上学日").wait_for()
        page.get_by_role("button", name="排班", exact=True).click()
        page.get_by_text("已在 6 个上学日排班 12 班").wait_for()
        assert DutyShift.objects.filter(post=evening, window="ev").count() == 12
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
