"""A task enqueued by the web process is run by a separate ``huxiao worker`` process,
with the embedded SQLite storage and with Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from huxiao.core.tasks import probe

REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(REDIS) == 0


def _start_worker(env_overrides: dict, var_dir: Path) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "REDIS_URL", "DATABASE_URL"))
    }
    env.update(env_overrides)
    env["HUXIAO_VAR_DIR"] = str(var_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "huxiao.cli", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _run_through(huey, env_overrides: dict, tmp_path: Path) -> tuple[int, str]:
    huey._registry.register(type(probe.s("", "")))
    marker = tmp_path / "ran-by.txt"
    payload = uuid.uuid4().hex
    # Enqueued here, in the test ("web") process: the message names the task, the worker runs it.
    huey.enqueue(probe.s(str(marker), payload))
    worker = _start_worker(env_overrides, tmp_path / "var")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not marker.exists():
            if worker.poll() is not None:
                pytest.fail(f"worker exited early: {worker.stdout.read()}")
            time.sleep(0.2)
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
    assert marker.exists(), f"the worker did not run the task within 60 s:\n{output}"
    pid, seen = marker.read_text().split()
    return int(pid), seen if seen == payload else f"wrong payload {seen}"


def test_a_separate_worker_runs_the_task_from_embedded_sqlite_storage(tmp_path):
    (tmp_path / "var").mkdir()
    huey = SqliteHuey(name="huxiao", filename=str(tmp_path / "var" / "tasks.sqlite3"))
    pid, payload = _run_through(huey, {}, tmp_path)
    assert pid != os.getpid()
    assert len(payload) == 32


@pytest.mark.redis
def test_a_separate_worker_runs_the_task_from_redis(tmp_path):
    if not _redis_answers():
        if os.environ.get("HUXIAO_REQUIRE_REDIS") == "1":
            pytest.fail("Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis 未在 127.0.0.1:6379 运行：跳过 Redis 任务队列测试")
    (tmp_path / "var").mkdir()
    queue = f"huxiao-test-{uuid.uuid4().hex[:8]}"
    huey = RedisHuey(name=queue, url="redis://127.0.0.1:6379/0")
    try:
        pid, payload = _run_through(
            huey, {"REDIS_URL": "redis://127.0.0.1:6379/0", "HUXIAO_TASK_QUEUE": queue}, tmp_path
        )
    finally:
        huey.storage.flush_all()
    assert pid != os.getpid()
    assert len(payload) == 32


@pytest.mark.parametrize(("args", "said"), [([], "enabled"), (["--no-periodic"], "disabled")])
def test_only_one_worker_need_schedule_the_periodic_tasks(tmp_path, args, said):
    """With several workers, one schedules and the others run with --no-periodic, so each
    periodic task runs once (README, 扩展部署)."""
    (tmp_path / "var").mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "REDIS_URL", "DATABASE_URL"))
    }
    env["HUXIAO_VAR_DIR"] = str(tmp_path / "var")
    worker = subprocess.Popen(
        [sys.executable, "-m", "huxiao.cli", "worker", "--workers", "1", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Periodic tasks are" in line:
                break
    finally:
        worker.terminate()
        try:
            worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    found = [line for line in lines if "Periodic tasks are" in line]
    assert found and f"Periodic tasks are {said}" in found[0], "".join(lines)
