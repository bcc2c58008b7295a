"""在线用户 and 定时任务 in the browser: the confirmations (htmx hx-confirm on boosted forms),
a forced logout that sends the user back to the sign-in page, the daily hazard sweep run now
with its result on the page."""

from __future__ import annotations

import pytest

from huxiao.core.models import TaskRun
from tests.e2e.conftest import settle
from tests.e2e.test_inspection_loop import new_page, sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_forces_a_user_out_and_runs_the_sweep(browser, live_server, people):
    base = live_server.url
    officer = new_page(browser)
    sign_in(officer, base, "officer_b")
    admin = new_page(browser)
    sign_in(admin, base, "admin")

    admin.goto(f"{base}/system/sessions/")
    settle(admin)
    row = admin.locator("tr", has_text="officer_b")
    assert row.count() == 1
    assert "Chrome" in row.inner_text() or "其他" in row.inner_text()
    admin.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("session-end").click()
    admin.wait_for_function("() => !document.body.innerText.includes('officer_b')")
    officer.goto(f"{base}/")
    assert "/login/" in officer.url

    admin.goto(f"{base}/system/tasks/")
    settle(admin)
    sweep = admin.locator("tr", has_text="hazard_daily_sweep")
    assert "每天 07:05" in sweep.inner_text()
    admin.once("dialog", lambda dialog: dialog.accept())
    sweep.get_by_test_id("task-run").click()
    admin.wait_for_function("() => document.body.innerText.includes('任务已执行完成')")
    assert "overdue" in admin.get_by_test_id("taskrun-result").first.inner_text()
    run = TaskRun.objects.get(name__endswith="hazard_daily_sweep", triggered_by=people.admin)
    assert run.outcome == TaskRun.Outcome.SUCCESS

    admin.goto(f"{base}/system/health/")
    settle(admin)
    assert admin.get_by_test_id("health-table").locator("tr[data-check]").count() == 6

    for p in (admin, officer):
        assert not [e for e in p.console_errors if "pageerror" in e], p.console_errors
