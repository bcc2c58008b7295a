"""Compliance roll-up benchmark (not a test): ``compliance.summary`` beside the raw-SQL floor
measured in the same run (docs/performance.md, FLOORS.md).

    .venv/bin/python bench/compliance_bench.py                 # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/huxiao_bench_rollup \\
        .venv/bin/python bench/compliance_bench.py
    ... compliance_bench.py --explain                           # also print the query plans
    BENCH_VAR_DIR=/tmp/rollup ... compliance_bench.py --reuse    # time again without rebuilding

A generated province: 1 city bureau, 20 sub-bureaus, 600 stations, 20,000 schools with
~3 guards (60k), ~10 devices (200k) and the 8-item kit (160k equipment rows) each, written
with bulk_create (the bench measures reads; guards' ID numbers stay empty), and a 护学岗 at
~95% of them (a few with two, a few inactive). The
PostgreSQL database named in BENCH_DATABASE_URL is dropped and recreated.

The floor is one hand-written statement computing the same counts: per-school correlated
subqueries (SQLite, and PostgreSQL at small scope) or whole-table aggregates joined by
hash, or one LATERAL aggregate per table (PostgreSQL); the bench checks that each finds
the same numbers as ``summary``. Floors run with PostgreSQL's JIT off; summary() is timed
with the server's setting and with ``SET jit = off``.
"""

# ruff: noqa: S608  (the floor statements are assembled from this file's constants only)
from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal

SUB_BUREAUS, STATIONS, SCHOOLS = 20, 600, 20_000
TODAY = dt.date(2026, 11, 22)


REUSE = "--reuse" in sys.argv


