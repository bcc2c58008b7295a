"""One-key alarms benchmark (not a test): signed alarm posts delivered to live consoles, beside
floors measured in the same run (docs/performance.md "Alarms", FLOORS.md). Target (issue 16):
500 console WebSocket clients connected across a city's stations, sub-bureaus and command
centre; 50 signed alarm posts/s sustained for BENCH_SECONDS (60), then a burst of 300 within
one second; p99 from the post to delivery on every console that should get it <= 200 ms, 0
lost, 0 duplicated, on the in-memory and on the Redis channel layer.

    .venv/bin/python bench/alarms_bench.py                      # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/huxiao_bench_alarms \\
        .venv/bin/python bench/alarms_bench.py                  # PostgreSQL (db recreated)
    BENCH_SECONDS=20 BENCH_BURST=300 BENCH_RATE=50 ...          # a shorter run
    ... alarms_bench.py --memory | --redis                      # one channel layer only

The city: 1 city bureau, 4 sub-bureaus, 40 stations, 5 schools per station (200 schools, each
with a one-key alarm device and its signing secret). Consoles: 11 officers per station, 10 at
each sub-bureau, 20 at the city (500), each a session of its own; an alarm of a school reaches
the consoles of its station, its sub-bureau and the city: 41.

Servers, as deployed (README "扩展部署"): consoles on one uvicorn process (``huxiao.asgi``).
In-memory layer: the posts go to that same process (the layer does not cross processes). Redis
layer: the posts go to gunicorn (2 sync workers, ``huxiao.wsgi``) and reach the uvicorn process
through Redis. The load generator and the 500 clients run in this process (one asyncio loop:
raw HTTP/1.1 posts and ``websockets`` clients), on the same 2 cores.

Latency: from the moment this process starts writing the post to the moment a console's socket
yields the message (one clock) — an upper bound of commit-to-delivery (the post commits before
it answers). Each console's messages are checked against the alarms it should get: lost,
duplicated, and messages it should not have got.

Floors, same run: a bare signed store (HMAC-SHA256 check of timestamp, nonce and body + one
INSERT in a transaction, in-process, ms per post) beside ``services.alarm_ingest`` in-process;
a bare channel-layer group send to one channel and its receipt (in-memory, Redis), ms.
The memory (VmRSS) of the uvicorn process with its consoles connected is printed.
"""

# ruff: noqa: S603, S310  (local servers started and posted to by this file)
from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv/bin"
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
RATE = int(os.environ.get("BENCH_RATE", "50"))
BURST = int(os.environ.get("BENCH_BURST", "300"))
SUB_BUREAUS, STATIONS_PER_SUB, SCHOOLS_PER_STATION = 4, 10, 5
CONSOLES = {"station": 11, "sub_bureau": 10, "city": 20}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def configure() -> tuple[str, str]:
    import patrols_bench

    return patrols_bench.configure()


