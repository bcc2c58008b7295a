"""The demo city opens 报告文书 on documents written from its own records: the city bureau's
整改报告 over the spring campaign reads like seed 004, and its numbers are the figures of the
demo's inspections and screening batches in that period."""

from __future__ import annotations

from huxiao.core.modules import Period
from huxiao.reports import figures
from huxiao.reports.models import GeneratedReport, ReportKind, ReportStatus
from tests.reports.docx_support import read, text


def test_the_demo_keeps_four_finished_documents(demo):
    reports = list(GeneratedReport.objects.order_by("id"))
    assert [r.kind for r in reports] == [ReportKind.RECTIFICATION_REPORT] + [
        ReportKind.WORK_REPORT
    ] * 3
    assert all(r.status == ReportStatus.DONE and len(r.sha256) == 64 for r in reports)
    assert [r.requested_by.username for r in reports] == [
        "commander",
        "commander",
        "edu01",
        "officer01",
    ]


def test_the_spring_campaign_report_reads_like_seed_004_from_the_records(demo):
    report = GeneratedReport.objects.get(kind=ReportKind.RECTIFICATION_REPORT)
    body = text(read(report.content))
    assert body.strip().startswith("关于第七期“阳光政务”电视节目反映问题的整改报告")
    assert "第七期“阳光政务”电视节目反映问题办理工作的通知收悉" in body
    assert "市纠风办：" in body and "关于幼儿园安全" in body
    for heading in ("领导重视", "逐校逐园", "重点人员滚动排查", "巡逻防控"):
        assert heading in body, heading
    commander = demo.user("commander")
    period = Period(report.period_start, report.period_end)
    found = figures.by_code(
        figures.values(user=commander, org=commander.organization, period=period)
    )
    assert f"出动警力{found['inspections.person_times'].value}人次" in body
    assert found["persons.screened"].value == 318
    assert "已排查重点人员318人" in body
    assert f"检查{found['inspections.inspections'].value}次" in body


def test_the_education_bureaus_report_has_no_police_only_part(demo):
    report = GeneratedReport.objects.get(requested_by__username="edu01")
    body = text(read(report.content))
    assert "重点人员" not in body
    assert "逐校逐园" in body
