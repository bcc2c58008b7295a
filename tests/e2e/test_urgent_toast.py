"""Issue 14 in Debian's chromium: an urgent message (a watch-list match) pops up as a toast,
once. Those that arrived while officer_a had no page open are shown on the next page and not
again on a reload; one pushed live to two open tabs is shown in one of them only; a muted
user gets the toast without the sound, and so does a page the browser refuses sound to. All
under the real CSP (a violation is a console error, which fails the test)."""

from __future__ import annotations

import json
import re

import pytest

from huxiao.core import services
from huxiao.core.choices import NotificationLevel
from huxiao.core.models import Notification
from tests.conftest import PASSWORD
from tests.e2e.conftest import settle

pytestmark = pytest.mark.browser

TOAST = "[data-testid=urgent-toast]"


def urgent(user, title: str, link: str = "/notifications/") -> Notification:
    return services.notify(
        recipients=[user],
        title=title,
        body="请立即处置。",
        link=link,
        level=NotificationLevel.URGENT,
    )[0]


def open_tab(context):
    """A tab whose /ws/notifications/ is answered in the browser (the live server is WSGI):
    the returned list gets the socket, through which the test pushes as the server would."""
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
    sockets = []

    def handler(ws):
        sockets.append(ws)
        ws.send(json.dumps({"type": "unread", "count": 1}))

    page.route_web_socket(re.compile(r"/ws/"), handler)
    return page, sockets


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()
    assert "/login/" not in page.url, page.locator("body").inner_text()[:300]
    settle(page)


def no_toast_after_load(page) -> None:
    """The page has listed nothing to claim and, after its claims could have come back, shows
    no toast."""
    settle(page)
    assert page.locator("#hx-urgent-alerts").get_attribute("data-pending") == ""
    page.wait_for_timeout(800)
    assert page.locator(TOAST).count() == 0


def test_a_message_that_arrived_while_away_pops_up_once(live_server, browser, people, artifacts):
    earlier = urgent(people.officer_a, "布控比中：赵某")
    notification = urgent(people.officer_a, "布控比中：张某在校门口出现")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    try:
        page, _ = open_tab(context)
        sign_in(page, live_server.url, "officer_a")
        # Both that arrived while away: the page names the newest, whose claim names the other.
        page.locator(TOAST).nth(1).wait_for(state="visible", timeout=5000)
        assert page.locator(TOAST).count() == 2
        assert "布控比中：赵某" in page.locator(TOAST).nth(1).inner_text()
        toast = page.locator(TOAST).first
        assert "布控比中：张某在校门口出现" in toast.inner_text()
        assert "请立即处置。" in toast.inner_text()
        assert toast.get_by_role("link", name="查看").get_attribute("href") == "/notifications/"
        # Not muted: it beeped (this headless chromium allows sound; see the last test).
        assert toast.get_attribute("data-sound") == "played"
        page.wait_for_function("() => !document.querySelector('.toast.showing')")  # faded in
        page.screenshot(path=str(artifacts / "urgent-toast.png"))
        for shown in (notification, earlier):
            shown.refresh_from_db()
            assert shown.alerted_at is not None

        page.reload()
        no_toast_after_load(page)
        page.goto(f"{live_server.url}/notifications/")
        no_toast_after_load(page)
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_a_live_push_pops_up_in_one_tab_only(live_server, browser, people):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    try:
        first, first_sockets = open_tab(context)
        sign_in(first, live_server.url, "officer_a")
        second, second_sockets = open_tab(context)
        second.goto(f"{live_server.url}/notifications/")
        settle(second)
        for page in (first, second):
            assert page.locator(TOAST).count() == 0
        notification = urgent(people.officer_a, "紧急：报警求助")
        for sockets in (first_sockets, second_sockets):
            sockets[-1].send(json.dumps({"type": "urgent", "id": notification.pk}))
        for _ in range(50):  # until one of them shows it (the tabs are two frames)
            counts = [first.locator(TOAST).count(), second.locator(TOAST).count()]
            if any(counts):
                break
            first.wait_for_timeout(100)
        second.wait_for_timeout(800)  # the other tab's claim has come back by now
        counts = [first.locator(TOAST).count(), second.locator(TOAST).count()]
        assert sorted(counts) == [0, 1], counts
        shown = first if counts[0] else second
        assert "紧急：报警求助" in shown.locator(TOAST).inner_text()
        # The toast closes with its button.
        shown.locator(TOAST).get_by_role("button", name="关闭").click()
        shown.locator(TOAST).wait_for(state="detached", timeout=5000)
        for page in (first, second):
            assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_a_muted_user_gets_the_toast_without_the_sound(live_server, browser, people):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    try:
        page, _ = open_tab(context)
        sign_in(page, live_server.url, "officer_a")
        page.goto(f"{live_server.url}/profile/")
        page.get_by_label("静音紧急提醒提示音").check()
        with page.expect_navigation():
            page.locator("form[action='/profile/alerts/']").get_by_role(
                "button", name="保存"
            ).click()
        settle(page)
        assert page.get_by_label("静音紧急提醒提示音").is_checked()
        urgent(people.officer_a, "布控比中：李某")
        page.goto(f"{live_server.url}/")
        toast = page.locator(TOAST)
        toast.wait_for(state="visible", timeout=5000)
        assert "布控比中：李某" in toast.inner_text()
        assert toast.get_attribute("data-sound") == "muted"
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


# What a browser does to a page the user has not interacted with yet: the audio stays suspended
# and resume() is refused. (This headless chromium plays sound freely, so it is made to refuse.)
REFUSE_SOUND = """
(() => {
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    get state() { return "suspended"; }
    resume() { return Promise.reject(new DOMException("no user gesture", "NotAllowedError")); }
  };
})();
"""


def test_a_browser_refusing_sound_still_shows_the_toast(live_server, browser, people):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    context.add_init_script(REFUSE_SOUND)
    try:
        page, _ = open_tab(context)
        sign_in(page, live_server.url, "officer_a")
        urgent(people.officer_a, "布控比中：王某")
        page.reload()
        toast = page.locator(TOAST)
        toast.wait_for(state="visible", timeout=5000)
        assert "布控比中：王某" in toast.inner_text()
        page.wait_for_timeout(500)
        assert toast.get_attribute("data-sound") == "blocked"
        # The refusal is handled: no uncaught rejection, no console error.
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
