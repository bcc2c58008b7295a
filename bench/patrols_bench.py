"""Patrols benchmark (not a test): the day's statistics over 1,000,000 check-ins, and the
check-in endpoint's throughput, each beside the floor measured in the same run
(docs/performance.md "Patrols", FLOORS.md). Targets (issue 6): with 1,000,000 check-ins in
the database, a city's daily statistics in ≤ 1 s; the check-in endpoint ≥ 300 requests/s on
2 cores.

    .venv/bin/python bench/patrols_bench.py                     # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_patrols \\
        .venv/bin/python bench/patrols_bench.py                 # PostgreSQL (db recreated)
    ... patrols_bench.py --explain        # also print the plans of the check-in aggregate
    ... patrols_bench.py --stats          # only the statistics; --http only the endpoint
    BENCH_VAR_DIR=/tmp/hx-patrols ... patrols_bench.py --reuse   # time again, no rebuild
    BENCH_CHECKINS=200000 ...             # a smaller table; BENCH_SECONDS=20 per wrk run

The city: 1 city bureau, 5 sub-bureaus, 40 stations, 1,000 schools with two 护学岗 each
(2,000 posts, 4,000 post-windows a school day) — a large prefecture-level city rather than
the seed's 81 schools, so that one day holds ~22,000 check-ins for the statistics to count.
12,000 people (per post: one officer, one auxiliary, two guards, two volunteers) check in at
the posts on every school day going back from yesterday until the table holds
BENCH_CHECKINS rows (~45 school days, two months), ~5% of first attempts invalid (too far,
late) and followed by a valid one; police and auxiliary shifts are rostered for every
post-window (~360,000 shifts); each station runs two grid routes of 26 checkpoints twice a
school day (~7,000 patrol logs, ~170,000 checkpoint visits). Bulk-loaded with COPY
(PostgreSQL) or executemany (SQLite), not through the services: the bench measures reads.

Statistics: ``stats.day_stats(user=<city commander>, day=<the last full school day>)``,
warm, median of BENCH_REPEAT runs, beside the floor: the bare statements the figures need
(active posts; check-ins of the day grouped by post, window, kind and validity with their
distinct people; the day's patrol totals; mandatory checkpoints of finished patrols and
those ticked; police shifts planned) on the same connection, unscoped. The bench checks that
the floor finds the same numbers. Also one station's officer (50 posts).

Throughput: gunicorn with 3 sync workers (``huxiao.wsgi``, HUXIAO_PROFILE=embedded,
HUXIAO_DEBUG=0, HUXIAO_DB_CONN_MAX_AGE=600) serving ``POST /api/v1/checkins`` with a Bearer
token (the police of one station, ~100 people, each rotating over its 50 posts at their
coordinates: a person counts once per post and window) and a new idempotency key on every
request, driven by ``wrk -t2 -c32`` for BENCH_SECONDS; beside
the floors served the same way from this file (``patrols_bench:floor_wsgi()``): a bare view
doing one ORM primary-key read (FLOORS.md's, Django's startproject middleware), the same
view behind the project's middleware, and a bare view doing one INSERT in a transaction.
wrk runs on the same 2 cores; /proc/loadavg is printed before each run.
"""

# ruff: noqa: S608, S310  (floor SQL from this file's constants; URLs only to the local server)
from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

