"""What the inspections module brings: campaigns, inspections, hazards and the rectification loop."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.dictionaries import Dictionary
from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter
from huxiao.inspections.choices import HAZARD_CATEGORY, ItemGroup

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
        rows=_FIGURES + "finished_inspections",
        period_field="date",
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
        measure="sum",
        rows=_FIGURES + "finished_inspections",
        sum_of="person_times",
        period_field="date",
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
        rows=_FIGURES + "hazards_found_rows",
        period_field="found_on",
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
        rows=_FIGURES + "hazards_closed_rows",
        period_field="closed_at",
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
        rows=_FIGURES + "hazards_overdue_rows",
    ),
    Figure(
        code="inspections.hazards_chased",
        label=_("被催办隐患"),
        definition=_(
            "期间内被教育局或公安机关催办过的隐患项数，一项隐患在期间内被催办多次计一项；"
            "催办限于逾期或临近整改期限的隐患（SPEC 2.2 整改督促，教育局和公安机关均可催办；种子004“限期整改到位”）。"
        ),
        compute=_FIGURES + "hazards_chased",
        records_url=_FIGURES + "hazards_chased_url",
        unit=_("项"),
        permission="inspections.view_hazard",
        rows=_FIGURES + "hazards_chased_rows",
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
        rows=_FIGURES + "escalations_rows",
        period_field="created_at",
    ),
    Figure(
        code="inspections.schools_inspected",
        label=_("已检查学校"),
        definition=_(
            "期间内有已完成检查（检查日期在期间内）的学校数，一所学校检查多次只计一所，即学校列表按"
            "检查起止日期筛选出的学校（SPEC 2.2 检查；种子004“逐校、逐园进行全面细致检查”）。"
        ),
        compute=_FIGURES + "schools_inspected",
        records_url=_FIGURES + "schools_inspected_url",
        unit=_("所"),
        permission="inspections.view_inspection",
        rows=_FIGURES + "schools_inspected_rows",
    ),
    Figure(
        code="inspections.coverage",
        label=_("检查覆盖率"),
        definition=_(
            "期间内有已完成检查的学校占数据范围内全部学校的百分比，保留一位小数，无学校时不计，"
            "链接打开已检查的学校（SPEC 2.2 检查；种子004“对每一所学校、幼儿园……逐一进行检查”）。"
        ),
        compute=_FIGURES + "coverage",
        records_url=_FIGURES + "schools_inspected_url",
        unit="%",
        permission="inspections.view_inspection",
        measure="rate",
    ),
    Figure(
        code="inspections.notices",
        label=_("下发整改通知书"),
        definition=_(
            "成文日期在期间内的整改通知书份数，一份通知书可列同一学校的多项隐患（SPEC 2.2 整改通知书；"
            "种子004“对排查出的安全隐患，要立即下发整改通知书，限期整改到位”）。"
        ),
        compute=_FIGURES + "notices",
        records_url=_FIGURES + "notices_url",
        unit=_("份"),
        permission="inspections.view_rectificationnotice",
        rows=_FIGURES + "notices_rows",
        period_field="issue_date",
    ),
)

# 字典管理: the lists administrators adapt (core.dictionaries).
DICTIONARIES = (
    Dictionary(
        code=HAZARD_CATEGORY,
        name=_("隐患类别"),
        items=tuple(ItemGroup.choices),
        description=_(
            "登记隐患时选择的类别。检查表中检查项的分组（人防、物防、技防等）由达标规则使用，不在此调整。"
        ),
        usage="huxiao.inspections.usage.hazard_category",
    ),
)

# 参数设置: business parameters administrators may change (core.parameters); the default is the
# setting of the same name, the environment variable wins when set.
PARAMETERS = (
    Parameter(
        "NOTICE_DEFAULT_WORKDAYS",
        _("整改期限"),
        _(
            "新开具的整改通知书默认的整改期限，按工作日历（节假日、调休）计算；开具时仍可逐份修改（1至120个工作日）。"
        ),
        minimum=1,
        maximum=120,
        env="HUXIAO_NOTICE_DEFAULT_WORKDAYS",
        unit=_("个工作日"),
        group=_("隐患整改"),
    ),
    Parameter(
        "HAZARD_REMIND_WORKDAYS",
        _("到期提醒提前量"),
        _("整改期限前这么多个工作日起，每日巡检任务提醒责任学校；0 为到期当日才提醒。"),
        minimum=0,
        maximum=30,
        env="HUXIAO_HAZARD_REMIND_WORKDAYS",
        unit=_("个工作日"),
        group=_("隐患整改"),
    ),
    Parameter(
        "HAZARD_ESCALATE_AFTER_OVERDUES",
        _("逾期自动挂牌督办次数"),
        _("隐患逾期达到此次数即自动挂牌督办（重大隐患逾期一次即挂牌督办，不受此限）。"),
        minimum=1,
        maximum=10,
        env="HUXIAO_HAZARD_ESCALATE_AFTER_OVERDUES",
        unit=_("次"),
        group=_("隐患整改"),
    ),
)


MODULE = Module(
    label="inspections",
    name=_("隐患排查整改"),
    permission_labels={
        "inspections.rectify_hazard": _("整改隐患并报告（学校）"),
        "inspections.recheck_hazard": _("复查销号（公安）"),
        "inspections.supervise_hazard": _("挂牌督办"),
        "inspections.chase_hazard": _("催办（教育局、公安）"),
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
            covers=("inspections:hazard_*",),
            order=210,
        ),
        MenuEntry(
            _("整改通知书"),
            "inspections:notice_list",
            "file-earmark-text",
            "inspections.view_rectificationnotice",
            covers=("inspections:notice_*",),
            order=212,
        ),
        MenuEntry(
            _("挂牌督办"),
            "inspections:escalation_list",
            "flag",
            "inspections.view_escalation",
            covers=("inspections:escalation_*",),
            order=214,
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
            "inspections.chase_hazard",
            "inspections.add_checklisttemplate",
            "inspections.change_checklisttemplate",
        ),
        "officer": (
            *INSPECTIONS_VIEW,
            *INSPECTIONS_POLICE,
            "inspections.supervise_hazard",
            "inspections.chase_hazard",
        ),
        "community_officer": (*INSPECTIONS_VIEW, *INSPECTIONS_INSPECT),
        "legal_vice_principal": ("inspections.view_hazard",),
        "education_officer": (*INSPECTIONS_VIEW, "inspections.chase_hazard"),
        "school_security_chief": INSPECTIONS_SCHOOL,
    },
    demo=(DemoStep("inspections", "huxiao.demo.inspections.step_inspections", after=("schools",)),),
    worklist=("huxiao.inspections.worklist.inspection_items",),
    tasks=("huxiao.inspections.tasks",),
    figures=FIGURES,
    calendar_changed=("huxiao.inspections.services.hazards.deadlines_recompute",),
    facts={"schools_inspected": "huxiao.inspections.facts.schools_inspected"},
    dictionaries=DICTIONARIES,
    parameters=PARAMETERS,
)
