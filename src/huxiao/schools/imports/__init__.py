"""Ledger import (台账导入) for schools, guards, devices and equipment.

upload → ``prepare`` (read, check every row, nothing written) → preview → ``commit``
(read and check again inside one transaction, then write everything or nothing).
Pages (``schools.views_import``) and the ``huxiao import`` command both use these two
functions; ``export``/``template`` give the workbooks in exactly the import layout.
"""

from __future__ import annotations

from huxiao.schools.imports.base import BULK_THRESHOLD, Ledger, Plan, RowError, Scope
from huxiao.schools.imports.pipeline import LEDGERS, commit, get_ledger, prepare
from huxiao.schools.imports.reader import ImportFileError

__all__ = [
    "BULK_THRESHOLD",
    "LEDGERS",
    "ImportFileError",
    "Ledger",
    "Plan",
    "RowError",
    "Scope",
    "commit",
    "get_ledger",
    "prepare",
]
