"""Redis down (issue 23): with the project's cache backend pointed at a Redis that does not
answer, pages still serve, the gate's watch-list match is still made and its rate limit counts
from the database, the login still locks accounts, and the operator is warned in the log."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings

from huxiao.core import cache as resilient
from huxiao.core.cache import CacheUnavailable

DOWN = {
    "default": {
        "BACKEND": "huxiao.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def redis_down():
    resilient._state.update(warned_at=0.0)
    with override_settings(CACHES=DOWN):
        yield
    resilient._state.update(warned_at=0.0)


def test_reads_miss_writes_drop_counters_refuse(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="huxiao.core.cache"):
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        cache.set("k", 1)
        cache.delete("k")
        with pytest.raises(CacheUnavailable):
            cache.add("k", 1)
        with pytest.raises(CacheUnavailable):
            cache.incr("k")
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a call


def test_another_redis_error_is_not_hidden(redis_down, monkeypatch):
    def broken(self, *args, **kwargs):
        raise TypeError("a programming error")

    monkeypatch.setattr(
        resilient.ResilientRedisCache, "get", resilient._miss(lambda *a, **k: None)(broken)
    )
    with pytest.raises(TypeError):
        cache.get("k")


def test_pages_still_serve(redis_down, client_for):
    client = client_for("officer_a")
    assert client.get("/").status_code == 200
    assert client.get("/notifications/").status_code == 200


def test_the_watch_list_match_is_made_and_limited_from_the_database(
    redis_down, people, django_capture_on_commit_callbacks
):
    from huxiao.core import parameters
    from huxiao.persons import watchlist
    from huxiao.system.services.parameters import parameter_set

    limit = 3
    parameter_set(key="PERSONS_WATCHLIST_PER_MINUTE", raw=str(limit), actor=people.admin)
    assert parameters.get("PERSONS_WATCHLIST_PER_MINUTE") == limit  # read from the database
    results = []
    for _ in range(limit):
        with django_capture_on_commit_callbacks(execute=True):
            results.append(
                watchlist.watchlist_match(actor=people.guard, id_number="11010519491231002X")
            )
    assert [r.matched for r in results] == [False] * limit
    with pytest.raises(watchlist.TooManyQueries):
        watchlist.watchlist_match(actor=people.guard, id_number="11010519491231002X")


def test_a_login_failure_is_still_counted_against_the_account(redis_down, people):
    from django.test import Client

    client = Client()
    response = client.post("/login/", {"username": "officer_a", "password": "Wrong#Pass1"})
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
