"""A ``values_list`` QuerySet's SQL compiled once and run again with new parameter values.

Compiling a filtered, ordered QuerySet (resolving its expressions, building the joins and the
ORDER BY) costs several times the statement itself on the hot paths: the gate's ban and
key-person matches read one row by an indexed column and spent most of their time in
``SQLCompiler.as_sql`` (docs/performance.md, "Gate"). ``PreparedValues`` compiles the
QuerySet that ``build`` returns once per database vendor and *shape* (the lengths of the
list-valued parameters), with marker values in place of the parameters, finds where each
marker landed among the statement's parameters, and from then on executes that SQL with the
new values in those places; each column goes through the backend's and the fields' converters
as a QuerySet's would.

``build`` must take every value that varies as a parameter: anything else it reads (a
constant list of states, a setting) is compiled into the statement once. Parameters are
declared with their kind: ``str``, ``int``, ``datetime.date``, ``datetime.datetime`` (aware)
or a list of one of these.

    _BY_DIGEST = PreparedValues(
        lambda digests: Model.objects.filter(digest__in=digests).order_by("pk").values_list("pk"),
        digests=[str],
    )
    _BY_DIGEST.first(digests=["a", "b"])
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Slot:
    position: int  # in the statement's parameters
    name: str
    index: int | None  # in a list-valued parameter
    form: str  # how the value was passed: "raw", "str" or "iso"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[_Slot, ...]
    converters: dict  # column position → (converters, expression)


def _marker(kind, number: int):
    if kind is str:
        return f"\x00prepared-{number}\x00"
    if kind is int:
        return -(10**15) - number
    if kind is dt.datetime:
        return dt.datetime(2, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=number)
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=number)
    raise TypeError(f"unsupported parameter kind {kind!r}")


class PreparedValues:
    def __init__(self, build: Callable[..., QuerySet], **kinds):
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def _shape(self, values: dict) -> tuple:
        if set(values) != set(self.kinds):
            raise TypeError(f"parameters {sorted(values)} != {sorted(self.kinds)}")
        return tuple(
            len(values[name]) if isinstance(kind, list) else None
            for name, kind in self.kinds.items()
        )

    def _compile(self, connection, shape: tuple) -> _Compiled:
        markers, wanted, number = {}, {}, 0
        for (name, kind), length in zip(self.kinds.items(), shape, strict=True):
            if isinstance(kind, list):
                markers[name] = []
                for i in range(length):
                    number += 1
                    marker = _marker(kind[0], number)
                    markers[name].append(marker)
                    wanted[number] = (name, i, marker)
            else:
                number += 1
                markers[name] = _marker(kind, number)
                wanted[number] = (name, None, markers[name])
        queryset = self.build(**markers)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots, found = [], set()
        for position, param in enumerate(params):
            for number, (name, index, marker) in wanted.items():
                form = _form_of(param, marker)
                if form:
                    slots.append(_Slot(position, name, index, form))
                    found.add(number)
                    break
        missing = [wanted[n][0] for n in wanted if n not in found]
        if missing:
            raise ValueError(f"parameters not found in the statement: {missing}")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        return _Compiled(sql, tuple(params), tuple(slots), compiler.get_converters(fields))

    def _statement(self, connection, values: dict) -> tuple[str, list, dict]:
        shape = self._shape(values)
        key = (connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(connection, shape)
                self._compiled[key] = compiled
        params = list(compiled.params)
        for slot in compiled.slots:
            value = values[slot.name]
            if slot.index is not None:
                value = value[slot.index]
            params[slot.position] = _in_form(value, slot.form)
        return compiled.sql, params, compiled.converters

    def rows(self, using: str = "default", **values) -> list[tuple]:
        connection = connections[using]
        sql, params, converters = self._statement(connection, values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(r) for r in rows]
        out = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            out.append(tuple(row))
        return out

    def first(self, using: str = "default", **values) -> tuple | None:
        """The first row (``build`` orders and limits its QuerySet itself)."""
        rows = self.rows(using, **values)
        return rows[0] if rows else None


def _form_of(param, marker) -> str:
    if type(param) is type(marker) and param == marker:
        return "raw"
    if isinstance(marker, dt.datetime):
        if isinstance(param, dt.datetime) and param == marker:
            return "raw"  # PostgreSQL: the aware value itself
        if param == str(marker.astimezone(dt.UTC).replace(tzinfo=None)):
            return "utc"  # SQLite: naive UTC text
        return ""
    if isinstance(marker, dt.date) and param == marker.isoformat():
        return "iso"
    if not isinstance(marker, str) and param == str(marker):
        return "str"
    return ""


def _in_form(value, form: str):
    if form == "iso":
        return value.isoformat()
    if form == "utc":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if form == "str":
        return str(value)
    return value
