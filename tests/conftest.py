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

from dataclasses import dataclass

import pytest
from django.test import Client

from huxiao.core import services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization, Role, User
from huxiao.core.roles import ensure_default_roles

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


@pytest.fixture
def city(db) -> City:
    ensure_default_roles()
    city_bureau = _org(OrgKind.CITY_BUREAU, "测试市公安局", "T-CITY")
    sub = _org(OrgKind.SUB_BUREAU, "测试分局", "T-SUB", city_bureau)
    station_a = _org(OrgKind.STATION, "甲派出所", "T-STA-A", sub)
    station_b = _org(OrgKind.STATION, "乙派出所", "T-STA-B", sub)
    edu_city = _org(OrgKind.EDUCATION_BUREAU, "测试市教育局", "T-EDU")
    edu_a = _org(OrgKind.EDUCATION_BUREAU, "甲区教育局", "T-EDU-A", edu_city)
    edu_b = _org(OrgKind.EDUCATION_BUREAU, "乙区教育局", "T-EDU-B", edu_city)
    school_a = _org(OrgKind.SCHOOL, "甲小学", "T-SCH-A", station_a, edu_a)
    school_b = _org(OrgKind.SCHOOL, "乙中学", "T-SCH-B", station_b, edu_b)
    company = _org(OrgKind.SECURITY_COMPANY, "某保安公司", "T-CO")
    return City(
        city_bureau, sub, station_a, station_b, school_a, school_b, edu_city, edu_a, edu_b, company
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


@pytest.fixture
def people(city: City) -> People:
    return People(
        admin=make_user("admin", city.city, "sysadmin"),
        commander=make_user("commander", city.city, "commander"),
        officer_a=make_user("officer_a", city.station_a, "officer"),
        officer_b=make_user("officer_b", city.station_b, "officer"),
        edu_officer=make_user("edu_officer", city.edu_a, "education_officer"),
        chief=make_user("chief", city.school_a, "school_security_chief"),
        guard=make_user("guard", city.school_a, "gate_guard"),
        volunteer=make_user("volunteer", city.station_a, "volunteer"),
        auditor=make_user("auditor", city.city, "auditor"),
        outsider=make_user("outsider", city.company, "officer"),
    )


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
def _fresh_cache():
    """Each test starts with an empty cache (e.g. the work calendar's cached table rows)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