def configure() -> str:
    """SQLite in a temporary directory (or BENCH_VAR_DIR), or the PostgreSQL database named in
    BENCH_DATABASE_URL, dropped and recreated unless --reuse is given."""
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
        print(f"SQLite database in {var_dir}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def build(rng: random.Random):
    """Bulk-insert the tree, schools, guards, devices and equipment; return (city, sub, station)."""
    from django.db import connection, transaction

    from huxiao.core.models import Organization
    from huxiao.patrols.models import GuardPost
    from huxiao.schools.choices import DeviceKind, GuardStatus
    from huxiao.schools.models import Device, EquipmentStock, Guard, School
    from huxiao.schools.policy import DEFAULT_KIT

    orgs, next_id = [], 1

    def add(kind, parent, edu=None):
        nonlocal next_id
        pk, next_id = next_id, next_id + 1
        path = (parent.path if parent else "/") + Organization.path_segment(pk)
        org = Organization(
            id=pk,
            kind=kind,
            name=f"{kind}-{pk}",
            code=f"B-{pk}",
            division_code="510400",
            parent_id=parent.id if parent else None,
            path=path,
            depth=path.count("/") - 2,
            education_bureau_id=edu,
        )
        orgs.append(org)
        return org

    city = add("city_bureau", None)
    edu = add("education_bureau", None)
    subs = [add("sub_bureau", city) for _ in range(SUB_BUREAUS)]
    stations = [add("station", subs[i % SUB_BUREAUS]) for i in range(STATIONS)]
    school_orgs = [add("school", stations[i % STATIONS], edu.id) for i in range(SCHOOLS)]

    schools, guards, devices, equipment, posts = [], [], [], [], []
    levels = ("kindergarten", "primary", "junior", "senior", "teaching_point")
    sizes = {
        "kindergarten": (150, 450),
        "primary": (600, 2400),
        "junior": (900, 2000),
        "senior": (1500, 3000),
        "teaching_point": (20, 90),
    }
    for n, org in enumerate(school_orgs, start=1):
        level = rng.choices(levels, weights=(30, 35, 20, 8, 7))[0]
        students = rng.randint(*sizes[level])
        locality = rng.choices(("urban", "town", "rural"), weights=(60, 20, 20))[0]
        boarding = locality == "rural" and level != "kindergarten" and rng.random() < 0.5
        schools.append(
            School(
                id=n,
                organization_id=org.id,
                school_code=f"{5104000000 + n:010d}",
                level=level,
                locality=locality,
                students=students,
                staff=max(2, students // 13),
                is_boarding=boarding,
                boarders=students // 2 if boarding else 0,
                closed_management=rng.random() < 0.93,
                anti_collision=["barrier"] if rng.random() < 0.85 else [],
                duty_24h=boarding and rng.random() < 0.7,
            )
        )
        # GB/T 29315 staffing, ~12% of schools one short and ~8% one spare (~3.2 guards each).
        required = (
            1
            if students < 100 and not boarding
            else 2
            if students < 1000
            else 3 + (students - 1000) // 500
        )
        roll = rng.random()
        staffed = required - 1 if roll < 0.12 else required + 1 if roll > 0.92 else required
        for _ in range(staffed + (1 if rng.random() < 0.03 else 0)):
            age = rng.randint(61, 63) if rng.random() < 0.03 else rng.randint(28, 58)
            cert = rng.random()
            guards.append(
                Guard(
                    school_id=n,
                    name="保安",
                    birth_date=TODAY - dt.timedelta(days=age * 366),
                    certificate_number="" if cert < 0.02 else f"C{n}",
                    certificate_valid_until=TODAY + dt.timedelta(days=-30 if cert < 0.05 else 400),
                    status=GuardStatus.ON_DUTY,
                )
            )
        if len(guards) and rng.random() < 0.03:
            guards[-1].status = GuardStatus.LEFT  # one who left: not counted
        networked = rng.random() < 0.88
        for c in range(rng.randint(7, 11)):
            devices.append(
                Device(
                    school_id=n,
                    kind=DeviceKind.CAMERA,
                    retention_days=15 if rng.random() < 0.01 else 30,
                    networked_police=networked and (c == 0 or rng.random() < 0.9),
                )
            )
        if rng.random() < 0.95:
            devices.append(
                Device(
                    school_id=n, kind=DeviceKind.ONE_KEY_ALARM, networked_police=rng.random() < 0.88
                )
            )
        post_roll = rng.random()
        for p in range(0 if post_roll < 0.05 else 2 if post_roll > 0.9 else 1):
            posts.append(
                GuardPost(
                    school_id=n,
                    name=f"护学岗{p + 1}",
                    latitude=Decimal("26.580000"),
                    longitude=Decimal("101.720000"),
                    qr_secret="bench",
                    is_active=rng.random() > 0.02,
                )
            )
        short = rng.random() < 0.15
        for item, need in DEFAULT_KIT.items():
            equipment.append(
                EquipmentStock(school_id=n, item=item, quantity=need - 1 if short else need + 1)
            )
    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=5000)
        School.objects.bulk_create(schools, batch_size=5000)
        Guard.objects.bulk_create(guards, batch_size=5000)
        Device.objects.bulk_create(devices, batch_size=5000)
        EquipmentStock.objects.bulk_create(equipment, batch_size=5000)
        GuardPost.objects.bulk_create(posts, batch_size=5000)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("core_organization", "schools_school"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}','id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
        cur.execute("ANALYZE")
    print(
        f"{len(orgs)} organisations, {len(schools)} schools, {len(guards)} guards, "
        f"{len(devices)} devices, {len(equipment)} equipment rows, {len(posts)} 护学岗"
    )
    return city, subs[0], stations[0]


# ---- the floor: one hand-written statement ---------------------------------------------------

FACTS = {  # fact -> (table, condition); :today, :cutoff, :retention are filled in by _bind
    "ga": ("schools_guard", "x.is_full_time AND x.status <> 'left'"),
    "gbad": (
        "schools_guard",
        "x.is_full_time AND x.status <> 'left' AND (x.certificate_number = '' "
        "OR x.certificate_valid_until IS NULL OR x.certificate_valid_until < :today)",
    ),
    "gold": (
        "schools_guard",
        "x.is_full_time AND x.status <> 'left' AND x.birth_date <= :cutoff",
    ),
    "gnob": ("schools_guard", "x.is_full_time AND x.status <> 'left' AND x.birth_date IS NULL"),
    "an": ("schools_device", "x.kind = 'one_key_alarm' AND x.networked_police"),
    "cams": ("schools_device", "x.kind = 'camera'"),
    "cn": ("schools_device", "x.kind = 'camera' AND x.networked_police"),
    "cshort": ("schools_device", "x.kind = 'camera' AND x.retention_days < :retention"),
    "cunk": ("schools_device", "x.kind = 'camera' AND x.retention_days IS NULL"),
    "gp": ("patrols_guardpost", "x.is_active"),
}

STATUS = {  # indicator code -> CASE over the facts of one school (gbt29315, rounding up)
    "staffing": "CASE WHEN ga >= (CASE WHEN students < 100 AND NOT is_boarding THEN 1 "
    "WHEN students < 1000 THEN 2 ELSE 3 + (students - 1000) / 500 END) "
    "THEN 'pass' ELSE 'fail' END",
    "certificates": "CASE WHEN ga = 0 THEN 'unknown' WHEN gbad > 0 THEN 'fail' ELSE 'pass' END",
    "guard_age": "CASE WHEN gold > 0 THEN 'fail' WHEN gnob > 0 OR ga = 0 THEN 'unknown' "
    "ELSE 'pass' END",
    "closed_management": "CASE WHEN closed_management THEN 'pass' ELSE 'fail' END",
    "alarm_networked": "CASE WHEN an > 0 THEN 'pass' ELSE 'fail' END",
    "video_networked": "CASE WHEN cn > 0 THEN 'pass' ELSE 'fail' END",
    "guard_post": "CASE WHEN gp > 0 THEN 'pass' ELSE 'fail' END",
    "anti_collision": "CASE WHEN locality = 'rural' THEN 'na' WHEN has_ac THEN 'pass' "
    "ELSE 'fail' END",
    "camera_retention": "CASE WHEN cams = 0 OR cshort > 0 THEN 'fail' WHEN cunk > 0 "
    "THEN 'unknown' ELSE 'pass' END",
    "equipment_kit": "CASE WHEN kit = :kit_items THEN 'pass' ELSE 'fail' END",
    "duty_24h": "CASE WHEN locality <> 'rural' OR NOT is_boarding THEN 'na' "
    "WHEN duty_24h THEN 'pass' ELSE 'fail' END",
}
INDICATORS = (  # code of compliance.INDICATORS -> statuses that must all pass, urban only
    ("staffing", ("staffing",), False),
    ("closed_management", ("closed_management",), False),
    ("networked", ("alarm_networked", "video_networked"), False),
    ("guard_post", ("guard_post",), False),
    ("certificates", ("certificates",), False),
    ("guard_age", ("guard_age",), False),
    ("alarm_networked", ("alarm_networked",), False),
    ("video_networked", ("video_networked",), False),
    ("urban_video_networked", ("video_networked",), True),
    ("anti_collision", ("anti_collision",), False),
    ("camera_retention", ("camera_retention",), False),
    ("equipment_kit", ("equipment_kit",), False),
    ("duty_24h", ("duty_24h",), False),
)


def _sums() -> str:
    parts = []
    for _, codes, urban in INDICATORS:
        cols = [f"s_{c}" for c in codes]
        where = "locality = 'urban' AND " if urban else ""
        not_na = " AND ".join(f"{c} <> 'na'" for c in cols)
        parts += [
            f"SUM(CASE WHEN {where}{not_na} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {where}{' AND '.join(f'{c} = {chr(39)}pass{chr(39)}' for c in cols)} "
            "THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {where}{not_na} AND NOT ({' OR '.join(f'{c} = {chr(39)}fail{chr(39)}' for c in cols)}) "
            f"AND ({' OR '.join(f'{c} = {chr(39)}unknown{chr(39)}' for c in cols)}) THEN 1 ELSE 0 END)",
        ]
    return ", ".join(parts)


def _kit_condition(alias: str) -> str:
    from huxiao.schools.policy import DEFAULT_KIT

    return " OR ".join(
        f"({alias}.item = '{item}' AND {alias}.quantity >= {need})"
        for item, need in DEFAULT_KIT.items()
    )


def _scope(vendor: str, org) -> tuple[str, list]:
    if vendor == "sqlite":
        return "o.path >= %s AND o.path < %s", [org.path, org.path[:-1] + "0"]
    return "o.path LIKE %s", [org.path + "%"]


SCHOOL_COLUMNS = (
    "s.students, s.is_boarding, s.locality, s.closed_management, s.duty_24h, "
    "s.anti_collision <> {empty} AS has_ac"
)


def floor_correlated(vendor: str, org) -> tuple[str, list]:
    """Per-school correlated subqueries over the (school_id, …) indexes."""
    facts = ", ".join(
        f"(SELECT COUNT(*) FROM {table} x WHERE x.school_id = s.id AND {cond}) AS {name}"
        for name, (table, cond) in FACTS.items()
    )
    kit = (
        f"(SELECT COUNT(*) FROM schools_equipmentstock e WHERE e.school_id = s.id "
        f"AND ({_kit_condition('e')})) AS kit"
    )
    where, params = _scope(vendor, org)
    empty = "'[]'" if vendor == "sqlite" else "'[]'::jsonb"
    inner = (
        f"SELECT substr(o.path, {len(org.path) + 1}, 9) AS grp, "
        f"{SCHOOL_COLUMNS.format(empty=empty)}, {facts}, {kit} "
        f"FROM schools_school s JOIN core_organization o ON o.id = s.organization_id WHERE {where}"
    )
    return _outer(inner), params


def floor_aggregates(vendor: str, org) -> tuple[str, list]:
    """Whole-table aggregates per school, hash-joined to the schools in scope."""
    guards = ", ".join(
        f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}"
        for name, (table, cond) in FACTS.items()
        if table == "schools_guard"
    )
    devices = ", ".join(
        f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}"
        for name, (table, cond) in FACTS.items()
        if table == "schools_device"
    )
    posts = ", ".join(
        f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}"
        for name, (table, cond) in FACTS.items()
        if table == "patrols_guardpost"
    )
    coalesced = ", ".join(f"COALESCE({name}, 0) AS {name}" for name in FACTS)
    where, params = _scope(vendor, org)
    empty = "'[]'" if vendor == "sqlite" else "'[]'::jsonb"
    inner = (
        f"SELECT substr(o.path, {len(org.path) + 1}, 9) AS grp, "
        f"{SCHOOL_COLUMNS.format(empty=empty)}, {coalesced}, COALESCE(k.kit, 0) AS kit "
        "FROM schools_school s JOIN core_organization o ON o.id = s.organization_id "
        f"LEFT JOIN (SELECT x.school_id, {guards} FROM schools_guard x GROUP BY x.school_id) g "
        "ON g.school_id = s.id "
        f"LEFT JOIN (SELECT x.school_id, {devices} FROM schools_device x GROUP BY x.school_id) d "
        "ON d.school_id = s.id "
        f"LEFT JOIN (SELECT x.school_id, {posts} FROM patrols_guardpost x GROUP BY x.school_id) p "
        "ON p.school_id = s.id "
        "LEFT JOIN (SELECT e.school_id, COUNT(*) AS kit FROM schools_equipmentstock e "
        f"WHERE {_kit_condition('e')} GROUP BY e.school_id) k ON k.school_id = s.id "
        f"WHERE {where}"
    )
    return _outer(inner), params


