"""工作情况报告 (WorkReport): a jurisdiction's work over a period, for its superior, in the
parts of seed 004 — 一、领导重视与部署 二、逐校逐园检查 三、重点人员滚动排查 (police only)
四、巡逻防控 — each figure computed (``huxiao.reports.figures``), the words a template's.

The parts are registered here for the work report and the 整改报告 (seed 004 is both); a
module added later registers its own (``parts.register``) with the figures it needs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from huxiao.core.documents import OfficialDocument
from huxiao.reports.documents import common, templates_text
from huxiao.reports.documents.parts import Part, register
from huxiao.reports.models import ReportKind

WORK, RECT = ReportKind.WORK_REPORT.value, ReportKind.RECTIFICATION_REPORT.value
BOTH = (WORK, RECT)

register(
    Part(
        "导语",
        BOTH,
        0,
        heading=False,
        defaults={WORK: templates_text.INTRO_WORK, RECT: templates_text.INTRO_RECTIFICATION},
    )
)
register(
    Part(
        "领导重视与部署",
        BOTH,
        10,
        defaults={WORK: templates_text.LEADERSHIP, RECT: templates_text.LEADERSHIP},
    )
)
register(
    Part(
        "逐校逐园检查",
        BOTH,
        20,
        codes=("inspections.inspections", "inspections.person_times"),
        defaults={WORK: templates_text.INSPECTIONS, RECT: templates_text.INSPECTIONS},
    )
)
register(
    Part(
        "重点人员滚动排查",
        BOTH,
        30,
        codes=("persons.screened", "persons.listed"),
        defaults={WORK: templates_text.PERSONS, RECT: templates_text.PERSONS},
    )
)
register(
    Part(
        "巡逻防控",
        BOTH,
        40,
        codes=("patrols.patrols",),
        defaults={WORK: templates_text.PATROLS, RECT: templates_text.PATROLS},
    )
)
register(
    Part(
        "结束语",
        BOTH,
        90,
        heading=False,
        defaults={WORK: templates_text.CLOSING_WORK, RECT: templates_text.CLOSING_RECTIFICATION},
    )
)


def title(context: dict) -> str:
    return _("关于%(org)s%(period)s“护校安园”工作情况的报告") % {
        "org": context["单位"],
        "period": context["统计期间"],
    }


def write(report) -> bytes:
    org_name = report.params["org_name"]
    doc = OfficialDocument(title=report.title, author=org_name, day=report.issue_date)
    doc.title(report.title)
    addressee = report.params.get("addressee")
    if addressee:
        doc.addressees([addressee])
    common.write_parts(doc, report)
    return common.finish(doc, report)
