"""Ledger import benchmark (not a test): a 100,000-row guard ledger (.xlsx) over 2,000
schools, imported through ``huxiao.schools.imports`` beside the floors measured in the same
run (FLOORS.md "Ledger import"; target ≤ 15 s end to end on a 2-core machine).

    .venv/bin/python bench/import_bench.py                      # SQLite in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/huxiao_bench_import \\
        .venv/bin/python bench/import_bench.py                  # PostgreSQL (db recreated)
    BENCH_ROWS=20000 ... import_bench.py                         # a smaller file

The workbook (valid GB 11643 ID numbers, date cells, 11 columns) is written once with
openpyxl and kept in the temp directory for the next run (BENCH_XLSX names another path).

Figures:
  read       reader + header check            floor: python-calamine to_python() alone
  validate   every row: cells, ID checksum, scope, duplicates, blind index, matching
  write      bulk path (encrypt, bulk_create, one audit record)
             floor: executemany (SQLite) / COPY (PostgreSQL) of the same rows, already
             encrypted, in one transaction; the encryption alone is shown on its own line
  end to end ``imports.commit`` from the file's bytes into an empty guard table, and again
             with every row already there (all matched, nothing changed)
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from scope_bench import configure  # noqa: E402  (same database set-up as the other benches)

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
SCHOOLS, STATIONS = 2_000, 40
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
HEADERS = [
    "学校标识码",
    "姓名",
    "身份证号",
    "出生日期",
    "手机号",
    "保安员证号",
    "证件有效期至",
    "培训日期",
    "所属保安公司",
    "专职",
    "状态",
]


def school_code(n: int) -> str:
    return f"{5104000000 + n}"


def id_number(i: int) -> tuple[str, dt.date]:
    born = dt.date(1966, 1, 1) + dt.timedelta(days=i // 1000)
    body = f"510402{born:%Y%m%d}{i % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11], born


def write_workbook(path: str, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("保安员台账")
    ws.append(HEADERS)
    for i in range(rows):
        ident, born = id_number(i)
        ws.append(
            [
                school_code(i % SCHOOLS),
                f"保安{i}",
                ident,
                born,
                f"139{i:08d}",
                f"BA51{i:08d}",
                dt.date(2027, 1, 1) + dt.timedelta(days=i % 700),
                dt.date(2025, 3, 1) + dt.timedelta(days=i % 300),
                f"攀枝花市第{i % 12}保安服务有限公司",
                "是" if i % 10 else "否",
                "在岗" if i % 20 else "休假",
            ]
        )
    wb.save(path)


def build_schools() -> None:
    """2,000 schools under 40 stations, bulk-inserted (the bench measures the import)."""
    from django.db import transaction

    from huxiao.core.models import Organization
    from huxiao.schools.models import School

    orgs, schools = [], []

    def add(pk, kind, parent):
        path = (parent.path if parent else "/") + Organization.path_segment(pk)
        org = Organization(
            id=pk,
            kind=kind,
            name=f"{kind}-{pk}",
            code=f"B-{pk}",
            division_code="510402",
            parent_id=parent.id if parent else None,
            path=path,
            depth=path.count("/") - 2,
        )
        orgs.append(org)
        return org

    city = add(1, "city_bureau", None)
    stations = [add(2 + s, "station", city) for s in range(STATIONS)]
    for n in range(SCHOOLS):
        org = add(100 + n, "school", stations[n % STATIONS])
        schools.append(
            School(
                organization_id=org.id,
                school_code=school_code(n),
                level="primary",
                locality="urban",
                students=800,
                staff=60,
            )
        )
    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=2000)
        School.objects.bulk_create(schools, batch_size=2000)


def clear_guards() -> None:
    """Empty the guard table without Django's per-object delete (and its 100k audit records)."""
    from django.db import connection

    from huxiao.schools.models import Guard

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Guard._meta.db_table}")  # noqa: S608


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def floor_write(plan, vendor: str) -> tuple[float, float]:
    """(encryption seconds, raw insert seconds) for the plan's rows."""
    from django.db import connection, transaction
    from django.utils import timezone

    from huxiao.core import crypto
    from huxiao.schools.models import Guard

    now = timezone.now()
    start = time.perf_counter()
    rows = [
        (
            item.school_id,
            item.values["name"],
            crypto.encrypt(item.values["id_number"]),
            crypto.blind_index(item.values["id_number"]),
            item.values["birth_date"],
            crypto.encrypt(item.values["phone"]),
            item.values["certificate_number"],
            item.values["certificate_valid_until"],
            item.values["training_date"],
            item.values["employer"],
            item.values["is_full_time"],
            item.values["status"],
            now,
            now,
        )
        for item in plan.items
    ]
    encryption = time.perf_counter() - start
    columns = (
        "school_id, name, id_number, id_number_index, birth_date, phone, certificate_number, "
        "certificate_valid_until, training_date, employer, is_full_time, status, created_at, "
        "updated_at"
    )
    table = Guard._meta.db_table
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * 14)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
    insert = time.perf_counter() - start
    clear_guards()
    return encryption, insert


