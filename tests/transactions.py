"""Transactions the tests open and never commit."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back():
    """A transaction rolled back at the end, marked as Django's TestCase marks its own.

    The mark matters: the audit trail chains the records of a transaction when its outermost
    block that is not a test's commits (huxiao.core.db), so code run inside this block has its
    records chained when its own block ends, as it would in production. Durable blocks inside
    are allowed, as in a TestCase.
    """
    block = transaction.atomic()
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True)
