"""Writing a validated plan: through the services row by row, or in bulk for large files.

Row by row (the normal case) every write goes through the module's services, so each
record gets its own before/after entry in the audit change log; rows identical to the
stored record are skipped. Above ``BULK_THRESHOLD`` rows that costs a few milliseconds
and an audit write per row (minutes for 100,000 guards), so the bulk path instead inserts
with one COPY (PostgreSQL) or executemany (SQLite), rewrites only the changed rows with one
executemany UPDATE, and appends ONE audit record naming the file and the counts. Values
still pass through the model fields' own conversion (the encrypted fields encrypt ID
numbers and phones; the blind index is computed by the ledger), and both paths write the
same values: the plan was checked by the same column parsers and rules, which call the
validators the services use (tests/schools/test_import_bulk.py compares the two).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.schools.models import School

# Primary keys per look-up (below SQLite's historical limit of 999 parameters).
UPDATE_CHUNK = 900


class RowFailed(Exception):
    """A service refused a row at commit time (the data changed since the preview)."""

    def __init__(self, row: int, error: ValidationError):
        super().__init__(row, error)
        self.row = row
        self.error = error


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(
    plan,
    *,
    model,
    bulk: bool,
    create: Callable,
    update: Callable,
    bulk_extra: Callable = lambda item: {},
) -> dict:
    if not bulk:
        return _write_one_by_one(plan, model=model, create=create, update=update)
    return _write_bulk(plan, model=model, bulk_extra=bulk_extra)


def _same(obj, values: dict) -> bool:
    return all(getattr(obj, key) == value for key, value in values.items())


def _write_one_by_one(plan, *, model, create, update) -> dict:
    schools = School.objects.in_bulk({item.school_id for item in plan.items if not item.is_update})
    targets = model.objects.in_bulk([item.target for item in plan.items if item.is_update])
    created = updated = unchanged = 0
    for item in plan.items:
        try:
            if item.is_update:
                obj = targets[item.target]
                if _same(obj, item.values):
                    unchanged += 1
                    continue
                update(obj, dict(item.values))
                updated += 1
            else:
                create(schools[item.school_id], dict(item.values))
                created += 1
        except ValidationError as exc:
            raise RowFailed(item.row, exc) from exc
    return {"created": created, "updated": updated, "unchanged": unchanged, "bulk": False}


# ---- bulk path ---------------------------------------------------------------------------

_MISSING = object()
_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)


def _converters(fields, connection) -> list:
    """How each field's Python value becomes its database value, as the field itself does it.

    Encrypted fields go through ``get_db_prep_save`` (AES-GCM in ``get_prep_value``); dates
    through the backend's adapters; plain text, numbers, booleans and keys need nothing.
    Django's bulk_create runs the whole compiler per value (~150 µs a row here), which is
    most of the time of a 100,000-row import; this keeps the field's own conversion and
    drops the rest.
    """
    result = []
    for field in fields:
        if getattr(field, "encrypted", False):
            result.append(lambda v, f=field: f.get_db_prep_save(v, connection))
        elif isinstance(field, models.DateTimeField):
            result.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            result.append(connection.ops.adapt_datefield_value)
        elif isinstance(field, _PLAIN):
            result.append(None)
        else:
            result.append(lambda v, f=field: f.get_db_prep_save(v, connection))
    return result


def _value(field, values: dict, now):
    value = values.get(field.name, _MISSING)
    if value is _MISSING:
        value = values.get(field.attname, _MISSING)
    if value is _MISSING:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        return field.get_default()
    return value


def _insert(model, fields, rows) -> None:
    """COPY on PostgreSQL, one executemany on SQLite; inside the caller's transaction."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            for batch in _chunks(rows, 10_000):
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)  # noqa: S608


def _write_bulk(plan, *, model, bulk_extra) -> dict:
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    convert = _converters(fields, connection)
    rows = []
    for item in plan.items:
        if item.is_update:
            continue
        values = {"school_id": item.school_id, **item.values, **bulk_extra(item)}
        row = []
        for field, conv in zip(fields, convert, strict=True):
            value = _value(field, values, now)
            row.append(conv(value) if conv is not None and value is not None else value)
        rows.append(row)
    if rows:
        _insert(model, fields, rows)
    changed, unchanged = _update_bulk(plan, model=model, bulk_extra=bulk_extra, now=now)
    result = {"created": len(rows), "updated": changed, "unchanged": unchanged, "bulk": True}
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type=plan.ledger.object_type,
        object_repr=f"导入 {len(plan.items)} 条",
        after={"file": plan.filename, "rows": len(plan.items), **result},
    )
    return result


def _update_bulk(plan, *, model, bulk_extra, now) -> tuple[int, int]:
    """Compare with the stored values (decrypted by the fields) and rewrite only changed rows."""
    updates = [item for item in plan.items if item.is_update]
    if not updates:
        return 0, 0
    names = sorted({key for item in updates for key in (*item.values, *bulk_extra(item))})
    fields = [model._meta.get_field(name) for name in names]
    stamp = model._meta.get_field("updated_at")
    convert = _converters([*fields, stamp], connection)
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in (*fields, stamp))
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE {qn(model._meta.pk.column)} = %s"  # noqa: S608
    changed = 0
    for chunk in _chunks(updates, UPDATE_CHUNK):
        stored = {
            pk: dict(zip(names, rest, strict=True))
            for pk, *rest in model.objects.filter(pk__in=[i.target for i in chunk]).values_list(
                "pk", *names
            )
        }
        params = []
        for item in chunk:
            new = {**stored[item.target], **item.values, **bulk_extra(item)}
            if new == stored[item.target]:
                continue
            row = [new[name] for name in names] + [now]
            params.append(
                [
                    c(v) if c is not None and v is not None else v
                    for c, v in zip(convert, row, strict=True)
                ]
                + [item.target]
            )
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        changed += len(params)
    return changed, len(updates) - changed
