"""The documents written from the figures (工作情况报告, 答复函, 整改报告) as GB/T 9704 .docx.

``write(report)`` reads only what the ``GeneratedReport`` keeps (its planned parts, the
figures' values, the context, the number and the 成文日期), so writing it again gives the
same bytes; ``services_documents`` plans and computes them.
"""

from __future__ import annotations

from huxiao.reports.documents import rectification_report, reply_letter, work_report
from huxiao.reports.documents.parts import default_body, keys, plan  # noqa: F401
from huxiao.reports.models import ReportKind

WRITERS = {
    ReportKind.WORK_REPORT.value: work_report.write,
    ReportKind.REPLY_LETTER.value: reply_letter.write,
    ReportKind.RECTIFICATION_REPORT.value: rectification_report.write,
}


def write(report) -> bytes:
    return WRITERS[report.kind](report)


def filename(report) -> str:
    from huxiao.core.documents import _safe_name

    name = report.number or f"{report.title}-{report.issue_date:%Y%m%d}-{report.pk}"
    return _safe_name(f"{report.get_kind_display()}-{name}") + ".docx"