STATIONS, SCHOOLS_PER_STATION, POSTS_PER_SCHOOL = 40, 25, 2
CHECKPOINTS_PER_ROUTE = 26
CHECKINS = int(os.environ.get("BENCH_CHECKINS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
REUSE = "--reuse" in sys.argv
ROOT = Path(__file__).resolve().parent.parent

# who stands at a post in each window: (kind, how many, chance of checking in)
CREW = (("police", 1, 0.95), ("auxiliary", 1, 0.85), ("guard", 2, 0.97), ("volunteer", 2, 0.8))
CHANCE = {kind: chance for kind, _, chance in CREW}


def configure() -> tuple[str, str]:
    """SQLite in BENCH_VAR_DIR (or a temp dir), or the PostgreSQL database named in
    BENCH_DATABASE_URL, dropped and recreated unless --reuse. Returns (vendor, var_dir)."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    var_dir = os.environ.get("BENCH_VAR_DIR") or tempfile.mkdtemp(prefix="huxiao-bench-")
    os.environ["HUXIAO_VAR_DIR"] = var_dir
    if url:
        if not REUSE:
            import psycopg

            base, name = url.rsplit("/", 1)
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        if not REUSE:
            for name in ("huxiao.sqlite3", "huxiao.sqlite3-wal", "huxiao.sqlite3-shm"):
                Path(var_dir, name).unlink(missing_ok=True)
        print(f"SQLite database in {var_dir}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor, var_dir


# ---- the city ----------------------------------------------------------------------------------


def _insert(table: str, columns: tuple[str, ...], rows) -> int:
    """COPY (PostgreSQL) or executemany (SQLite) in the current transaction."""
    from django.db import connection

    cols = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            ops = connection.ops
            adapt = []
            for row in rows:
                adapt.append(
                    tuple(
                        ops.adapt_datetimefield_value(v)
                        if isinstance(v, dt.datetime)
                        else ops.adapt_datefield_value(v)
                        if isinstance(v, dt.date)
                        else str(v)
                        if isinstance(v, Decimal)
                        else v
                        for v in row
                    )
                )
                if len(adapt) == 50_000:
                    n += _many(cursor, table, cols, len(columns), adapt)
                    adapt = []
            n += _many(cursor, table, cols, len(columns), adapt)
    return n


def _many(cursor, table, cols, width, rows) -> int:
    if rows:
        marks = ", ".join(["%s"] * width)
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    return len(rows)


def _coords(rng) -> tuple[Decimal, Decimal]:
    return (
        Decimal(f"{26.45 + rng.random() * 0.2:.6f}"),
        Decimal(f"{101.60 + rng.random() * 0.25:.6f}"),
    )


def _moved(lat: Decimal, lon: Decimal, metres: float) -> tuple[Decimal, Decimal]:
    return lat + Decimal(f"{metres / 111_195:.6f}"), lon


def build(rng: random.Random, today: dt.date):
    """The tree, schools, posts, people, routes with bulk_create; the event tables raw."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from huxiao.core.models import Organization, Role, User
    from huxiao.core.roles import ensure_default_roles
    from huxiao.patrols import rules
    from huxiao.patrols.models import (
        CheckIn,
        Checkpoint,
        CheckpointVisit,
        DutyShift,
        GuardPost,
        PatrolLog,
        PatrolRoute,
        default_windows,
    )
    from huxiao.schools.models import School

    ensure_default_roles()
    roles = {r.code: r for r in Role.objects.all()}
    orgs, next_id = [], 1

    def org(kind, parent, edu=None):
        nonlocal next_id
        pk, next_id = next_id, next_id + 1
        path = (parent.path if parent else "/") + Organization.path_segment(pk)
        o = Organization(
            id=pk,
            kind=kind,
            name=f"{kind}-{pk}",
            code=f"P-{pk}",
            division_code="510400",
            parent_id=parent.id if parent else None,
            path=path,
            depth=path.count("/") - 2,
            education_bureau_id=edu,
        )
        orgs.append(o)
        return o

    city = org("city_bureau", None)
    edu = org("education_bureau", None)
    subs = [org("sub_bureau", city) for _ in range(5)]
    stations = [org("station", subs[i % 5]) for i in range(STATIONS)]
    school_orgs = [
        (station, org("school", station, edu.id))
        for station in stations
        for _ in range(SCHOOLS_PER_STATION)
    ]
    first_day = today - dt.timedelta(days=200)
    term = [{"start": first_day.isoformat(), "end": (today + dt.timedelta(days=60)).isoformat()}]
    schools = [
        School(
            id=n,
            organization_id=o.id,
            school_code=f"{5104000000 + n:010d}",
            level="primary",
            locality="urban",
            students=800,
            staff=60,
            term_calendar=term,
        )
        for n, (_, o) in enumerate(school_orgs, start=1)
    ]
    password = make_password(None)
    users, posts, post_crew = [], [], {}
    station_of_school = {n: st for n, (st, _) in enumerate(school_orgs, start=1)}

    def person(username, organization, role, kind):
        u = User(
            id=len(users) + 1,
            username=username,
            password=password,
            organization_id=organization.id,
            role_id=roles[role].id,
            full_name=username,
            must_change_password=False,
        )
        users.append(u)
        return (u.id, kind)

    person("commander", city, "commander", "police")
    person("officer", stations[0], "officer", "police")
    for school in schools:
        station = station_of_school[school.id]
        school_org = school_orgs[school.id - 1][1]
        lat, lon = _coords(rng)
        for g in range(POSTS_PER_SCHOOL):
            pid = len(posts) + 1
            posts.append(
                GuardPost(
                    id=pid,
                    school_id=school.id,
                    name=f"{'南北'[g]}门护学岗",
                    latitude=lat,
                    longitude=lon + Decimal("0.002") * g,
                    radius_m=100,
                    windows=default_windows(),
                    qr_secret=f"{pid:032x}",
                )
            )
            crew = [person(f"p{pid}-police", station, "officer", "police")]
            crew.append(person(f"p{pid}-aux", station, "officer", "auxiliary"))
            crew += [person(f"p{pid}-guard{i}", school_org, "gate_guard", "guard") for i in (1, 2)]
            crew += [person(f"p{pid}-vol{i}", station, "volunteer", "volunteer") for i in (1, 2)]
            post_crew[pid] = crew
    routes, checkpoints, route_points = [], [], {}
    for s, station in enumerate(stations):
        station_schools = list(
            range(s * SCHOOLS_PER_STATION + 1, (s + 1) * SCHOOLS_PER_STATION + 1)
        )
        for r in range(2):
            rid = len(routes) + 1
            routes.append(
                PatrolRoute(id=rid, organization_id=station.id, name=f"{station.name}-{r}")
            )
            points = []
            for c in range(CHECKPOINTS_PER_ROUTE):
                school_id = station_schools[c] if c < len(station_schools) else None
                post = posts[(school_id - 1) * POSTS_PER_SCHOOL] if school_id else None
                lat, lon = (post.latitude, post.longitude) if post else _coords(rng)
                cid = len(checkpoints) + 1
                checkpoints.append(
                    Checkpoint(
                        id=cid,
                        route_id=rid,
                        name=f"点{c}",
                        school_id=school_id,
                        latitude=lat,
                        longitude=lon,
                        is_mandatory=c < CHECKPOINTS_PER_ROUTE - 2,
                        order=c,
                    )
                )
                points.append((cid, c < CHECKPOINTS_PER_ROUTE - 2))
            route_points[rid] = (station.id, points)

    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=5000)
        School.objects.bulk_create(schools, batch_size=5000)
        User.objects.bulk_create(users, batch_size=5000)
        GuardPost.objects.bulk_create(posts, batch_size=5000)
        PatrolRoute.objects.bulk_create(routes, batch_size=5000)
        Checkpoint.objects.bulk_create(checkpoints, batch_size=5000)

    # School days back from yesterday until the check-ins are all placed.
    windows = {"am": (dt.time(7, 0), 90), "pm": (dt.time(16, 0), 120)}
    tz = timezone.get_current_timezone()
    days, day = [], today - dt.timedelta(days=1)
    per_day = len(posts) * len(windows) * sum(n * p for _, n, p in CREW) * 1.05
    while len(days) * per_day < CHECKINS * 1.02 and day > first_day:
        if rules.is_school_day(term, day):
            days.append(day)
        day -= dt.timedelta(days=1)
    days.reverse()

    checkin_cols = (
        "post_id",
        "school_id",
        "user_id",
        "person_kind",
        "date",
        "window",
        "at",
        "received_at",
        "latitude",
        "longitude",
        "accuracy_m",
        "distance_m",
        "proof",
        "is_valid",
        "problem",
        "was_offline",
        "idempotency_key",
    )
    shift_cols = ("post_id", "date", "window", "person_id", "person_name", "person_kind")
    shift_cols += ("status", "note", "created_at")
    placed = 0

    def checkin_rows():
        nonlocal placed
        seq = 0
        for day in reversed(days):  # newest first: an unfinished oldest day is the cut
            for post in posts:
                for code, (start, length) in windows.items():
                    opens = dt.datetime.combine(day, start, tzinfo=tz)
                    for uid, kind in post_crew[post.id]:
                        if rng.random() > CHANCE[kind]:
                            continue
                        minute = rng.randint(-10, length - 5)
                        at = opens + dt.timedelta(minutes=minute, seconds=rng.randint(0, 59))
                        attempts = [(True, 12)]
                        if rng.random() < 0.05:  # first attempt too far, then a valid one
                            attempts.insert(0, (False, 180 + rng.randint(0, 300)))
                        for valid, metres in attempts:
                            if placed >= CHECKINS:
                                return
                            seq += 1
                            placed += 1
                            lat, lon = _moved(post.latitude, post.longitude, metres)
                            yield (
                                post.id,
                                post.school_id,
                                uid,
                                kind,
                                day,
                                code,
                                at,
                                at + dt.timedelta(seconds=2),
                                lat,
                                lon,
                                15,
                                metres,
                                "gps",
                                valid,
                                "" if valid else f"距岗点 {metres} 米，超出打卡范围（100 米）。",
                                False,
                                f"bench-{seq:010d}",
                            )
                            at += dt.timedelta(seconds=40)

    created = timezone.now()

    def shift_rows():
        for day in days:
            for post in posts:
                for code in windows:
                    for uid, kind in post_crew[post.id][:2]:
                        yield (post.id, day, code, uid, f"u{uid}", kind, "planned", "", created)

    log_cols = ("route_id", "organization_id", "leader_id", "police_count", "auxiliary_count")
    log_cols += ("vehicles", "window", "date", "started_at", "ended_at", "status", "note")
    logs, visits = [], []
    leaders = {
        st.id: post_crew[(i * SCHOOLS_PER_STATION) * POSTS_PER_SCHOOL + 1][0][0]
        for i, st in enumerate(stations)
    }
    mandatory = {rid: {cid for cid, m in points if m} for rid, (_, points) in route_points.items()}
    for day in days:
        for rid, (org_id, points) in route_points.items():
            for code, (start, length) in windows.items():
                begin = dt.datetime.combine(day, start, tzinfo=tz)
                missed = {cid for cid, _ in points if rng.random() < 0.02}
                status = "incomplete" if missed & mandatory[rid] else "completed"
                logs.append(
                    (
                        rid,
                        org_id,
                        leaders[org_id],
                        2,
                        2,
                        1,
                        code,
                        day,
                        begin,
                        begin + dt.timedelta(minutes=length),
                        status,
                        "",
                    )
                )
                visits.append(
                    [
                        (cid, begin + dt.timedelta(minutes=3 * n))
                        for n, (cid, _) in enumerate(points)
                        if cid not in missed
                    ]
                )
    start = time.perf_counter()
    with transaction.atomic():
        n_checkins = _insert(CheckIn._meta.db_table, checkin_cols, checkin_rows())
        n_shifts = _insert(DutyShift._meta.db_table, shift_cols, shift_rows())
        _insert(PatrolLog._meta.db_table, log_cols, logs)
        log_ids = list(PatrolLog.objects.order_by("pk").values_list("pk", flat=True))
        visit_rows = (
            (log_id, cid, at, "gps")
            for log_id, points in zip(log_ids, visits, strict=True)
            for cid, at in points
        )
        n_visits = _insert(
            CheckpointVisit._meta.db_table, ("log_id", "checkpoint_id", "at", "proof"), visit_rows
        )
    load = time.perf_counter() - start
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in (
                "core_organization",
                "core_user",
                "schools_school",
                "patrols_guardpost",
                "patrols_patrolroute",
                "patrols_checkpoint",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}','id'), (SELECT MAX(id) FROM {table}))"
                )
            cur.execute("VACUUM ANALYZE")  # what autovacuum does to a table two months old
        else:
            cur.execute("ANALYZE")
    print(
        f"{len(orgs)} organisations, {len(schools)} schools, {len(posts)} posts, {len(users)} people; "
        f"{n_checkins:,} check-ins over {len(days)} school days ({days[0]} – {days[-1]}), "
        f"{n_shifts:,} shifts, {len(logs):,} patrol logs, {n_visits:,} visits; "
        f"event tables loaded in {load:.1f} s"
    )
    # The statistics' day: the last school day but one (the throughput run stores its
    # check-ins on the latest school day, which must not change the figures of a re-run).
    return days[-2]


