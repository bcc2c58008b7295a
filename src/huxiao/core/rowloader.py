"""One row with its forward relations, in a statement built once (the hot paths' reads).

``select_related`` compiles its SQL on every call; for a read that runs on every API request
(the token's user, role and organisation) that compiling costs several times the statement
itself (docs/performance.md, "Patrols"). ``JoinedRowLoader`` builds the same SELECT once per
database vendor from the models' fields and hydrates the instances the way a QuerySet does:
every column through its backend and field converters (dates, decimals, JSON, encrypted
fields), ``Model.from_db`` for each instance, and the relation caches filled, a missing
nullable relation cached as ``None`` so reading it costs no query.

It reads by one unique column and applies no scope: use it for authentication-like look-ups,
never for what a user browses (those go through the scoped selectors).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, models


@dataclass(frozen=True)
class _Node:
    path: str
    model: type[models.Model]
    parent: str | None
    fk: models.ForeignKey | None
    attnames: list[str]
    start: int
    end: int
    pk_index: int
    converters: list[tuple[list, object]]


class JoinedRowLoader:
    """``JoinedRowLoader(ApiToken, ["user", "user__role"], by="digest").get(value)`` is
    ``ApiToken.objects.select_related("user", "user__role").filter(digest=value).first()``
    without the ORDER BY and without compiling it each time. ``by`` must be unique."""

    def __init__(self, model: type[models.Model], related: list[str], *, by: str):
        field = model._meta.get_field(by)
        if not (field.unique or field.primary_key):
            raise ValueError(f"{model.__name__}.{by} is not unique")
        self.model, self.by = model, field
        # (path, model, parent path, foreign key) from the root down, parents first
        self.chain = [("", model, None, None)]
        models_at = {"": model}
        for path in related:
            parent, _, name = path.rpartition("__")
            if parent not in models_at:
                raise ValueError(f"{path}: list {parent} before it")
            fk = models_at[parent]._meta.get_field(name)
            if not isinstance(fk, models.ForeignKey):
                raise ValueError(f"{path} is not a forward foreign key")
            models_at[path] = fk.related_model
            self.chain.append((path, fk.related_model, parent, fk))
        self._built: dict[str, tuple[str, list[_Node]]] = {}

    def _build(self, connection) -> tuple[str, list[_Node]]:
        qn = connection.ops.quote_name
        chain = self.chain
        aliases = {path: f"t{n}" for n, (path, *_rest) in enumerate(chain)}
        columns, joins, nodes = [], [], []
        for path, model, parent, fk in chain:
            alias = aliases[path]
            if fk is not None:
                kind = "LEFT OUTER JOIN" if fk.null else "INNER JOIN"
                joins.append(
                    f"{kind} {qn(model._meta.db_table)} {alias} ON {alias}."
                    f"{qn(fk.target_field.column)} = {aliases[parent]}.{qn(fk.column)}"
                )
            fields = model._meta.concrete_fields
            start = len(columns)
            converters = []
            for field in fields:
                col = field.get_col(alias)
                columns.append(f"{alias}.{qn(field.column)}")
                converters.append(
                    (connection.ops.get_db_converters(col) + col.get_db_converters(connection), col)
                )
            attnames = [f.attname for f in fields]
            nodes.append(
                _Node(
                    path=path,
                    model=model,
                    parent=parent,
                    fk=fk,
                    attnames=attnames,
                    start=start,
                    end=len(columns),
                    pk_index=attnames.index(model._meta.pk.attname),
                    converters=converters,
                )
            )
        # Only the models' own table and column names, quoted; the value is a parameter.
        sql = "SELECT {} FROM {} t0 {} WHERE t0.{} = %s LIMIT 1".format(  # noqa: S608
            ", ".join(columns),
            qn(self.model._meta.db_table),
            " ".join(joins),
            qn(self.by.column),
        )
        return sql, nodes

    def get(self, value, using: str = "default"):
        connection = connections[using]
        if connection.vendor not in self._built:
            self._built[connection.vendor] = self._build(connection)
        sql, nodes = self._built[connection.vendor]
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.by.get_db_prep_value(value, connection)])
            row = cursor.fetchone()
        if row is None:
            return None
        made: dict[str, models.Model | None] = {}
        for node in nodes:
            values = list(row[node.start : node.end])
            if values[node.pk_index] is None:  # a LEFT JOIN that found nothing
                instance = None
            else:
                for i, (converters, col) in enumerate(node.converters):
                    for convert in converters:
                        values[i] = convert(values[i], col, connection)
                instance = node.model.from_db(using, node.attnames, values)
            made[node.path] = instance
            parent = made.get(node.parent) if node.parent is not None else None
            if parent is not None:
                node.fk.set_cached_value(parent, instance)
        return made[""]
