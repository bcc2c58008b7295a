"""Notice numbers under concurrency: unique and gap-free (PostgreSQL row locks).

SQLite serialises writers at BEGIN IMMEDIATE, so the race this test provokes exists only on
PostgreSQL; there, eight threads issue notices for the same station at once.
"""

import threading

import pytest
from django.db import connection, connections

from huxiao.inspections import services
from huxiao.inspections.models import RectificationNotice

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_notices_without_gaps_or_duplicates(ischools, people, make_hazard):
    school_a = ischools[0]
    hazards = [make_hazard(school_a, title=f"并发隐患{i}") for i in range(8)]
    barrier = threading.Barrier(len(hazards))
    errors = []

    def issue(hazard):
        try:
            barrier.wait()
            services.notice_issue(
                school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(h,)) for h in hazards]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(RectificationNotice.objects.values_list("serial", flat=True))
    assert serials == list(range(1, 9))
