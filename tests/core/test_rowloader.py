"""JoinedRowLoader: the same instances as select_related (every column converted the same way),
the relation caches filled so reading them costs no query, and a missing row or relation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huxiao.core import services
from huxiao.core.models import ApiToken, User
from huxiao.core.rowloader import JoinedRowLoader
from huxiao.core.services import token_digest

pytestmark = pytest.mark.django_db

RELATED = ["user", "user__role", "user__organization"]
LOADER = JoinedRowLoader(ApiToken, RELATED, by="digest")


def columns(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_it_loads_what_select_related_loads(people, city):
    people.officer_a.phone = "13900001234"  # an encrypted column, decrypted on the way out
    people.officer_a.save(update_fields=["phone"])
    _, secret = services.token_create(
        user=people.officer_a, name="视频平台", expires_at=timezone.now() + dt.timedelta(days=30)
    )
    digest = token_digest(secret)
    expected = ApiToken.objects.select_related(*RELATED).get(digest=digest)
    with CaptureQueriesContext(connection) as queries:
        token = LOADER.get(digest)
        user, role, org = token.user, token.user.role, token.user.organization
        assert (user.phone, role.permissions, org.path) == (
            "13900001234",
            expected.user.role.permissions,
            city.station_a.path,
        )
    assert (
        len(queries.captured_queries) == 1 and "ORDER BY" not in queries.captured_queries[0]["sql"]
    )
    for got, want in [(token, expected), (user, expected.user), (role, expected.user.role)]:
        assert columns(got) == columns(want)
    assert columns(org) == columns(expected.user.organization)
    assert token.expires_at is not None and token.expires_at.tzinfo is not None
    assert not token._state.adding and token._state.db == "default"
    assert user.has_perm("patrols.add_checkin")


def test_a_missing_row_is_none_and_a_missing_relation_is_cached_as_none(people):
    assert LOADER.get("no-such-digest") is None
    loose = User.objects.create_user("loose", password="Loose#2026pw-x")
    _, secret = services.token_create(user=loose, name="无单位")
    with CaptureQueriesContext(connection) as queries:
        token = LOADER.get(token_digest(secret))
        assert token.user == loose and token.user.role is None
        assert token.user.organization is None
    assert len(queries.captured_queries) == 1


def test_it_refuses_a_column_that_is_not_unique():
    with pytest.raises(ValueError):
        JoinedRowLoader(ApiToken, ["user"], by="name")
    with pytest.raises(ValueError):
        JoinedRowLoader(User, ["api_tokens"], by="username")
