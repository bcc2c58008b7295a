"""Demo step "reports": documents written from the demo's own records, so that 报告文书 opens
on something real.

- the city bureau's 整改报告 to the 市纠风办 over the previous campaign's placed period (开学安全
  大检查), after seed 004: its 出动警力, 已排查重点人员 and patrol figures are the figures of
  the demo's inspections, screening batches and check-ins in that period;
- last month's 工作情况报告 of the city bureau (commander), of the district education bureau
  (edu01: no police-only part) and of station 01 (officer01).

Each goes through the reports services (``report_request``) and is written at once
(``report_generate``), so the list shows them finished; the task that the request queued
finds them done and does nothing.
"""

from __future__ import annotations

from huxiao.core.modules import Period
from huxiao.demo.timeline import PREVIOUS
from huxiao.reports import periods
from huxiao.reports.models import GeneratedReport, ReportKind
from huxiao.reports.services_documents import report_generate, report_request

RECTIFICATION = {
    "addressee": "市纠风办",
    "source": "第七期“阳光政务”电视节目",
    "issue": "关于幼儿园安全",
}
WORK_REPORTS = ("commander", "edu01", "officer01")


def step_reports(ctx) -> None:
    existing = GeneratedReport.objects.count()
    if existing:
        ctx.count_existing("报告文书", existing)
        return
    commander = ctx.users.get("commander")
    campaign = ctx.timeline.campaign(PREVIOUS)
    requests = [
        (
            commander,
            ReportKind.RECTIFICATION_REPORT,
            Period(campaign.start, campaign.end),
            RECTIFICATION,
        )
    ]
    last_month = periods.preset("last_month", ctx.today)
    for username in WORK_REPORTS:
        user = ctx.users.get(username)
        if user is not None:
            requests.append((user, ReportKind.WORK_REPORT, last_month, {}))
    for user, kind, period, params in requests:
        if user is None:
            continue
        report = report_request(
            actor=user,
            kind=kind,
            organization=user.organization,
            period=period,
            params=params,
        )
        report_generate(report_id=report.pk)
        ctx.count_created("报告文书")
