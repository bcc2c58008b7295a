"""催办 in the browser, as issue 14's acceptance asks: the district education officer opens an
overdue hazard of school 01, chases it with a note; school 01's security chief, signing in at
another desk, finds the message in 通知, follows it to the hazard and reads "被催办 1 次" and
the chase in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.inspections.models import Hazard
from tests.e2e.test_inspection_loop import new_page, sign_in, submit
from tests.inspections import conftest as inspection_fixtures

pytestmark = pytest.mark.browser

ischools = inspection_fixtures.ischools
make_hazard = inspection_fixtures.make_hazard


def test_the_bureau_chases_and_the_school_reads_it(
    live_server, browser, people, ischools, make_hazard, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    hazard = make_hazard(ischools[0], deadline=timezone.localdate(), title="围墙破损未修复")
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    url = f"{base}{reverse('inspections:hazard_detail', args=[hazard.pk])}"

    bureau = new_page(browser)
    sign_in(bureau, base, "edu_officer")
    bureau.goto(url)
    assert "当前没有您可执行的操作" not in bureau.inner_text("main")
    panel = bureau.locator("[data-testid=open-chase]")
    if panel.count():
        panel.click()
    bureau.fill("[data-testid=action-chase] textarea[name=note]", "请于本周内完成整改并上报")
    submit(bureau, "[data-testid=submit-chase]")
    main = bureau.inner_text("main")
    assert "被催办 1 次" in main and "请于本周内完成整改并上报" in main, main[:600]
    assert bureau.console_errors == []

    school = new_page(browser)
    sign_in(school, base, "chief")
    school.goto(f"{base}{reverse('core:notification_list')}")
    message = school.locator("main a", has_text="催办").first
    assert message.count(), school.inner_text("main")[:600]
    with school.expect_navigation():
        message.click()
    assert school.url.rstrip("/").endswith(f"/hazards/{hazard.pk}"), school.url
    main = school.inner_text("main")
    assert "被催办 1 次" in main and "请于本周内完成整改并上报" in main
    assert school.locator("[data-testid=action-chase]").count() == 0
    assert school.console_errors == []
