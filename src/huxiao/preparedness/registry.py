"""What the preparedness module brings (SPEC 2.6; issue 18, first part): schools' emergency plans
with their review cycle, drills planned by the education bureau (in bulk) or the school and then
held or cancelled, evacuation times against the target of the school's level, drill frequency
compliance, missed drills told to the school and its bureau, and the preparedness figures."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.preparedness.choices import DrillState
from huxiao.preparedness.parameters import DECLARED

READ = ("preparedness.view_emergencyplan", "preparedness.view_drill")
SCHOOL = (
    *READ,
    "preparedness.add_emergencyplan",
    "preparedness.change_emergencyplan",
    "preparedness.add_drill",
    "preparedness.change_drill",
    "preparedness.hold_drill",
)
BUREAU = (*READ, "preparedness.add_drill", "preparedness.change_drill", "preparedness.plan_drills")

REPORT_TEXT = (
    "{本单位}督促辖区学校修订完善各类应急预案，到期待评审预案{preparedness.plans_due}份；"
    "指导学校开展应急疏散、防校园侵害等演练{preparedness.drills_held}场次，疏散平均用时"
    "{preparedness.evacuation_mean}秒，疏散用时达标率{preparedness.evacuation_met_rate}%；"
    "统计期内仍有{preparedness.schools_without_drill}所学校未开展演练，已督促落实。"
)

_BATCH = "huxiao.preparedness.figures.drills_batch"


def _drills_figure(code, label, definition, *, state="", missed=""):
    return Figure(
        code=code,
        label=label,
        definition=definition,
        compute="huxiao.preparedness.figures.drills",
        records_url="huxiao.preparedness.figures.drills_url",
        rows="huxiao.preparedness.figures.drills_rows",
        args=(state, missed),
        period_field="day",
        unit=_("场次"),
        permission="preparedness.view_drill",
        batch=_BATCH,
    )


MODULE = Module(
    label="preparedness",
    name=_("应急准备"),
    urls="huxiao.preparedness.urls",
    url_prefix="preparedness/",
    api=("huxiao.preparedness.api.router",),
    menu=(
        MenuEntry(
            _("应急预案"),
            "preparedness:plan_list",
            "journal-text",
            "preparedness.view_emergencyplan",
            covers=("preparedness:plan_*",),
            order=360,
        ),
        MenuEntry(
            _("应急演练"),
            "preparedness:drill_list",
            "megaphone",
            "preparedness.view_drill",
            covers=("preparedness:drill_*",),
            order=361,
        ),
        MenuEntry(
            _("演练达标"),
            "preparedness:compliance",
            "clipboard-check",
            "preparedness.view_drill",
            covers=("preparedness:compliance", "preparedness:compliance_export"),
            order=362,
        ),
    ),
    permissions={
        "sysadmin": READ,
        "commander": READ,
        "officer": READ,
        "community_officer": READ,
        "legal_vice_principal": READ,
        "education_officer": BUREAU,
        "school_security_chief": SCHOOL,
    },
    permission_labels={
        "preparedness.plan_drills": _("为所辖学校统一安排演练"),
        "preparedness.hold_drill": _("记录演练举行情况"),
    },
    parameters=DECLARED,
    worklist=("huxiao.preparedness.worklist.items",),
    tasks=("huxiao.preparedness.tasks",),
    figures=(
        Figure(
            code="preparedness.plans_due",
            label=_("到期待评审预案"),
            definition=_(
                "现行有效、下次评审日期已到（不晚于今天）的应急预案数，评审周期默认一年（参数“应急预案"
                "评审周期”）；链接打开应急预案列表按“到期待评审：是”筛选出的预案（SPEC 2.6 "
                "Emergency plans with review dates）。"
            ),
            compute="huxiao.preparedness.figures.plans_due",
            records_url="huxiao.preparedness.figures.plans_due_url",
            rows="huxiao.preparedness.figures.plans_due_rows",
            unit=_("份"),
            permission="preparedness.view_emergencyplan",
            periodic=False,
        ),
        _drills_figure(
            "preparedness.drills_planned",
            _("计划演练"),
            _(
                "计划截止日期在统计期内、尚未举行也未取消的演练数；链接打开应急演练列表按统计期和"
                "“状态：计划”筛选出的演练（SPEC 2.6 drills planned per term）。"
            ),
            state=DrillState.PLANNED,
        ),
        _drills_figure(
            "preparedness.drills_missed",
            _("逾期未开展演练"),
            _(
                "计划截止日期在统计期内且已过、仍未记录举行的演练数；链接打开应急演练列表按统计期和"
                "“逾期未开展：是”筛选出的演练（issue 18 missed planned drills）。"
            ),
            missed="1",
        ),
        _drills_figure(
            "preparedness.drills_held",
            _("已举行演练"),
            _(
                "举行日期在统计期内的演练数；链接打开应急演练列表按统计期和“状态：已举行”筛选出的"
                "演练（SPEC 2.6 drills held）。"
            ),
            state=DrillState.HELD,
        ),
        Figure(
            code="preparedness.schools_without_drill",
            label=_("未开展演练学校"),
            definition=_(
                "统计期内没有举行任何演练的学校数；链接打开演练达标列表按统计期和“统计期内开展演练："
                "否”筛选出的学校（SPEC 2.6 required frequency）。"
            ),
            compute="huxiao.preparedness.figures.undrilled",
            records_url="huxiao.preparedness.figures.undrilled_url",
            rows="huxiao.preparedness.figures.undrilled_rows",
            unit=_("所"),
            permission="preparedness.view_drill",
        ),
        Figure(
            code="preparedness.evacuation_mean",
            label=_("平均疏散用时"),
            definition=_(
                "举行日期在统计期内、记录了疏散用时的演练的疏散用时平均数（秒，保留一位小数），无此类"
                "演练时不计；链接打开应急演练列表按统计期和“记录疏散用时：是”筛选出的演练，列表上方"
                "显示同一平均数（SPEC 2.6 evacuation time; 教育厅〔2014〕1号）。"
            ),
            compute="huxiao.preparedness.figures.evacuation_mean",
            records_url="huxiao.preparedness.figures.evacuation_mean_url",
            unit=_("秒"),
            permission="preparedness.view_drill",
            batch=_BATCH,
            measure="statistic",
        ),
        Figure(
            code="preparedness.evacuation_met_rate",
            label=_("疏散用时达标率"),
            definition=_(
                "举行日期在统计期内、记录了疏散用时的演练中，疏散用时不超过该校学段目标（中学120秒、"
                "小学和幼儿园180秒，参数可调，按记录时的目标）的演练所占百分比，保留一位小数；链接"
                "打开达标的演练，列表按“记录疏散用时：是”筛选即得分母（教育厅〔2014〕1号）。"
            ),
            compute="huxiao.preparedness.figures.evacuation_met_rate",
            records_url="huxiao.preparedness.figures.evacuation_met_url",
            unit="%",
            permission="preparedness.view_drill",
            batch=_BATCH,
            measure="rate",
        ),
    ),
    report_parts=(
        {
            "key": "应急准备",
            "kinds": ("work_report",),
            "order": 58,
            "codes": ("preparedness.drills_held",),
            "defaults": {"work_report": REPORT_TEXT},
        },
    ),
    demo=(DemoStep("preparedness", "huxiao.preparedness.demo.step", after=("schools", "users")),),
)