# ---- statistics beside the floor ---------------------------------------------------------------


def floor_statements(vendor: str) -> list[tuple[str, str]]:
    """The bare statements the day's figures need (unscoped: the city is the whole database)."""
    not_running = "l.status <> 'in_progress'"
    incomplete = "CASE WHEN l.status IN ('incomplete', 'abandoned') THEN 1 ELSE 0 END"
    return [
        (
            "posts",
            "SELECT p.id, p.school_id, p.windows, s.term_calendar FROM patrols_guardpost p "
            "JOIN schools_school s ON s.id = p.school_id WHERE p.is_active",
        ),
        (
            "check-ins",
            'SELECT post_id, "window", person_kind, is_valid, COUNT(*), '
            "COUNT(DISTINCT user_id) FROM patrols_checkin WHERE date = %(day)s "
            'GROUP BY post_id, "window", person_kind, is_valid',
        ),
        (
            "patrols",
            f"SELECT SUM(police_count) + SUM(auxiliary_count), COUNT(*), SUM({incomplete}) "
            "FROM patrols_patrollog l WHERE l.date = %(day)s",
        ),
        (
            "required",
            "SELECT COUNT(*) FROM patrols_patrollog l JOIN patrols_checkpoint c "
            f"ON c.route_id = l.route_id AND c.is_mandatory WHERE l.date = %(day)s AND {not_running}",
        ),
        (
            "ticked",
            "SELECT COUNT(*) FROM patrols_checkpointvisit v JOIN patrols_patrollog l "
            "ON l.id = v.log_id JOIN patrols_checkpoint c ON c.id = v.checkpoint_id "
            f"WHERE l.date = %(day)s AND {not_running} AND c.is_mandatory",
        ),
        (
            "shifts",
            "SELECT COUNT(*) FROM patrols_dutyshift WHERE date = %(day)s "
            "AND status = 'planned' AND person_kind = 'police'",
        ),
    ]


