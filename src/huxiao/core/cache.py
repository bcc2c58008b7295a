"""The cache backend with Redis: when Redis cannot be reached, the platform keeps serving.

Django's ``RedisCache`` raises on every call while Redis is down, so every page reading a
parameter or a dictionary answered 500 and the gate's watch-list match refused visitors (issue
23). ``ResilientRedisCache`` answers a read as a miss and drops a write, so each caller reads the
database as it does on a miss. It logs a warning at most once a minute (the readiness probe
pings Redis itself and says ``degraded``). The two rate limiters need their counters, so ``add`` and ``incr`` raise
``CacheUnavailable`` instead: the watch-list match then counts in the database
(``persons.watchlist``), and the login's per-address limit leaves the per-account lockout,
which django-axes keeps in the database, to hold alone.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60
_state = {"warned_at": 0.0}


class CacheUnavailable(Exception):
    """The shared cache cannot be reached: a counter kept there cannot be read or moved."""


def _unreachable(exc: Exception) -> bool:
    import redis

    return isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError)


def _failed(exc: Exception) -> None:
    now = time.monotonic()
    if now - _state["warned_at"] >= WARN_EVERY_SECONDS:
        _state["warned_at"] = now
        logger.warning("Redis unreachable, serving without the shared cache: %s", exc)


def _guarded(method, when_unreachable):
    """``method``, with Redis out of reach handled by ``when_unreachable(exc, *args, **kwargs)``
    (after the warning); any other error propagates."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            _failed(exc)
            return when_unreachable(exc, *args, **kwargs)

    return call


def _miss(default_of):
    """A read answered as a miss (``default_of(*args, **kwargs)``), a write dropped."""
    return lambda method: _guarded(method, lambda exc, *a, **k: default_of(*a, **k))


def _counter(method):
    """A counter that cannot be read or moved: ``CacheUnavailable`` for the caller to handle."""

    def refuse(exc, *args, **kwargs):
        raise CacheUnavailable(str(exc)) from exc

    return _guarded(method, refuse)


class ResilientRedisCache(RedisCache):
    get = _miss(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _miss(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _miss(lambda key, version=None: False)(RedisCache.has_key)
    set = _miss(lambda *a, **k: None)(RedisCache.set)
    set_many = _miss(lambda data, *a, **k: list(data))(RedisCache.set_many)
    touch = _miss(lambda *a, **k: False)(RedisCache.touch)
    delete = _miss(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _miss(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _miss(lambda *a, **k: None)(RedisCache.clear)
    add = _counter(RedisCache.add)
    incr = _counter(RedisCache.incr)
    decr = _counter(RedisCache.decr)
