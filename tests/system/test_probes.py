"""/healthz and /readyz (issue 23): fast, unauthenticated, no internals; readiness fails, with
503 and the names of the failed checks only, when the database, Redis or the media store does."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_liveness_reads_nothing_and_sets_no_cookie():
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readiness_is_ok_when_everything_answers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = Client().get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert not response.cookies


def test_a_media_store_not_made_yet_is_ready(settings, tmp_path):
    # A fresh install: the first upload creates the directory.
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"
    assert Client().get("/readyz").json() == {"status": "ok"}


def test_readiness_names_a_failed_store_and_nothing_else(settings, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = blocked / "media"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["storage"]}
    assert str(tmp_path) not in response.content.decode()


def test_readiness_says_degraded_when_redis_is_configured_but_down(settings, tmp_path):
    # The platform serves without Redis (core/cache.py): the process stays in the pool.
    settings.MEDIA_ROOT = tmp_path
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "degraded": ["redis"]}


def test_readiness_fails_when_the_database_does(settings, tmp_path, monkeypatch):
    from huxiao.system import probes

    def down():
        raise RuntimeError("connection refused to db.internal:5432")

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(probes, "READINESS", (("database", down), *probes.READINESS[1:]))
    settings.REDIS_URL = ""
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["failed"] == ["database"]
    assert "db.internal" not in response.content.decode()


def test_only_reads_are_answered():
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


def test_the_production_profile_does_not_redirect_the_probes(tmp_path):
    from tests.core.test_security import PRODUCTION_ENV, _run_django

    code = (
        "from django.conf import settings; import re; "
        "print(all(any(re.search(p, path) for p in settings.SECURE_REDIRECT_EXEMPT) "
        "for path in ('healthz', 'readyz')), settings.SECURE_SSL_REDIRECT)"
    )
    result = _run_django(
        ["manage", "shell", "-c", code],
        HUXIAO_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.stdout.split()[-2:] == ["True", "True"], result.stdout + result.stderr[-800:]
