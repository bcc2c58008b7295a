"""Preview and commit: the two steps every ledger goes through."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huxiao.schools.imports import devices, equipment, guards, schools
from huxiao.schools.imports.base import BULK_THRESHOLD, Ledger, Plan, Scope, check_headers
from huxiao.schools.imports.reader import ImportFileError, Table, read_table
from huxiao.schools.imports.writing import RowFailed

log = logging.getLogger(__name__)

LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger
    for ledger in (schools.LEDGER, guards.LEDGER, devices.LEDGER, equipment.LEDGER)
}


def register(ledger: Ledger) -> None:
    """Add another module's ledger (e.g. the key-person ledger of ``huxiao.persons``), so
    ``huxiao import`` and the import pages offer it; the schools' own ledgers are unchanged."""
    LEDGERS[ledger.key] = ledger


def get_ledger(key: str) -> Ledger:
    try:
        return LEDGERS[key]
    except KeyError:
        raise ImportFileError(
            _("未知的台账类型：%(k)s（可选：%(all)s）") % {"k": key, "all": ", ".join(LEDGERS)}
        ) from None


def read(ledger: Ledger, data: bytes, filename: str) -> Table:
    table = read_table(data, filename, known_headers=set(ledger.headers))
    check_headers(table, ledger)
    return table


def _validate(ledger: Ledger, table: Table, *, filename: str, user, gcj02: bool) -> Plan:
    plan = Plan(ledger=ledger, scope=Scope(user), filename=filename, gcj02=gcj02, table=table)
    ledger.validate(plan)
    return plan


def prepare(ledger: Ledger, data: bytes, filename: str, *, user=None, gcj02=False) -> Plan:
    """Read and check every row; write nothing. Raises ImportFileError for a bad file."""
    table = read(ledger, data, filename)
    return _validate(ledger, table, filename=filename, user=user, gcj02=gcj02)


@dataclass
class Outcome:
    plan: Plan
    result: dict | None  # None: nothing was written

    @property
    def ok(self) -> bool:
        return self.result is not None


def commit(
    ledger: Ledger, data: bytes, filename: str, *, user=None, gcj02=False, bulk: bool | None = None
) -> Outcome:
    """Check the file again and, if every row is valid, write all of it in one transaction.

    The check is repeated because the database may have changed since the preview (another
    user registered the same school code); any error leaves the database untouched.
    ``bulk`` forces the write path; by default files above BULK_THRESHOLD rows go in bulk.
    """
    table = read(ledger, data, filename)
    plan = None
    try:
        with transaction.atomic():
            plan = _validate(ledger, table, filename=filename, user=user, gcj02=gcj02)
            if plan.errors:
                return Outcome(plan, None)
            use_bulk = len(plan.items) > BULK_THRESHOLD if bulk is None else bulk
            result = ledger.write(plan, bulk=use_bulk)
            result["rows"] = len(plan.items)
            return Outcome(plan, result)
    except IntegrityError:
        # Another user wrote the same school code (or similar) between our check and our
        # write (PostgreSQL; SQLite serialises writers at BEGIN). Nothing was written.
        log.warning(
            "ledger import %s of %s hit an integrity error", ledger.key, filename, exc_info=True
        )
        plan.error(
            0,
            "",
            _(
                "写入时与他人同时进行的修改冲突（如相同的学校标识码），本次未导入任何数据，请重新上传预览后再试。"
            ),
        )
        return Outcome(plan, None)
    except RowFailed as failed:
        headers = {col.key: col.header for col in ledger.columns}
        for field, messages in (
            failed.error.message_dict.items()
            if hasattr(failed.error, "error_dict")
            else [("", failed.error.messages)]
        ):
            for message in messages:
                plan.error(failed.row, headers.get(field, ""), message)
        return Outcome(plan, None)