def floor_lateral(vendor: str, org) -> tuple[str, list] | None:
    """PostgreSQL: one LATERAL aggregate per table and school (3 index lookups a school)."""
    if vendor != "postgresql":
        return None

    def lateral(table: str) -> str:
        cols = ", ".join(
            f"COUNT(*) FILTER (WHERE {cond}) AS {name}"
            for name, (t, cond) in FACTS.items()
            if t == table
        )
        return f"LEFT JOIN LATERAL (SELECT {cols} FROM {table} x WHERE x.school_id = s.id) "

    where, params = _scope(vendor, org)
    school_columns = SCHOOL_COLUMNS.format(empty="'[]'::jsonb")
    facts = ", ".join(FACTS)
    inner = (
        f"SELECT substr(o.path, {len(org.path) + 1}, 9) AS grp, {school_columns}, {facts}, k.kit "
        "FROM schools_school s JOIN core_organization o ON o.id = s.organization_id "
        f"{lateral('schools_guard')} g ON true {lateral('schools_device')} d ON true "
        f"{lateral('patrols_guardpost')} p ON true "
        "LEFT JOIN LATERAL (SELECT COUNT(*) AS kit FROM schools_equipmentstock e "
        f"WHERE e.school_id = s.id AND ({_kit_condition('e')})) k ON true WHERE {where}"
    )
    return _outer(inner), params


