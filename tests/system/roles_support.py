"""Shared by the role tests: the security administrators and a role form's POST data."""

from __future__ import annotations

from django.test import Client

from huxiao.core import services
from huxiao.core.models import Role
from tests.conftest import PASSWORD


def admin_user(username: str, org, code: str = "secadmin"):
    return services.user_create(
        username=username,
        password=PASSWORD,
        organization=org,
        role=Role.objects.get(code=code),
        must_change_password=False,
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def role_post(
    *,
    code: str,
    name: str,
    data_scope: str = "subtree",
    permissions=(),
    scope=(),
    is_police: bool = False,
    second_factor: bool = False,
    sort_order: int = 100,
    description: str = "",
) -> dict:
    data = {
        "code": code,
        "name": name,
        "description": description,
        "data_scope": data_scope,
        "permissions": list(permissions),
        "scope_organizations": [org.pk for org in scope],
        "sort_order": str(sort_order),
    }
    if is_police:
        data["is_police"] = "on"
    if second_factor:
        data["requires_second_factor"] = "on"
    return data
