"""Shared pieces of the ledger-import tests: two registered schools, permissions, files.

Imported by the other ``test_import_*`` modules; it holds no tests itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from huxiao.core.models import Role
from huxiao.schools import services

CODE_A = "5301110001"  # 甲小学, station 01 (officer_a, chief)
CODE_B = "5301110002"  # 乙中学, station 02 (officer_b)

IMPORT_PERMS = (
    "schools.add_school",
    "schools.add_guard",
    "schools.add_device",
    "schools.add_equipmentstock",
)
LEDGER_EXPORT_PERMS = (
    "schools.change_school",
    "schools.change_guard",
    "schools.change_device",
    "schools.change_equipmentstock",
)
SCHOOL_STAFF_PERMS = (
    "schools.add_guard",
    "schools.add_device",
    "schools.add_equipmentstock",
    "schools.change_guard",
    "schools.change_device",
    "schools.change_equipmentstock",
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(serial: int, born: dt.date = dt.date(1980, 1, 1), region: str = "530111") -> str:
    """A GB 11643 number with a correct check digit."""
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def grant(*perms: str, roles=("officer", "sysadmin")) -> None:
    for role in Role.objects.filter(code__in=roles):
        role.permissions = sorted(set(role.permissions) | set(perms))
        role.save(update_fields=["permissions"])


def revoke(*perms: str, roles=("officer", "sysadmin")) -> None:
    for role in Role.objects.filter(code__in=roles):
        role.permissions = sorted(set(role.permissions) - set(perms))
        role.save(update_fields=["permissions"])


@pytest.fixture
def import_perms(people):
    grant(*IMPORT_PERMS, *LEDGER_EXPORT_PERMS)
    grant(*SCHOOL_STAFF_PERMS, roles=("school_security_chief",))
    return people


@pytest.fixture
def schools_ab(city):
    a = services.school_register(
        organization=city.school_a,
        school_code=CODE_A,
        level="primary",
        locality="urban",
        students=800,
        staff=60,
    )
    b = services.school_register(
        organization=city.school_b,
        school_code=CODE_B,
        level="junior",
        locality="town",
        students=1200,
        staff=90,
    )
    return SimpleNamespace(a=a, b=b)


def xlsx_bytes(headers, rows, *, title_rows=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in title_rows:
        ws.append(list(row))
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, *, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


GUARD_HEADERS = [
    "学校标识码",
    "姓名",
    "身份证号",
    "手机号",
    "保安员证号",
    "证件有效期至",
    "专职",
    "状态",
]


def guard_row(serial: int, code: str = CODE_A, **overrides) -> list:
    row = {
        "学校标识码": code,
        "姓名": f"保安{serial}",
        "身份证号": make_id_number(serial),
        "手机号": f"138{serial:08d}",
        "保安员证号": f"BA{serial:06d}",
        "证件有效期至": "2028-12-31",
        "专职": "是",
        "状态": "在岗",
    }
    row.update(overrides)
    return [row[h] for h in GUARD_HEADERS]


SCHOOL_HEADERS = [
    "学校名称",
    "学校标识码",
    "单位代码",
    "行政区划代码",
    "学段",
    "城乡类型",
    "学生人数",
    "教职工人数",
    "经度",
    "纬度",
    "所属派出所",
    "主管教育局",
]


def school_row(n: int, station: str = "T-STA-A", **overrides) -> list:
    row = {
        "学校名称": f"测试第{n}小学",
        "学校标识码": f"53011120{n:02d}",
        "单位代码": f"T-NEW-{n:02d}",
        "行政区划代码": "530111",
        "学段": "小学",
        "城乡类型": "城区",
        "学生人数": 500 + n,
        "教职工人数": 40,
        "经度": 102.7 + n / 1000,
        "纬度": 25.04,
        "所属派出所": station,
        "主管教育局": "T-EDU-A",
    }
    row.update(overrides)
    return [row[h] for h in SCHOOL_HEADERS]