def run_floor(statements, day) -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for name, sql in statements:
            cur.execute(sql, {"day": day})
            out[name] = cur.fetchall()
    return out


def floor_figures(rows: dict) -> dict:
    """The day's totals from the floor's rows, to check day_stats against."""
    valid = [r for r in rows["check-ins"] if r[1] in ("am", "pm") and r[3]]
    invalid = [r for r in rows["check-ins"] if r[1] in ("am", "pm") and not r[3]]
    people, n, incomplete = rows["patrols"][0]
    return {
        "expected_posts": 2 * len(rows["posts"]),
        "covered_posts": len({(r[0], r[1]) for r in valid}),
        "police_posts": len({(r[0], r[1]) for r in valid if r[2] == "police"}),
        "checkins": sum(r[4] for r in valid),
        "invalid_checkins": sum(r[4] for r in invalid),
        "police_person_times_checkins": sum(r[5] for r in valid if r[2] == "police"),
        "police_person_times_patrols": int(people or 0),
        "patrols": n,
        "patrols_incomplete": int(incomplete or 0),
        "missed_checkpoints": rows["required"][0][0] - rows["ticked"][0][0],
        "police_person_times_scheduled": rows["shifts"][0][0],
    }


def stats_figures(s) -> dict:
    return {
        "expected_posts": s.expected_posts,
        "covered_posts": sum(w.covered_posts for w in s.windows),
        "police_posts": sum(w.police_posts for w in s.windows),
        "checkins": sum(w.checkins for w in s.windows),
        "invalid_checkins": sum(w.invalid_checkins for w in s.windows),
        "police_person_times_checkins": s.police_person_times_checkins,
        "police_person_times_patrols": s.police_person_times_patrols,
        "patrols": s.patrols,
        "patrols_incomplete": s.patrols_incomplete,
        "missed_checkpoints": s.missed_checkpoints,
        "police_person_times_scheduled": s.police_person_times_scheduled,
    }


