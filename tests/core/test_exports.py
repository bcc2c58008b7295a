"""Excel exports: the filtered list, within scope, masked, and recorded in the audit trail."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import services
from huxiao.core.exports import XLSX_CONTENT_TYPE, build_workbook
from huxiao.core.models import AuditRecord


def read_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_only_the_organisations_in_scope(client_for):
    rows = read_rows(client_for("officer_a").get(reverse("core:organization_export")))
    assert rows[0][:3] == ["名称", "类型", "单位代码"]
    assert sorted(r[0] for r in rows[1:]) == ["甲小学", "甲派出所"]


def test_it_exports_the_same_filtered_list_as_the_page(client_for):
    rows = read_rows(
        client_for("commander").get(
            reverse("core:organization_export"), {"kind": "school", "page": "2"}
        )
    )
    assert sorted(r[0] for r in rows[1:]) == ["乙中学", "甲小学"]
    assert {r[1] for r in rows[1:]} == {"学校"}


def test_it_records_the_export_in_the_audit_trail(client_for, people):
    client_for("commander").get(reverse("core:organization_export"), {"kind": "school"})
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.kind == "access"
    assert record.actor_id == people.commander.pk
    assert record.object_type == "core.organization"
    assert record.after == {"count": 2, "filters": {"kind": "school"}}


def test_it_masks_phones_in_the_user_export(client_for, people):
    services.user_update_profile(user=people.chief, full_name="赵主任", phone="13612345678")
    rows = read_rows(client_for("officer_a").get(reverse("core:user_export")))
    header, body = rows[0], rows[1:]
    phone_col = header.index("手机号")
    assert sorted(r[0] for r in body) == ["chief", "guard", "officer_a", "volunteer"]
    chief = next(r for r in body if r[0] == "chief")
    assert chief[phone_col] == "136****5678"
    assert all("13612345678" not in str(cell) for row in rows for cell in row)


def test_it_exports_the_audit_trail_for_the_auditor(client_for):
    rows = read_rows(client_for("auditor").get(reverse("core:audit_export"), {"kind": "change"}))
    assert rows[0][0] == "序号"
    assert len(rows) > 1
    assert {r[2] for r in rows[1:]} == {"数据变更"}


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("volunteer", "core:organization_export"),
        ("guard", "core:user_export"),
        ("commander", "core:audit_export"),
    ],
)
def test_it_refuses_exports_without_the_permission(client_for, who, name):
    assert client_for(who).get(reverse(name)).status_code == 403
    assert not AuditRecord.objects.filter(action="export").exists()


def test_it_writes_dates_and_booleans_readably():
    import datetime as dt

    from django.utils import timezone

    when = timezone.make_aware(dt.datetime(2026, 3, 1, 8, 30))
    content, count = build_workbook(title="t", headers=["a", "b", "c"], rows=[[when, True, None]])
    assert count == 1
    row = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))[0]
    assert row[0] == dt.datetime(2026, 3, 1, 8, 30)
    assert row[1] == "是"
    assert row[2] is None


def test_text_that_looks_like_a_formula_stays_text(client_for, people):
    import io

    import openpyxl

    from huxiao.core import services

    services.user_update_profile(
        user=people.officer_a, full_name='=HYPERLINK("http://x","点我")', phone=""
    )
    response = client_for("admin").get("/users/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [
        c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith("=HYPERLINK")
    ]
    assert cells and all(c.data_type == "s" for c in cells)
