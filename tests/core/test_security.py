"""The 等保2.0 application-layer baseline: hashing, password rules, lockout, sessions, headers."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from huxiao.core.choices import AuditAction
from huxiao.core.models import AuditRecord
from tests.conftest import PASSWORD, make_user

REAL_HASHERS = [
    "huxiao.core.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_the_configured_hashers_start_with_argon2():
    # The test session swaps in a fast hasher (conftest); the project's own setting is argon2.
    from huxiao import settings as project_settings

    assert project_settings.PASSWORD_HASHERS == REAL_HASHERS


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_it_stores_passwords_with_argon2(city):
    user = make_user("argon", city.station_a, "officer")
    assert user.password.startswith("argon2$argon2id$")
    # OWASP's configuration, not Django's eight lanes on two cores (docs/performance.md "Login").
    assert "$m=47104,t=1,p=1$" in user.password


def test_the_hasher_is_at_or_above_owasps_minimum():
    from huxiao.core.hashers import Argon2Hasher, meets_owasp_minimum

    h = Argon2Hasher
    assert meets_owasp_minimum(
        memory_cost=h.memory_cost, time_cost=h.time_cost, parallelism=h.parallelism
    )
    assert not meets_owasp_minimum(memory_cost=19456, time_cost=1, parallelism=1)
    assert meets_owasp_minimum(memory_cost=102400, time_cost=2, parallelism=8)


@override_settings(PASSWORD_HASHERS=REAL_HASHERS)
def test_a_hash_made_with_djangos_parameters_still_signs_in_and_is_upgraded(people):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = people.officer_a
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in old
    type(user).objects.filter(pk=user.pk).update(password=old)
    assert login(Client(), user.username, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert "$m=47104,t=1,p=1$" in user.password


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Ab1!", False),  # too short
        ("abcdefgh12", False),  # two classes
        ("abcdefgh", False),
        ("Abcdefgh12", True),  # three classes
        ("abcdef1!x", True),
        ("Zq7#Zq7#", True),
    ],
)
def test_it_requires_eight_characters_and_three_classes(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validate_password(password)
        assert all(not message.isascii() for message in exc.value.messages), exc.value.messages


def test_a_wrong_password_gets_a_chinese_message_and_is_logged(people):
    response = login(Client(), "officer_a", "Wrong#Pass1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    record = AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILURE).order_by("-seq").first()
    assert record.actor_name == "officer_a"


def test_a_successful_login_is_logged(people):
    response = login(Client(), "officer_a", PASSWORD)
    assert response.status_code == 302
    assert AuditRecord.objects.filter(
        action=AuditAction.LOGIN_SUCCESS, actor=people.officer_a
    ).exists()


def test_it_locks_the_account_after_five_failures(people):
    client = Client()
    for _ in range(4):
        assert login(client, "officer_a", "Wrong#Pass1").status_code == 200
    locked = login(client, "officer_a", "Wrong#Pass1")
    assert locked.status_code == 403
    # Even the right password is refused now, from another client too.
    again = login(Client(), "officer_a", PASSWORD)
    assert again.status_code == 403
    assert "锁定" in again.content.decode()
    # Another account is not affected.
    assert login(Client(), "officer_b", PASSWORD).status_code == 302


def test_the_idle_timeout_is_600_seconds_and_sliding(people):
    import datetime as dt

    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 600
    start = timezone.now()

    def expiry(client):
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        assert login(client, "officer_a", PASSWORD).status_code == 302
        client.get("/")
        first = expiry(client)
        assert abs((first - start).total_seconds() - 600) < 2
        # Within a minute of the last save, a request writes nothing to the session table.
        clock.shift(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries)
        assert expiry(client) == first
        # Later, the next request moves the expiry on: the timeout slides.
        clock.shift(dt.timedelta(seconds=60))
        assert client.get("/").status_code == 200
        assert expiry(client) > first
        # Active every 9 minutes: still signed in; then 10 minutes idle: signed out.
        for _ in range(3):
            clock.shift(dt.timedelta(seconds=540))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(seconds=601))
        assert client.get("/")["Location"].startswith("/login/")


def test_a_seeded_account_must_change_its_password_first(city):
    make_user("newbie", city.station_a, "officer", must_change_password=True)
    client = Client()
    assert login(client, "newbie", PASSWORD).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/password/"
    api = client.get("/api/v1/me")
    assert api.status_code in (401, 403)
    changed = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh#Pass2026",
            "new_password2": "Fresh#Pass2026",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200


def test_the_password_change_refuses_a_weak_password_with_400(city):
    make_user("weak", city.station_a, "officer", must_change_password=True)
    client = Client()
    login(client, "weak", PASSWORD)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "simple12", "new_password2": "simple12"},
    )
    assert response.status_code == 400
    assert "至少包含" in response.content.decode() or "三类" in response.content.decode()


def test_pages_carry_csp_and_secure_headers(db):
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "'unsafe-inline'" not in csp
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_login_requires_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def _run_django(args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "huxiao.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


# A production profile that starts: its secrets and host (the values are the tests' own).
PRODUCTION_ENV = {
    "HUXIAO_PROFILE": "production",
    "HUXIAO_SECRET_KEY": "k" * 20 + "Q7#mZ9$wL2@pX5!vR8^tY3&nB6*cF1%hJ4",
    "HUXIAO_DATA_KEY": "q2V0a1ZpZ3l3b0ZzZ2R4dW1pbnFqcmZ6c2JjZGVmZ2g=",
    "HUXIAO_AUDIT_KEY": "bXlBdWRpdEtleUZvckNoZWNrRGVwbG95VGVzdDEyMzQ=",
    "HUXIAO_ALLOWED_HOSTS": "huxiao.example.gov.cn",
}


def test_the_production_profile_passes_check_deploy(tmp_path):
    result = _run_django(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        HUXIAO_VAR_DIR=str(tmp_path),
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_profile_refuses_to_start_without_secrets(tmp_path):
    result = _run_django(
        ["manage", "check"], HUXIAO_PROFILE="production", HUXIAO_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0 and "HUXIAO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HUXIAO_DEBUG", "maybe", "is not a boolean"),
        ("HUXIAO_SESSION_IDLE_SECONDS", "ten", "is not an integer"),
        ("REDIS_URL", "localhost:6379", "must start with redis://"),
        ("DATABASE_URL", "mysql://x@y/z", "not supported"),
    ],
)
def test_bad_settings_fail_loudly(tmp_path, name, value, message):
    result = _run_django(["manage", "check"], HUXIAO_VAR_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert name in result.stderr or message in result.stderr
    assert message in result.stderr


def test_it_allows_the_configured_map_tile_hosts_in_the_csp():
    from huxiao.settings import _tile_sources

    assert _tile_sources("") == []
    assert _tile_sources(
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=k|https://t{s}.tianditu.gov.cn/cva_w/wmts?tk=k"
    ) == ["https://*.tianditu.gov.cn", "https://*.tianditu.gov.cn"]
    import pytest

    from huxiao.env import ImproperlyConfiguredEnv

    with pytest.raises(ImproperlyConfiguredEnv):
        _tile_sources("javascript:alert(1)")
