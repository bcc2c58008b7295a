"""Checking in from a phone (SPEC 2.4 acceptance), in chromium with a phone's viewport and a set
geolocation: the school's gate guard signs in through the login form and checks in at the
post — 500 m north it is refused with the distance shown; offline at the post it waits under
“待同步” and is sent once when the network returns; checking in again there, online or from the
queue, is answered “您已在本时段签到（…）” and counts nothing more (issue 14); a reload sends
nothing again.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from huxiao.core import workcalendar
from huxiao.core.models import CalendarDay
from huxiao.patrols import rules, services
from huxiao.patrols.models import CheckIn
from tests.conftest import PASSWORD
from tests.e2e.conftest import answer_websockets
from tests.patrols import conftest as patrol_fixtures

pytestmark = pytest.mark.browser

pschools = patrol_fixtures.pschools

GATE = (Decimal("26.580000"), Decimal("101.720000"))
PHONE = {"width": 390, "height": 844}
# Network failures while offline are expected console noise, nothing else is.
EXPECTED = re.compile(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()
    assert "/login/" not in page.url, page.locator("body").inner_text()[:300]


def school_day_today(school) -> None:
    """Make today a school day, whatever the calendar says (the test runs on any date)."""
    today = timezone.localdate()
    if not rules.is_school_day(school.term_calendar, today):
        CalendarDay.objects.update_or_create(
            date=today, defaults={"is_workday": True, "name": "测试上学日"}
        )
        workcalendar.overrides_changed()
    assert rules.is_school_day(school.term_calendar, today)


def fix(metres_north: float = 0, accuracy: float = 8) -> dict:
    lat, lon = patrol_fixtures.offset(GATE[0], GATE[1], metres_north)
    return {"latitude": float(lat), "longitude": float(lon), "accuracy": accuracy}


def test_it_checks_in_from_a_phone_online_far_and_offline(
    live_server, browser, people, pschools, artifacts
):
    school_a = pschools[0]
    school_day_today(school_a)
    # A window over the whole day, so “now” is inside it whenever the test runs.
    post = services.post_create(
        school=school_a,
        name="南门护学岗",
        latitude=GATE[0],
        longitude=GATE[1],
        windows=[{"code": "all", "name": "全天", "start": "00:00", "end": "23:59"}],
    )
    base = live_server.url
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation=fix(0),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    answer_websockets(page)
    try:
        sign_in(page, base, "guard")
        page.goto(f"{base}/patrols/checkin/")
        button = page.locator(f"[data-testid=checkin-{post.pk}]")
        result = page.locator(f"[data-testid=result-{post.pk}]")
        rows = page.locator(f"[data-testid=checkins-{post.pk}] [data-checkin]")
        pending = page.locator("[data-testid=pending-count]")
        assert page.locator("[data-now=true]").inner_text().startswith("全天")
        # The page fits the phone: nothing wider than the viewport.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # 500 m north: refused, with the distance.
        context.set_geolocation(fix(500))
        button.tap()
        page.wait_for_function(
            "el => el.textContent.includes('500 米')", arg=result.element_handle()
        )
        assert "距岗点 500 米，超出打卡范围（100 米）。" in result.inner_text()
        assert rows.count() == 1
        assert rows.nth(0).get_attribute("data-valid") == "false"
        assert CheckIn.objects.filter(is_valid=False, distance_m=500).count() == 1

        # Offline at the post: queued in the page with its time and key, nothing sent.
        context.set_geolocation(fix(20))
        context.set_offline(True)
        button.tap()
        page.wait_for_function("el => el.textContent === '1'", arg=pending.element_handle())
        assert page.locator("[data-testid=pending]").is_visible()
        assert "待同步" in page.locator("[data-testid=pending]").inner_text()
        queue_key = f"huxiao.checkin.queue.{people.guard.pk}"
        queued = json.loads(page.evaluate(f"localStorage.getItem('{queue_key}')"))
        assert len(queued) == 1 and queued[0]["was_offline"] is True
        key = queued[0]["idempotency_key"]
        assert CheckIn.objects.count() == 1
        page.screenshot(path=str(artifacts / "checkin-phone-offline.png"), full_page=True)

        # Back online: synced once (valid, sent late), the queue emptied.
        context.set_offline(False)
        page.wait_for_function("el => el.textContent === '0'", arg=pending.element_handle())
        synced = CheckIn.objects.get(idempotency_key=key)
        assert synced.was_offline and synced.is_valid and synced.distance_m == 20
        assert synced.proof == "gps" and synced.user == people.guard
        assert page.evaluate(f"localStorage.getItem('{queue_key}')") == "[]"
        assert not page.locator("[data-testid=pending]").is_visible()
        assert rows.count() == 2

        # Checked in already (issue 14): a second tap is told so, and counts nothing more.
        already = f"您已在本时段签到（{timezone.localtime(synced.at):%H:%M}），不重复计数。"
        context.set_geolocation(fix(0))
        button.tap()
        page.wait_for_function(
            "el => el.textContent.includes('您已在本时段签到')", arg=result.element_handle()
        )
        assert result.inner_text() == already
        assert rows.count() == 2 and CheckIn.objects.count() == 2

        # The same from the offline queue: the sync is answered, the queue lets it go.
        context.set_offline(True)
        button.tap()
        page.wait_for_function("el => el.textContent === '1'", arg=pending.element_handle())
        context.set_offline(False)
        page.wait_for_function("el => el.textContent === '0'", arg=pending.element_handle())
        assert page.evaluate(f"localStorage.getItem('{queue_key}')") == "[]"
        assert result.inner_text() == already
        assert CheckIn.objects.count() == 2

        # A reload sends nothing again.
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator(f"[data-testid=checkins-{post.pk}] [data-checkin]").count() == 2
        assert CheckIn.objects.filter(idempotency_key=key).count() == 1
        assert CheckIn.objects.count() == 2
        assert [e for e in errors if not EXPECTED.search(e)] == []
    finally:
        context.close()
