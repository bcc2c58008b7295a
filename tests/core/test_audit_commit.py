"""Audit records are chained when their transaction commits (huxiao.core.db): together with
the changes they describe, without those of a rolled-back savepoint, and without holding the
chain's head while the rest of the transaction runs."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from huxiao.core import audit, services
from huxiao.core.choices import AuditAction, OrgKind
from huxiao.core.models import AuditChainHead, AuditRecord, Organization

pytestmark = pytest.mark.django_db(transaction=True)


def station(code: str) -> Organization:
    return services.organization_create(
        kind=OrgKind.STATION, name=f"站{code}", code=code, division_code="530111"
    )


def created(code: str) -> AuditRecord | None:
    org = Organization.objects.filter(code=code).first()
    if org is None:
        return None
    return AuditRecord.objects.filter(
        object_type="core.organization", object_id=str(org.pk), action=AuditAction.CREATE
    ).first()


def test_the_records_of_a_transaction_are_chained_at_its_commit_in_their_order():
    with transaction.atomic():
        for code in ("A1", "A2", "A3"):
            station(code)
        # Nothing is chained while the transaction runs: the head is not locked yet.
        assert not AuditRecord.objects.filter(object_type="core.organization").exists()
    records = [created(code) for code in ("A1", "A2", "A3")]
    assert all(records)
    assert [r.seq for r in records] == sorted(r.seq for r in records)
    assert records[1].prev_hash == records[0].hash and records[2].prev_hash == records[1].hash
    assert AuditChainHead.objects.get().last_seq == records[2].seq
    assert audit.verify_chain().ok


def test_a_rolled_back_savepoint_takes_its_records_and_the_rest_stays():
    with transaction.atomic():
        station("B1")
        try:
            with transaction.atomic():
                station("B2")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        station("B3")
    assert created("B1") and created("B3")
    assert not Organization.objects.filter(code="B2").exists()
    assert not AuditRecord.objects.filter(object_repr__contains="站B2").exists()
    assert audit.verify_chain().ok


def test_a_failed_transaction_leaves_neither_change_nor_record():
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    with pytest.raises(RuntimeError), transaction.atomic():
        station("C1")
        raise RuntimeError("refused")
    assert not Organization.objects.filter(code="C1").exists()
    assert not AuditRecord.objects.filter(seq__gt=head).exists()
    assert audit.verify_chain().ok


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite serialises whole write transactions (BEGIN IMMEDIATE) whatever the chain does",
)
def test_a_long_transaction_does_not_hold_up_another_writer():
    """A transaction that has written audited changes and goes on working (the key-person
    match of a registration, a notification) must not keep every other writer of the city
    waiting: before the records were held to the commit, the second writer waited here on the
    head's row lock until the first committed."""
    first_has_written, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    second_done_while_first_open: list[bool] = []

    def first():
        try:
            with transaction.atomic():
                station("D1")
                first_has_written.set()
                second_done_while_first_open.append(second_done.wait(timeout=5))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    def second():
        try:
            first_has_written.wait(timeout=10)
            with transaction.atomic():
                station("D2")
            second_done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert second_done_while_first_open == [True], "the second writer waited for the first"
    d1, d2 = created("D1"), created("D2")
    assert d2.seq < d1.seq  # chained in commit order, not in the order of the writes
    assert audit.verify_chain().ok