def _outer(inner: str) -> str:
    statuses = ", ".join(f"{sql} AS s_{code}" for code, sql in STATUS.items())
    # MATERIALIZED keeps each school's facts computed once (a flattened subquery would copy
    # each correlated subquery into every status that reads it).
    return (
        f"WITH f AS MATERIALIZED ({inner}), "
        f"t AS (SELECT grp, locality, {statuses} FROM f) "
        f"SELECT grp, COUNT(*), {_sums()} FROM t GROUP BY grp"
    )


def _bind(sql: str, values: dict) -> str:
    for name, value in values.items():
        sql = sql.replace(f":{name}", str(value))
    return sql


def run_floor(sql: str, params: list):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def floor_totals(rows) -> tuple[int, dict]:
    schools = sum(r[1] for r in rows)
    totals = {}
    for i, (code, _, _) in enumerate(INDICATORS):
        a, p, u = (sum(int(r[2 + 3 * i + k] or 0) for r in rows) for k in range(3))
        totals[code] = (a, p, a - p - u, u)
    return schools, totals


def summary_totals(summary) -> tuple[int, dict]:
    return summary.total.schools, {
        code: (i.applicable, i.passing, i.failing, i.unknown)
        for code, i in summary.total.indicators.items()
    }


def timed(fn, repeat: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def explain(vendor: str, sql: str, params) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cur:
        cur.execute(prefix + sql, params)
        rows = cur.fetchall()
    if vendor == "sqlite":
        return "\n".join(f"{r[0]:>4} {r[1]:>4} {r[3]}" for r in rows)
    return "\n".join(r[0] for r in rows)


def summary_sql(fn) -> tuple[str, list]:
    """The statement summary() sends (the biggest of its queries)."""
    from django.db import connection

    captured = []

    def wrapper(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return max(captured, key=lambda c: len(c[0]))


def main() -> None:
    vendor = configure()
    from django.conf import settings

    from huxiao.core.models import Role, User
    from huxiao.core.roles import ensure_default_roles
    from huxiao.schools import compliance, rules
    from huxiao.schools.policy import POLICY_GBT, current

    policy = current()
    assert policy.staffing == POLICY_GBT and policy.round_up, "the floor hand-codes gbt29315"
    start = time.perf_counter()
    from huxiao.core.models import Organization

    if REUSE and Organization.objects.exists():
        city = Organization.objects.get(kind="city_bureau")
        sub = Organization.objects.filter(kind="sub_bureau").order_by("pk").first()
        station = Organization.objects.filter(kind="station").order_by("pk").first()
        print(f"database: {vendor}; reusing the province already built")
    else:
        city, sub, station = build(random.Random(2026))
        print(f"database: {vendor}; built in {time.perf_counter() - start:.1f} s")
    ensure_default_roles()
    roles = {r.code: r for r in Role.objects.all()}
    commander, _ = User.objects.get_or_create(
        username="c", defaults={"organization": city, "role": roles["commander"]}
    )
    sub_commander, _ = User.objects.get_or_create(
        username="s", defaults={"organization": sub, "role": roles["commander"]}
    )
    officer, _ = User.objects.get_or_create(
        username="o", defaults={"organization": station, "role": roles["officer"]}
    )
    values = {
        "today": f"'{TODAY.isoformat()}'",
        "cutoff": f"'{rules.age_cutoff(TODAY, policy.guard_max_age).isoformat()}'",
        "retention": policy.camera_retention_days,
        "kit_items": len(policy.min_kit),
    }
    _ = settings

    def ours(user, org):
        return lambda: compliance.summary(user=user, org=org, today=TODAY)

    def floor(form, org):
        sql, params = form(vendor, org)
        sql = _bind(sql, values)
        return lambda: run_floor(sql, params)

    from django.db import connection

    server_jit = ""
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW jit")
            server_jit = cur.fetchone()[0]

    def set_jit(value):
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"SET jit = {value or server_jit}")

    scopes = [
        ("city (20,000 schools)", commander, city, 5),
        ("sub-bureau (1,000 schools)", sub_commander, sub, 15),
        ("station (33 schools)", officer, station, 50),
    ]
    forms = [f for f in (floor_correlated, floor_aggregates, floor_lateral) if f(vendor, city)]
    names = {
        floor_correlated: "correlated",
        floor_aggregates: "aggregates",
        floor_lateral: "lateral",
    }
    # PostgreSQL's JIT (on by default, triggered by plan cost) compiles the per-school
    # subplans for seconds at city scope: floors are measured without it, summary() both ways.
    jit_settings = [None, "off"] if vendor == "postgresql" else [None]
    header = " | ".join(f"floor: {names[f]}" for f in forms)
    print(f"\n| roll-up ({vendor}), median ms | summary() | {header} | summary / best floor |")
    print("|---" * (len(forms) + 3) + "|")
    for label, user, org, repeat in scopes:
        want = summary_totals(compliance.summary(user=user, org=org, today=TODAY))
        set_jit("off")
        for form in forms:
            got = floor_totals(floor(form, org)())
            if got != want:
                print(f"MISMATCH {label} {form.__name__}:\n floor {got}\n summary {want}")
        floors = [timed(floor(form, org), repeat) for form in forms]
        cells = " | ".join(f"{f:.1f}" for f in floors)
        for jit in jit_settings:
            set_jit(jit)
            mine = timed(ours(user, org), repeat)
            name = label + {None: "", "off": ", jit off"}[jit] if vendor == "postgresql" else label
            if vendor == "postgresql" and jit is None:
                name += f", jit {server_jit}"
            print(f"| {name} | {mine:.1f} | {cells} | {mine / min(floors):.1f}x |")
        set_jit(None)
    total = compliance.summary(user=commander, org=city, today=TODAY).total
    rates = ", ".join(
        f"{code} {i.rate:.1%}" for code, i in total.indicators.items() if i.rate is not None
    )
    print(f"\ncity rates: {rates}")

    if "--explain" in sys.argv:
        for label, user, org, _ in scopes[::2]:
            sql, params = summary_sql(ours(user, org))
            print(f"\n--- summary() plan, {label} ---\n{explain(vendor, sql, params)}")
            for form in forms:
                fsql, fparams = form(vendor, org)
                plan = explain(vendor, _bind(fsql, values), fparams)
                print(f"\n--- {form.__name__} plan, {label} ---\n{plan}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
