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
