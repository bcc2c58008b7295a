"""The auditor's page in Debian's chromium, under the real CSP: the type picker, the chain
check started by its button and polled to its result, at laptop and phone size."""

from __future__ import annotations

import pytest

from tests import dbsnapshot
from tests.core.test_pages_browser import open_page, sign_in
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.browser

browser = e2e.browser
artifacts = e2e.artifacts


@pytest.fixture
def demo_city(transactional_db, demo_snapshot, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    dbsnapshot.restore(demo_snapshot)


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_auditor_picks_a_type_and_checks_the_chain(
    live_server, demo_city, browser, artifacts, size
):
    context, page = open_page(browser, size)
    try:
        sign_in(page, live_server.url, "auditor")
        page.goto(f"{live_server.url}/audit/")
        e2e.settle(page)
        page.select_option("select[name=object_type]", label="隐患")
        with page.expect_navigation():
            page.get_by_role("button", name="查询").click()
        assert "object_type=inspections.hazard" in page.url
        assert page.locator(".hx-type", has_text="隐患").count() > 0
        page.get_by_role("button", name="立即校验").click()
        page.locator("[data-testid=audit-verify][data-state=ok]").wait_for()
        assert "链完整" in page.locator("[data-testid=audit-verify]").inner_text()
        assert "object_type=inspections.hazard" in page.url  # back to the filtered list
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
        page.screenshot(path=str(artifacts / f"audit-{size}.png"), full_page=True)
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
