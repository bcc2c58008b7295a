"""Dictionaries (字典管理): the lists users adapt, kept as data.

A module declares each of its adaptable lists in its registry (``Module.dictionaries``) with
the entries it ships (``Dictionary.items``). After every migration those entries are added to
``DictionaryItem`` when missing (``sync``), never relabelled or re-enabled: what an
administrator changed stays. Administrators add entries, relabel, reorder and disable them in
the 字典管理 pages; a shipped entry's code cannot change or be deleted, since records and rules
refer to it.

Values that code reasons about (the states of a state machine, the 人防/物防/技防 groups of the
compliance rules) stay fixed choices in code, not dictionaries.

Reads: ``choices(code)`` for a form or a filter (enabled entries, in order, plus the current
value of a record even if it was disabled since), ``label(code, value)`` for display,
``is_valid(code, value)`` for a service. All entries are read in one query and cached like
the parameters (``core.parameters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

CACHE_KEY = "huxiao:dictionaries:v1"
CACHE_SECONDS = 30


@dataclass(frozen=True)
class Dictionary:
    code: str  # "<app>.<name>", stable: "inspections.hazard_category"
    name: Any  # what users call the list
    items: tuple[tuple[str, Any], ...] = ()  # shipped entries (code, label), in order
    description: Any = ""
    # The entries a user may add need codes of this form; shipped codes are lowercase words.
    code_pattern: str = r"^[a-z0-9_]{1,32}$"
    # Dotted path of ``(value) -> int``: how many records use an entry (a used entry cannot be
    # deleted, only disabled). Empty: the module keeps no record of it.
    usage: str = ""


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    is_enabled: bool
    sort_order: int


def declared() -> list[Dictionary]:
    from huxiao.core import modules

    return [d for m in modules.installed() for d in m.dictionaries]


def spec(code: str) -> Dictionary:
    for d in declared():
        if d.code == code:
            return d
    raise LookupError(code)


def _shipped_state() -> dict[str, list[Entry]]:
    """The entries as shipped (what the table holds after ``sync`` on a fresh database)."""
    return {
        d.code: [
            Entry(code, str(label), True, (order + 1) * 10)
            for order, (code, label) in enumerate(d.items)
        ]
        for d in declared()
    }


def entries(code: str) -> list[Entry]:
    """Every entry of the dictionary ``code``, enabled or not, in order (cached)."""
    state = cache.get(CACHE_KEY)
    if state is None:
        from huxiao.core.models import DictionaryItem

        state = {d.code: [] for d in declared()}
        for row in DictionaryItem.objects.order_by("dictionary", "sort_order", "id"):
            state.setdefault(row.dictionary, []).append(
                Entry(row.code, row.label, row.is_enabled, row.sort_order)
            )
        cache.set(CACHE_KEY, state, CACHE_SECONDS)
    if code not in state:
        raise LookupError(code)
    return state[code]


def forget() -> None:
    cache.delete(CACHE_KEY)


def prime_shipped() -> None:
    """Cache the shipped state without a query (the test suite, whose database holds exactly
    that after migrating)."""
    cache.set(CACHE_KEY, _shipped_state(), CACHE_SECONDS)


def choices(code: str, *, current: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the enabled entries, plus ``current`` if it is disabled."""
    return [
        (e.code, e.label) for e in entries(code) if e.is_enabled or (current and e.code == current)
    ]


def label(code: str, value: str) -> str:
    """The label of ``value`` (the value itself when it is not an entry)."""
    for e in entries(code):
        if e.code == value:
            return e.label
    return value or ""


def labels(code: str) -> dict[str, str]:
    return {e.code: e.label for e in entries(code)}


def is_valid(code: str, value: str, *, allow_disabled_current: str | None = None) -> bool:
    """Whether a record may take ``value``: an enabled entry (or the record's own value)."""
    return any(
        e.code == value and (e.is_enabled or value == allow_disabled_current) for e in entries(code)
    )


def sync() -> int:
    """Add the shipped entries that are missing (after migrate); returns how many."""
    from huxiao.core.models import DictionaryItem

    existing = set(DictionaryItem.objects.values_list("dictionary", "code"))
    rows = [
        DictionaryItem(
            dictionary=d.code,
            code=code,
            label=str(lbl),
            sort_order=(order + 1) * 10,
            is_builtin=True,
        )
        for d in declared()
        for order, (code, lbl) in enumerate(d.items)
        if (d.code, code) not in existing
    ]
    DictionaryItem.objects.bulk_create(rows)
    if rows:
        forget()
    return len(rows)
