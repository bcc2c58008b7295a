"""The shell in Debian's chromium: every page at laptop and phone size, under the real CSP.

Console errors (a CSP violation is one) fail the test. The htmx mark-read, the Alpine
copy button, the phone's collapsed navigation and the language switch are driven for real.
"""

from __future__ import annotations

import pytest

from huxiao.core import services
from huxiao.core.models import User
from huxiao.demo.generator import DEFAULT_PASSWORD
from tests import dbsnapshot
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.browser

# The browser fixtures of tests/e2e (one chromium per module), used here too.
browser = e2e.browser
artifacts = e2e.artifacts

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
PAGES = [
    "/",
    "/organizations/",
    "/organizations/?kind=school",
    "/users/",
    "/notifications/",
    "/profile/",
]


@pytest.fixture
def demo_city(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    officer = User.objects.get(username="officer01")
    services.notify(
        recipients=[officer] * 2, title="隐患整改期限将至", body="请于3个工作日内完成复查。"
    )


def open_page(browser, size):
    width, height = SIZES[size]
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, is_mobile=size == "phone"
    )
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
    e2e.answer_websockets(page, {"type": "unread", "count": 2})
    return context, page


def sign_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator(".hx-auth-body button[type=submit]").click()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_renders_every_page_without_console_errors(
    live_server, demo_city, browser, artifacts, size
):
    context, page = open_page(browser, size)
    try:
        sign_in(page, live_server.url, "officer01")
        for path in PAGES:
            page.goto(live_server.url + path)
            e2e.settle(page)
            assert page.locator("h1").first.is_visible(), path
            # nothing sticks out sideways on a phone
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            name = (
                path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "core:home"
            )
            page.screenshot(path=str(artifacts / f"shell-{size}-{name}.png"), full_page=True)
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_it_marks_notifications_read_over_htmx(live_server, demo_city, browser):
    context, page = open_page(browser, "laptop")
    try:
        sign_in(page, live_server.url, "officer01")
        page.goto(f"{live_server.url}/notifications/")
        page.locator("#hx-unread-top").wait_for(state="visible")
        from huxiao.core.models import Notification

        unread = Notification.objects.filter(
            recipient__username="officer01", read_at__isnull=True
        ).count()
        assert unread >= 2  # the demo city leaves officer01 several messages
        page.locator(".hx-notice button", has_text="标为已读").first.click()
        page.locator(".hx-notice.hx-read").first.wait_for()
        assert page.locator("#hx-unread-top").inner_text() == str(unread - 1)
        assert page.url == f"{live_server.url}/notifications/"  # swapped in place, no reload
        page.get_by_role("button", name="全部标为已读").click()
        page.locator("#hx-unread-top").wait_for(state="hidden")
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_it_shows_a_new_token_once_with_a_working_copy_button(live_server, demo_city, browser):
    context, page = open_page(browser, "laptop")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        sign_in(page, live_server.url, "officer01")
        page.goto(f"{live_server.url}/profile/")
        page.fill("input[name=name]", "门禁系统对接")
        page.get_by_role("button", name="创建令牌").click()
        token = page.locator("[data-testid=new-token]")
        token.wait_for()
        assert token.input_value().startswith("hx_")
        page.get_by_role("button", name="复制").click()
        page.get_by_text("已复制到剪贴板。").wait_for()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="吊销").click()
        page.get_by_text("已吊销").wait_for()
        assert page.locator("[data-testid=new-token]").count() == 0
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_it_collapses_the_navigation_on_a_phone_and_switches_language(
    live_server, demo_city, browser
):
    context, page = open_page(browser, "phone")
    try:
        sign_in(page, live_server.url, "commander")
        nav = page.locator("#hx-sidenav")
        assert not nav.is_visible()
        page.get_by_role("button", name="打开导航菜单").click()
        nav.get_by_role("link", name="单位").click()
        page.wait_for_url(f"{live_server.url}/organizations/")
        page.get_by_role("button", name="切换语言").click()
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").first.inner_text() == "Organisations"
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
