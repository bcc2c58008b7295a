"""整改报告 to a superior or a 纠风办 (seed 004): the issue raised, what was done (the parts of
the work report, figures computed), the next steps; the school's own report of its hazards'
rectification is ``inspections``' (RectificationReport), this one answers an issue raised."""

from __future__ import annotations

from django.utils.translation import gettext as _

from huxiao.core.documents import OfficialDocument
from huxiao.reports.documents import common


def title(params: dict) -> str:
    return _("关于%(source)s反映问题的整改报告") % {"source": params["source"]}


def write(report) -> bytes:
    org_name = report.params["org_name"]
    doc = OfficialDocument(title=report.title, author=org_name, day=report.issue_date)
    doc.title(report.title)
    doc.addressees([report.params["addressee"]])
    common.write_parts(doc, report)
    return common.finish(doc, report)
