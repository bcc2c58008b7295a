"""The rectification loop in the browser (SPEC 2.2 acceptance):

officer01 inspects school 01 and fails an item → the hazard → a numbered notice, downloaded
as .docx → school 01's security chief finds it in “我的待办”, starts and reports with a
photo → officer01 re-checks and closes it; the history shows every step with actor and time.
Then the same hazard and notice pages: the district education officer of school 01 reads
them, another station's officer is told they do not exist.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from huxiao.inspections.models import Hazard, RectificationNotice
from tests.conftest import PASSWORD
from tests.e2e.conftest import answer_websockets
from tests.inspections import conftest as inspection_fixtures
from tests.inspections.conftest import png_bytes

pytestmark = pytest.mark.browser

# The inspections fixtures (school records of the harness city, the default checklist).
ischools = inspection_fixtures.ischools
checklist = inspection_fixtures.checklist

TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def sign_in(page, base: str, username: str) -> None:
    """Through the real login form, as a person would."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()
    assert "/login/" not in page.url, page.locator("body").inner_text()[:300]


def new_page(browser):
    """A second signed-out browser (another person at another desk)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))
    page.on(
        "response",
        lambda r: (
            page.console_errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    answer_websockets(page)
    return page


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def state_of(page) -> str:
    return page.locator(".hx-page-head .hx-hazard-state").inner_text().strip()


def test_it_runs_the_loop_from_inspection_to_closing(
    live_server, browser, page, people, ischools, checklist, tmp_path, artifacts
):
    base = live_server.url
    school_a, _school_b = ischools
    answer_websockets(page)

    # officer01 (officer_a, station 01) inspects school 01 and fails RF-01.
    sign_in(page, base, "officer_a")
    page.goto(f"{base}{reverse('inspections:inspection_create')}?school={school_a.pk}")
    page.fill("input[name=date]", f"{timezone.localdate():%Y-%m-%d}")
    page.select_option("select[name=checklist]", str(checklist.pk))
    assert page.is_checked(f"input[name=inspectors][value='{people.officer_a.pk}']")
    submit(page, "[data-testid=inspection-start]")
    assert re.search(r"/inspections/inspections/\d+/$", page.url), page.inner_text("main")
    codes = page.locator("tr[data-code]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert "RF-01" in codes and len(codes) >= 10
    for code in codes:
        page.check(f"[data-testid=result-{code}-{'fail' if code == 'RF-01' else 'pass'}]")
    page.fill("[data-testid=note-RF-01]", "上放学高峰时段校门仅1名保安值守")
    page.fill("[data-testid=inspection-summary]", "发现隐患1项，已当场反馈。")
    submit(page, "[data-testid=inspection-finish]")
    assert page.get_attribute("[data-testid=inspection-status]", "data-status") == "finished"

    # The failed item → a hazard in one step.
    page.fill("[data-testid=hazard-form-RF-01] input[name=title]", "保安员配备不足")
    submit(page, "[data-testid=create-hazard-RF-01]")
    match = re.search(r"/inspections/hazards/(\d+)/$", page.url)
    assert match, page.url
    hazard_url = page.url
    hazard = Hazard.objects.get(pk=int(match.group(1)))
    assert hazard.school == school_a and hazard.inspection_result.item.code == "RF-01"
    assert state_of(page) == "待整改"

    # → a numbered notice (the hazard preselected), downloaded as .docx.
    submit(page, "[data-testid=action-notice]")
    assert page.is_checked(f"input[name=hazards][value='{hazard.pk}']")
    submit(page, "[data-testid=issue-notice]")
    year = timezone.localdate().year
    number = f"测甲公治〔{year}〕1号"
    assert page.inner_text("[data-testid=notice-number]").strip() == number
    notice_url = page.url
    notice = RectificationNotice.objects.get(number=number)
    assert list(notice.hazards.all()) == [hazard]
    with page.expect_download() as download:
        page.click("[data-testid=download-docx]")
    path = tmp_path / "notice.docx"
    download.value.save_as(path)
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert number in text and school_a.organization.name in text

    # School 01's security chief (chief) finds it in “我的待办”, starts, reports with a photo.
    school = new_page(browser)
    sign_in(school, base, "chief")
    school.goto(f"{base}/my-tasks/")
    row = school.locator("tr[data-kind=hazard_rectify]", has_text="保安员配备不足")
    assert row.count() == 1
    with school.expect_navigation():
        row.get_by_role("link").click()
    assert school.url == hazard_url
    submit(school, "[data-testid=submit-start]")
    assert state_of(school) == "整改中"
    photo = tmp_path / "after.png"
    photo.write_bytes(png_bytes((30, 160, 60)))
    school.fill("[data-testid=action-report] textarea[name=measures]", "已增配专职保安员1名。")
    school.set_input_files("[data-testid=action-report] input[name=evidence]", str(photo))
    submit(school, "[data-testid=submit-report]")
    assert state_of(school) == "待复查"
    assert school.locator("#hazard-reports img").count() == 1
    school.goto(f"{base}/my-tasks/")
    assert school.locator("tr[data-kind=hazard_rectify]", has_text="保安员配备不足").count() == 0
    assert not school.console_errors, "\n".join(school.console_errors)
    school.context.close()

    # officer01 re-checks and closes it.
    page.goto(f"{base}/my-tasks/")
    assert page.locator("tr[data-kind=hazard_recheck]", has_text="保安员配备不足").count() == 1
    page.goto(hazard_url)
    page.check("[data-testid=action-recheck] input[name=passed][value='1']")
    page.fill("[data-testid=action-recheck] textarea[name=note]", "现场复查，已整改到位。")
    submit(page, "[data-testid=submit-recheck]")
    assert state_of(page) == "已销号"
    assert page.locator("[data-testid=no-actions]").inner_text().strip() == "该隐患已销号。"

    # The history: each step with who and when.
    rows = page.locator("#hazard-history tbody tr")
    history = [
        (
            rows.nth(i).get_attribute("data-action"),
            rows.nth(i).locator("td").nth(1).inner_text().strip(),
            rows.nth(i).locator("td").nth(0).inner_text().strip(),
        )
        for i in range(rows.count())
    ]
    assert [(action, actor) for action, actor, _at in history] == [
        ("created", "officer_a"),
        ("notice_issued", "officer_a"),
        ("started", "chief"),
        ("reported", "chief"),
        ("recheck_passed", "officer_a"),
    ]
    today = f"{timezone.localtime():%Y-%m-%d}"
    assert all(TIME.match(at) and at.startswith(today) for _a, _b, at in history), history
    assert [at for _a, _b, at in history] == sorted(at for _a, _b, at in history)
    page.screenshot(path=str(artifacts / "hazard-closed-officer01.png"), full_page=True)
    assert not page.console_errors, "\n".join(page.console_errors)

    # The same pages for others: the education officer of school 01's district reads them;
    # another station's officer gets the answer a missing page gets.
    document_url = reverse("inspections:notice_document", args=[notice.pk])
    for username, expected in (("edu_officer", 200), ("officer_b", 404)):
        client = Client()
        client.force_login(getattr(people, username))
        for url in (hazard_url, notice_url, f"{base}{document_url}"):
            response = client.get(url.removeprefix(base))
            assert response.status_code == expected, (username, url, response.status_code)