def timed(fn, repeat: int = REPEAT) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def captured(fn) -> list[tuple[str, object, float]]:
    """(sql, params, ms) of every statement ``fn`` sends."""
    from django.db import connection

    out = []

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            out.append((sql, params, (time.perf_counter() - start) * 1000))

    with connection.execute_wrapper(wrapper):
        fn()
    return out


def explain(vendor: str, sql: str, params) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cur:
        cur.execute(prefix + sql, params)
        rows = cur.fetchall()
    if vendor == "sqlite":
        return "\n".join(f"{r[0]:>4} {r[1]:>4} {r[3]}" for r in rows)
    return "\n".join(r[0] for r in rows)


def bench_stats(vendor: str, day: dt.date) -> None:
    from huxiao.core.models import User
    from huxiao.patrols import stats
    from huxiao.patrols.models import CheckIn

    commander = User.objects.select_related("role", "organization").get(username="commander")
    officer = User.objects.select_related("role", "organization").get(username="officer")
    total = CheckIn.objects.count()
    on_day = CheckIn.objects.filter(date=day).count()
    print(f"\ncheck-ins in the table: {total:,}; on {day}: {on_day:,}")
    statements = floor_statements(vendor)
    want = floor_figures(run_floor(statements, day))
    got = stats_figures(stats.day_stats(user=commander, day=day))
    if got != want:
        print(f"MISMATCH day_stats vs floor:\n  day_stats {got}\n  floor     {want}")
    else:
        print(f"day_stats agrees with the floor: {got}")

    city = timed(lambda: stats.day_stats(user=commander, day=day))
    station = timed(lambda: stats.day_stats(user=officer, day=day))
    floor = timed(lambda: run_floor(statements, day))
    heavy = [s for s in statements if s[0] == "check-ins"]
    floor_checkins = timed(lambda: run_floor(heavy, day))
    print(f"\n| day statistics ({vendor}), median of {REPEAT}, ms | platform | floor | ratio |")
    print("|---|---|---|---|")
    print(
        f"| city commander, `day_stats` (2,000 posts) | {city:.1f} | {floor:.1f} | {city / floor:.1f}x |"
    )
    print(f"| of which the check-in aggregate | — | {floor_checkins:.1f} | |")
    print(f"| one station's officer (50 posts) | {station:.1f} | — | |")

    parts = captured(lambda: stats.day_stats(user=commander, day=day))
    print("\nday_stats statements (city; time to execute, SQLite steps through rows at fetch):")
    for sql, _params, ms in parts:
        print(f"  {ms:8.1f} ms  {sql[:110]}")
    if "--explain" in sys.argv:
        sql, params, _ = max(parts, key=lambda p: p[2])
        print(f"\n--- slowest day_stats statement, plan ---\n{sql}\n{explain(vendor, sql, params)}")
        mogrified = heavy[0][1].replace("%(day)s", "%s")
        print(f"\n--- floor check-in aggregate, plan ---\n{explain(vendor, mogrified, [day])}")
    sys.stdout.flush()