def build() -> dict:
    """The city through the services; sessions made directly (the bench measures delivery)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from huxiao.alarms import services as alarms
    from huxiao.core import services as core
    from huxiao.core.choices import OrgKind
    from huxiao.core.models import Role
    from huxiao.core.roles import ensure_default_roles
    from huxiao.schools import services as schools
    from huxiao.schools.choices import DeviceKind

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_default_roles()
    # Officers everywhere: their data scope is their organisation's subtree, so a console at the
    # sub-bureau hears its stations' schools and one at the city hears all.
    officer = Role.objects.get(code="officer")
    n = [0]

    def org(kind, name, parent=None, edu=None):
        n[0] += 1
        return core.organization_create(
            kind=kind,
            name=name,
            code=f"B-{n[0]:04d}",
            division_code="530111",
            parent=parent,
            education_bureau=edu,
        )

    def consoles(organization, role, count) -> list[str]:
        keys = []
        for i in range(count):
            user = core.user_create(
                username=f"c{organization.pk}-{i}",
                password="Bench-" + secrets.token_urlsafe(9),
                organization=organization,
                role=role,
                must_change_password=False,
                validate=False,
            )
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "huxiao.core.backends.RoleBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            keys.append(session.session_key)
        return keys

    city = org(OrgKind.CITY_BUREAU, "基准市公安局")
    edu = org(OrgKind.EDUCATION_BUREAU, "基准市教育局")
    out = {"consoles": [], "devices": []}
    out["consoles"] += [(key, "city", city.pk) for key in consoles(city, officer, CONSOLES["city"])]
    for s in range(SUB_BUREAUS):
        sub = org(OrgKind.SUB_BUREAU, f"第{s + 1}分局", city)
        for key in consoles(sub, officer, CONSOLES["sub_bureau"]):
            out["consoles"].append((key, "sub", sub.pk))
        for t in range(STATIONS_PER_SUB):
            station = org(OrgKind.STATION, f"第{s + 1}分局{t + 1}号派出所", sub)
            for key in consoles(station, officer, CONSOLES["station"]):
                out["consoles"].append((key, "station", station.pk))
            for k in range(SCHOOLS_PER_STATION):
                school_org = org(OrgKind.SCHOOL, f"{station.name}{k + 1}号小学", station, edu)
                school = schools.school_register(
                    organization=school_org,
                    school_code=f"53011{n[0]:05d}",
                    level="primary",
                    locality="urban",
                    students=600,
                    staff=40,
                )
                device = schools.device_create(
                    school=school, kind=DeviceKind.ONE_KEY_ALARM, networked_police=True
                )
                credential, secret = alarms.credential_issue(device=device, place="门卫室")
                out["devices"].append(
                    {
                        "code": credential.code,
                        "secret": secret,
                        "station": station.pk,
                        "sub": sub.pk,
                        "city": city.pk,
                    }
                )
    return out


# ---- servers -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, log: Path) -> None:
    import urllib.request

    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited; see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not start; see {log}")


def _start(cmd: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    _wait(port, process, log)
    return process


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---- the load ----------------------------------------------------------------------------------


async def _post(port: int, body: bytes, headers: dict) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /api/v1/alarm-events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        + "\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


def _signed(device: dict, event_id: str, now: float, place: str = "") -> tuple[bytes, dict]:
    from huxiao.alarms import rules

    body = json.dumps({"event_id": event_id, "kind": "emergency", "place": place}).encode()
    stamp, nonce = str(int(now)), secrets.token_hex(12)
    return body, {
        rules.HEADER_DEVICE: device["code"],
        rules.HEADER_TIMESTAMP: stamp,
        rules.HEADER_NONCE: nonce,
        rules.HEADER_SIGNATURE: rules.signature(device["secret"], stamp, nonce, body),
    }


async def run_load(city: dict, console_port: int, post_port: int, server_clock: float) -> dict:
    import websockets

    got: dict[int, list[tuple[str, float]]] = {}  # console index -> [(event_id, t)]
    sockets = []
    ready = asyncio.Event()
    connected = [0]

    async def console(index: int, key: str):
        async with websockets.connect(
            f"ws://127.0.0.1:{console_port}/ws/alarms/",
            additional_headers={"Cookie": f"sessionid={key}"},
            origin=f"http://127.0.0.1:{console_port}",
            max_queue=None,
            open_timeout=60,
        ) as ws:
            sockets.append(ws)
            json.loads(await ws.recv())  # hello
            await ws.send(json.dumps({"type": "catch_up", "since": None}))
            json.loads(await ws.recv())
            connected[0] += 1
            if connected[0] == len(city["consoles"]):
                ready.set()
            mine = got.setdefault(index, [])
            async for raw in ws:
                t = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") == "alarm":
                    mine.append((message["alarm"]["place"], t))

    tasks = []
    for index, (key, _level, _org) in enumerate(city["consoles"]):
        tasks.append(asyncio.create_task(console(index, key)))
        if index % 50 == 49:
            await asyncio.sleep(0.2)
    await asyncio.wait_for(ready.wait(), 180)
    sent: dict[str, tuple[float, dict]] = {}
    statuses: list[int] = []
    from django.utils import timezone

    # a device's clock is the servers' (their Date header); this process's may differ
    skew = server_clock - timezone.now().timestamp()
    rng = random.Random(16)

    async def one(device: dict):
        event_id = uuid.uuid4().hex[:16]
        # the event id travels as the alarm's place: the console message names it
        body, headers = _signed(device, event_id, timezone.now().timestamp() + skew, place=event_id)
        sent[event_id] = (time.perf_counter(), device)
        statuses.append(await _post(post_port, body, headers))

    posts = []
    start = time.perf_counter()
    for i in range(SECONDS * RATE):
        due = start + i / RATE
        await asyncio.sleep(max(0, due - time.perf_counter()))
        posts.append(asyncio.create_task(one(rng.choice(city["devices"]))))
    sustained = len(posts)
    await asyncio.sleep(1)
    start = time.perf_counter()
    for i in range(BURST):
        due = start + i / BURST
        await asyncio.sleep(max(0, due - time.perf_counter()))
        posts.append(asyncio.create_task(one(rng.choice(city["devices"]))))
    await asyncio.gather(*posts)
    await asyncio.sleep(5)  # let the last deliveries arrive
    for ws in sockets:
        await ws.close()
    for task in tasks:
        task.cancel()

    # who should get what
    by_org: dict[int, list[int]] = {}
    for index, (_key, _level, org_id) in enumerate(city["consoles"]):
        by_org.setdefault(org_id, []).append(index)
    latencies, lost, duplicated, stray = {"sustained": [], "burst": []}, 0, 0, 0
    order = list(sent)
    phase = {event: ("sustained" if n < sustained else "burst") for n, event in enumerate(order)}
    for messages in got.values():
        seen: dict[str, int] = {}
        for event, _t in messages:
            seen[event] = seen.get(event, 0) + 1
        duplicated += sum(c - 1 for c in seen.values() if c > 1)
        stray += sum(1 for e in seen if e not in sent)
    for event, (t0, device) in sent.items():
        for org_id in (device["station"], device["sub"], device["city"]):
            for index in by_org.get(org_id, []):
                times = [t for e, t in got.get(index, []) if e == event]
                if not times:
                    lost += 1
                else:
                    latencies[phase[event]].append((min(times) - t0) * 1000)
    return {
        "posts": len(sent),
        "non2xx": sum(1 for s in statuses if s >= 300),
        "lost": lost,
        "duplicated": duplicated,
        "stray": stray,
        "latencies": latencies,
    }


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# ---- floors ------------------------------------------------------------------------------------


def floor_store(city: dict, n: int = 300) -> tuple[float, float]:
    """(bare signed store, services.alarm_ingest), median ms per post, in-process."""
    import hmac

    from django.db import connection, transaction
    from django.utils import timezone

    from huxiao.alarms import rules, services

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_alarm (id integer primary key, body text)"
        )
    device = city["devices"][0]
    bare, platform = [], []
    for i in range(n):
        body, headers = _signed(device, f"F-{i}-{uuid.uuid4().hex[:6]}", timezone.now().timestamp())
        t = time.perf_counter()
        expected = rules.signature(
            device["secret"], headers[rules.HEADER_TIMESTAMP], headers[rules.HEADER_NONCE], body
        )
        assert hmac.compare_digest(expected, headers[rules.HEADER_SIGNATURE])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor_alarm (body) VALUES (%s)", [body.decode()])
        bare.append((time.perf_counter() - t) * 1000)
        body, headers = _signed(device, f"P-{i}-{uuid.uuid4().hex[:6]}", timezone.now().timestamp())
        t = time.perf_counter()
        services.alarm_ingest(
            code=headers[rules.HEADER_DEVICE],
            timestamp=headers[rules.HEADER_TIMESTAMP],
            nonce=headers[rules.HEADER_NONCE],
            signature=headers[rules.HEADER_SIGNATURE],
            body=body,
        )
        platform.append((time.perf_counter() - t) * 1000)
    return statistics.median(bare), statistics.median(platform)


def floor_group_send(layer_config: dict, n: int = 500) -> tuple[float, float]:
    """A bare group send to one channel and its receipt: (median, p99) ms."""

    async def run():
        if layer_config.get("redis"):
            from channels_redis.core import RedisChannelLayer

            layer = RedisChannelLayer(**layer_config["redis"])
        else:
            from channels.layers import InMemoryChannelLayer

            layer = InMemoryChannelLayer()
        channel = await layer.new_channel()
        await layer.group_add("bench", channel)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            await layer.group_send("bench", {"type": "x", "n": 1})
            await layer.receive(channel)
            times.append((time.perf_counter() - t) * 1000)
        await layer.group_discard("bench", channel)
        if hasattr(layer, "flush"):
            await layer.flush()
        return statistics.median(times), _pct(times, 99)

    return asyncio.run(run())


# ---- main --------------------------------------------------------------------------------------


def main() -> None:
    vendor, var_dir = configure()
    print(f"database: {vendor}; var dir {var_dir}; load average {os.getloadavg()}")
    t = time.perf_counter()
    city = build()
    print(
        f"city built in {time.perf_counter() - t:.1f} s: {len(city['devices'])} schools with a "
        f"device, {len(city['consoles'])} consoles"
    )
    layers = ["memory", "redis"]
    if "--memory" in sys.argv:
        layers = ["memory"]
    if "--redis" in sys.argv:
        layers = ["redis"]
    rows = []
    for layer in layers:
        env = dict(os.environ)
        env |= {
            "HUXIAO_VAR_DIR": var_dir,
            "HUXIAO_DEBUG": "0",
            "HUXIAO_SECOND_FACTOR": "0",
            "HUXIAO_DB_CONN_MAX_AGE": "600",
            "HUXIAO_TASK_QUEUE": f"bench-{uuid.uuid4().hex[:6]}",
        }
        if layer == "redis":
            env["REDIS_URL"] = REDIS_URL
        else:
            env.pop("REDIS_URL", None)
        log = Path(tempfile.mkdtemp(prefix="alarms-bench-")) / "servers.log"
        console_port = _free_port()
        asgi = _start(
            [
                str(BIN / "uvicorn"),
                "huxiao.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(console_port),
                "--log-level",
                "warning",
                "--lifespan",
                "off",
                "--ws-max-queue",
                "1024",
            ],
            env,
            console_port,
            log,
        )
        wsgi = None
        post_port = console_port
        if layer == "redis":
            post_port = _free_port()
            wsgi = _start(
                [
                    str(BIN / "gunicorn"),
                    "--workers=2",
                    "--worker-class=sync",
                    f"--bind=127.0.0.1:{post_port}",
                    "--log-level=warning",
                    "huxiao.wsgi",
                ],
                env,
                post_port,
                log,
            )
        try:
            import urllib.request
            from email.utils import parsedate_to_datetime

            with urllib.request.urlopen(f"http://127.0.0.1:{post_port}/login/") as answer:
                server_clock = parsedate_to_datetime(answer.headers["Date"]).timestamp()
            print(f"\n{layer} layer: load average {os.getloadavg()}")
            result = asyncio.run(run_load(city, console_port, post_port, server_clock))
            rss = _rss_mb(asgi.pid)
        finally:
            _stop(asgi)
            if wsgi:
                _stop(wsgi)
        lat = result["latencies"]
        for phase in ("sustained", "burst"):
            values = lat[phase]
            rows.append(
                (
                    layer,
                    phase,
                    len(values),
                    statistics.median(values) if values else float("nan"),
                    _pct(values, 99),
                    max(values) if values else float("nan"),
                )
            )
        print(
            f"  posts {result['posts']} (non-2xx {result['non2xx']}), lost {result['lost']}, "
            f"duplicated {result['duplicated']}, stray {result['stray']}; uvicorn RSS with "
            f"{len(city['consoles'])} consoles {rss:.0f} MB"
        )
    print("\n| layer | phase | deliveries | median ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for layer, phase, n, median, p99, top in rows:
        print(f"| {layer} | {phase} | {n} | {median:.1f} | {p99:.1f} | {top:.1f} |")
    bare, platform = floor_store(city)
    print(
        f"\nfloor: bare signed store {bare:.2f} ms/post; services.alarm_ingest {platform:.2f} ms/post"
    )
    memory = floor_group_send({})
    print(
        f"floor: bare group send + receipt, in-memory: median {memory[0]:.3f} ms, p99 {memory[1]:.3f} ms"
    )
    if "redis" in layers:
        redis = floor_group_send(
            {"redis": {"hosts": [REDIS_URL], "prefix": f"bench-{uuid.uuid4().hex[:6]}"}}
        )
        print(
            f"floor: bare group send + receipt, Redis: median {redis[0]:.3f} ms, p99 {redis[1]:.3f} ms"
        )


if __name__ == "__main__":
    main()
