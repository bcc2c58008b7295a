"""An edit of a key person runs in its own transaction (a page's request has none around it):
without one, the row lock (SELECT ... FOR UPDATE) is refused on PostgreSQL. A module of its
own: a transactional test cannot share a module with the harness city's outer transaction
(tests/conftest.py)."""

import pytest

from huxiao.persons import services


@pytest.mark.django_db(transaction=True)
def test_an_edit_runs_in_its_own_transaction(person_b, people):
    """Outside any transaction (a request in autocommit) the row lock needs the service's own."""
    changed = services.key_person_update(
        person=person_b, actor=people.officer_b, notes="情况稳定", expected_version=1
    )
    assert changed.version == 2
