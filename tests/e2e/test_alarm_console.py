"""Issue 16's acceptance in a real browser: with the demo city served over ASGI (uvicorn, the
process that serves the consoles in a deployment), ``huxiao alarms simulate --school SCH-05
--url …`` posts a signed alarm over HTTP exactly as a device does; officer01's console, open
in chromium on a real WebSocket, rings; officer01 acknowledges from the console and the ring
stops; a forged signature is refused and stored nowhere.

pytest-django's live server speaks WSGI only, so this module serves the project's ASGI
application itself, in a thread of the test process (like the live server: the same test
database, the in-memory channel layer shared by the HTTP post and the socket)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from huxiao.alarms.models import AlarmEvent
from huxiao.demo.generator import DEFAULT_PASSWORD
from tests import dbsnapshot
from tests.e2e.conftest import settle

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(transactional_db, demo_snapshot):
    dbsnapshot.restore(demo_snapshot)
    return demo_snapshot.payload


@pytest.fixture
def asgi_server(demo_city):
    import uvicorn

    from huxiao.asgi import application

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_simulated_alarm_rings_on_officer01s_console_until_acknowledged(asgi_server, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{asgi_server}/login/")
    page.fill("input[name=username]", "officer01")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="登录").click()
    page.goto(f"{asgi_server}/alarms/console/")
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=console-status]').textContent.includes('已连接')",
        timeout=15000,
    )
    page.locator("[data-testid=console-arm]").click()
    assert page.locator("[data-testid=console-ring]").is_hidden()
    before = AlarmEvent.objects.count()

    # a forged signature: refused, nothing stored, nothing rings
    with pytest.raises(CommandError):
        call_command("alarms", "simulate", "--school", "SCH-05", "--url", asgi_server, "--forge")
    assert AlarmEvent.objects.count() == before

    call_command("alarms", "simulate", "--school", "SCH-05", "--url", asgi_server)
    alarm = AlarmEvent.objects.select_related("school__organization").latest("id")
    assert AlarmEvent.objects.count() == before + 1
    ring = page.locator("[data-testid=console-ring]")
    ring.wait_for(state="visible", timeout=15000)
    item = page.locator(f"[data-testid=console-alarm][data-alarm='{alarm.pk}']")
    item.wait_for(timeout=15000)
    assert alarm.school.organization.name in item.inner_text()
    assert page.locator("[data-testid=console-arm]").get_attribute("aria-pressed") == "true"

    item.locator("[data-testid=console-acknowledge]").click()
    ring.wait_for(state="hidden", timeout=15000)
    page.wait_for_function(
        f"() => document.querySelector(\"[data-alarm='{alarm.pk}']\").dataset.state === 'acknowledged'",
        timeout=15000,
    )
    alarm.refresh_from_db()
    assert alarm.state == "acknowledged"
    assert alarm.acknowledged_by.username == "officer01"

    # the surroundings panel of the alarm: the school on the map, the units near it
    item.get_by_role("button", name="周边警力").click()
    page.locator("[data-testid=surroundings]").wait_for(timeout=15000)
    page.wait_for_function(
        "() => !!document.querySelector('[data-testid=surroundings] .leaflet-container')"
    )
    assert errors == []
