"""Scope and audit benchmark (not a test): how much the one scoping mechanism and the audit
chain cost, beside the raw-SQL floor measured in the same run.

    .venv/bin/python bench/scope_bench.py                      # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/huxiao_bench .venv/bin/python bench/scope_bench.py

A province-sized tree: 1 city bureau, 20 sub-bureaus, 600 stations, 20,000 schools.
The PostgreSQL database named in BENCH_DATABASE_URL is dropped and recreated.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

SUB_BUREAUS, STATIONS, SCHOOLS = 20, 600, 20_000


def configure() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ["HUXIAO_VAR_DIR"] = tempfile.mkdtemp(prefix="huxiao-bench-")
    if url:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def build_tree():
    """Bulk-insert the tree with its paths (the bench measures reads, not the generator)."""
    from django.db import connection, transaction

    from huxiao.core.models import Organization

    rows = []
    next_id = 1

    def add(kind, parent, edu=None):
        nonlocal next_id
        pk = next_id
        next_id += 1
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
        rows.append(org)
        return org

    city = add("city_bureau", None)
    edu = add("education_bureau", None)
    subs = [add("sub_bureau", city) for _ in range(SUB_BUREAUS)]
    stations = [add("station", subs[i % SUB_BUREAUS]) for i in range(STATIONS)]
    for i in range(SCHOOLS):
        add("school", stations[i % STATIONS], edu.id)
    with transaction.atomic():
        Organization.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('core_organization','id'), %s)", [next_id]
            )
            cur.execute("ANALYZE core_organization")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return city, stations[0]


def timed(fn, repeat=30):
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    vendor = configure()
    from django.db import connection

    from huxiao.core import audit, selectors, services
    from huxiao.core.choices import AuditAction, AuditKind, OrgKind
    from huxiao.core.models import Role
    from huxiao.core.roles import ensure_default_roles

    start = time.perf_counter()
    city, station = build_tree()
    print(
        f"database: {vendor}; tree of {SCHOOLS + STATIONS + SUB_BUREAUS + 2} organisations built in "
        f"{time.perf_counter() - start:.1f} s"
    )
    ensure_default_roles()
    from django.contrib.auth.hashers import make_password  # noqa: F401

    from huxiao.core.models import Organization, User

    commander = User.objects.create(
        username="c", organization=city, role=Role.objects.get(code="commander")
    )
    officer = User.objects.create(
        username="o", organization=station, role=Role.objects.get(code="officer")
    )

    def counts(user):
        return lambda: selectors.organization_counts(user=user)

    def first_page(user):
        return lambda: list(selectors.organization_list(user=user)[:50])

    def raw(sql, params):
        def run():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                cur.fetchall()

        return run

    grouped = "SELECT kind, COUNT(*) FROM core_organization WHERE path LIKE %s GROUP BY kind"
    page = "SELECT * FROM core_organization WHERE path LIKE %s ORDER BY path LIMIT 50"
    # SQLite floor: the same prefix as an index range (its LIKE cannot use the index).
    grouped_range = (
        "SELECT kind, COUNT(*) FROM core_organization WHERE path >= %s AND path < %s GROUP BY kind"
    )
    page_range = (
        "SELECT * FROM core_organization WHERE path >= %s AND path < %s ORDER BY path LIMIT 50"
    )
    rows = [
        (
            "counts by kind, city scope",
            counts(commander),
            raw(grouped_range, [city.path, city.path[:-1] + "0"])
            if vendor == "sqlite"
            else raw(grouped, [city.path + "%"]),
        ),
        (
            "counts by kind, station scope",
            counts(officer),
            raw(grouped_range, [station.path, station.path[:-1] + "0"])
            if vendor == "sqlite"
            else raw(grouped, [station.path + "%"]),
        ),
        (
            "first page of 50, city scope",
            first_page(commander),
            raw(page_range, [city.path, city.path[:-1] + "0"])
            if vendor == "sqlite"
            else raw(page, [city.path + "%"]),
        ),
        (
            "first page of 50, station scope",
            first_page(officer),
            raw(page_range, [station.path, station.path[:-1] + "0"])
            if vendor == "sqlite"
            else raw(page, [station.path + "%"]),
        ),
    ]
    print(f"\n| read ({vendor}) | platform (median ms) | raw SQL floor (ms) | ratio |")
    print("|---|---|---|---|")
    for label, ours, floor in rows:
        a, b = timed(ours), timed(floor)
        print(f"| {label} | {a:.2f} | {b:.2f} | {a / b:.1f}x |")

    n = 500
    start = time.perf_counter()
    for i in range(n):
        audit.append(
            kind=AuditKind.SYSTEM, action=AuditAction.VIEW, object_type="bench", object_id=str(i)
        )
    per_append = (time.perf_counter() - start) * 1000 / n
    start = time.perf_counter()
    for i in range(n):
        services.organization_update(org=station, name=f"站-{i}")
    per_update = (time.perf_counter() - start) * 1000 / n
    audit_table = "core_auditrecord"
    start = time.perf_counter()
    from django.db import transaction

    for i in range(n):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {audit_table} (seq, ts, kind, action, actor_name, object_type, object_id, object_repr, "  # noqa: S608
                "request_id, ip, source, prev_hash, hash) VALUES (%s, CURRENT_TIMESTAMP, 'system', 'view', '', 'floor', "
                "%s, '', '', '', '', '', '')",
                [10_000_000 + i, str(i)],
            )
    floor_insert = (time.perf_counter() - start) * 1000 / n
    t0 = time.perf_counter()
    result = audit.verify_chain()
    verify_ms = (time.perf_counter() - t0) * 1000
    print(f"\n| write ({vendor}) | ms each |")
    print("|---|---|")
    print(
        f"| audit.append (lock head, hash, insert, update head; own transaction) | {per_append:.2f} |"
    )
    print(
        f"| organization_update through the service (read before, save, audit) | {per_update:.2f} |"
    )
    print(f"| floor: one raw INSERT in its own transaction | {floor_insert:.2f} |")
    print(
        f"\naudit verify of {result.checked} records before the floor rows: "
        f"{verify_ms:.0f} ms (it stops at the first floor row, which has no hash: ok={result.ok})"
    )
    _ = OrgKind, Organization
    sys.stdout.flush()


if __name__ == "__main__":
    main()
