"""``/api/v1/reports/documents`` and ``/api/v1/reports/templates/{kind}``: ask for a document
(id and status), read its status and figures, download it, write it again and compare; read
and change a template (a new version; an unknown placeholder is a 400 naming it, nothing
saved). Out of scope reads exactly as missing (404)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from huxiao.core.models import AuditRecord
from huxiao.reports import figures
from huxiao.reports.models import GeneratedReport, ReportTemplate
from tests.reports.docx_support import last_month, read, text

# The demo's own documents (its "reports" step) would count among these tests'.
pytestmark = pytest.mark.usefixtures("without_demo_reports")

DOCS = "/api/v1/reports/documents"
TEMPLATES = "/api/v1/reports/templates"


def _post(client, on_commit, **payload):
    with on_commit(execute=True):
        return client.post(DOCS, payload, content_type="application/json")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_a_work_report_asked_for_read_and_downloaded(demo, on_commit):
    officer = demo.user("officer01")
    client = demo.client("officer01")
    period = last_month(timezone.localdate())
    response = _post(
        client, on_commit, kind="work_report", start=str(period.start), end=str(period.end)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # The answer is the queued request; the task ran when its transaction committed.
    assert body["status"] == "queued" and body["progress"] == 0
    detail = client.get(f"{DOCS}/{body['id']}").json()
    assert detail["status"] == "done" and detail["progress"] == 100
    assert detail["org_id"] == officer.organization_id and detail["requested_by"] == "officer01"
    assert detail["template_version"] is None and len(detail["sha256"]) == 64
    dashboard = figures.by_code(
        figures.values(user=officer, org=officer.organization, period=period)
    )
    assert detail["figures"]
    for code, entry in detail["figures"].items():
        assert entry["value"] == dashboard[code].value, code
    download = client.get(f"{DOCS}/{body['id']}/download")
    assert download.status_code == 200
    assert "工作情况" in text(read(download.content))
    assert AuditRecord.objects.filter(
        object_type="reports.generatedreport", action="export", actor=officer
    ).exists()
    listed = client.get(DOCS).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    again = client.post(f"{DOCS}/{body['id']}/reproduce").json()
    assert again["matches"] and again["sha256"] == detail["sha256"]


def test_bad_requests_are_400_in_chinese_and_nothing_is_kept(demo, on_commit):
    client = demo.client("commander")
    other = demo.user("officer01").organization
    cases = [
        ({"kind": "memo"}, "未知的文书类型"),
        ({"kind": "work_report", "start": "2026-13-01"}, "不是有效日期"),
        ({"kind": "work_report", "org": 999_999}, "不在您的数据范围内"),
        ({"kind": "reply_letter", "params": {"category": "〔A类〕"}}, "请选择公开属性"),
    ]
    for payload, message in cases:
        response = _post(client, on_commit, **payload)
        assert response.status_code == 400, payload
        assert message in response.json()["detail"], response.json()
    # An organisation of another jurisdiction reads as a missing one.
    response = _post(demo.client("officer02"), on_commit, kind="work_report", org=other.pk)
    assert response.status_code == 400 and "不在您的数据范围内" in response.json()["detail"]
    assert not GeneratedReport.objects.exists()


def test_kinds_follow_the_roles(demo, on_commit):
    assert _post(demo.client("officer01"), on_commit, kind="reply_letter").status_code == 403
    assert _post(demo.client("school01"), on_commit, kind="work_report").status_code == 403
    assert _post(demo.client("guard01"), on_commit, kind="rectification_report").status_code == 403


def test_a_document_outside_the_scope_reads_as_missing(demo, on_commit):
    response = _post(demo.client("officer01"), on_commit, kind="work_report")
    pk = response.json()["id"]
    other = demo.client("officer02")
    for suffix, method in (("", "get"), ("/download", "get"), ("/reproduce", "post")):
        outside = getattr(other, method)(f"{DOCS}/{pk}{suffix}")
        missing = getattr(other, method)(f"{DOCS}/{pk + 10_000}{suffix}")
        assert outside.status_code == missing.status_code == 404, suffix
        assert outside.json() == missing.json()
    listed = other.get(DOCS)
    assert listed.json()["items"] == [], listed.content


def test_a_template_read_and_changed(demo):
    officer = demo.user("officer01")
    client = demo.client("officer01")
    current = client.get(f"{TEMPLATES}/work_report").json()
    assert current["is_default"] and current["version"] is None
    assert "重点人员滚动排查" in current["parts"] and "统计期间" in current["context_names"]
    body = current["body"].replace("出动警力", "共出动警力")
    response = client.put(
        f"{TEMPLATES}/work_report", {"body": body, "note": "措辞"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1 and response.json()["body"] == body
    refused = client.put(
        f"{TEMPLATES}/work_report",
        {"body": body + "\n{inspections.nope}{单位"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert "未知的占位符：{inspections.nope}" in detail and "花括号不配对" in detail
    assert list(
        ReportTemplate.objects.filter(organization=officer.organization).values_list(
            "version", flat=True
        )
    ) == [1]


def test_another_jurisdictions_template_reads_as_missing(demo):
    station = demo.user("officer01").organization
    client = demo.client("officer02")
    for org in (station.pk, 999_999):
        url = f"{TEMPLATES}/work_report?org={org}"
        assert client.get(url).status_code == 404, org
        put = client.put(url, {"body": "# 导语\n文字"}, content_type="application/json")
        assert put.status_code == 404, org
    assert not ReportTemplate.objects.exists()
    assert demo.client("guard01").get(f"{TEMPLATES}/work_report").status_code == 403
    assert (
        demo.client("school01")
        .put(f"{TEMPLATES}/work_report", {"body": "# 导语\n文字"}, content_type="application/json")
        .status_code
        == 403
    )


def test_without_a_session(client):
    assert client.get(DOCS).status_code == 401
    assert client.get(f"{TEMPLATES}/work_report").status_code == 401
