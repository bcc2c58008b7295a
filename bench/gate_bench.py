"""Gate benchmark (not a test): visitor registration with the match through gunicorn WSGI,
beside the floor measured in the same run (docs/performance.md "Gate", FLOORS.md). Target
(issue 17): ``POST /api/v1/gate/visits`` at ≥ 0.4 of the floor's requests/s (one ORM
primary-key read) on 2 cores, p99 ≤ 2× the floor's p99; a walk-in ≤ 300 ms on the server.

    .venv/bin/python bench/gate_bench.py                     # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gate \\
        .venv/bin/python bench/gate_bench.py                 # PostgreSQL (db recreated)
    BENCH_PERSONS=20000 BENCH_SECONDS=20 ...                 # key persons listed; per wrk run

The city: a city bureau, a sub-bureau, 5 stations with 10 schools each (50 schools under one
district education bureau), a gate guard per school with an API token, BENCH_PERSONS key
persons listed at the stations (the match is one indexed query whatever their number:
tests/persons/test_watchlist.py), and 20 bans kept by the district. Built through the services.

Throughput: gunicorn with 3 sync workers (``huxiao.wsgi``, HUXIAO_PROFILE=embedded,
HUXIAO_DEBUG=0, HUXIAO_DB_CONN_MAX_AGE=600) serving ``POST /api/v1/gate/visits``, each request
a guard's (rotating over the 50 tokens) with a new valid ID number and idempotency key: the
whole path — the ID checked, the key-person match (audited), the ban match, the visit stored.
wrk -t2 -c32 for BENCH_SECONDS; the floors are patrols_bench's (one ORM primary-key read, with
Django's startproject middleware and with the project's), served the same way. The per-account
watch-list limit is raised for the run (a real guard registers a few visitors a minute; the
bench sends hundreds a second per guard). Also the in-process median of one registration.
"""

# ruff: noqa: S310  (URLs only to the local server)
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import patrols_bench as pb  # noqa: E402  (the floors, gunicorn and wrk helpers)

SCHOOLS_PER_STATION, STATIONS = 10, 5
PERSONS = int(os.environ.get("BENCH_PERSONS", "20000"))
SECONDS = pb.SECONDS
ROOT = pb.ROOT


def id_number(region: str, born: dt.date, seq: int) -> str:
    from huxiao.core.validators import make_id_number

    return make_id_number(region, born, seq)