def main() -> None:
    vendor = configure()
    from django.db import transaction

    from huxiao.core import context
    from huxiao.schools.imports import commit, get_ledger
    from huxiao.schools.imports.pipeline import _validate, read
    from huxiao.schools.models import Guard

    path = os.environ.get("BENCH_XLSX") or os.path.join(
        tempfile.gettempdir(), f"huxiao-bench-guards-{ROWS}.xlsx"
    )
    if not os.path.exists(path):
        print(f"writing {ROWS:,} rows to {path} (openpyxl, once) …", flush=True)
        start = time.perf_counter()
        write_workbook(path, ROWS)
        print(f"  written in {time.perf_counter() - start:.1f} s", flush=True)
    build_schools()
    ledger = get_ledger("guards")
    name = os.path.basename(path)
    print(
        f"\n{vendor}: {ROWS:,} guard rows over {SCHOOLS:,} schools, {os.path.getsize(path) / 1e6:.1f} MB"
    )

    from python_calamine import CalamineWorkbook

    def calamine_only():
        with open(path, "rb") as handle:
            return (
                CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
                .get_sheet_by_index(0)
                .to_python()
            )

    _rows, floor_read = timed("floor read", calamine_only)

    with context.acting(source="cli"):
        data = open(path, "rb").read()  # noqa: SIM115
        table, t_read = timed("read", lambda: read(ledger, data, name))
        plan, t_validate = timed(
            "validate", lambda: _validate(ledger, table, filename=name, user=None, gcj02=False)
        )
        assert not plan.errors, plan.errors[:5]
        encryption, floor_insert = floor_write(plan, vendor)

        def write():
            with transaction.atomic():
                return ledger.write(plan, bulk=True)

        _result, t_write = timed("write", write)
        clear_guards()

        def end_to_end():
            with open(path, "rb") as handle:
                return commit(ledger, handle.read(), name)

        outcome, t_e2e = timed("end to end", end_to_end)
        assert outcome.ok and outcome.result["created"] == ROWS, outcome.result
        outcome, t_again = timed("again", end_to_end)
        assert outcome.ok and outcome.result["unchanged"] == ROWS, outcome.result
    assert Guard.objects.count() == ROWS

    print(f"{'step':<44}{'import':>10}{'floor':>10}")
    print(f"{'read (.xlsx → rows)':<44}{t_read:>9.2f}s{floor_read:>9.2f}s   calamine to_python")
    print(f"{'validate (every cell, ID checksum, scope)':<44}{t_validate:>9.2f}s")
    print(
        f"{'write (bulk insert, one audit record)':<44}{t_write:>9.2f}s{floor_insert:>9.2f}s   "
        f"{'COPY' if vendor == 'postgresql' else 'executemany'} of the same rows"
    )
    print(
        f"{'  of which encryption + blind index':<44}{'':>10}{encryption:>9.2f}s   AES-GCM ×2 + HMAC per row"
    )
    print(
        f"{'end to end into an empty table':<44}{t_e2e:>9.2f}s{floor_read + floor_insert:>9.2f}s   "
        f"read + insert floors   target ≤ 15 s"
    )
    print(f"{'end to end again (all rows matched)':<44}{t_again:>9.2f}s")


if __name__ == "__main__":
    main()
