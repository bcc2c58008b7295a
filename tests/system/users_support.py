"""What the 用户管理 tests share: a second sub-bureau, the unit administrators of each, a
security administrator, and a workbook maker for the import."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
from django.test import Client

from huxiao.core import services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization, User
from tests.conftest import make_user

HEADERS = ["用户名", "姓名", "所属单位代码", "角色", "手机号", "警号"]


@dataclass
class Admins:
    east: Organization  # 东区分局, a second sub-bureau of the city
    east_station: Organization
    unit_admin: User  # 单位管理员 of 测试分局 (the harness's sub-bureau)
    east_admin: User  # 单位管理员 of 东区分局
    secadmin: User
    secadmin2: User


def make_admins(city, people) -> Admins:
    """Each test module declares ``admins`` as a fixture calling this."""
    east = services.organization_create(
        kind=OrgKind.SUB_BUREAU, name="东区分局", code="T-EAST", division_code="530111",
        parent=city.city,
    )  # fmt: skip
    east_station = services.organization_create(
        kind=OrgKind.STATION, name="东区派出所", code="T-EAST-1", division_code="530111",
        parent=east,
    )  # fmt: skip
    return Admins(
        east=east,
        east_station=east_station,
        unit_admin=make_user("unit_admin", city.sub_bureau, "org_admin"),
        east_admin=make_user("east_admin", east, "org_admin"),
        secadmin=make_user("secadmin", city.city, "secadmin"),
        secadmin2=make_user("secadmin2", city.city, "secadmin"),
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
