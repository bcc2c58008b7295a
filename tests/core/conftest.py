"""Fixtures of the core tests."""

from __future__ import annotations

import pytest

from huxiao.core import services
from huxiao.core.models import Role
from tests.conftest import PASSWORD


def _admin_user(username, city, code="secadmin"):
    return services.user_create(
        username=username,
        password=PASSWORD,
        organization=city.city,
        role=Role.objects.get(code=code),
        must_change_password=False,
    )


@pytest.fixture
def secadmin(city):
    return _admin_user("secadmin_a", city)


@pytest.fixture
def secadmin2(city):
    return _admin_user("secadmin_b", city)


@pytest.fixture
def school(city):
    """School A's record, for tests of deadlines counted on the calendar."""
    from huxiao.schools import services as school_services

    return school_services.school_register(
        organization=city.school_a,
        school_code="5301119001",
        level="primary",
        locality="urban",
        students=600,
        staff=40,
    )
