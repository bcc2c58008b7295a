"""What the persons module brings: key persons, screening, disputes (police only)."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.dictionaries import Dictionary
from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter
from huxiao.persons.choices import DISPUTE_KIND, DisputeKind

# Police only. Education, school, guard, volunteer, auditor and system-administrator roles get
# nothing that shows an identity (SPEC 2.3); gate guards and security chiefs may only ask the
# watchlist "is this visitor listed?".
PERSONS_VIEW = (
    "persons.view_keyperson",
    "persons.view_keypersonschool",
    "persons.view_followup",
    "persons.view_screeningbatch",
    "persons.view_dispute",
    "persons.view_mediationrecord",
)

PERSONS_WORK = (
    "persons.add_keyperson",
    "persons.change_keyperson",
    "persons.reveal_keyperson",
    "persons.add_followup",
    "persons.add_screeningbatch",
    "persons.add_dispute",
    "persons.change_dispute",
    "persons.add_mediationrecord",
    "persons.match_watchlist",
)

PERSONS_MATCH = ("persons.match_watchlist",)


PERSONS_UNIT = _("人")
DISPUTES_UNIT = _("件")


# The figures counted from the key-person list (persons.figures.QUERIES), batched.
KEY_PERSON_COUNTS = (
    "listed",
    "in_control",
    "lost",
    "high_risk",
    "reviews_overdue",
    "reviews_due",
    "newly_listed",
    "followed_up",
)


def _figure(name, label, definition, permission, unit=PERSONS_UNIT, periodic=False):
    return Figure(
        code=f"persons.{name}",
        label=label,
        definition=definition,
        compute="huxiao.persons.figures.value",
        records_url="huxiao.persons.figures.url",
        args=(name,),
        unit=unit,
        permission=permission,
        periodic=periodic,
        # The screened persons are a column of the screening list summed (figures.SUMS).
        measure="sum" if name == "screened" else "count",
        rows="huxiao.persons.figures.rows",
        sum_of="screened" if name == "screened" else None,
        # The key-person counts in one query (figures.batch); the others one by one.
        batch="huxiao.persons.figures.batch" if name in KEY_PERSON_COUNTS else None,
    )


# Figures (huxiao/persons/figures.py): each one query of a police-only list, states "now"
# or counted within the period (periodic=True).
FIGURES = (
    _figure(
        "listed",
        _("列管重点人员"),
        _(
            "数据范围内现列管的重点人员数，即状态为“在控”或“失控”、未撤销列管的人员"
            "（SPEC 2.3 重点人员；种子004“逐一落实管控措施，严防失控漏管”）。"
        ),
        "persons.view_keyperson",
    ),
    _figure(
        "in_control",
        _("在控重点人员"),
        _("数据范围内状态为“在控”的列管重点人员数（SPEC 2.3 重点人员管控）。"),
        "persons.view_keyperson",
    ),
    _figure(
        "lost",
        _("失控重点人员"),
        _("数据范围内状态为“失控”的重点人员数，须立即查找落实（SPEC 2.3）。"),
        "persons.view_keyperson",
    ),
    _figure(
        "high_risk",
        _("在控高风险重点人员"),
        _("数据范围内在控且总体风险为“高”的重点人员数（SPEC 2.3 风险分级）。"),
        "persons.view_keyperson",
    ),
    _figure(
        "reviews_overdue",
        _("走访核查逾期"),
        _("数据范围内在控或失控、下次走访核查日期已过的重点人员数（SPEC 2.3 定期走访）。"),
        "persons.view_keyperson",
    ),
    _figure(
        "reviews_due",
        _("7日内到期走访核查"),
        _(
            "数据范围内在控或失控、下次走访核查日期在今天起7日内（含今天、未逾期）的重点人员数"
            "（SPEC 2.3 定期走访）。"
        ),
        "persons.view_keyperson",
    ),
    _figure(
        "newly_listed",
        _("新列管重点人员"),
        _(
            "列管日期在统计期内的重点人员数，含其后已撤销列管的（SPEC 2.3 重点人员；"
            "种子004“强化重点人员滚动排查……逐一落实管控措施”）。"
        ),
        "persons.view_keyperson",
        periodic=True,
    ),
    _figure(
        "followed_up",
        _("走访核查重点人员"),
        _(
            "统计期内有走访核查记录（走访、电话、动态核查、视频通话等）的重点人员数，一人多次只计"
            "一人（SPEC 2.3 走访/动态核查；种子004“加大对……高危人员的动态核查力度”）。"
        ),
        "persons.view_keyperson",
        periodic=True,
    ),
    _figure(
        "screened",
        _("滚动排查人数"),
        _(
            "起止日期都在统计期内的滚动排查批次的排查人数之和，即滚动排查列表“排查人数”列的合计；"
            "每批次的排查人数是该批次逐人登记的排查人员数（一人在几个批次中排查即计几次），"
            "标注“历史导入”的批次没有名单，按导入的合计计入（SPEC 2.3 滚动排查；"
            "种子004“已排查重点人员318人”）。"
        ),
        "persons.view_screeningbatch",
        periodic=True,
    ),
    _figure(
        "disputes_registered",
        _("登记矛盾纠纷"),
        _(
            "登记日期在统计期内的涉校涉生矛盾纠纷件数，不论现在的状态（SPEC 2.3 矛盾纠纷；"
            "种子000“开展涉校涉生矛盾纠纷大排查，逐一排摸登记”）。"
        ),
        "persons.view_dispute",
        unit=DISPUTES_UNIT,
        periodic=True,
    ),
    _figure(
        "disputes_resolved",
        _("化解矛盾纠纷"),
        _(
            "统计期内办结且状态为“已化解”的涉校涉生矛盾纠纷件数，移交的不计（SPEC 2.3 矛盾纠纷；"
            "种子000“逐起进行疏导化解”）。"
        ),
        "persons.view_dispute",
        unit=DISPUTES_UNIT,
        periodic=True,
    ),
    _figure(
        "disputes_mediating",
        _("化解中的矛盾纠纷"),
        _("数据范围内状态为“化解中”的涉校涉生矛盾纠纷数（SPEC 2.3 矛盾纠纷排查化解）。"),
        "persons.view_dispute",
        unit=DISPUTES_UNIT,
    ),
    _figure(
        "disputes_overdue",
        _("超期未化解矛盾纠纷"),
        _("数据范围内未化解且已过化解期限的涉校涉生矛盾纠纷数（SPEC 2.3）。"),
        "persons.view_dispute",
        unit=DISPUTES_UNIT,
    ),
)

# 字典管理: the lists administrators adapt (core.dictionaries).
DICTIONARIES = (
    Dictionary(
        code=DISPUTE_KIND,
        name=_("矛盾纠纷类型"),
        items=tuple(DisputeKind.choices),
        description=_("登记涉校涉生矛盾纠纷时选择的类型。"),
        usage="huxiao.persons.usage.dispute_kind",
    ),
)

# 参数设置: business parameters administrators may change (core.parameters); the default is the
# setting of the same name, the environment variable wins when set. Review intervals: rules.py.
PARAMETERS = (
    Parameter(
        "PERSONS_REVIEW_DAYS_MENTAL_HIGH",
        _("复核周期：精神障碍3–5级"),
        _("《严重精神障碍管理治疗工作规范（2018年版）》：病情不稳定（危险性3–5级）2周内随访。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_MENTAL_HIGH",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_DAYS_MENTAL_MEDIUM",
        _("复核周期：精神障碍1–2级"),
        _("同一规范：病情基本稳定（危险性1–2级）1个月随访。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_MENTAL_MEDIUM",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_DAYS_MENTAL_STABLE",
        _("复核周期：精神障碍0级"),
        _("同一规范：病情稳定（危险性0级）每3个月随访1次；有更严格的规则时从严。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_MENTAL_STABLE",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_DAYS_REVENGE",
        _("复核周期：扬言报复"),
        _("本地做法：扬言报复学校的人员每周见面核查。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_REVENGE",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_DAYS_HIGH_RISK",
        _("复核周期：总体风险高"),
        _("本地做法：高风险人员按病情不稳定人员的周期核查。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_HIGH_RISK",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_DAYS_DEFAULT",
        _("复核周期：其他在控人员"),
        _("本地做法：每月走访一次列管人员。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_REVIEW_DAYS_DEFAULT",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_REVIEW_REMIND_DAYS",
        _("复核到期提醒"),
        _("下次核查日期前这么多天起，列入责任民警的“我的待办”；0 为到期当日。"),
        minimum=0,
        maximum=60,
        env="HUXIAO_REVIEW_REMIND_DAYS",
        unit=_("天"),
        group=_("复核周期"),
    ),
    Parameter(
        "PERSONS_DISTANCE_ROUNDING_M",
        _("距离取整"),
        _("重点人员住址到学校的距离按此精度取整后保存，不保存精确位置。"),
        minimum=1,
        maximum=1000,
        env="HUXIAO_DISTANCE_ROUNDING_M",
        unit=_("米"),
        group=_("重点人员"),
    ),
    Parameter(
        "PERSONS_DISPUTE_DUE_DAYS",
        _("纠纷化解期限"),
        _("涉校涉生矛盾纠纷自登记之日起的默认化解期限；登记时仍可修改。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_DISPUTE_DUE_DAYS",
        unit=_("天"),
        group=_("矛盾纠纷"),
    ),
    Parameter(
        "PERSONS_WATCHLIST_PER_MINUTE",
        _("访客比对频率上限"),
        _("一个账号每分钟最多比对的次数；超出即拒绝（HTTP 429），防止逐一试探名单。"),
        minimum=1,
        maximum=1000,
        env="HUXIAO_WATCHLIST_PER_MINUTE",
        unit=_("次/分钟"),
        group=_("访客比对"),
    ),
)


MODULE = Module(
    label="persons",
    name=_("重点人员与矛盾纠纷"),
    permission_labels={
        "persons.reveal_keyperson": _("查看重点人员完整身份（留痕）"),
        "persons.revoke_keyperson": _("批准撤销列管"),
        "persons.match_watchlist": _("访客比对（仅返回是否命中）"),
    },
    urls="huxiao.persons.urls",
    url_prefix="persons/",
    api=("huxiao.persons.api.router",),
    # The pages answer 404 to everyone but police, so only police roles hold these.
    menu=(
        MenuEntry(
            _("重点人员"),
            "persons:key_person_list",
            "person-exclamation",
            "persons.view_keyperson",
            covers=("persons:key_person_*", "persons:screening_*"),
            order=400,
        ),
        MenuEntry(
            _("矛盾纠纷"),
            "persons:dispute_list",
            "people-fill",
            "persons.view_dispute",
            covers=("persons:dispute_*",),
            order=410,
        ),
    ),
    permissions={
        "commander": (
            *PERSONS_VIEW,
            "persons.reveal_keyperson",
            # 撤销列管 is the commander's approval, given on the person's edit page.
            "persons.change_keyperson",
            "persons.revoke_keyperson",
            *PERSONS_MATCH,
        ),
        "officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "community_officer": (*PERSONS_VIEW, *PERSONS_WORK),
        "school_security_chief": PERSONS_MATCH,
        "gate_guard": PERSONS_MATCH,
    },
    figures=FIGURES,
    demo=(DemoStep("persons", "huxiao.demo.persons.step_persons", after=("schools",)),),
    worklist=("huxiao.persons.worklist.review_items",),
    dictionaries=DICTIONARIES,
    parameters=PARAMETERS,
)