def build() -> list[str]:
    """The city through the services; the guards' API tokens."""
    from huxiao.core import services as core
    from huxiao.core.choices import OrgKind
    from huxiao.core.models import Role
    from huxiao.core.roles import ensure_default_roles
    from huxiao.gate import services as gate
    from huxiao.persons import services as persons
    from huxiao.schools import services as schools

    ensure_default_roles()
    guard_role = Role.objects.get(code="gate_guard")
    officer_role = Role.objects.get(code="officer")

    def org(kind, name, code, parent=None, edu=None):
        return core.organization_create(
            kind=kind,
            name=name,
            code=code,
            division_code="510402",
            parent=parent,
            education_bureau=edu,
        )

    city = org(OrgKind.CITY_BUREAU, "市公安局", "B-CITY")
    sub = org(OrgKind.SUB_BUREAU, "东区分局", "B-SUB", city)
    edu = org(OrgKind.EDUCATION_BUREAU, "东区教体局", "B-EDU")
    commander = core.user_create(
        username="bench-commander",
        password="Bench#2026pw",
        organization=sub,
        role=Role.objects.get(code="commander"),
        must_change_password=False,
    )
    tokens, rng = [], random.Random(17)
    for s in range(STATIONS):
        station = org(OrgKind.STATION, f"派出所{s}", f"B-PS-{s}", sub)
        core.user_create(
            username=f"bench-officer{s}",
            password="Bench#2026pw",
            organization=station,
            role=officer_role,
            must_change_password=False,
        )
        people = [
            {
                "name": f"名单{s}-{i}",
                "id_number": id_number("510421", dt.date(1950, 1, 1) + dt.timedelta(days=i), s),
                "categories": ["idle"],
            }
            for i in range(PERSONS // STATIONS)
        ]
        for start in range(0, len(people), 2000):
            persons.key_person_create_many(station=station, people=people[start : start + 2000])
        for n in range(SCHOOLS_PER_STATION):
            code = f"B-SCH-{s}-{n}"
            school_org = org(OrgKind.SCHOOL, f"学校{s}-{n}", code, station, edu)
            schools.school_register(
                organization=school_org,
                school_code=f"51040{s}{n:04d}",
                level="primary",
                locality="urban",
                students=rng.randrange(300, 2000),
                staff=60,
            )
            guard = core.user_create(
                username=f"bench-guard-{s}-{n}",
                password="Bench#2026pw",
                organization=school_org,
                role=guard_role,
                must_change_password=False,
            )
            tokens.append(core.token_create(user=guard, name="bench")[1])
    for i in range(20):
        gate.ban_create(
            organization=sub,
            actor=commander,
            name=f"禁入{i}",
            id_number=id_number("510411", dt.date(1980, 1, 1) + dt.timedelta(days=i), 9),
            basis="court",
            reason="法院禁止令",
            decided_by="法院",
            starts_on=dt.date(2020, 1, 1),
        )
    return tokens


LUA = """
wrk.method = "POST"
local tokens = {%(tokens)s}
local ids = {%(ids)s}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local ident = ids[(counter %% #ids) + 1]
  local key = string.format("g%(run)s-%%d-%%d", tid, counter)
  local body = string.format('{"name": "来访人员", "id_number": "%%s", "purpose": "parent", "idempotency_key": "%%s"}', ident, key)
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
  return wrk.format(nil, "/api/v1/gate/visits", headers, body)
end
"""


def in_process(tokens: list[str]) -> float:
    """The median ms of one registration through the test client (one guard, warm)."""
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    times = []
    for i in range(60):
        body = {
            "name": "来访人员",
            "id_number": id_number("510402", dt.date(1990, 1, 1) + dt.timedelta(days=i), 77),
            "purpose": "parent",
        }
        start = time.perf_counter()
        response = client.post(
            "/api/v1/gate/visits",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 201, response.content[:300]
    return statistics.median(times[10:])


def main() -> None:
    os.environ["HUXIAO_WATCHLIST_PER_MINUTE"] = "1000000"
    vendor, var_dir = pb.configure()
    start = time.perf_counter()
    tokens = build()
    print(
        f"database: {vendor}; {PERSONS:,} key persons; built in {time.perf_counter() - start:.1f} s"
    )
    print(f"in-process median of one registration (test client, warm): {in_process(tokens):.1f} ms")
    if not shutil.which("wrk"):
        print("\nwrk is not installed (apt-get install -y wrk): no throughput figures")
        return
    from django.db import connection

    from huxiao.gate.choices import MatchOutcome
    from huxiao.gate.models import Visit

    connection.close()
    env = {
        **os.environ,
        "HUXIAO_PROFILE": "embedded",
        "HUXIAO_DEBUG": "0",
        "HUXIAO_DB_CONN_MAX_AGE": "600",
        "HUXIAO_VAR_DIR": var_dir,
        "PYTHONPATH": str(ROOT / "src"),
    }
    tmp = Path(tempfile.mkdtemp(prefix="huxiao-wrk-"))
    log = tmp / "gunicorn.log"
    run = f"{random.randrange(16**8):08x}"
    ids = [id_number("510403", dt.date(1960, 1, 1) + dt.timedelta(days=i), 55) for i in range(5000)]
    lua = tmp / "visits.lua"
    lua.write_text(
        LUA
        % {
            "tokens": ", ".join(f'"{t}"' for t in tokens),
            "ids": ", ".join(f'"{i}"' for i in ids),
            "run": run,
        }
    )
    port = 18000 + random.randrange(1000)
    base = f"http://127.0.0.1:{port}"
    results = []

    def measure(label, app, url, script=None):
        server = pb._serve(app, env, port, log)
        try:
            load = pb._loadavg()
            if script is None:
                urllib.request.urlopen(url, timeout=5).read()
            result = pb._wrk(url, script)
        finally:
            pb._stop(server)
        results.append((label, result, load))
        print(
            f"  {label}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, {result['requests']} requests, "
            f"non-2xx {result['non2xx']} {result['socket']} (load before: {load})"
        )

    before = Visit.objects.count()
    connection.close()
    print(f"\nwrk -t2 -c32 -d{SECONDS}s against gunicorn 3 sync workers ({vendor}):")
    measure(
        "POST /api/v1/gate/visits (Bearer, match)",
        "huxiao.wsgi:application",
        f"{base}/api/v1/gate/visits",
        lua,
    )
    stored = Visit.objects.filter(pk__gt=0).count() - before
    unmade = Visit.objects.filter(match_outcome=MatchOutcome.UNMADE).count()
    connection.close()
    measure(
        "floor: one ORM PK read, startproject middleware",
        "patrols_bench:floor_wsgi()",
        f"{base}/bench/floor-read",
    )
    measure(
        "same view, the project's middleware",
        "patrols_bench:floor_wsgi('project')",
        f"{base}/bench/floor-read",
    )
    endpoint, floor = results[0][1], results[1][1]
    print(
        f"\nvisits stored by the endpoint run: {stored:,} (wrk counted {endpoint['requests']:,}); unmade matches: {unmade}"
    )
    print(f"\n| gate registration ({vendor}) | req/s | p50 ms | p99 ms | load before |")
    print("|---|---|---|---|---|")
    for label, r, load in results:
        print(f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {load} |")
    ratio, p99 = endpoint["rps"] / floor["rps"], endpoint["p99"] / floor["p99"]
    print(
        f"\nendpoint / floor req/s: {ratio:.2f} (target ≥ 0.4: {'met' if ratio >= 0.4 else 'NOT met'}); "
        f"p99 / floor p99: {p99:.1f} (target ≤ 2: {'met' if p99 <= 2 else 'NOT met'})"
    )
    print(json.dumps({"ratio": round(ratio, 3), "p99_ratio": round(p99, 2)}))


if __name__ == "__main__":
    main()
