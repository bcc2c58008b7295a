"""The school pages in Debian's chromium at laptop and phone size, under the real CSP.

Console errors (a CSP violation is one), failed requests and sideways overflow on a phone
fail the test; the guard form, the delete confirmation and the equipment form are driven
for real as the demo's school security chief.
"""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.schools.models import School
from tests import dbsnapshot
from tests.core.test_pages_browser import SIZES, open_page, sign_in
from tests.e2e import conftest as e2e
from tests.schools.conftest import id_number

pytestmark = pytest.mark.browser

browser = e2e.browser
artifacts = e2e.artifacts


@pytest.fixture
def demo_school(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    return School.objects.get(organization__name="攀枝花市炳草岗小学")


def pages_of(school):
    guard = school.guards.order_by("pk").first()
    device = school.devices.order_by("pk").first()
    base = f"/schools/{school.pk}"
    return [
        "/schools/",
        "/schools/?failing=staffing",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/guards/",
        f"{base}/guards/add/",
        f"{base}/guards/{guard.pk}/edit/",
        f"{base}/guards/{guard.pk}/delete/",
        f"{base}/devices/",
        f"{base}/devices/{device.pk}/edit/",
        f"{base}/equipment/",
    ]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_renders_every_school_page_without_console_errors(
    live_server, demo_school, browser, artifacts, size
):
    context, page = open_page(browser, size)
    try:
        sign_in(page, live_server.url, "officer01")
        for path in pages_of(demo_school):
            page.goto(live_server.url + path)
            e2e.settle(page)
            assert page.locator("h1").first.is_visible(), path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=str(artifacts / f"schools-{size}-{name}.png"), full_page=True)
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_the_security_chief_adds_and_removes_a_guard_and_sets_the_kit(
    live_server, demo_school, browser
):
    context, page = open_page(browser, "phone")
    try:
        sign_in(page, live_server.url, "school01")
        page.get_by_role("button", name="打开导航菜单").click()
        page.locator("#hx-sidenav").get_by_role("link", name="学校").click()
        page.get_by_role("link", name="攀枝花市炳草岗小学").click()
        page.locator(".hx-tabs").get_by_role("link", name="保安员").click()
        page.get_by_role("link", name="新增保安员").click()
        page.fill("#id_name", "新来的保安")
        page.fill("#id_id_number", id_number("510402", dt.date(1972, 3, 4), 31))
        page.fill("#id_certificate_number", "川攀保2026000001")
        page.get_by_role("button", name="保存").click()
        page.get_by_text("保安员信息已保存。").wait_for()
        assert demo_school.guards.filter(name="新来的保安").exists()
        page.locator("tr", has_text="新来的保安").locator("a.btn-outline-danger").click()
        page.get_by_text("确定要删除保安员“新来的保安”吗").wait_for()
        page.get_by_role("button", name="确认删除").click()
        page.get_by_text("保安员已删除。").wait_for()
        assert not demo_school.guards.filter(name="新来的保安").exists()
        page.locator(".hx-tabs").get_by_role("link", name="防护装备").click()
        page.fill("input[name=pepper_spray]", "4")
        page.get_by_role("button", name="保存").click()
        page.get_by_text("防护装备已保存").wait_for()
        assert demo_school.equipment.get(item="pepper_spray").quantity == 4
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
