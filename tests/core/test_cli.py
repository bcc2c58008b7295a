"""The ``huxiao`` console command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from huxiao.core.models import ApiToken, User


def test_token_create_prints_the_token_alone_on_the_last_line(people, capsys):
    call_command("token", "create", "--user", "officer_a", "--name", "集成")
    out = capsys.readouterr().out.strip().splitlines()
    raw = out[-1]
    assert raw.startswith("hx_") and " " not in raw
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.json()["username"] == "officer_a"


def test_token_list_and_revoke(people, capsys):
    call_command("token", "create", "--user", "officer_a")
    token = ApiToken.objects.get()
    call_command("token", "list")
    assert "officer_a" in capsys.readouterr().out
    call_command("token", "revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_create_for_an_unknown_user_fails_in_chinese(db):
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("token", "create", "--user", "ghost")


def test_user_create_makes_an_account_that_must_change_its_password(city, capsys):
    call_command("user", "create", "--username", "zhang", "--org", "T-STA-A", "--role", "officer")
    user = User.objects.get(username="zhang")
    assert user.must_change_password and user.organization == city.station_a
    assert "初始密码" in capsys.readouterr().out


def test_user_create_names_the_valid_roles_on_a_typo(city):
    with pytest.raises(CommandError, match="officer"):
        call_command("user", "create", "--username", "li", "--org", "T-STA-A", "--role", "oficer")


def test_seed_roles_is_idempotent(db, capsys):
    call_command("seed", "roles")
    call_command("seed", "roles")
    assert "新建 0 个" in capsys.readouterr().out


def test_the_console_script_rejects_an_unknown_command():
    result = subprocess.run(
        [sys.executable, "-m", "huxiao.cli", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "未知命令" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_SESSION_FOR_NEW_USER = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from huxiao.core.models import User
user = User.objects.create(username="ws", is_superuser=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "huxiao.core.backends.RoleBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(session.session_key)
"""


def test_serve_answers_pages_api_and_the_live_socket(tmp_path):
    from websockets.sync.client import connect

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env["HUXIAO_VAR_DIR"] = str(tmp_path)
    cli = [sys.executable, "-m", "huxiao.cli"]
    subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=180)
    session_key = (
        subprocess.run(
            [*cli, "manage", "shell", "-c", _SESSION_FOR_NEW_USER],
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "huxiao.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login/", timeout=2
                ) as response:  # noqa: S310
                    body = response.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert body is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert "护校安园" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5
        ) as response:  # noqa: S310
            assert response.status == 200
        with connect(
            f"ws://127.0.0.1:{port}/ws/notifications/",
            additional_headers={
                "Cookie": f"sessionid={session_key}",
                "Origin": f"http://127.0.0.1:{port}",
            },
            open_timeout=10,
        ) as socket_:
            assert socket_.recv(timeout=10) == '{"type": "unread", "count": 0}'
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "任务工作线程已启动" in output
