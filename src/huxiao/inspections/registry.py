"""What the inspections module brings: campaigns, inspections, hazards and the rectification loop."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, MenuEntry, Module

INSPECTIONS_VIEW = (
    "inspections.view_campaign",
    "inspections.view_checklisttemplate",
    "inspections.view_inspection",
    "inspections.view_hazard",
    "inspections.view_rectificationnotice",
    "inspections.view_escalation",
)

INSPECTIONS_INSPECT = (
    "inspections.add_inspection",
    "inspections.change_inspection",
    "inspections.add_hazard",
    "inspections.change_hazard",
)

INSPECTIONS_POLICE = (
    *INSPECTIONS_INSPECT,
    "inspections.add_campaign",
    "inspections.change_campaign",
    "inspections.recheck_hazard",
    "inspections.add_rectificationnotice",
)

INSPECTIONS_SCHOOL = (
    "inspections.view_hazard",
    "inspections.view_rectificationnotice",
    "inspections.view_inspection",
    "inspections.view_campaign",
    "inspections.view_checklisttemplate",
    "inspections.add_hazard",
    "inspections.rectify_hazard",
)

MODULE = Module(
    label="inspections",
    name=_("隐患排查整改"),
    urls="huxiao.inspections.urls",
    url_prefix="inspections/",
    api=("huxiao.inspections.api.router",),
    menu=(
        MenuEntry(
            _("检查"),
            "inspections:campaign_list",
            "clipboard-check",
            "inspections.view_campaign",
            covers=(
                "inspections:campaign_*",
                "inspections:checklist_*",
                "inspections:inspection_*",
            ),
            order=200,
        ),
        MenuEntry(
            _("隐患整改"),
            "inspections:hazard_list",
            "exclamation-triangle",
            "inspections.view_hazard",
            covers=("inspections:hazard_*", "inspections:notice_*", "inspections:escalation_*"),
            order=210,
        ),
    ),
    permissions={
        "sysadmin": (
            *INSPECTIONS_VIEW,
            "inspections.add_checklisttemplate",
            "inspections.change_checklisttemplate",
        ),
        "commander": (
            *INSPECTIONS_VIEW,
            *INSPECTIONS_POLICE,
            "inspections.supervise_hazard",
            "inspections.add_checklisttemplate",
            "inspections.change_checklisttemplate",
        ),
        "officer": (*INSPECTIONS_VIEW, *INSPECTIONS_POLICE, "inspections.supervise_hazard"),
        "community_officer": (*INSPECTIONS_VIEW, *INSPECTIONS_INSPECT),
        "legal_vice_principal": ("inspections.view_hazard",),
        "education_officer": INSPECTIONS_VIEW,
        "school_security_chief": INSPECTIONS_SCHOOL,
    },
    demo=(DemoStep("inspections", "huxiao.demo.inspections.step_inspections", after=("schools",)),),
    worklist=("huxiao.inspections.worklist.inspection_items",),
    tasks=("huxiao.inspections.tasks",),
)
