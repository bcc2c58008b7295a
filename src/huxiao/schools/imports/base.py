"""The shapes every ledger shares: columns, row errors, the plan a preview shows and a
commit writes, and the acting user's scope."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from huxiao.schools.imports.cells import CellError, Parser, is_blank
from huxiao.schools.imports.reader import ImportFileError, Table

# Above this many rows guards, devices and equipment are written in bulk (see commit.py).
BULK_THRESHOLD = 1000


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its Chinese header (the file format), the key of the cleaned
    value, how a cell becomes that value, and what the template's 说明 sheet says."""

    header: str
    key: str
    parse: Parser
    required: bool = False
    default: Any = None
    help: Any = ""
    example: Any = ""

    def blank_value(self):
        return copy.copy(self.default)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (header row = 1)
    column: str  # the header, "" for the row as a whole
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class Item:
    """One valid row, ready to write: ``target`` is the existing record's id when it updates one."""

    row: int
    values: dict
    school_id: int | None = None
    target: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_update(self) -> bool:
        return self.target is not None


class Scope:
    """Where the acting user may import: ``None`` is the CLI's system import (everything)."""

    def __init__(self, user=None):
        self.user = user

    def queryset(self, model):
        if self.user is None:
            return model.objects.all()
        return model.objects.visible_to(self.user)

    @property
    def label(self) -> str:
        if self.user is None:
            return _("系统导入（全部数据范围）")
        return self.user.get_username()


@dataclass
class Plan:
    ledger: Any
    scope: Scope
    filename: str = ""
    gcj02: bool = False
    table: Table | None = None
    items: list[Item] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    present: frozenset = frozenset()
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates(self) -> int:
        return sum(1 for item in self.items if not item.is_update)

    @property
    def updates(self) -> int:
        return sum(1 for item in self.items if item.is_update)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def error(self, row: int, column: str, message: str, value=None) -> None:
        shown = "" if value is None or is_blank(value) else str(value)
        self.errors.append(RowError(row, column, str(message), shown[:60]))

    def sorted_errors(self) -> list[RowError]:
        order = {col.header: i for i, col in enumerate(self.ledger.columns)}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, -1)))


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Any  # 学校台账 …
    object_type: str  # audit object type, "schools.guard"
    import_permission: str
    export_permission: str
    columns: tuple[Column, ...]
    validate: Callable[[Plan], None]
    write: Callable[..., dict]
    export_rows: Callable[[Scope], Iterable[list]]
    export_queryset: Callable[[Scope], Any]
    personal_data: bool = False
    notes: tuple = ()

    @property
    def headers(self) -> list[str]:
        return [col.header for col in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [col.header for col in self.columns if col.required]

    def column(self, key: str) -> Column:
        return next(col for col in self.columns if col.key == key)


def check_headers(table: Table, ledger: Ledger) -> None:
    known = set(ledger.headers)
    seen: set[str] = set()
    duplicated = []
    for header in table.headers:
        if header in known:
            if header in seen:
                duplicated.append(header)
            seen.add(header)
    missing = [h for h in ledger.required_headers if h not in seen]
    problems = []
    if missing:
        problems.append(_("缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    if duplicated:
        problems.append(_("列名重复：%(cols)s") % {"cols": "、".join(duplicated)})
    if problems:
        raise ImportFileError(
            "；".join(problems) + _("。请使用“%(t)s”的导入模板。") % {"t": ledger.title}
        )
    table.extra_headers = [h for h in table.headers if h and h not in known]


def parse_rows(plan: Plan) -> Iterator[tuple[int, dict, set]]:
    """Each data row as (row number, parsed values of the columns present, keys that failed)."""
    table, ledger = plan.table, plan.ledger
    index: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        index.setdefault(header, i)
    # A parser that reads data (a dictionary's entries, cells.DictionaryChoice) does so once
    # per file, not once per cell.
    columns = [
        (
            col,
            index[col.header],
            col.parse.prepared() if hasattr(col.parse, "prepared") else col.parse,
        )
        for col in ledger.columns
        if col.header in index
    ]
    plan.present = frozenset(col.key for col, _i, _p in columns)
    required_message = _("必填项不能为空")
    for number, cells in table.rows:
        values: dict = {}
        bad: set = set()
        width = len(cells)
        for col, i, parse in columns:
            raw = cells[i] if i < width else None
            # is_blank inlined: this loop runs for every cell of a 100,000-row file.
            kind = raw.__class__
            if raw is None or (kind is str and not raw.strip()) or (kind is float and raw != raw):
                if col.required:
                    plan.error(number, col.header, required_message)
                    bad.add(col.key)
                else:
                    values[col.key] = col.blank_value()
                continue
            try:
                values[col.key] = parse(raw)
            except CellError as exc:
                plan.error(number, col.header, str(exc), raw)
                bad.add(col.key)
        plan.total += 1
        yield number, values, bad
