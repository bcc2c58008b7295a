"""Gap-free document numbers per organisation, kind and year."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from huxiao.inspections.models import DocumentCounter


def next_serial(*, organization, kind: str, year: int) -> int:
    """Take the next number inside the caller's transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers
    at BEGIN IMMEDIATE), so two concurrent notices never get the same number, and a rolled-
    back notice gives its number back with the rest of its transaction: no gaps.
    """
    assert transaction.get_connection().in_atomic_block, "call inside a transaction"
    counter = (
        DocumentCounter.objects.select_for_update()
        .filter(organization=organization, kind=kind, year=year)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(
                    organization=organization, kind=kind, year=year, last=0
                )
        except IntegrityError:  # a concurrent first notice of the year created it
            pass
        counter = DocumentCounter.objects.select_for_update().get(
            organization=organization, kind=kind, year=year
        )
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last
