"""The audit export (issue 14, item 4): a CSV streamed as the rows are read, an .xlsx written
in write-only mode; both labelled like the page and costing the same queries for any number
of rows."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import audit, services
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.models import AuditRecord


def _hazard_moved():
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.UPDATE,
        object_type="inspections.hazard",
        object_id="7",
        object_repr='=HYPERLINK("http://x","点我")',
        before={"state": "rectifying"},
        after={"state": "awaiting_recheck"},
    )


def _csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_the_csv_export_streams_and_reads_back_with_labels(client_for):
    _hazard_moved()
    response = client_for("auditor").get(
        reverse("core:audit_export"), {"format": "csv", "object_type": "隐患"}
    )
    header, *body = _csv_rows(response)
    assert header[:3] == ["序号", "时间", "类别"]
    (row,) = body
    assert row[header.index("对象类型")] == "隐患"
    assert row[header.index("对象类型代码")] == "inspections.hazard"
    assert row[header.index("变更内容")] == "状态：整改中 → 待复查"
    assert row[header.index("变更后（原始）")] == '{"state": "awaiting_recheck"}'
    # a text a spreadsheet would run stays text
    assert row[header.index("对象")].startswith("'=HYPERLINK")


def test_the_csv_export_is_recorded_and_leaves_its_own_record_out(client_for, people):
    client = client_for("auditor")
    before = AuditRecord.objects.count()
    header, *body = _csv_rows(client.get(reverse("core:audit_export"), {"format": "csv"}))
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.actor_id == people.auditor.pk and record.object_type == "core.auditrecord"
    assert record.after == {"count": before, "filters": {"format": "csv"}}
    assert len(body) == before
    assert str(record.seq) not in {r[0] for r in body}


def test_the_xlsx_export_has_the_same_labels(client_for, people):
    services.token_create(user=people.chief, name="对接令牌", expires_at=None)
    rows = _xlsx_rows(
        client_for("auditor").get(reverse("core:audit_export"), {"object_type": "core.apitoken"})
    )
    header, body = rows[0], rows[1:]
    changes = body[0][header.index("变更内容")]
    assert f"用户：用户 {people.chief.display_name}（#{people.chief.pk}）" in changes
    assert body[0][header.index("对象类型")] == "API令牌"
    assert body[0][header.index("来源")] in {"网页", "系统"}


def _add(city, n: int, start: int) -> None:
    for i in range(start, start + n):
        services.organization_create(
            kind=OrgKind.STATION,
            name=f"导出站{i}",
            code=f"E-{i}",
            division_code="530111",
            parent=city.sub_bureau,
        )


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("core:audit_export"), query)
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)
        else:
            assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_exports_cost_the_same_queries_for_few_and_many_rows(client_for, city):
    client = client_for("auditor")
    _add(city, 2, 0)
    client.get(reverse("core:audit_export"))  # warm caches outside the measurement
    few = {fmt: _queries(client, {"format": fmt}) for fmt in ("xlsx", "csv")}
    _add(city, 80, 2)  # each new station names its parent: related names to read
    many = {fmt: _queries(client, {"format": fmt}) for fmt in ("xlsx", "csv")}
    assert few == many
