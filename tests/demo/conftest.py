"""One demo city per test module, rolled back when the module ends.

The city is seeded once per run (``demo_snapshot`` in tests/conftest.py, ~11 s on SQLite);
each module restores that snapshot inside an outer transaction (well under a second), every
test then runs in a savepoint of it (pytest-django's ``db``), and nothing is left for the
other test directories.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from huxiao.core.models import Organization, User
from huxiao.demo.generator import SeedResult
from tests import dbsnapshot


@dataclass
class Demo:
    result: SeedResult

    def org(self, code: str) -> Organization:
        return Organization.objects.get(code=code)

    def user(self, username: str) -> User:
        return User.objects.select_related("organization", "role").get(username=username)

    def client(self, username: str) -> Client:
        client = Client()
        client.force_login(self.user(username))
        return client


@pytest.fixture(scope="module")
def _seeded_city(demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock(), dbsnapshot.restored(demo_snapshot) as result:
        yield result


@pytest.fixture
def demo(_seeded_city, db) -> Demo:
    return Demo(_seeded_city)


def sign_in(username: str, password: str):
    """Authenticate as the login page does (django-axes needs the request)."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    return authenticate(RequestFactory().post("/login/"), username=username, password=password)
