"""Rehearsal of the scale-out deployment (issue 23 item 10; docs/operations.md, "Rehearsal").

    make rehearsal                                   # what .ci/run runs
    .venv/bin/python ops/rehearsal.py [--keep] [--ticks 2]

On loopback, exactly as README.md's "扩展部署 Scale-out" says: a fresh PostgreSQL database, the
Redis at 127.0.0.1:6379 under a deployment name of this run's own (HUXIAO_TASK_QUEUE, so no key
or channel is shared with anything else), an S3-compatible server (moto's) with a fresh bucket,
keys generated for this run and handed over as files (HUXIAO_*_FILE); then ``huxiao manage check
--deploy``, ``migrate``, ``collectstatic``, ``huxiao seed roles``, a small organisation tree made
through the platform's services, and the processes: two gunicorn (A and B, ``-w 2`` each), one
uvicorn, ``huxiao worker`` and ``huxiao worker --no-periodic``, all with the same environment,
behind no proxy: requests carry what the README's nginx adds (``Host``, ``X-Forwarded-Proto:
https``, ``X-Forwarded-For``), with HUXIAO_BEHIND_PROXY=1 and HUXIAO_PROXY_COUNT=1.

Checks, each printed as "ok <what> (<figures>)" or "FAILED <what> (<why>)":
(a) a sign-in through the login form on A is a session on B; a police officer's password on A
    and second factor (TOTP) on B;
(b) a photo uploaded on A is read back byte for byte through /files/<id>/ on B, from the bucket,
    with nothing written under the var directory's media folder;
(c) pushes across processes: a device's signed alarm posted to B rings the officer's console
    (/ws/alarms/) on uvicorn, a gate registration on A moves the school chief's live dashboard
    (/ws/live/) on uvicorn, each with its latency;
(e) a process killed mid-write: a create sent to B with an Idempotency-Key is held inside its
    transaction (a table lock of this script), B's workers are SIGKILLed, the same request on A
    creates the record once; and a create whose answer is lost after the commit (B killed again
    before the answer is read) is replayed on A, not made twice;
(d) the periodic tasks that run every minute ran once per tick with the two workers (the
    scheduler enqueues them when ``huxiao worker`` starts, then every 60 s; ``--ticks 2`` waits
    for the second tick as well).
Everything is stopped and removed at the end (database, bucket, Redis keys, temp directory),
whatever happened; the processes' logs' tails are printed when a check fails. Exit status 1 when
a check fails, 2 when the deployment could not be set up.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # the public host name the requests carry (HUXIAO_ALLOWED_HOSTS)
ORIGIN = f"https://{HOST}"  # what a browser on the HTTPS site sends (CSRF, WebSocket origin)
REPLAYED = "Idempotent-Replayed"  # core.middleware.IDEMPOTENCY_REPLAYED
STARTED = time.monotonic()


def log(line: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {line}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def answers(port: int, host: str = HOST) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((host, port)) == 0


class SetupFailed(RuntimeError):
    pass


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# ---- the processes --------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    argv: list[str]
    log_path: Path
    port: int | None = None
    popen: subprocess.Popen | None = None
    # SIGTERM; gunicorn gets SIGINT, its quick stop: workers still booting (after the kill
    # check) would otherwise finish loading Django before they stop.
    stop_signal: int = signal.SIGTERM

    def start(self, env: dict, cwd: Path) -> None:
        self.popen = subprocess.Popen(
            self.argv,
            env=env,
            cwd=cwd,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )

    def text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def children(self) -> list[int]:
        """The direct children's ids (a gunicorn master's workers)."""
        if self.popen is None:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.popen.pid:
                found.append(int(entry.name))
        return sorted(found)

    def terminate(self) -> None:
        """Its stop signal to its process group (a gunicorn master and its workers)."""
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, self.stop_signal)

    def wait_stopped(self, deadline: float) -> None:
        """Wait for it until ``deadline``, then SIGKILL what is left of its group."""
        if self.popen is None:
            return
        try:
            self.popen.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{self.name} did not stop on {signal.Signals(self.stop_signal).name}: killed")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(5)

    def stop(self) -> None:
        self.terminate()
        self.wait_stopped(time.monotonic() + 15)


# ---- HTTP as a browser behind the README's nginx ---------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    ms: float

    def json(self):
        return json.loads(self.body)


@dataclass
class Browser:
    """A client with its own cookies (the secure cookies are sent over the loopback's plain
    HTTP, as nginx would after TLS) and the headers the README's nginx adds."""

    cookies: dict = field(default_factory=dict)

    def request(self, method: str, port: int, path: str, **kwargs) -> Answer:
        import requests

        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": HOST,
            **kwargs.pop("headers", {}),
        }
        if method != "GET":
            headers.setdefault("Origin", ORIGIN)
            headers.setdefault("Referer", f"{ORIGIN}{path}")
            if "csrftoken" in self.cookies:
                headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        response = requests.request(
            method,
            f"http://{HOST}:{port}{path}",
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        ms = (time.perf_counter() - start) * 1000
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return Answer(response.status_code, dict(response.headers), response.content, ms)

    def get(self, port: int, path: str, **kwargs) -> Answer:
        return self.request("GET", port, path, **kwargs)

    def post(self, port: int, path: str, **kwargs) -> Answer:
        return self.request("POST", port, path, **kwargs)

    def raw_post(self, port: int, path: str, body: bytes, headers: dict) -> socket.socket:
        """Send a JSON POST on a raw socket and return it unread (the answer may never come)."""
        lines = [
            f"POST {path} HTTP/1.1",
            f"Host: {HOST}",
            "X-Forwarded-Proto: https",
            f"X-Forwarded-For: {HOST}",
            f"Origin: {ORIGIN}",
            f"Referer: {ORIGIN}{path}",
            f"X-CSRFToken: {self.cookies['csrftoken']}",
            "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            "Connection: close",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        sock = socket.create_connection((HOST, port), timeout=30)
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return sock


def form_token(html: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise CheckFailed("no CSRF token in the form")
    return found.group(1).decode()


def totp(hex_key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1), what django-otp's TOTPDevice and an authenticator app compute."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{value:0{digits}d}"


def id_number(serial: int) -> str:
    """A valid resident identity number (GB 11643 check character) for a visitor."""
    body = f"530111198001{serial % 28 + 1:02d}{serial % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def png_bytes() -> bytes:
    """A real PNG of random pixels, encoded as the platform re-encodes pictures (Pillow,
    optimize), so what is stored is byte for byte what was sent."""
    from PIL import Image

    image = Image.frombytes("RGB", (96, 64), os.urandom(96 * 64 * 3))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


# ---- the data the smoke test needs, made through the platform's services ---------------------

SETUP = r"""
import json, os
from django_otp.plugins.otp_totp.models import TOTPDevice
from huey.contrib.djhuey import HUEY
from huxiao.alarms import services as alarms
from huxiao.core import context, services as core
from huxiao.core.choices import OrgKind
from huxiao.core.models import IdempotencyRecord, Role, TaskRun
from huxiao.core.tasks import task_name
from huxiao.inspections.models import Hazard
from huxiao.schools import services as schools
from huxiao.schools.choices import DeviceKind
from huxiao.system.schedules import cron_sets

p = json.loads(os.environ["REHEARSAL_SETUP"])
with context.acting(source="cli"):
    def org(kind, name, code, parent=None, edu=None):
        return core.organization_create(kind=kind, name=name, code=code, division_code="530111",
                                        parent=parent, education_bureau=edu)
    city = org(OrgKind.CITY_BUREAU, "演练市公安局", "RH-CITY")
    station = org(OrgKind.STATION, "演练派出所", "RH-STA", city)
    edu = org(OrgKind.EDUCATION_BUREAU, "演练区教育局", "RH-EDU")
    school_org = org(OrgKind.SCHOOL, "演练小学", "RH-SCH", station, edu)
    school = schools.school_register(organization=school_org, school_code="5301119901",
                                     level="primary", locality="urban", students=600, staff=40)
    device = schools.device_create(school=school, kind=DeviceKind.ONE_KEY_ALARM,
                                   name="门卫室按钮", networked_police=True)
    credential, secret = alarms.credential_issue(device=device, place="门卫室")
    chief = core.user_create(username="rh_chief", password=p["password"], organization=school_org,
                             role=Role.objects.get(code="school_security_chief"),
                             must_change_password=False)
    officer = core.user_create(username="rh_officer", password=p["password"], organization=station,
                               role=Role.objects.get(code="officer"), must_change_password=False)
    # The officer's authenticator, as if enrolled: its key is this run's.
    TOTPDevice.objects.create(user=officer, name="护校安园", confirmed=True, key=p["totp_key"])

def every_minute(cls):
    sets = cron_sets(cls)
    sizes = {"minute": 60, "hour": 24, "day": 31, "month": 12, "weekday": 7}
    return bool(sets) and all(len(sets[k]) == n for k, n in sizes.items())

print(json.dumps({
    "school": school.pk, "device": credential.code, "secret": secret,
    "chief": chief.pk, "officer": officer.pk,
    "every_minute": sorted(task_name(c) for c in HUEY._registry._periodic_tasks if every_minute(c)),
    "tables": {"hazard": Hazard._meta.db_table, "idempotency": IdempotencyRecord._meta.db_table,
               "taskrun": TaskRun._meta.db_table},
}))
"""


# ---- the rehearsal ---------------------------------------------------------------------------


class Rehearsal:
    def __init__(self, args):
        self.args = args
        self.run_id = uuid.uuid4().hex[:10]
        self.queue = f"hx-rehearsal-{self.run_id}"
        self.db_name = f"huxiao_rehearsal_{self.run_id}"
        self.bucket = f"huxiao-rehearsal-{self.run_id}"
        self.dir = Path(tempfile.mkdtemp(prefix="huxiao-rehearsal-"))
        self.var = self.dir / "var"
        self.processes: list[Process] = []
        self.moto: Process | None = None
        self.db_created = False
        self.results: list[tuple[bool, str, str]] = []
        self.data: dict = {}
        self.password = "Rh-" + secrets.token_urlsafe(12) + "a1!"
        self.totp_key = secrets.token_hex(20)
        self.s3_keys = ("rh" + secrets.token_hex(8), secrets.token_urlsafe(24))
        self.chief = Browser()
        self.officer = Browser()

    # -- infrastructure --

    def pg(self, dbname: str = "postgres", autocommit: bool = True):
        import psycopg

        return psycopg.connect(self.args.pg_dsn + dbname, autocommit=autocommit)

    @property
    def database_url(self) -> str:
        return f"postgres://{self.args.pg_dsn.split('://', 1)[1]}{self.db_name}"

    def sql(self, query: str, params=()) -> list[tuple]:
        with self.pg(self.db_name) as connection:
            return connection.execute(query, params).fetchall()

    def infrastructure(self) -> None:
        host, port = self.args.pg_host_port
        if not answers(port, host):
            raise SetupFailed(f"PostgreSQL does not answer at {host}:{port}")
        with self.pg() as connection:
            connection.execute(f'CREATE DATABASE "{self.db_name}"')
        self.db_created = True
        import redis

        try:
            redis.Redis.from_url(self.args.redis_url, socket_timeout=3).ping()
        except redis.RedisError as exc:
            raise SetupFailed(f"Redis does not answer at {self.args.redis_url}: {exc}") from exc
        s3_port = free_port()
        self.moto = Process(
            "s3 (moto)",
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(s3_port)],
            self.dir / "s3.log",
            s3_port,
        )
        self.moto.start({"PATH": os.environ.get("PATH", "")}, self.dir)
        deadline = time.monotonic() + 20
        while not answers(s3_port):
            if time.monotonic() > deadline or self.moto.popen.poll() is not None:
                raise SetupFailed("the S3 server did not start:\n" + self.moto.text()[-2000:])
            time.sleep(0.1)
        self.s3().create_bucket(Bucket=self.bucket)
        log(
            f"PostgreSQL database {self.db_name}, Redis deployment name {self.queue}, "
            f"S3 bucket {self.bucket} at 127.0.0.1:{s3_port}"
        )

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{self.moto.port}",
            aws_access_key_id=self.s3_keys[0],
            aws_secret_access_key=self.s3_keys[1],
            region_name="us-east-1",
        )

    def environment(self) -> dict:
        """The README's variables, secrets as files; nothing inherited that could change it."""
        secrets_dir = self.dir / "secrets"
        secrets_dir.mkdir(mode=0o700)
        new_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode  # `huxiao keys new`
        values = {
            "secret_key": secrets.token_urlsafe(50),
            "data_key": new_key(),
            "audit_key": new_key(),
            "s3_access_key": self.s3_keys[0],
            "s3_secret_key": self.s3_keys[1],
        }
        for name, value in values.items():
            path = secrets_dir / name
            path.write_text(value + "\n", encoding="utf-8")
            path.chmod(0o600)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HUXIAO_", "DJANGO_", "AWS_", "GUNICORN_", "UVICORN_"))
            and k not in ("DATABASE_URL", "REDIS_URL")
        }
        env |= {
            "HUXIAO_PROFILE": "production",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.args.redis_url,
            "HUXIAO_TASK_QUEUE": self.queue,
            "HUXIAO_SECRET_KEY_FILE": str(secrets_dir / "secret_key"),
            "HUXIAO_DATA_KEY_FILE": str(secrets_dir / "data_key"),
            "HUXIAO_AUDIT_KEY_FILE": str(secrets_dir / "audit_key"),
            "HUXIAO_ALLOWED_HOSTS": HOST,
            "HUXIAO_CSRF_TRUSTED_ORIGINS": ORIGIN,
            "HUXIAO_BEHIND_PROXY": "1",
            "HUXIAO_PROXY_COUNT": "1",
            "HUXIAO_DB_CONN_MAX_AGE": "60",
            "HUXIAO_VAR_DIR": str(self.var),
            "HUXIAO_S3_BUCKET": self.bucket,
            "HUXIAO_S3_ENDPOINT_URL": f"http://{HOST}:{self.moto.port}",
            "HUXIAO_S3_REGION": "us-east-1",
            "HUXIAO_S3_ACCESS_KEY_FILE": str(secrets_dir / "s3_access_key"),
            "HUXIAO_S3_SECRET_KEY_FILE": str(secrets_dir / "s3_secret_key"),
        }
        return env

    def huxiao(self, *argv: str, extra_env: dict | None = None, label: str = "") -> str:
        start = time.monotonic()
        done = subprocess.run(
            [str(BIN / "huxiao"), *argv],
            env=self.env | (extra_env or {}),
            cwd=self.dir,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SetupFailed(
                f"huxiao {' '.join(argv)} exited {done.returncode}:\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        log(f"{label or 'huxiao ' + ' '.join(argv)} ({time.monotonic() - start:.1f} s)")
        return done.stdout

    def install(self) -> None:
        """The README's steps, in its order; collectstatic (files only) beside migrate."""
        out = self.huxiao("manage", "check", "--deploy", "--fail-level", "WARNING")
        if "no issues" not in out:
            raise SetupFailed(f"check --deploy reported issues:\n{out}")
        static = threading.Thread(target=self._collectstatic)
        static.start()
        try:
            self.huxiao("manage", "migrate", "--noinput")
        finally:
            static.join()
        if self._static_error is not None:
            raise self._static_error
        self.huxiao("seed", "roles")
        payload = json.dumps({"password": self.password, "totp_key": self.totp_key})
        out = self.huxiao(
            "manage",
            "shell",
            "-c",
            SETUP,
            extra_env={"REHEARSAL_SETUP": payload},
            label="huxiao manage shell -c <organisations, users, alarm device (services)>",
        )
        self.data = json.loads(out.strip().splitlines()[-1])

    _static_error: Exception | None = None

    def _collectstatic(self) -> None:
        try:
            self.huxiao("manage", "collectstatic", "--noinput")
        except Exception as exc:  # noqa: BLE001 - raised again by install()
            self._static_error = exc

    def start(self) -> None:
        self.a = Process("gunicorn A", [], self.dir / "gunicorn-a.log", free_port())
        self.b = Process("gunicorn B", [], self.dir / "gunicorn-b.log", free_port())
        self.asgi = Process("uvicorn", [], self.dir / "uvicorn.log", free_port())
        for web in (self.a, self.b):
            web.argv = [str(BIN / "gunicorn"), "huxiao.wsgi:application", "-w", "2"]
            web.argv += ["-b", f"{HOST}:{web.port}"]
            web.stop_signal = signal.SIGINT
        self.asgi.argv = [str(BIN / "uvicorn"), "huxiao.asgi:application"]
        self.asgi.argv += ["--host", HOST, "--port", str(self.asgi.port)]
        self.scheduler = Process(
            "huxiao worker", [str(BIN / "huxiao"), "worker"], self.dir / "worker.log"
        )
        self.second = Process(
            "huxiao worker --no-periodic",
            [str(BIN / "huxiao"), "worker", "--no-periodic"],
            self.dir / "worker-no-periodic.log",
        )
        self.processes = [self.a, self.b, self.asgi, self.scheduler, self.second]
        for process in self.processes:
            process.start(self.env, self.dir)
        # Five Django processes boot at once: ample time on a busy CI machine.
        deadline = time.monotonic() + 90
        for web in (self.a, self.b, self.asgi):
            self.wait_ready(web, deadline)
        for worker in (self.scheduler, self.second):
            while "Huey consumer started" not in worker.text():
                if worker.popen.poll() is not None or time.monotonic() > deadline:
                    raise SetupFailed(f"{worker.name} did not start")
                time.sleep(0.1)
        self.workers_started = time.monotonic()
        log(
            f"up: gunicorn A :{self.a.port} and B :{self.b.port} (-w 2 each), "
            f"uvicorn :{self.asgi.port}, huxiao worker, huxiao worker --no-periodic"
        )

    def wait_ready(self, web: Process, deadline: float) -> float:
        """Until ``GET /readyz`` answers 200 "ok" (database and bucket; Redis not degraded)."""
        start = time.monotonic()
        last = ""
        while time.monotonic() < deadline:
            if web.popen.poll() is not None:
                raise SetupFailed(f"{web.name} exited")
            try:
                request = urllib.request.Request(
                    f"http://{HOST}:{web.port}/readyz", headers={"Host": HOST}
                )
                with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
                    last = answer.read().decode()
                    if json.loads(last).get("status") == "ok":
                        return time.monotonic() - start
            except OSError as exc:
                last = str(exc)
            time.sleep(0.1)
        raise SetupFailed(f"{web.name} not ready: {last}")

    # -- checks --

    def check(self, what: str, test) -> None:
        try:
            figures = test()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the rest go on
            self.results.append((False, what, f"{type(exc).__name__}: {exc}"))
            log(f"FAILED {what} ({type(exc).__name__}: {exc})")
        else:
            self.results.append((True, what, figures))
            log(f"ok {what} ({figures})")

    def sign_in(self, browser: Browser, port: int, username: str) -> Answer:
        page = browser.get(port, "/login/")
        expect(page.status == 200, f"GET /login/ answered {page.status}")
        answer = browser.post(
            port,
            "/login/",
            data={
                "username": username,
                "password": self.password,
                "csrfmiddlewaretoken": form_token(page.body),
            },
        )
        expect(answer.status == 302, f"the login form answered {answer.status}")
        expect("sessionid" in browser.cookies, "no session cookie after the login")
        return answer

    def check_login(self) -> str:
        a, b = self.a.port, self.b.port
        signed = self.sign_in(self.chief, a, "rh_chief")
        me = self.chief.get(b, "/api/v1/me")
        expect(me.status == 200, f"/api/v1/me on B answered {me.status}")
        expect(me.json()["username"] == "rh_chief", "B sees another user")
        # A police role: the password on A, the second factor on B, the API on A.
        self.sign_in(self.officer, a, "rh_officer")
        before = self.officer.get(b, "/api/v1/me")
        expect(before.status == 401, f"the API answered {before.status} before the second factor")
        page = self.officer.get(b, "/login/second-factor/")
        expect(page.status == 200, f"the second-factor page on B answered {page.status}")
        code = self.officer.post(
            b,
            "/login/second-factor/",
            data={"token": totp(self.totp_key), "csrfmiddlewaretoken": form_token(page.body)},
        )
        expect(code.status == 302, f"the second factor on B answered {code.status}")
        after = self.officer.get(a, "/api/v1/me")
        expect(after.status == 200, f"/api/v1/me on A answered {after.status} after the code")
        return (
            f"chief: form on A {signed.ms:.0f} ms, session read on B; officer: password on A, "
            f"API 401 before the code, code on B, API 200 on A"
        )

    def create_hazard(self, port: int, title: str, key: str | None = None) -> Answer:
        headers = {"Idempotency-Key": key} if key else {}
        return self.chief.post(
            port, "/api/v1/hazards", json=self.hazard_body(title), headers=headers
        )

    def hazard_body(self, title: str) -> dict:
        return {"school_id": self.data["school"], "category": "physical", "title": title}

    def check_photo(self) -> str:
        a, b = self.a.port, self.b.port
        hazard = self.create_hazard(a, "演练：围墙破损")
        expect(hazard.status == 201, f"the hazard was answered {hazard.status}: {hazard.body!r}")
        picture = png_bytes()
        upload = self.chief.post(
            a,
            f"/api/v1/hazards/{hazard.json()['id']}/photos",
            files=[("files", ("rehearsal.png", picture, "image/png"))],
            data={"purpose": "before"},
        )
        expect(upload.status == 201, f"the upload was answered {upload.status}: {upload.body!r}")
        attachment = upload.json()[0]["id"]
        read = self.chief.get(b, f"/files/{attachment}/")
        expect(read.status == 200, f"/files/{attachment}/ on B answered {read.status}")
        expect(read.body == picture, "B served other bytes than A received")
        listed = self.s3().list_objects_v2(Bucket=self.bucket).get("Contents", [])
        keys = [o["Key"] for o in listed]
        expect(any(k.startswith(f"{self.queue}/") for k in keys), f"nothing in the bucket: {keys}")
        expect(all(k.startswith(f"{self.queue}/") for k in keys), f"outside the prefix: {keys}")
        media = self.var / "media"
        local = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        expect(not local, f"files under {media}: {local}")
        return (
            f"{len(picture)} bytes PNG, upload {upload.ms:.0f} ms on A, read {read.ms:.0f} ms "
            f"on B, identical; {len(keys)} object(s) under {self.queue}/; media folder empty"
        )

    def check_pushes(self) -> str:
        return asyncio.run(self._pushes())

    async def _pushes(self) -> str:
        import websockets

        from huxiao.alarms import rules

        def connect(path: str, browser: Browser):
            return websockets.connect(
                f"ws://{HOST}:{self.asgi.port}{path}",
                additional_headers={"Cookie": f"sessionid={browser.cookies['sessionid']}"},
                origin=ORIGIN,
                open_timeout=10,
            )

        async def receive(socket_, kind: str) -> tuple[dict, float]:
            while True:
                message = json.loads(await asyncio.wait_for(socket_.recv(), 10))
                if message.get("type") == kind:
                    return message, time.perf_counter()

        def post_alarm() -> Answer:
            body = json.dumps({"event_id": f"RH-{uuid.uuid4().hex[:8]}", "kind": "emergency"})
            stamp, nonce = str(int(time.time())), secrets.token_hex(12)
            return Browser().post(
                self.b.port,
                "/api/v1/alarm-events",
                data=body.encode(),
                headers={
                    "Content-Type": "application/json",
                    rules.HEADER_DEVICE: self.data["device"],
                    rules.HEADER_TIMESTAMP: stamp,
                    rules.HEADER_NONCE: nonce,
                    rules.HEADER_SIGNATURE: rules.signature(
                        self.data["secret"], stamp, nonce, body.encode()
                    ),
                },
            )

        def register_visit() -> Answer:
            return self.chief.post(
                self.a.port,
                "/api/v1/gate/visits",
                json={"name": "演练访客", "id_number": id_number(7), "purpose": "parent"},
            )

        async with connect("/ws/alarms/", self.officer) as console:
            await receive(console, "hello")
            await console.send(json.dumps({"type": "catch_up", "since": None}))
            await receive(console, "alarms")
            sent = time.perf_counter()
            posted, (message, arrived) = await asyncio.gather(
                asyncio.to_thread(post_alarm), receive(console, "alarm")
            )
            expect(posted.status == 201, f"the alarm post on B answered {posted.status}")
            expect(message["alarm"]["id"] == posted.json()["id"], "another alarm was pushed")
            alarm_ms, alarm_post_ms = (arrived - sent) * 1000, posted.ms
        async with connect("/ws/live/", self.chief) as live:
            await receive(live, "hello")
            sent = time.perf_counter()
            posted, (message, arrived) = await asyncio.gather(
                asyncio.to_thread(register_visit), receive(live, "changed")
            )
            expect(posted.status == 201, f"the visit on A answered {posted.status}")
            expect(message.get("what") == "visit", f"pushed {message}")
            live_ms, live_post_ms = (arrived - sent) * 1000, posted.ms
        return (
            f"alarm posted on B → officer's console on uvicorn in {alarm_ms:.0f} ms "
            f"(post answered in {alarm_post_ms:.0f} ms); gate visit on A → chief's live "
            f"dashboard in {live_ms:.0f} ms (post {live_post_ms:.0f} ms)"
        )

    def kill_b_workers(self) -> list[int]:
        workers = self.b.children()
        expect(bool(workers), "gunicorn B has no workers")
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return workers

    def count(self, title: str) -> int:
        table = self.data["tables"]["hazard"]
        return self.sql(f'SELECT count(*) FROM "{table}" WHERE title = %s', (title,))[0][0]  # noqa: S608

    def stored_answer(self, key: str) -> int | None:
        table = self.data["tables"]["idempotency"]
        rows = self.sql(f'SELECT status FROM "{table}" WHERE key = %s', (key,))  # noqa: S608
        return rows[0][0] if rows else None

    def check_killed_mid_write(self) -> str:
        hazard_table = self.data["tables"]["hazard"]
        # 1. Held inside its transaction: this script's lock on the hazard table stops the
        #    request at its INSERT, after the Idempotency-Key's row; B's workers die there.
        title, key = f"演练：中断写入 {self.run_id}", f"rehearsal-{uuid.uuid4().hex}"
        body = json.dumps(self.hazard_body(title)).encode()
        lock = self.pg(self.db_name, autocommit=False)
        try:
            lock.execute(f'LOCK TABLE "{hazard_table}" IN SHARE ROW EXCLUSIVE MODE')
            sock = self.chief.raw_post(
                self.b.port, "/api/v1/hazards", body, {"Idempotency-Key": key}
            )
            deadline = time.monotonic() + 30
            while not self.sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = "
                "'Lock' AND query ILIKE %s",
                (self.db_name, f'INSERT INTO "{hazard_table}"%'),
            ):
                expect(time.monotonic() < deadline, "the request never reached its INSERT")
                time.sleep(0.02)
            killed = self.kill_b_workers()
            killed_at = time.monotonic()
        finally:
            lock.rollback()
            lock.close()
        sock.settimeout(10)
        try:
            heard = sock.recv(64)
        except OSError:
            heard = b""
        sock.close()
        expect(not heard.startswith(b"HTTP/"), f"B answered before it died: {heard!r}")
        # The retry waits, if need be, for the dead request's transaction to be rolled back.
        retry = self.create_hazard(self.a.port, title, key)
        expect(retry.status == 201, f"the retry on A answered {retry.status}: {retry.body!r}")
        first = (retry.headers.get(REPLAYED, "no"), self.count(title))
        expect(first == ("no", 1), f"(replayed, records) after the retry: {first}")

        # 2. Killed after the commit, its answer never read: the retry on A gets that answer.
        #    Sent at once: it waits in B's listen queue until the master's new workers take it.
        title2, key2 = f"演练：应答丢失 {self.run_id}", f"rehearsal-{uuid.uuid4().hex}"
        body2 = json.dumps(self.hazard_body(title2)).encode()
        sock = self.chief.raw_post(self.b.port, "/api/v1/hazards", body2, {"Idempotency-Key": key2})
        deadline = time.monotonic() + 60
        while self.stored_answer(key2) != 201:
            expect(time.monotonic() < deadline, "the create on B never committed")
            time.sleep(0.01)
        respawn = time.monotonic() - killed_at
        replaced = [pid for pid in self.b.children() if pid not in killed]
        self.kill_b_workers()
        sock.close()  # the answer is lost
        retry2 = self.create_hazard(self.a.port, title2, key2)
        expect(retry2.status == 201, f"the second retry answered {retry2.status}")
        second = (retry2.headers.get(REPLAYED), self.count(title2))
        expect(second == ("true", 1), f"(replayed, records) after the lost answer: {second}")
        expect(self.count(title) == 1, "the first record was duplicated meanwhile")
        return (
            f"held at its INSERT, {len(killed)} workers of B SIGKILLed, no answer; retry on A "
            f"created it: 1 record; B's master replaced them ({len(replaced)} new), the next "
            f"create committed on B {respawn:.1f} s after the kill; killed after that commit, "
            f"answer unread: retry on A replayed it: 1 record"
        )

    def check_periodic(self) -> str:
        names = self.data["every_minute"]
        expect(bool(names), "no periodic task runs every minute")
        ticks = self.args.ticks
        table = self.data["tables"]["taskrun"]
        deadline = self.workers_started + 60 * (ticks - 1) + 30
        # A scheduler that should not be there (a second one) would have enqueued when its
        # worker started: give the runs a few seconds after both workers were up.
        settle = self.workers_started + 3
        while True:
            rows = self.sql(
                f'SELECT name, started_at, outcome FROM "{table}" '  # noqa: S608
                "WHERE name = ANY(%s) AND triggered_by_id IS NULL ORDER BY started_at",
                (names,),
            )
            done = [r for r in rows if r[2] != "running"]
            per_task = {n: [r for r in done if r[0] == n] for n in names}
            if all(len(runs) >= ticks for runs in per_task.values()) and time.monotonic() > settle:
                break
            expect(
                time.monotonic() < deadline,
                f"runs after {time.monotonic() - self.workers_started:.0f} s: "
                f"{ {n.rsplit('.', 1)[1]: len(r) for n, r in per_task.items()} }",
            )
            time.sleep(0.5)
        problems = []
        for name, runs in per_task.items():
            short = name.rsplit(".", 1)[1]
            for earlier, later in zip(runs, runs[1:], strict=False):
                gap = (later[1] - earlier[1]).total_seconds()
                if gap < 30:
                    problems.append(f"{short} ran twice {gap:.1f} s apart")
            problems += [f"{short}: {r[2]}" for r in runs if r[2] != "success"]
        expect(not problems, "; ".join(problems))
        enqueued = [
            len(set(re.findall(r"Enqueueing periodic task \S+: ([0-9a-f-]+)", w.text())))
            for w in (self.scheduler, self.second)
        ]
        expect(enqueued[1] == 0, f"the --no-periodic worker enqueued {enqueued[1]} periodic tasks")
        executed = [
            len(
                {
                    m
                    for n in names
                    for m in re.findall(rf"Executing {re.escape(n)}: (\S+)", w.text())
                }
            )
            for w in (self.scheduler, self.second)
        ]
        runs = per_task[names[0]]
        apart = ", ".join(
            f"{(later[1] - earlier[1]).total_seconds():.1f} s"
            for earlier, later in zip(runs, runs[1:], strict=False)
        )
        ticks_text = f"{len(runs)} tick(s)" + (f" {apart} apart" if apart else "")
        return (
            f"{len(names)} every-minute tasks, {ticks_text}, one run of each per tick; enqueued "
            f"by huxiao worker only; executed by huxiao worker {executed[0]}×, --no-periodic "
            f"{executed[1]}×"
        )

    # -- teardown --

    def teardown(self) -> None:
        start = time.monotonic()
        for process in self.processes:
            process.terminate()
        # DROP DATABASE waits for a checkpoint (seconds on a busy server): it runs while the
        # processes stop (WITH (FORCE) closes whatever connection is left).
        dropped: dict[str, float] = {}
        drop = threading.Thread(target=self._drop_database, args=(dropped,))
        drop.start()
        took = []
        for process in self.processes:
            process.wait_stopped(start + 15)
            took.append((time.monotonic() - start, process.name))
        if self.processes:
            seconds, slowest = max(took)
            log(f"stopped {len(self.processes)} processes in {seconds:.1f} s (last: {slowest})")
        if self.moto is not None and self.moto.popen and self.moto.popen.poll() is None:
            with contextlib.suppress(Exception):
                s3 = self.s3()
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
                    for item in page.get("Contents", []):
                        s3.delete_object(Bucket=self.bucket, Key=item["Key"])
                s3.delete_bucket(Bucket=self.bucket)
            self.moto.stop()
        try:
            import redis

            client = redis.Redis.from_url(self.args.redis_url, socket_timeout=3)
            keys = list(client.scan_iter(match=f"*{self.queue}*", count=500))
            if keys:
                client.delete(*keys)
            left = list(client.scan_iter(match=f"*{self.queue}*", count=500))
            if left:
                log(f"Redis keys left: {left[:5]}")
        except Exception as exc:  # noqa: BLE001
            log(f"could not remove the Redis keys: {exc}")
        drop.join()
        log(
            f"cleaned up the bucket, the Redis keys and the database (dropped in "
            f"{dropped.get('seconds', 0):.1f} s); {time.monotonic() - start:.1f} s in all"
        )
        if self.args.keep:
            log(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _drop_database(self, timing: dict) -> None:
        if not self.db_created:
            return
        start = time.monotonic()
        try:
            with self.pg() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        except Exception as exc:  # noqa: BLE001
            log(f"could not drop {self.db_name}: {exc}")
        timing["seconds"] = time.monotonic() - start

    def tails(self) -> None:
        for process in [*self.processes, *([self.moto] if self.moto else [])]:
            lines = process.text().splitlines()[-self.args.tail :]
            print(f"---- {process.name} ({process.log_path.name}), last {len(lines)} lines")
            print("\n".join(lines))

    def run(self) -> int:
        status = 0
        try:
            self.infrastructure()
            self.env = self.environment()
            self.install()
            self.start()
            self.check("a) login on gunicorn A is a session on gunicorn B", self.check_login)
            self.check("b) photo uploaded on A read back on B from the bucket", self.check_photo)
            self.check("c) pushes from gunicorn to uvicorn through Redis", self.check_pushes)
            self.check(
                "e) a process killed mid-write: no duplicate after a retry",
                self.check_killed_mid_write,
            )
            self.check("d) periodic tasks run once per tick with two workers", self.check_periodic)
            failed = [r for r in self.results if not r[0]]
            status = 1 if failed else 0
        except SetupFailed as exc:
            log(f"FAILED setup: {exc}")
            status = 2
        except BaseException as exc:
            log(f"FAILED: {type(exc).__name__}: {exc}")
            status = 2
            if isinstance(exc, KeyboardInterrupt):
                status = 130
        finally:
            if status:
                self.tails()
            self.teardown()
        passed = sum(1 for r in self.results if r[0])
        verdict = "passed" if status == 0 else "FAILED"
        log(f"rehearsal {verdict}: {passed}/{len(self.results)} checks")
        return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pg",
        default=os.environ.get("REHEARSAL_PG", "postgresql://postgres@127.0.0.1:5432/"),
        help="a PostgreSQL server URL ending in '/', whose user may create databases",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("REHEARSAL_REDIS", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--ticks", type=int, default=1, help="scheduler ticks to wait for (1–2)")
    parser.add_argument("--keep", action="store_true", help="keep the temp directory (logs)")
    parser.add_argument("--tail", type=int, default=40, help="log lines shown on failure")
    args = parser.parse_args()
    args.ticks = max(1, min(args.ticks, 2))
    if not args.pg.endswith("/"):
        parser.error("--pg must end in '/' (the database name is added)")
    args.pg_dsn, args.redis_url = args.pg, args.redis
    from urllib.parse import urlsplit

    parts = urlsplit(args.pg)
    args.pg_host_port = (parts.hostname or "127.0.0.1", parts.port or 5432)
    return Rehearsal(args).run()


if __name__ == "__main__":
    sys.exit(main())
