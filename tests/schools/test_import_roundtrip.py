"""An export re-imports unchanged: every ledger's export, imported again, changes nothing
(no change-log entry), and into an empty ledger recreates the same records."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from huxiao.core.audit import snapshot
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import AuditRecord, Organization
from huxiao.schools import services
from huxiao.schools.imports import commit, get_ledger
from huxiao.schools.models import Device, EquipmentStock, Guard, School
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import make_id_number

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_ledgers(schools_ab, city):
    a, b = schools_ab.a, schools_ab.b
    services.school_update(
        school=a,
        is_boarding=True,
        boarders=120,
        principal_name="李校长",
        principal_phone="0871-65551234",
        security_chief_name="王主任",
        security_chief_phone="13912345678",
        closed_management=True,
        wall_compliant=True,
        anti_collision=["rising_bollard", "barrier"],
        duty_24h=True,
        is_pilot=True,
        longitude="102.712345",
        latitude="25.041234",
        address="学府路1号",
        ownership="private",
    )
    for i, school in enumerate((a, b, a)):
        services.guard_create(
            school=school,
            name=f"保安{i}",
            id_number=make_id_number(i, born=dt.date(1970 + i, 2, 3)),
            phone=f"1380000000{i}",
            certificate_number=f"BA{i}",
            certificate_valid_until=dt.date(2027, 5, 1),
            training_date=dt.date(2025, 9, 1),
            employer="某保安公司",
            is_full_time=i != 2,
            status=["on_duty", "leave", "left"][i],
        )
    services.device_create(
        school=a,
        kind="camera",
        name="校门",
        area="校门口",
        retention_days=30,
        networked_police=True,
    )
    services.device_create(school=a, kind="one_key_alarm", networked_police=True)
    services.device_create(school=a, kind="one_key_alarm", is_online=False)
    services.device_create(school=b, kind="access_control", name="东门")
    services.equipment_set(school=a, item="helmet", quantity=4)
    services.equipment_set(school=b, item="steel_fork", quantity=0)
    return a, b


def _state(model):
    return sorted(
        (
            tuple(
                sorted(
                    (k, str(v))
                    for k, v in snapshot(obj).items()
                    if k not in ("id", "created_at", "updated_at")
                )
            )
            for obj in model.objects.all()
        ),
    )


def _export(client, key) -> bytes:
    response = client.get(f"/schools/import/export/{key}/")
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize(
    ("key", "models"),
    [
        ("schools", (School, Organization)),
        ("guards", (Guard,)),
        ("devices", (Device,)),
        ("equipment", (EquipmentStock,)),
    ],
)
def test_it_reimports_an_export_without_changing_anything(
    full_ledgers, import_perms, client_for, key, models, bulk
):
    content = _export(client_for("admin"), key)
    before = {m: _state(m) for m in models}
    last = AuditRecord.objects.order_by("-seq").first().seq
    outcome = commit(get_ledger(key), content, "导出.xlsx", bulk=bulk and key != "schools")
    assert outcome.ok, outcome.plan.errors
    assert (outcome.result["created"], outcome.result["updated"]) == (0, 0)
    assert outcome.result["unchanged"] == outcome.result["rows"]
    assert {m: _state(m) for m in models} == before
    changes = AuditRecord.objects.filter(seq__gt=last, kind=AuditKind.CHANGE)
    if bulk and key != "schools":  # the bulk path records the import itself, once
        assert list(changes.values_list("object_repr", flat=True)) == [
            f"导入 {outcome.result['rows']} 条"
        ]
    else:
        assert not changes.exists(), list(changes.values("object_type", "before", "after"))


@pytest.mark.parametrize("key", ["guards", "devices", "equipment"])
def test_it_recreates_the_same_records_from_an_export_into_an_empty_ledger(
    full_ledgers, import_perms, client_for, key
):
    ledger = get_ledger(key)
    model = {"guards": Guard, "devices": Device, "equipment": EquipmentStock}[key]
    content = _export(client_for("admin"), key)
    before = _state(model)
    model.objects.all().delete()
    outcome = commit(ledger, content, "导出.xlsx")
    assert outcome.ok and outcome.result["created"] == len(before)
    assert _state(model) == before


def test_it_exports_in_the_import_layout_with_personal_data_named_in_the_title(
    full_ledgers, import_perms, client_for
):
    client = client_for("admin")
    book = openpyxl.load_workbook(io.BytesIO(_export(client, "guards")))
    sheet = book.worksheets[0]
    assert "含个人信息" in sheet.title
    assert [c.value for c in sheet[1]] == get_ledger("guards").headers
    assert (
        sheet.cell(2, 3).value
        == Guard.objects.order_by("school__school_code", "name").first().id_number
    )
    record = AuditRecord.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert record.object_type == "schools.guard" and record.after["count"] == 3
    assert record.after["filters"] == {"ledger": "guards", "unmasked": True}


def test_it_exports_only_what_the_user_may_see(full_ledgers, import_perms, client_for):
    book = openpyxl.load_workbook(io.BytesIO(_export(client_for("chief"), "guards")))
    codes = {row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert codes == {fx.CODE_A}


def test_it_refuses_the_ledger_export_without_the_change_permission(
    full_ledgers, people, client_for
):
    fx.grant("schools.add_guard")  # may import …
    fx.revoke("schools.change_guard")  # … but not read the ledger back in clear
    assert client_for("officer_a").get("/schools/import/export/guards/").status_code == 403


def test_it_exports_text_that_looks_like_a_formula_as_text(schools_ab, import_perms, client_for):
    services.device_create(school=schools_ab.a, kind="camera", name='=HYPERLINK("http://x")')
    content = _export(client_for("admin"), "devices")
    cell = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].cell(2, 3)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert commit(get_ledger("devices"), content, "d.xlsx").result["unchanged"] == 1
