"""The gate on a phone (issue 17 acceptance), in chromium at a phone's size: the school's guard
registers ten visitors (the ID sent with Enter as a card reader does, a tap on the purpose, a tap
on 登记) and checks them out; a key person in control is held with the instruction and the
station alerted at once; with the match made to fail the registration is flagged 未完成比对 and
the station told; a person banned by the district is stopped; offline, a registration waits on
the phone and is sent once when the network returns.
"""

from __future__ import annotations

import pytest

from huxiao.core.models import Notification
from huxiao.gate.choices import MatchOutcome, VisitState
from huxiao.gate.models import Visit
from tests.e2e.test_checkin_phone import PHONE, sign_in
from tests.gate.conftest import ban, new_id, schools  # noqa: F401  (fixture)
from tests.persons.conftest import ID_A, located, person_a  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def register(page, name: str, ident: str, purpose: str = "parent") -> None:
    page.fill("[data-testid=id-number]", ident)
    page.press("[data-testid=id-number]", "Enter")  # the card reader's Enter: on to the name
    assert page.evaluate("document.activeElement.name") == "name"
    page.keyboard.type(name)
    page.click(f"[data-testid=purpose-{purpose}] + label")
    page.click("[data-testid=register]")


def test_a_guard_works_the_gate_from_a_phone(
    live_server,
    browser,
    people,
    schools,  # noqa: F811
    city,
    person_a,  # noqa: F811
    monkeypatch,
    artifacts,  # noqa: F811
):
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base, "guard")
    page.goto(f"{base}/gate/")
    assert page.evaluate("document.activeElement.name") == "id_number"

    # Ten walk-ins.
    for n in range(10):
        name = f"测试来访{n:02d}"
        register(page, name, new_id())
        page.locator("[data-testid=visit-result]", has_text=f"{name} 已登记入校").wait_for()
    assert Visit.objects.filter(state=VisitState.IN, school=schools[0]).count() == 10
    assert page.locator("[data-testid=today] [data-state=in]").count() == 10

    # A key person in control: held, the instruction shown, officer A alerted at once.
    register(page, "测试甲某", ID_A)
    held = page.locator("[data-testid=visit-result][data-outcome=key_person]")
    held.wait_for()
    assert "暂扣待核查" in held.inner_text() and "测试甲某" not in held.inner_text()
    assert page.locator("[data-testid=instruction]").inner_text().strip()
    assert Notification.objects.filter(
        recipient=people.officer_a, level="urgent", title__contains="重点人员"
    ).exists()
    page.screenshot(path=str(artifacts / "gate-held.png"), full_page=True)

    # The match made to fail: flagged 未完成比对, never let through, the station told.
    def broken(**kwargs):
        raise ConnectionError("watchlist unreachable")

    monkeypatch.setattr("huxiao.persons.watchlist.watchlist_lookup", broken)
    register(page, "测试比对失败", new_id())
    page.locator("[data-testid=visit-result][data-outcome=unmade]").wait_for()
    assert Visit.objects.get(name="测试比对失败").state == VisitState.HELD
    assert Notification.objects.filter(
        recipient=people.officer_a, level="urgent", title__contains="比对未完成"
    ).exists()
    monkeypatch.undo()

    # A parent banned by the district (the sub-bureau over both schools) is stopped here.
    banned = new_id()
    ban(city.sub_bureau, people.commander, banned, reason="曾在二中滋扰学生")
    register(page, "测试禁入家长", banned)
    stopped = page.locator("[data-testid=visit-result][data-outcome=banned]")
    stopped.wait_for()
    assert "禁入名单" in stopped.inner_text()

    # Offline: the registration waits on the phone, then is sent once.
    context.set_offline(True)
    register(page, "测试离线访客", new_id())
    page.locator("[data-testid=pending-count]", has_text="1").wait_for()
    assert not Visit.objects.filter(name="测试离线访客").exists()
    context.set_offline(False)
    with page.expect_navigation():  # sent, then the page reloads to list it
        page.evaluate("window.dispatchEvent(new Event('online'))")
    key = f"huxiao:gate:{people.guard.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}') || '[]'") == "[]"
    offline = Visit.objects.get(name="测试离线访客")
    assert offline.was_offline and offline.match_outcome == MatchOutcome.CLEAR
    page.reload()
    assert Visit.objects.filter(name="测试离线访客").count() == 1

    # End of the day: everyone still in school checked out with one tap.
    page.click("[data-testid=out-all]")
    page.wait_for_load_state("load")
    assert not Visit.objects.filter(school=schools[0], state=VisitState.IN).exists()
    assert Visit.objects.filter(school=schools[0], state=VisitState.HELD).count() == 3
    page.screenshot(path=str(artifacts / "gate-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert not errors, errors
    context.close()
