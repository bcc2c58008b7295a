"""The registry's pages in Debian's chromium at laptop and phone size, under the real CSP,
with the demo city; and issue 5's acceptance in the browser: officer01 opens a key person
of station 01 (the access log has the entry), asks for the full identity with a reason,
records a follow-up and moves a dispute on the board; edu01 and school01 get 404 on the
same page and API path."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.core.models import AuditRecord, User
from huxiao.demo.persons import SHOWCASE_ID, SHOWCASE_NAME
from huxiao.persons import services
from huxiao.persons.models import Dispute, FollowUp, KeyPerson, ScreeningBatch
from huxiao.schools.models import School
from tests import dbsnapshot
from tests.core.test_pages_browser import SIZES, open_page, sign_in
from tests.e2e import conftest as e2e

pytestmark = pytest.mark.browser

browser = e2e.browser
artifacts = e2e.artifacts


@pytest.fixture
def demo(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    station = User.objects.get(username="officer01").organization
    person = KeyPerson.objects.get(name=SHOWCASE_NAME)
    assert person.station == station
    dispute = Dispute.objects.filter(station=station).order_by("pk").first()
    return person, dispute


def pages_of(person, dispute):
    batch = ScreeningBatch.objects.get(organization=person.station)
    return [
        reverse("persons:key_person_list"),
        reverse("persons:key_person_list") + "?review=due",
        reverse("persons:key_person_detail", args=[person.pk]),
        reverse("persons:key_person_edit", args=[person.pk]),
        reverse("persons:key_person_create"),
        reverse("persons:screening_list"),
        reverse("persons:screening_create"),
        reverse("persons:screening_detail", args=[batch.pk]),
        reverse("persons:key_person_create") + f"?screening={batch.pk}",
        reverse("persons:key_person_import"),
        reverse("persons:dispute_list"),
        reverse("persons:dispute_board"),
        reverse("persons:dispute_detail", args=[dispute.pk]),
        reverse("persons:dispute_create"),
    ]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_it_renders_every_persons_page_without_console_errors(
    live_server, demo, browser, artifacts, size
):
    context, page = open_page(browser, size)
    try:
        sign_in(page, live_server.url, "officer01")
        for path in pages_of(*demo):
            page.goto(live_server.url + path)
            e2e.settle(page)
            assert page.locator("h1, .hx-card-head").first.is_visible(), path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=str(artifacts / f"persons-{size}-{name}.png"), full_page=True)
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()


def test_officer01_opens_reveals_and_follows_up_and_others_get_404(live_server, demo, browser):
    person, _dispute = demo
    detail = reverse("persons:key_person_detail", args=[person.pk])
    context, page = open_page(browser, "laptop")
    try:
        sign_in(page, live_server.url, "officer01")
        page.locator("#hx-sidenav").get_by_role("link", name="重点人员").click()
        page.fill("input[name=q]", person.name)
        page.get_by_role("button", name="查询").click()
        page.get_by_role("link", name=person.name).click()
        page.get_by_test_id("id-number").wait_for()
        assert SHOWCASE_ID not in page.content()
        logged = AuditRecord.objects.filter(
            kind="access", object_type="persons.keyperson", object_id=str(person.pk)
        )
        assert list(logged.values_list("actor_name", flat=True)) == ["officer01"]

        page.fill("#panel-reveal input[name=reason]", "入户走访前核对")
        page.get_by_test_id("submit-reveal").click()
        page.get_by_test_id("revealed").wait_for()
        assert page.get_by_test_id("id-number").inner_text() == SHOWCASE_ID
        assert logged.order_by("seq").last().after == {"reason": "入户走访前核对"}

        page.goto(live_server.url + detail)
        page.fill("#panel-follow-up textarea[name=observations]", "在家，情绪平稳")
        page.get_by_test_id("submit-follow-up").click()
        page.get_by_text("走访核查已记录").wait_for()
        assert FollowUp.objects.filter(person=person, observations="在家，情绪平稳").exists()
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()

    for who in ("edu01", "school01"):
        context, page = open_page(browser, "laptop")
        try:
            sign_in(page, live_server.url, who)
            assert page.goto(live_server.url + detail).status == 404, who
            api = page.request.get(f"{live_server.url}/api/v1/key-persons/{person.pk}")
            assert api.status == 404, who
            assert page.goto(live_server.url + reverse("persons:key_person_list")).status == 404, (
                who
            )
            assert page.locator("#hx-sidenav").get_by_role("link", name="重点人员").count() == 0
        finally:
            context.close()
    assert not AuditRecord.objects.filter(
        kind="access", object_id=str(person.pk), actor_name__in=("edu01", "school01")
    ).exists()


def test_officer01_moves_a_dispute_from_the_board(live_server, demo, browser):
    _person, _dispute = demo
    officer = User.objects.get(username="officer01")
    school = School.objects.filter(organization__parent=officer.organization).first()
    dispute = services.dispute_create(
        school=school,
        kind="students",
        parties="学生家长样例某",
        summary="课间冲突引发家长纠纷",
        responsible_kind="school",
        actor=officer,
    )
    context, page = open_page(browser, "laptop")
    try:
        sign_in(page, live_server.url, "officer01")
        page.goto(live_server.url + reverse("persons:dispute_board"))
        page.locator(f'[data-column="registered"] [data-dispute="{dispute.pk}"]').click()
        page.get_by_test_id("move-mediating").get_by_role("button").click()
        page.get_by_text("纠纷已转为“化解中”").wait_for()
        dispute.refresh_from_db()
        assert dispute.status == "mediating"
        assert not page.console_errors, "控制台错误：\n" + "\n".join(page.console_errors)
    finally:
        context.close()