# ---- check-in endpoint throughput beside the floors --------------------------------------------

STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
FLOOR_TABLE = "bench_floor_write"


def floor_read(request):
    """FLOORS.md's floor: one ORM primary-key read, as JSON."""
    from django.http import JsonResponse

    from huxiao.core.models import Organization

    org = Organization.objects.only("id", "name").get(pk=1)
    return JsonResponse({"id": org.pk, "name": org.name})


def floor_write(request):
    """One INSERT of a unique key in its own transaction (a check-in's write, bare)."""
    from django.db import connection, transaction
    from django.http import JsonResponse
    from django.utils import timezone

    key = json.loads(request.body)["idempotency_key"]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"INSERT INTO {FLOOR_TABLE} (key, at) VALUES (%s, %s)", [key, timezone.now()])
    return JsonResponse({"key": key}, status=201)


def __getattr__(name):
    """``urlpatterns`` when gunicorn serves this module as the floor's URLconf (built lazily:
    including the project's URLs needs the settings)."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    return [
        path("bench/floor-read", floor_read),
        path("bench/floor-write", csrf_exempt(floor_write)),
        path("", include("huxiao.urls")),
    ]


def floor_wsgi(middleware: str = "startproject"):
    """gunicorn ``patrols_bench:floor_wsgi()``: the project's settings with this module as the
    URLconf and Django's startproject middleware (or the project's: ``floor_wsgi('project')``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    settings.ROOT_URLCONF = "patrols_bench"
    if middleware == "startproject":
        settings.MIDDLEWARE = STARTPROJECT_MIDDLEWARE
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


