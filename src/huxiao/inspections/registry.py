"""What the inspections module brings: campaigns, inspections, hazards and the rectification loop."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module

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

_FIGURES = "huxiao.inspections.figures."

# The module's figures (figures.py): each definition says what is counted and where SPEC 2.2
# and the seeds (004: the Panzhihua bureau's report, 000: the Kunming reply) speak of it.
FIGURES = (
    Figure(
        code="inspections.inspections",
        label=_("检查次数"),
        definition=_(
            "检查日期在期间内且已完成的学校安全检查次数，一所学校检查一次计一次"
            "（SPEC 2.2 检查；种子004“逐校、逐园进行全面细致检查”）。"
        ),
        compute=_FIGURES + "inspections_finished",
        records_url=_FIGURES + "inspections_finished_url",
        unit=_("次"),
        permission="inspections.view_inspection",
    ),
    Figure(
        code="inspections.person_times",
        label=_("检查人次"),
        definition=_(
            "检查日期在期间内且已完成的检查出动警力之和，每次检查按参加检查的民警人数计"
            "（SPEC 2.2 检查民警人数即出动警力人次；种子004“出动警力238人次”）。"
        ),
        compute=_FIGURES + "person_times",
        records_url=_FIGURES + "inspections_finished_url",
        unit=_("人次"),
        permission="inspections.view_inspection",
    ),
    Figure(
        code="inspections.hazards_found",
        label=_("发现隐患"),
        definition=_(
            "发现日期在期间内的隐患项数，不论来源（检查、巡逻、视频巡查、群众线索、学校自查、"
            "设备离线）、等级和现在的状态（SPEC 2.2 隐患；种子004“逐一查找问题和隐患”）。"
        ),
        compute=_FIGURES + "hazards_found",
        records_url=_FIGURES + "hazards_found_url",
        unit=_("项"),
        permission="inspections.view_hazard",
    ),
    Figure(
        code="inspections.hazards_closed",
        label=_("整改销号"),
        definition=_(
            "销号时间在期间内的隐患项数，即学校提交整改报告后经复查通过而销号的隐患"
            "（SPEC 2.2 复查销号；种子004“限期整改到位”）。"
        ),
        compute=_FIGURES + "hazards_closed",
        records_url=_FIGURES + "hazards_closed_url",
        unit=_("项"),
        permission="inspections.view_hazard",
    ),
    Figure(
        code="inspections.hazards_overdue",
        label=_("逾期未整改"),
        definition=_(
            "此刻逾期的隐患项数，即已过整改期限而学校仍待整改或正在整改、或已被标记逾期而尚未销号的"
            "隐患（SPEC 2.2 逾期标记；种子004“限期整改到位”）。"
        ),
        compute=_FIGURES + "hazards_overdue",
        records_url=_FIGURES + "hazards_overdue_url",
        unit=_("项"),
        permission="inspections.view_hazard",
        periodic=False,
    ),
    Figure(
        code="inspections.escalations",
        label=_("挂牌督办"),
        definition=_(
            "督办时间在期间内的挂牌督办件数，含逾期重大隐患和多次逾期隐患的自动督办"
            "（SPEC 2.2 挂牌督办；种子004“对存在的重大隐患……实行挂牌督办”）。"
        ),
        compute=_FIGURES + "escalations_issued",
        records_url=_FIGURES + "escalations_issued_url",
        unit=_("件"),
        permission="inspections.view_escalation",
    ),
)

MODULE = Module(
    label="inspections",
    name=_("隐患排查整改"),
    permission_labels={
        "inspections.rectify_hazard": _("整改隐患并报告（学校）"),
        "inspections.recheck_hazard": _("复查销号（公安）"),
        "inspections.supervise_hazard": _("挂牌督办"),
        "inspections.documentcounter": _("文书编号（内部）"),
    },
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
    figures=FIGURES,
)
