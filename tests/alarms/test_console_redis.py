"""Scale-out of the consoles (issue 16 item 8): with REDIS_URL, an alarm posted to one app
process reaches a console connected to another. Two uvicorn processes of the project share a
SQLite database in a temporary directory and a Redis (the deployment's name, HUXIAO_TASK_QUEUE,
is this test's own, so it shares no channel with another run); a real WebSocket client
(``websockets``) holds station 甲's officer's console on process B, and a device's signed post
goes to process A."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from huxiao.alarms import rules

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

SETUP = r"""
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from huxiao.alarms import services as alarms
from huxiao.core import services as core
from huxiao.core.choices import OrgKind
from huxiao.core.models import Role
from huxiao.core.roles import ensure_default_roles
from huxiao.schools import services as schools
from huxiao.schools.choices import DeviceKind

ensure_default_roles()
def org(kind, name, code, parent=None, edu=None):
    return core.organization_create(kind=kind, name=name, code=code, division_code="530111",
                                    parent=parent, education_bureau=edu)
city = org(OrgKind.CITY_BUREAU, "测试市公安局", "R-CITY")
station = org(OrgKind.STATION, "甲派出所", "R-STA", city)
edu = org(OrgKind.EDUCATION_BUREAU, "甲区教育局", "R-EDU")
school_org = org(OrgKind.SCHOOL, "甲小学", "R-SCH", station, edu)
school = schools.school_register(organization=school_org, school_code="5301119001",
                                 level="primary", locality="urban", students=600, staff=40)
device = schools.device_create(school=school, kind=DeviceKind.ONE_KEY_ALARM, name="门卫室按钮",
                               networked_police=True)
credential, secret = alarms.credential_issue(device=device, place="门卫室")
officer = core.user_create(username="officer_r", password="Rt-" + __import__("secrets").token_urlsafe(12) + "a1!", organization=station,
                           role=Role.objects.get(code="officer"), must_change_password=False)
session = SessionStore()
session[SESSION_KEY] = str(officer.pk)
session[BACKEND_SESSION_KEY] = "huxiao.core.backends.RoleBackend"
session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
session.save()
print(json.dumps({"code": credential.code, "secret": secret, "session": session.session_key}))
"""


def _redis_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"uvicorn did not start: {log.read_text()[-2000:]}")


def _server_time(port: int) -> float:
    """The servers' clock, read as a device synchronises it: from an answer's Date header (this
    process's clock may be moved: ``make test-clock``; the servers' is not)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as answer:  # noqa: S310
        return parsedate_to_datetime(answer.headers["Date"]).timestamp()


@pytest.mark.redis
def test_an_alarm_posted_to_one_process_rings_a_console_on_another(tmp_path):
    if not _redis_answers():
        if os.environ.get("HUXIAO_REQUIRE_REDIS") == "1":
            pytest.fail("Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis 未在 127.0.0.1:6379 运行：跳过多进程实时推送测试")
    import websockets

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env |= {
        "HUXIAO_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUXIAO_TASK_QUEUE": f"hx-test-{uuid.uuid4().hex[:8]}",
        "HUXIAO_SECOND_FACTOR": "0",
        "DJANGO_SETTINGS_MODULE": "huxiao.settings",
    }
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "text": True}
    subprocess.run([str(BIN / "huxiao"), "manage", "migrate", "--noinput", "-v", "0"], **run)
    made = json.loads(subprocess.run([sys.executable, "-c", SETUP], **run).stdout.splitlines()[-1])

    ports, processes = [_free_port(), _free_port()], []
    try:
        for n, port in enumerate(ports):
            log = tmp_path / f"uvicorn-{n}.log"
            process = subprocess.Popen(
                [str(BIN / "uvicorn"), "huxiao.asgi:application", "--port", str(port)]
                + ["--host", "127.0.0.1", "--log-level", "warning", "--lifespan", "off"],
                env=env,
                cwd=ROOT,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            _wait_up(port, process, log)
        post_to, console_on = ports

        def post_alarm() -> dict:
            body = json.dumps({"event_id": f"R-{uuid.uuid4().hex[:8]}", "kind": "emergency"})
            stamp, nonce = str(int(_server_time(post_to))), secrets.token_hex(12)
            request = urllib.request.Request(
                f"http://127.0.0.1:{post_to}/api/v1/alarm-events",
                data=body.encode(),
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    rules.HEADER_DEVICE: made["code"],
                    rules.HEADER_TIMESTAMP: stamp,
                    rules.HEADER_NONCE: nonce,
                    rules.HEADER_SIGNATURE: rules.signature(
                        made["secret"], stamp, nonce, body.encode()
                    ),
                },
            )
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                assert answer.status == 201
                return json.loads(answer.read())

        async def scenario():
            async with websockets.connect(
                f"ws://127.0.0.1:{console_on}/ws/alarms/",
                additional_headers={"Cookie": f"sessionid={made['session']}"},
                origin=f"http://127.0.0.1:{console_on}",
            ) as console:
                assert json.loads(await console.recv()) == {"type": "hello"}
                await console.send(json.dumps({"type": "catch_up", "since": None}))
                assert json.loads(await console.recv()) == {"type": "alarms", "alarms": []}
                accepted = await asyncio.to_thread(post_alarm)
                message = json.loads(await asyncio.wait_for(console.recv(), 10))
                assert message["type"] == "alarm"
                assert (message["alarm"]["id"], message["alarm"]["rings"]) == (
                    accepted["id"],
                    True,
                )
                assert message["alarm"]["school_name"] == "甲小学"

        asyncio.run(scenario())
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
