"""Browser tests: Debian's chromium driven by Playwright's sync API (no browser download).

A missing /usr/bin/chromium skips these tests on a developer's machine and fails them in
CI (``HUXIAO_REQUIRE_BROWSER=1``, set by ``.ci/run``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HUXIAO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "未安装 chromium：跳过浏览器测试（apt-get install chromium）"


def _unavailable(reason: str) -> None:
    if os.environ.get("HUXIAO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}；HUXIAO_REQUIRE_BROWSER=1 要求运行浏览器测试", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module.

    Playwright's sync API keeps an event loop running in the test thread while it is
    started, so Django refuses ORM calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is set,
    and asgiref refuses async_to_sync. Both are confined to the module: the variable is
    restored and Playwright stopped when the module ends, before pytest-django runs the
    other transactional tests (it orders them last, after this one).
    """
    if not CHROMIUM.exists():
        _unavailable(MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("未安装 playwright：跳过浏览器测试（make install-test）")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh page in Chinese that records console errors and uncaught exceptions."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))
    # Console messages about failed loads do not name the resource; record it here.
    page.on(
        "response",
        lambda r: (
            page.console_errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    yield page
    context.close()


def settle(page) -> None:
    """Wait until the page and everything it started have loaded.

    The page's own resources are done at the load event; what can still be under way is an
    htmx request (htmx marks its element ``htmx-request`` until the answer is swapped in).
    Maps in the tests have no tile layer, so nothing else fetches after load. Playwright's
    ``networkidle`` waits the same out plus a fixed 500 ms of quiet after every page, which
    was most of the time of the tests that walk every page.
    """
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def answer_websockets(page, *messages: dict) -> None:
    """Answer the page's WebSockets in the browser with ``messages``.

    pytest-django's live server speaks WSGI only, so it cannot upgrade /ws/ connections
    (the consumers are tested in tests/core/test_realtime.py); without this the refused
    handshake would be a console error.
    """

    def handler(ws):
        for message in messages:
            ws.send(json.dumps(message))

    page.route_web_socket(re.compile(r"/ws/"), handler)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
