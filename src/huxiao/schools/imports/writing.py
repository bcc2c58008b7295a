"""Writing a validated plan: through the services row by row, or in bulk for large files.

Row by row (the normal case) every write goes through the module's services, so each
record gets its own before/after entry in the audit change log. Above ``BULK_THRESHOLD``
rows that costs about a millisecond and two audit writes per row; the bulk path instead
writes with ``bulk_create``/``bulk_update`` (the model fields still encrypt ID numbers and
phones) and appends ONE audit record naming the file and the counts. Both paths write
the same values: the plan was validated by the same column parsers and rules, which
call the validators the services use.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.schools.models import School

BULK_BATCH = 2000
UPDATE_CHUNK = 5000


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


def _write_one_by_one(plan, *, model, create, update) -> dict:
    schools = School.objects.in_bulk({item.school_id for item in plan.items if not item.is_update})
    targets = model.objects.in_bulk([item.target for item in plan.items if item.is_update])
    created = updated = 0
    for item in plan.items:
        try:
            if item.is_update:
                update(targets[item.target], dict(item.values))
                updated += 1
            else:
                create(schools[item.school_id], dict(item.values))
                created += 1
        except ValidationError as exc:
            raise RowFailed(item.row, exc) from exc
    return {"created": created, "updated": updated, "unchanged": None, "bulk": False}


def _write_bulk(plan, *, model, bulk_extra) -> dict:
    now = timezone.now()
    new = [
        model(school_id=item.school_id, **item.values, **bulk_extra(item))
        for item in plan.items
        if not item.is_update
    ]
    for batch in _chunks(new, BULK_BATCH):
        model.objects.bulk_create(batch)
    updates = [item for item in plan.items if item.is_update]
    fields = sorted({key for item in updates for key in item.values})
    changed_count = 0
    for chunk in _chunks(updates, UPDATE_CHUNK):
        objects = model.objects.in_bulk([item.target for item in chunk])
        changed = []
        for item in chunk:
            obj = objects[item.target]
            extra = bulk_extra(item)
            if all(getattr(obj, k) == v for k, v in (*item.values.items(), *extra.items())):
                continue
            for key, value in (*item.values.items(), *extra.items()):
                setattr(obj, key, value)
            obj.updated_at = now
            changed.append(obj)
        if changed:
            extra_fields = sorted(bulk_extra(chunk[0]))
            model.objects.bulk_update(
                changed, [*fields, *extra_fields, "updated_at"], batch_size=500
            )
        changed_count += len(changed)
    result = {
        "created": len(new),
        "updated": changed_count,
        "unchanged": len(updates) - changed_count,
        "bulk": True,
    }
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type=plan.ledger.object_type,
        object_repr=f"导入 {len(plan.items)} 条",
        after={"file": plan.filename, "rows": len(plan.items), **result},
    )
    return result
