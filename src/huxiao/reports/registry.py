"""What statistics and reports bring (统计与报告, issue 15): the figure table of a jurisdiction
and period, the dashboards and the big screen, and the documents written from the figures.

Nothing here counts anything: every number is a figure registered by the module that owns
its records (``core.modules.Figure``), read through ``huxiao.reports.figures``.
"""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

DASHBOARD = ("reports.view_dashboard",)
BIGSCREEN = ("reports.view_bigscreen",)
# 报告文书: ask for a document and read those of the scope; the work report and the reply
# letter need their own permission; a school's security chief writes its own 整改报告 only.
DOCUMENTS = ("reports.add_generatedreport", "reports.view_generatedreport")
WORK_REPORT = ("reports.generate_work_report",)
REPLY_LETTER = ("reports.issue_reply_letter",)
TEMPLATES = ("reports.view_reporttemplate", "reports.change_reporttemplate")

MODULE = Module(
    label="reports",
    name=_("统计与报告"),
    urls="huxiao.reports.urls",
    url_prefix="reports/",
    api=("huxiao.reports.api.router", "huxiao.reports.api_documents.router"),
    menu=(
        MenuEntry(
            _("统计看板"),
            "reports:dashboard",
            "speedometer2",
            "reports.view_dashboard",
            covers=("reports:dashboard*",),
            order=20,
        ),
        MenuEntry(
            _("指挥大屏"),
            "reports:bigscreen",
            "display",
            "reports.view_bigscreen",
            covers=("reports:bigscreen*",),
            order=22,
        ),
        MenuEntry(
            _("指标统计"),
            "reports:figure_table",
            "table",
            "reports.view_dashboard",
            covers=("reports:figure_*",),
            order=24,
        ),
        MenuEntry(
            _("报告文书"),
            "reports:document_list",
            "file-earmark-word",
            "reports.view_generatedreport",
            covers=("reports:document_*", "reports:template_*"),
            order=26,
        ),
    ),
    permissions={
        "commander": (*DASHBOARD, *BIGSCREEN, *DOCUMENTS, *WORK_REPORT, *REPLY_LETTER, *TEMPLATES),
        "officer": (*DASHBOARD, *BIGSCREEN, *DOCUMENTS, *WORK_REPORT, *TEMPLATES),
        "community_officer": DASHBOARD,
        "legal_vice_principal": DASHBOARD,
        "education_officer": (
            *DASHBOARD,
            *BIGSCREEN,
            *DOCUMENTS,
            *WORK_REPORT,
            *REPLY_LETTER,
            *TEMPLATES,
        ),
        "school_security_chief": (*DASHBOARD, *DOCUMENTS),
    },
    demo=(
        DemoStep(
            "reports",
            "huxiao.demo.reports.step_reports",
            after=("inspections", "persons", "patrols"),
        ),
    ),
    permission_labels={
        "reports.view_dashboard": _("查看统计看板"),
        "reports.view_bigscreen": _("查看指挥大屏"),
        "reports.generate_work_report": _("生成工作情况报告"),
        "reports.issue_reply_letter": _("签发答复函"),
    },
    tasks=("huxiao.reports.tasks",),
)
