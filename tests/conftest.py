"""The permissions harness: one small city and named users in different jurisdictions.

    city bureau (city)
      └ sub-bureau A
          ├ station 01 ── school 01 (education: district bureau A)
          └ station 02 ── school 02 (education: district bureau B)
    city education bureau
      ├ district education bureau A
      └ district education bureau B
    security company X

Users: ``admin`` (system administrator), ``commander`` (city bureau), ``officer_a``
(station 01), ``officer_b`` (station 02), ``edu_officer`` (district bureau A),
``chief`` (security chief of school 01), ``guard`` (gate guard of school 01),
``volunteer``, ``auditor`` and ``outsider`` (an officer of the security company, who
must see nothing of the police tree). Every module's permission tests use them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from huxiao.core import services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization, Role, User
from huxiao.core.roles import ensure_default_roles
from tests import dbsnapshot
from tests.transactions import rolled_back

PASSWORD = "Harness#2026pw"


@dataclass
class City:
    city: Organization
    sub_bureau: Organization
    station_a: Organization
    station_b: Organization
    school_a: Organization
    school_b: Organization
    edu_city: Organization
    edu_a: Organization
    edu_b: Organization
    company: Organization


@dataclass
class People:
    admin: User
    commander: User
    officer_a: User
    officer_b: User
    edu_officer: User
    chief: User
    guard: User
    volunteer: User
    auditor: User
    outsider: User


def _org(kind, name, code, parent=None, edu=None):
    return services.organization_create(
        kind=kind, name=name, code=code, division_code="530111", parent=parent, education_bureau=edu
    )


def make_user(username: str, org: Organization | None, role_code: str | None, **extra) -> User:
    role = Role.objects.get(code=role_code) if role_code else None
    return services.user_create(
        username=username,
        password=PASSWORD,
        organization=org,
        role=role,
        must_change_password=extra.pop("must_change_password", False),
        **extra,
    )


# ---- the clock ------------------------------------------------------------------------------
# Code and tests read the time only through Django's timezone helpers, so moving the process's
# clock moves every "today" of a run: ``HUXIAO_TEST_NOW=2027-07-26T10:00+08:00 make test-clock``
# runs the date-sensitive tests as if on that day (time-machine, the clock ticking on from it).
_travel: list = []


def pytest_configure(config):
    _no_jit_on_fresh_tables()
    moved = os.environ.get("HUXIAO_TEST_NOW", "").strip()
    if moved and not _travel:
        import time_machine

        try:
            when = dt.datetime.fromisoformat(moved)
        except ValueError:
            raise pytest.UsageError(f"HUXIAO_TEST_NOW={moved!r} is not an ISO date-time") from None
        if when.tzinfo is None:
            raise pytest.UsageError("HUXIAO_TEST_NOW needs a UTC offset, e.g. +08:00")
        traveller = time_machine.travel(when, tick=True)
        traveller.start()
        _travel.append(traveller)


def _no_jit_on_fresh_tables() -> None:
    """PostgreSQL's JIT off for the test databases (before any connection is made).

    Test tables are created empty and never analysed, so the planner assumes default row
    counts, estimates costs above ``jit_above_cost`` for ordinary statements and compiles them
    (tens of milliseconds each): without JIT the suite runs ~17% faster on PostgreSQL. A
    production database has its statistics; the one statement that needs JIT off there turns
    it off itself (schools.compliance.summary).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in database.get("ENGINE", ""):
        options = database.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()


def pytest_unconfigure(config):
    while _travel:
        _travel.pop().stop()


def pytest_report_header(config):
    if _travel:
        return f"clock moved: HUXIAO_TEST_NOW={os.environ['HUXIAO_TEST_NOW']}"
    return None


_ORGS = [  # (field, kind, name, code, parent field, education bureau field)
    ("city", OrgKind.CITY_BUREAU, "测试市公安局", "T-CITY", None, None),
    ("sub_bureau", OrgKind.SUB_BUREAU, "测试分局", "T-SUB", "city", None),
    ("station_a", OrgKind.STATION, "甲派出所", "T-STA-A", "sub_bureau", None),
    ("station_b", OrgKind.STATION, "乙派出所", "T-STA-B", "sub_bureau", None),
    ("edu_city", OrgKind.EDUCATION_BUREAU, "测试市教育局", "T-EDU", None, None),
    ("edu_a", OrgKind.EDUCATION_BUREAU, "甲区教育局", "T-EDU-A", "edu_city", None),
    ("edu_b", OrgKind.EDUCATION_BUREAU, "乙区教育局", "T-EDU-B", "edu_city", None),
    ("school_a", OrgKind.SCHOOL, "甲小学", "T-SCH-A", "station_a", "edu_a"),
    ("school_b", OrgKind.SCHOOL, "乙中学", "T-SCH-B", "station_b", "edu_b"),
    ("company", OrgKind.SECURITY_COMPANY, "某保安公司", "T-CO", None, None),
]
_USERS = [  # (field = username, organisation field, role code)
    ("admin", "city", "sysadmin"),
    ("commander", "city", "commander"),
    ("officer_a", "station_a", "officer"),
    ("officer_b", "station_b", "officer"),
    ("edu_officer", "edu_a", "education_officer"),
    ("chief", "school_a", "school_security_chief"),
    ("guard", "school_a", "gate_guard"),
    ("volunteer", "station_a", "volunteer"),
    ("auditor", "city", "auditor"),
    ("outsider", "company", "officer"),
]


