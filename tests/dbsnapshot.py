"""Snapshots of the test database's rows: take one once, put it back many times.

The demo city costs ~11 s to seed through the services on SQLite (more on PostgreSQL) and
~1,800 audit records. The suite seeds it once per run (``demo_snapshot`` in
tests/conftest.py), copies every table's rows into memory with plain SQL and rolls the
seeding back; a test module, or a browser test against the live server, then gets the same
city by ``restore``: every table emptied and refilled with ``executemany`` (well under a
second). The copy is exact: the same primary keys, the same encrypted columns and audit
hashes, so what a test sees is what the services wrote.

Only Django's own tables are copied (``django_migrations`` is not one of them). Foreign
keys are deferred to the end of the transaction on both databases (Django creates them
``DEFERRABLE INITIALLY DEFERRED``), so tables are emptied and filled in any order.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pickle
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from tests.transactions import rolled_back

CACHE_VERSION = 1


@dataclass
class Snapshot:
    """Every Django table's rows (``{table: (columns, rows)}``) and what made them."""

    tables: dict[str, tuple[list[str], list[tuple]]]
    payload: object = None  # what the builder returned (e.g. the demo's SeedResult)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for _cols, rows in self.tables.values())


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def take(payload=None) -> Snapshot:
    """Copy the rows of every Django table as the database returns them."""
    qn = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 (a table name we listed)
            rows = cursor.fetchall()
            if rows:
                columns = [c[0] for c in cursor.description]
                tables[table] = (columns, [tuple(r) for r in rows])
    return Snapshot(tables=tables, payload=payload)


def restore(snapshot: Snapshot) -> None:
    """Make every Django table hold exactly the snapshot's rows.

    Inside a transaction (a module's outer ``atomic``) the change rolls back with it; in a
    transactional test it is committed and pytest-django's flush removes it afterwards.
    """
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
        for table, (columns, rows) in snapshot.tables.items():
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(qn(c) for c in columns)
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
        if connection.vendor == "postgresql":
            _advance_sequences(cursor, snapshot)
    # A flush between two restores may have left other ids in the cache.
    ContentType.objects.clear_cache()


@contextmanager
def restored(snapshot: Snapshot):
    """The snapshot's rows for the duration of the block, rolled back after it."""
    try:
        with rolled_back():
            restore(snapshot)
            yield snapshot.payload
    finally:
        # The cache may now hold the snapshot's ids, which the rollback took away.
        ContentType.objects.clear_cache()


def _advance_sequences(cursor, snapshot: Snapshot) -> None:
    """Move each restored table's sequence past its highest key, never back.

    PostgreSQL's sequences do not follow explicit keys and are not transactional: after the
    module's rollback the sequence keeps what is set here, and committed rows (those that
    post_migrate writes again after a transactional test's flush) may hold higher keys than
    the snapshot, so a sequence set to the snapshot's maximum would hand them out again.
    SQLite's AUTOINCREMENT counter follows explicit keys and rolls back with the rest.
    """
    qn = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        table, pk = model._meta.db_table, model._meta.pk
        if table not in snapshot.tables or pk.get_internal_type() not in _AUTO:
            continue
        sequence = f"pg_get_serial_sequence('{qn(table)}', '{pk.column}')"
        cursor.execute(
            f"SELECT setval({sequence}, GREATEST("  # noqa: S608 (names from the models)
            f"(SELECT COALESCE(MAX({qn(pk.column)}), 1) FROM {qn(table)}), nextval({sequence})))"
        )


_AUTO = {"AutoField", "BigAutoField", "SmallAutoField"}


def build(make: Callable[[], object]) -> Snapshot:
    """Run ``make`` in a transaction, copy the result and roll it back."""
    with rolled_back():
        payload = make()
        snapshot = take(payload)
    return snapshot


def shared(name: str, make: Callable[[], object], directory: Path) -> Snapshot:
    """``build(make)`` once for all the workers of a run (pytest-xdist), through a file.

    The first worker builds and writes ``directory/<name>-<vendor>-<day>.pickle`` under an
    exclusive lock; the others wait for the lock and read it. The file is named by the
    database vendor (rows are stored as that database returns them), the test run (xdist's
    ``PYTEST_XDIST_TESTRUNUID``) and the local day, so a later run or a moved clock never
    reads an old one.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:  # one process: nothing to share
        return build(make)
    directory.mkdir(parents=True, exist_ok=True)
    day = timezone.localdate().isoformat()
    path = directory / f"{name}-{connection.vendor}-{run}-{day}-v{CACHE_VERSION}.pickle"
    with _locked(path.with_suffix(".lock")):
        if path.exists():
            with path.open("rb") as f:
                return pickle.load(f)  # noqa: S301 (written by this run, a moment ago)
        snapshot = build(make)
        for old in [*directory.glob(f"{name}-*.pickle"), *directory.glob(f"{name}-*.lock")]:
            if _older_than(old, hours=6):
                old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(snapshot, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        return snapshot


@contextmanager
def _locked(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _older_than(path: Path, *, hours: int) -> bool:
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return timezone.now() - modified > dt.timedelta(hours=hours)
