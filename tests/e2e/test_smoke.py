"""Smoke: officer01 signs in to the demo city in Chinese and sees the station's home page."""

from __future__ import annotations

import re

import pytest

from huxiao.demo.generator import DEFAULT_PASSWORD
from tests import dbsnapshot
from tests.e2e.conftest import answer_websockets

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo_city(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    return demo_snapshot.payload


def test_it_signs_officer01_in_and_shows_the_station_home(live_server, demo_city, page, artifacts):
    answer_websockets(page, {"type": "unread", "count": 3})
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang").lower().startswith("zh")
    assert "登录" in page.title()
    assert page.locator("form").get_by_role("button", name="登录").is_visible()

    page.fill("input[name=username]", "officer01")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()

    assert page.url == f"{live_server.url}/", page.url
    body = page.locator("body").inner_text()
    assert "炳草岗派出所" in body  # officer01's station
    assert "张伟" in body  # officer01's name
    assert len(HAN.findall(body)) > 20, body[:500]
    # The shell's script ran under the CSP: it took the unread count from the socket.
    page.locator("[data-unread-badge]").first.wait_for(state="visible", timeout=5000)
    assert page.locator("[data-unread-badge]").first.inner_text() == "3"
    page.screenshot(path=str(artifacts / "home-officer01.png"), full_page=True)
    assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