def build_city() -> dict[str, int]:
    """The harness's organisations through the services; their primary keys by field."""
    ensure_default_roles()
    made: dict[str, Organization] = {}
    for field, kind, name, code, parent, edu in _ORGS:
        made[field] = _org(
            kind, name, code, made[parent] if parent else None, made[edu] if edu else None
        )
    return {field: org.pk for field, org in made.items()}


def build_people(city: City) -> dict[str, int]:
    return {name: make_user(name, getattr(city, org), role).pk for name, org, role in _USERS}


def load_city(ids: dict[str, int]) -> City:
    orgs = Organization.objects.in_bulk(ids.values())
    return City(**{field: orgs[pk] for field, pk in ids.items()})


def load_people(ids: dict[str, int]) -> People:
    users = User.objects.select_related("organization", "role").in_bulk(ids.values())
    return People(**{field: users[pk] for field, pk in ids.items()})


# Modules whose every database test (not transactional) stands in the harness city share one
# build of it: made once when the module starts, inside an outer transaction that is rolled
# back when the module ends; each test runs in a savepoint of it (pytest-django's ``db``) and
# gets fresh instances loaded by primary key (2 queries instead of ~240). Other modules, and
# transactional tests (the live server must see committed rows), build it per test as before.
_SHARED_HARNESS: dict[str, str] = {}  # module node id -> "city" or "people"
_current_item: list[pytest.Item] = []


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or "db" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    by_module: dict[str, list] = {}
    for item in items:
        if _uses_db(item) and not _is_transactional(item):
            by_module.setdefault(item.module.__name__, []).append(item)
    for module, module_items in by_module.items():
        names = [set(getattr(i, "fixturenames", ())) for i in module_items]
        if all("people" in n for n in names):
            _SHARED_HARNESS[module] = "people"
        elif all("city" in n for n in names):
            _SHARED_HARNESS[module] = "city"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _current_item[:] = [item]


@pytest.fixture(scope="module")
def _module_harness(request, django_db_setup, django_db_blocker):
    """The harness shared by a module's tests, or None where each test builds its own."""
    level = _SHARED_HARNESS.get(request.module.__name__)
    item = _current_item[0] if _current_item else None
    if level is None or item is None or _is_transactional(item):
        yield None
        return
    with django_db_blocker.unblock(), rolled_back():
        city_ids = build_city()
        people_ids = build_people(load_city(city_ids)) if level == "people" else None
        yield city_ids, people_ids


@pytest.fixture
def city(_module_harness, db) -> City:
    if _module_harness is None:
        return load_city(build_city())
    return load_city(_module_harness[0])


@pytest.fixture
def people(_module_harness, city: City) -> People:
    if _module_harness is None or _module_harness[1] is None:
        return load_people(build_people(city))
    return load_people(_module_harness[1])


@pytest.fixture
def client_for(people):
    """``client_for("officer_a")`` → a Django test client signed in as that user."""

    def _make(name: str) -> Client:
        client = Client()
        client.force_login(getattr(people, name))
        return client

    return _make


@pytest.fixture(autouse=True, scope="session")
def _fast_and_inline():
    """Tasks run synchronously in tests, except where a test starts a real worker; passwords
    hash with a fast hasher, except in tests/core/test_security.py, which checks argon2 itself
    (Django's argon2 settings cost ~100 MB and ~0.1 s per hash, on every user the harness makes)."""
    from django.test.utils import override_settings
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: the language middleware activates the
    request's language in the thread and leaves it active, so a test that requested a page in
    English would otherwise leave English to whichever test the same worker runs next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (e.g. the work calendar's cached table rows), but for
    the parameters and dictionaries, primed with what a fresh test database holds (no saved
    parameter, the shipped dictionary entries), so that reading them costs no query."""
    from django.core.cache import cache

    from huxiao.core import dictionaries, parameters

    cache.clear()
    cache.set(parameters.CACHE_KEY, {}, parameters.CACHE_SECONDS)
    dictionaries.prime_shipped()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo city seeded once per run (shared by the xdist workers), as a snapshot.

    ``dbsnapshot.restore(demo_snapshot)`` puts it in the database: tests/demo's modules do so
    inside an outer transaction, browser tests into the live server's committed database.
    ``demo_snapshot.payload`` is the ``SeedResult`` of the seeding.
    """
    from django.conf import settings

    from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo

    def make():
        return seed_demo(seed=2026, password=DEFAULT_PASSWORD)

    with django_db_blocker.unblock():
        return dbsnapshot.shared("demo", make, Path(settings.VAR_DIR) / "snapshots")
