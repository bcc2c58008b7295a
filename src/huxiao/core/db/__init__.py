"""Huxiao's database backends: Django's SQLite and PostgreSQL backends with the audit trail's
records held until the transaction that made them commits (``AuditBufferMixin``).

``settings.DATABASES`` names ``huxiao.core.db.sqlite3`` or ``huxiao.core.db.postgresql``;
``DATABASE_URL`` is written exactly as for Django's own backends.
"""

from __future__ import annotations

from django.db import DatabaseError


class AuditBufferMixin:
    """Holds the audit records appended inside a transaction and chains them just before it
    commits (``core.audit.flush``).

    The chain's head is locked only from that moment to the commit, not from the first
    audited write: concurrent requests no longer queue behind each other's whole
    transaction. The records are written in the same transaction as the changes they
    describe, so both commit or neither does; a record appended inside a savepoint that rolls
    back is dropped with it (the same bookkeeping as Django's ``on_commit``).

    Test cases wrap each test in transactions that never commit; they are marked
    ``_from_testcase`` and count as no transaction, so a test sees the records as soon as the
    code under test leaves its own outermost block.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (savepoint ids when appended, unsealed AuditRecord) in append order.
        self.audit_pending = []

    def audit_buffering(self) -> bool:
        """Whether a record appended now waits: inside an atomic block that is not a test
        case's and whose end reaches this connection (a commit, or a savepoint's release).

        In production that is the outermost block. Under a test case it is the first block of
        the code under test, if it has a savepoint; if it has none (``savepoint=False``, as in
        the ORM's cascading delete), nothing tells its end and the record is written at once.
        """
        if not self.in_atomic_block:
            return False
        blocks, sids = self.atomic_blocks, self.savepoint_ids
        offset = len(blocks) - len(sids)  # the outermost block has no savepoint entry
        for index, block in enumerate(blocks):
            if not getattr(block, "_from_testcase", False):
                return index < offset or sids[index - offset] is not None
        return False

    def audit_hold(self, record) -> None:
        self.audit_pending.append((set(self.savepoint_ids), record))

    def _audit_flush(self) -> None:
        if not self.audit_pending:
            return
        from huxiao.core import audit

        records = [record for _, record in self.audit_pending]
        self.audit_pending = []
        # On the way to a commit Atomic has already marked the block left; mark it entered
        # again while the records are written, so that an atomic block inside the ORM's
        # writes nests in this transaction instead of committing it.
        outside = not self.in_atomic_block
        self.in_atomic_block = True
        try:
            audit.flush(records, using=self.alias)
        finally:
            if outside:
                self.in_atomic_block = False

    def commit(self):
        try:
            self._audit_flush()
        except Exception as exc:
            # Atomic rolls back after a DatabaseError itself; anything else must not leave
            # the transaction open with the changes and without their records.
            if not isinstance(exc, DatabaseError):
                super().rollback()
            raise
        super().commit()

    def rollback(self):
        self.audit_pending = []
        super().rollback()

    def close(self):
        # Closed inside a transaction, the database rolls it back; outside, nothing waits.
        self.audit_pending = []
        super().close()

    def savepoint_rollback(self, sid):
        self.audit_pending = [(sids, r) for sids, r in self.audit_pending if sid not in sids]
        super().savepoint_rollback(sid)

    def savepoint_commit(self, sid):
        # Leaving the outermost block that is not a test case's: chain now, as a commit would.
        if self.audit_pending and not self.audit_buffering():
            self._audit_flush()
        super().savepoint_commit(sid)