# Each request a new key and, with tokens, a (person, post) pair not yet checked in: a person
# counts once per post and window (a second check-in stores nothing, docs/patrols.md), so the
# bench rotates the posts for each of the station's police in turn, the two threads taking
# alternate people, then the next window of the last school days, to measure the store of a
# new check-in rather than the "already checked in" answer.
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local tokens = {%(tokens)s}
local moments = {%(moments)s}
local posts = {%(posts)s}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local p = posts[(counter %% #posts) + 1]
  local key = string.format("w%(run)s-%%d-%%d", tid, counter)
  local k = math.floor(counter / #posts) * 2 + tid - 1
  local at = moments[(math.floor(k / math.max(#tokens, 1)) %% #moments) + 1]
  local body = string.format('%(body)s', p[1], p[2], p[3], key, at)
  local headers = nil
  if #tokens > 0 then
    headers = {["Content-Type"] = "application/json",
               ["Authorization"] = "Bearer " .. tokens[(k %% #tokens) + 1]}
  end
  return wrk.format(nil, "%(path)s", headers, body)
end
"""


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def _serve(app: str, env: dict, port: int, log: Path) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "--workers=3",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--pythonpath=" + str(ROOT / "bench"),
        "--log-level=warning",
        app,
    ]
    server = subprocess.Popen(cmd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    import urllib.error
    import urllib.request

    for _ in range(200):
        time.sleep(0.1)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor-read", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server  # up (the project's app answers 404 there)
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log}") from None
    raise RuntimeError(f"gunicorn did not start; see {log}")


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _wrk(url: str, script: Path | None) -> dict:
    cmd = ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": ms(50),
        "p99": ms(99),
        "requests": total,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket": errors.group(1) if errors else "",
    }


def _window_moments() -> list[str]:
    """Both windows (07:30, 16:30) of each school day of the last six days, latest first: the
    (person, post, window) pairs the bench's check-ins take in turn."""
    from django.utils import timezone

    from huxiao.patrols import rules

    today = timezone.localdate()
    days = [today - dt.timedelta(days=back) for back in range(1, 7)]
    return [
        f"{day.isoformat()}T{hour}"
        for day in days
        if rules.is_school_day(None, day)
        for hour in ("07:30:00", "16:30:00")
    ]


def _window_moment() -> str:
    """07:30 on the latest school day of the last six days (local ISO time): every check-in
    the bench sends falls in a window, so the endpoint runs its whole path (the shift look-up
    included) and stores a valid check-in; without ``at`` it would depend on the hour."""
    from django.utils import timezone

    from huxiao.patrols import rules

    today = timezone.localdate()
    for back in range(1, 7):
        day = today - dt.timedelta(days=back)
        if rules.is_school_day(None, day):
            return f"{day.isoformat()}T07:30:00"
    return ""


def _checkin_body(post_id: int, lat, lon, key: str, at: str) -> dict:
    body = {
        "post_id": post_id,
        "latitude": float(lat),
        "longitude": float(lon),
        "accuracy_m": 10,
        "proof": "gps",
        "idempotency_key": key,
    }
    if at:
        body["at"] = at
    return body


def bench_http(vendor: str, var_dir: str) -> None:
    import urllib.request

    from django.db import connection

    from huxiao.core import services as core_services
    from huxiao.core.models import User
    from huxiao.patrols.models import CheckIn, GuardPost

    if not shutil.which("wrk"):
        print("\nwrk is not installed (apt-get install -y wrk): no throughput figures")
        return
    officer = User.objects.get(username="officer")
    _, token = core_services.token_create(user=officer, name="bench")
    # The station's police (the officer and each post's crew), one token each: see LUA.
    people = User.objects.filter(
        organization_id=officer.organization_id, role_id=officer.role_id, is_active=True
    ).exclude(pk=officer.pk)
    tokens = [token] + [core_services.token_create(user=u, name="bench")[1] for u in people]
    posts = list(
        GuardPost.objects.filter(school__organization__parent_id=officer.organization_id)
        .order_by("pk")
        .values_list("pk", "latitude", "longitude")
    )
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, "
                "key varchar(64) UNIQUE NOT NULL, at timestamptz NOT NULL)"
            )
        else:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id integer PRIMARY KEY "
                "AUTOINCREMENT, key varchar(64) UNIQUE NOT NULL, at datetime NOT NULL)"
            )
    connection.close()  # the servers hold their own connections

    env = {
        **os.environ,
        "HUXIAO_PROFILE": "embedded",
        "HUXIAO_DEBUG": "0",
        "HUXIAO_DB_CONN_MAX_AGE": "600",
        "HUXIAO_VAR_DIR": var_dir,
        "PYTHONPATH": str(ROOT / "src"),
    }
    run = f"{random.randrange(16**8):08x}"
    tmp = Path(tempfile.mkdtemp(prefix="huxiao-wrk-"))
    log = tmp / "gunicorn.log"
    at = _window_moment()
    body = json.dumps(_checkin_body(0, 0, 0, "KEY", at), ensure_ascii=False)
    template = (
        body.replace('"post_id": 0', '"post_id": %d')
        .replace('"latitude": 0.0', '"latitude": %s')
        .replace('"longitude": 0.0', '"longitude": %s')
        .replace('"KEY"', '"%s"')
        .replace(f'"at": "{at}"', '"at": "%s"')
    )
    moments = _window_moments() or [at]
    lua_posts = ", ".join(f'{{{pk}, "{lat}", "{lon}"}}' for pk, lat, lon in posts)

    def script(name: str, path: str, auth: bool) -> Path:
        target = tmp / f"{name}.lua"
        target.write_text(
            LUA
            % {
                "tokens": ", ".join(f'"{t}"' for t in tokens) if auth else "",
                "moments": ", ".join(f'"{m}"' for m in moments),
                "posts": lua_posts,
                "run": run + name[:2],
                "body": template,
                "path": path,
            }
        )
        return target

    port = 18000 + random.randrange(1000)
    base = f"http://127.0.0.1:{port}"
    results = []

    def measure(label, app, url, lua=None):
        server = _serve(app, env, port, log)
        try:
            load = _loadavg()
            if lua is None:
                urllib.request.urlopen(url, timeout=5).read()
            result = _wrk(url, lua)
        finally:
            _stop(server)
        results.append((label, result, load))
        print(
            f"  {label}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, {result['requests']} requests, "
            f"non-2xx {result['non2xx']} {result['socket']} (load before: {load})"
        )

    # A first check-in through the real stack: it must be stored (201).
    server = _serve("huxiao.wsgi:application", env, port, log)
    try:
        pk, lat, lon = posts[0]
        request = urllib.request.Request(
            f"{base}/api/v1/checkins",
            data=json.dumps(_checkin_body(pk, lat, lon, f"probe-{run}", at)).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            probe = (response.status, json.loads(response.read()))
    finally:
        _stop(server)
    print(f"\nprobe check-in: HTTP {probe[0]} {json.dumps(probe[1], ensure_ascii=False)[:300]}")
    before = CheckIn.objects.count()
    connection.close()

    print(f"\nwrk -t2 -c32 -d{SECONDS}s against gunicorn 3 sync workers ({vendor}):")
    measure(
        "POST /api/v1/checkins (Bearer, new key each)",
        "huxiao.wsgi:application",
        f"{base}/api/v1/checkins",
        script("checkin", "/api/v1/checkins", auth=True),
    )
    stored = CheckIn.objects.count() - before
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
    measure(
        "floor: one INSERT in a transaction, startproject middleware",
        "patrols_bench:floor_wsgi()",
        f"{base}/bench/floor-write",
        script("floorwrite", "/bench/floor-write", auth=False),
    )
    print(
        f"\ncheck-ins stored by the endpoint run: {stored:,} (wrk counted {results[0][1]['requests']:,})"
    )
    endpoint, floor = results[0][1], results[1][1]
    print(f"\n| check-in throughput ({vendor}) | req/s | p50 ms | p99 ms | load before |")
    print("|---|---|---|---|---|")
    for label, r, load in results:
        print(f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {load} |")
    print(
        f"\nendpoint / floor (PK read): {endpoint['rps'] / floor['rps']:.2f}; target ≥ 300 req/s: "
        f"{'met' if endpoint['rps'] >= 300 else 'NOT met'}"
    )
    sys.stdout.flush()


# ---- main --------------------------------------------------------------------------------------


def main() -> None:
    vendor, var_dir = configure()
    from django.utils import timezone

    from huxiao.patrols.models import CheckIn

    today = timezone.localdate()
    if REUSE and CheckIn.objects.exists():
        loaded = CheckIn.objects.filter(idempotency_key__startswith="bench-")
        day = loaded.dates("date", "day", order="DESC")[1]
        print(f"database: {vendor}; reusing the city already built")
    else:
        start = time.perf_counter()
        day = build(random.Random(2026), today)
        print(f"database: {vendor}; built in {time.perf_counter() - start:.1f} s")
    only_http = "--http" in sys.argv and "--stats" not in sys.argv
    only_stats = "--stats" in sys.argv and "--http" not in sys.argv
    if not only_http:
        bench_stats(vendor, day)
    if not only_stats:
        bench_http(vendor, var_dir)


if __name__ == "__main__":
    main()
