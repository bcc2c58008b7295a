"""What statistics and reports bring (统计与报告, issue 15): the figure table of a jurisdiction
and period, the dashboards and the big screen, and the documents written from the figures.

Nothing here counts anything: every number is a figure registered by the module that owns
its records (``core.modules.Figure``), read through ``huxiao.reports.figures``.
"""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import MenuEntry, Module

DASHBOARD = ("reports.view_dashboard",)
BIGSCREEN = ("reports.view_bigscreen",)

MODULE = Module(
    label="reports",
    name=_("统计与报告"),
    urls="huxiao.reports.urls",
    url_prefix="reports/",
    api=("huxiao.reports.api.router",),
    menu=(
        MenuEntry(
            _("指标统计"),
            "reports:figure_table",
            "table",
            "reports.view_dashboard",
            covers=("reports:figure_*",),
            order=24,
        ),
    ),
    permissions={
        "commander": (*DASHBOARD, *BIGSCREEN),
        "officer": (*DASHBOARD, *BIGSCREEN),
        "community_officer": DASHBOARD,
        "legal_vice_principal": DASHBOARD,
        "education_officer": (*DASHBOARD, *BIGSCREEN),
        "school_security_chief": DASHBOARD,
    },
    permission_labels={
        "reports.view_dashboard": _("查看统计看板"),
        "reports.view_bigscreen": _("查看指挥大屏"),
    },
)
