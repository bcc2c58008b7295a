"""Lists benchmark (not a test): every list endpoint and list page beside its floor (issue 22,
docs/performance.md "Lists").

    .venv/bin/python bench/lists_bench.py                    # the demo city, SQLite, temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists \\
        .venv/bin/python bench/lists_bench.py                # PostgreSQL (db recreated)
    BENCH_REPEAT=9 BENCH_ONLY=hazard ...                     # more runs; only URLs containing it

What it measures, on the demo city as ``make demo`` seeds it:
- Every list endpoint of the API: each ``GET`` operation of the OpenAPI document without a path
  parameter whose answer is a page of items (``{"items": [...], "count": n}``), asked with
  ``limit=50``. Every page of the side menu of every module (a list page when its URL name ends
  in ``_list``).
- Three scopes: a station officer (officer01), a sub-bureau (a commander made at the first
  sub-bureau for the run) and the city (commander). A route its user may not open is skipped.
- Each: the median in-process time of the request through Django's test client (every
  middleware, the session, the template or the schema), and its floor measured in the same
  run: the SELECT statements the request issued, replayed raw through the cursor, their rows
  serialised to JSON. The floor is the request's own SQL, so it shows what the Python costs
  around it; a floor of the fewest columns a list needs is smaller still (issue 22 asks for
  that one; it is written by hand per list and not yet here).

Targets (issue 22): an endpoint ≤ 3× its floor + 3 ms and ≤ 10 ms at station scope; a list page
≤ 25 ms at station scope and ≤ 40 ms at city scope. The bench prints each row with its ratio and
what it misses, and exits 1 when any target is missed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import patrols_bench as pb  # noqa: E402  (configure: SQLite or PostgreSQL)

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
ONLY = os.environ.get("BENCH_ONLY", "")
API_MS, API_RATIO, API_PLUS = 10.0, 3.0, 3.0
PAGE_STATION_MS, PAGE_CITY_MS = 25.0, 40.0


def _median_ms(fn, repeat: int = REPEAT) -> float:
    from login_bench import median_ms

    return median_ms(fn, repeat)


def build() -> dict:
    """The demo city; a commander at the first sub-bureau. Returns the three users by scope."""
    from huxiao.core import services as core
    from huxiao.core.models import Organization, Role, User
    from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo

    seed_demo(password=DEFAULT_PASSWORD)
    sub = Organization.objects.filter(kind="sub_bureau").order_by("code").first()
    sub_user = core.user_create(
        username="bench-sub-commander",
        password=DEFAULT_PASSWORD,
        organization=sub,
        role=Role.objects.get(code="commander"),
        must_change_password=False,
    )
    return {
        "station": User.objects.get(username="officer01"),
        "sub-bureau": sub_user,
        "city": User.objects.get(username="commander"),
    }


def api_lists() -> list[str]:
    from huxiao.api.urls import api

    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    return sorted(p for p, ops in paths.items() if "get" in ops and "{" not in p)


def menu_pages() -> list[tuple[str, str]]:
    from huxiao.core import modules

    return sorted({(entry.url, entry.url_name) for entry in modules.menu()})


def measure(client, url: str):
    """(status, median ms, floor ms, statements) for one GET, or (status, None, None, 0)."""
    from django.db import connection

    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None, None, 0, response
    captured: list[tuple[str, object]] = []

    def collect(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(collect):
        client.get(url)
    selects = [(s, p) for s, p in captured if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def floor():
        with connection.cursor() as cursor:
            for sql, params in selects:
                cursor.execute(sql, params)
                json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)

    return 200, _median_ms(lambda: client.get(url)), _median_ms(floor), len(captured), response


def main() -> int:
    vendor, _var_dir = pb.configure()
    started = time.perf_counter()
    users = build()
    print(f"database: {vendor}; demo city seeded in {time.perf_counter() - started:.0f} s")
    import logging

    from django.conf import settings
    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 403s of skipped routes
    settings.SECOND_FACTOR = False  # signed-in sessions; the second factor is not measured
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients = {}
    for scope, user in users.items():
        clients[scope] = Client()
        clients[scope].force_login(user)

    missed = []
    print("\n| List | Scope | ms | Floor ms | Ratio | Statements | Misses |")
    print("|---|---|---|---|---|---|---|")
    for path in api_lists():
        if ONLY and ONLY not in path:
            continue
        for scope, client in clients.items():
            url = f"{path}?limit=50"
            status, ms, floor, statements, response = measure(client, url)
            if status != 200:
                continue
            body = response.json() if "json" in response.get("Content-Type", "") else None
            if not (isinstance(body, dict) and isinstance(body.get("items"), list)):
                break  # not a list endpoint
            misses = []
            if ms > API_RATIO * floor + API_PLUS:
                misses.append(f"> {API_RATIO:.0f}× floor + {API_PLUS:.0f} ms")
            if scope == "station" and ms > API_MS:
                misses.append(f"> {API_MS:.0f} ms")
            row = f"| `GET {url}` | {scope} | {ms:.1f} | {floor:.1f} | {ms / floor:.1f} "
            print(row + f"| {statements} | {', '.join(misses)} |")
            if misses:
                missed.append((url, scope))
    for url, name in menu_pages():
        if ONLY and ONLY not in url:
            continue
        is_list = name.endswith("_list")
        for scope, client in clients.items():
            status, ms, floor, statements, _response = measure(client, url)
            if status != 200:
                continue
            misses = []
            if is_list and scope == "station" and ms > PAGE_STATION_MS:
                misses.append(f"> {PAGE_STATION_MS:.0f} ms")
            if is_list and scope == "city" and ms > PAGE_CITY_MS:
                misses.append(f"> {PAGE_CITY_MS:.0f} ms")
            kind = "page" if is_list else "page, not a list"
            row = f"| `GET {url}` ({kind}) | {scope} | {ms:.1f} | {floor:.1f} | {ms / floor:.1f} "
            print(row + f"| {statements} | {', '.join(misses)} |")
            if misses:
                missed.append((url, scope))
    print(f"\n{len(missed)} targets missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
