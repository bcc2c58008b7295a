"""The bulk path (large files) writes exactly what the services path writes, encrypts the
personal data through the model fields, and leaves one audit record for the import."""

from __future__ import annotations

import pytest

from huxiao.core import crypto
from huxiao.core.audit import verify_chain
from huxiao.core.models import AuditRecord
from huxiao.schools.imports import commit, get_ledger
from huxiao.schools.models import Device, EquipmentStock, Guard
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_A,
    CODE_B,
    GUARD_HEADERS,
    guard_row,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures

pytestmark = pytest.mark.django_db

FIELDS = (
    "school_id",
    "name",
    "id_number",
    "id_number_index",
    "birth_date",
    "phone",
    "certificate_number",
    "certificate_valid_until",
    "training_date",
    "employer",
    "is_full_time",
    "status",
)


def _state():
    return sorted(tuple(getattr(g, f) for f in FIELDS) for g in Guard.objects.all())


def _guards(n, **overrides):
    return xlsx_bytes(
        GUARD_HEADERS,
        [guard_row(i, code=CODE_A if i % 3 else CODE_B, **overrides) for i in range(n)],
    )


def test_it_writes_the_same_guards_in_bulk_as_through_the_services(schools_ab):
    data = _guards(40)
    assert commit(get_ledger("guards"), data, "g.xlsx", bulk=False).ok
    one_by_one = _state()
    Guard.objects.all().delete()
    outcome = commit(get_ledger("guards"), data, "g.xlsx", bulk=True)
    assert outcome.ok and outcome.result["bulk"] and outcome.result["created"] == 40
    assert _state() == one_by_one


def test_it_stores_id_numbers_encrypted_with_a_working_blind_index(schools_ab):
    from django.db import connection

    assert commit(get_ledger("guards"), _guards(3), "g.xlsx", bulk=True).ok
    guard = Guard.objects.order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM schools_guard WHERE id = %s", [guard.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert raw_id.startswith("v1:") and guard.id_number not in raw_id
    assert raw_phone.startswith("v1:")
    assert Guard.objects.get(id_number_index=crypto.blind_index(guard.id_number)) == guard


def test_it_writes_one_audit_record_for_a_bulk_import_and_keeps_the_chain(schools_ab):
    before = AuditRecord.objects.count()
    assert commit(get_ledger("guards"), _guards(30), "大名单.xlsx", bulk=True).ok
    records = list(AuditRecord.objects.filter(seq__gt=before).order_by("seq"))
    assert len(records) == 1
    record = records[0]
    assert record.object_type == "schools.guard" and record.object_repr == "导入 30 条"
    assert record.after["file"] == "大名单.xlsx" and record.after["rows"] == 30
    assert verify_chain().ok


def test_it_updates_in_bulk_only_what_changed(schools_ab):
    assert commit(get_ledger("guards"), _guards(10), "g.xlsx", bulk=True).ok
    outcome = commit(get_ledger("guards"), _guards(10, 所属保安公司=""), "g.xlsx", bulk=True)
    assert outcome.result == {
        "created": 0,
        "updated": 0,
        "unchanged": 10,
        "bulk": True,
        "rows": 10,
    }
    data = xlsx_bytes(
        GUARD_HEADERS,
        [
            guard_row(i, code=CODE_A if i % 3 else CODE_B, 状态="离职" if i < 4 else "在岗")
            for i in range(10)
        ],
    )
    outcome = commit(get_ledger("guards"), data, "g.xlsx", bulk=True)
    assert (outcome.result["updated"], outcome.result["unchanged"]) == (4, 6)
    assert Guard.objects.filter(status="left").count() == 4
    assert Guard.objects.count() == 10


def test_it_writes_devices_and_equipment_in_bulk_like_the_services(schools_ab):
    headers = ["学校标识码", "类型", "名称", "录像保存天数", "联网公安"]
    rows = [[CODE_A, "视频监控", f"摄像机{i}", 30, "是"] for i in range(5)]
    rows += [[CODE_A, "一键式紧急报警", "", "", "是"], [CODE_A, "一键式紧急报警", "", "", "否"]]
    data = xlsx_bytes(headers, rows)
    fields = ("school_id", "kind", "name", "retention_days", "networked_police", "is_online")
    assert commit(get_ledger("devices"), data, "d.xlsx", bulk=False).ok
    services_state = sorted(Device.objects.values_list(*fields))
    Device.objects.all().delete()
    assert commit(get_ledger("devices"), data, "d.xlsx", bulk=True).ok
    assert sorted(Device.objects.values_list(*fields)) == services_state
    # a second import of the same file matches every device, unnamed ones included
    outcome = commit(get_ledger("devices"), data, "d.xlsx", bulk=True)
    assert outcome.result["created"] == 0 and Device.objects.count() == 7

    data = xlsx_bytes(["学校标识码", "装备", "数量"], [[CODE_A, "头盔", 2], [CODE_B, "盾牌", 1]])
    assert commit(get_ledger("equipment"), data, "e.xlsx", bulk=True).ok
    data = xlsx_bytes(["学校标识码", "装备", "数量"], [[CODE_A, "头盔", 5]])
    assert commit(get_ledger("equipment"), data, "e.xlsx", bulk=True).result["updated"] == 1
    assert dict(EquipmentStock.objects.values_list("item", "quantity")) == {
        "helmet": 5,
        "shield": 1,
    }
