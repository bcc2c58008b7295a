"""What the gate module brings (SPEC 2.5; issue 17): the guard's phone page for visitors with
the key-person and ban match, vehicles and passes, pick-up authorisations, seizures handed to
the police, district ban lists, and the gate figures."""

from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter
from huxiao.gate.choices import MatchOutcome, SeizureCategory, VisitState

VISITS = ("gate.view_visit",)
GUARD = (
    "gate.view_visit",
    "gate.add_visit",
    "gate.change_visit",
    "gate.view_vehicleentry",
    "gate.add_vehicleentry",
    "gate.change_vehicleentry",
    "gate.view_pass",
    "gate.check_pickup",
    "gate.view_seizure",
    "gate.add_seizure",
    "gate.view_banentry",
)
CHIEF = (
    *GUARD,
    "gate.review_visit",
    "gate.add_pass",
    "gate.change_pass",
    "gate.view_pickup",
    "gate.add_pickup",
    "gate.change_pickup",
)
READ = (
    "gate.view_visit",
    "gate.view_vehicleentry",
    "gate.view_pass",
    "gate.view_seizure",
    "gate.view_banentry",
)
POLICE = (
    *READ,
    "gate.review_visit",
    "gate.receive_seizure",
    "gate.add_banentry",
    "gate.change_banentry",
    "gate.view_police_note",
)

# The gate part of the 工作情况报告 (its default text; an organisation may rewrite it).
REPORT_TEXT = (
    "{本单位}督促辖区学校落实外来人员、车辆登记和出入证制度，门卫登记来访人员{gate.visits}人次；"
    "收缴管制刀具{gate.seizures_knife}件次、各类违禁物品共{gate.seizures}件次，全部移交公安机关。\n"
    "门卫登记时比中重点人员{gate.key_person_hits}人次、禁入名单{gate.ban_hits}人次，均已及时预警、"
    "暂扣核查，做到来访人员逐人比对、不漏一人。"
)
# Key persons are police information (SPEC 2.3): the count of hits is the police's; the school
# and its bureau see their own held visits, not the figure (nor the report's paragraph naming it).
KEY_PERSONS = "persons.view_keyperson"


def _visits_figure(code, label, definition, *, outcome="", state="", permission="gate.view_visit"):
    return Figure(
        code=code,
        label=label,
        definition=definition,
        compute="huxiao.gate.figures.visits",
        records_url="huxiao.gate.figures.visits_url",
        rows="huxiao.gate.figures.visits_rows",
        args=(outcome, state),
        period_field="arrived_at",
        unit=_("人次"),
        permission=permission,
        batch="huxiao.gate.figures.visits_batch",
    )


def _seizures_figure(code, label, definition, *, category="", knife=""):
    return Figure(
        code=code,
        label=label,
        definition=definition,
        compute="huxiao.gate.figures.seizures",
        records_url="huxiao.gate.figures.seizures_url",
        rows="huxiao.gate.figures.seizures_rows",
        args=(category, knife),
        period_field="seized_at",
        unit=_("件次"),
        permission="gate.view_seizure",
        batch="huxiao.gate.figures.seizures_batch",
    )


MODULE = Module(
    label="gate",
    name=_("门卫管理"),
    urls="huxiao.gate.urls",
    url_prefix="gate/",
    api=("huxiao.gate.api.router",),
    menu=(
        MenuEntry(
            _("门卫登记"),
            "gate:guard",
            "door-open",
            "gate.add_visit",
            covers=("gate:guard", "gate:visit_new", "gate:visits_out_all"),
            order=340,
        ),
        MenuEntry(
            _("来访记录"),
            "gate:visit_list",
            "person-badge",
            "gate.view_visit",
            covers=("gate:visit_list", "gate:visit_export", "gate:visit_detail", "gate:visit_step"),
            order=341,
        ),
        MenuEntry(
            _("车辆出入"),
            "gate:vehicle_list",
            "car-front",
            "gate.view_vehicleentry",
            covers=("gate:vehicle_*",),
            order=342,
        ),
        MenuEntry(
            _("出入证"),
            "gate:pass_list",
            "card-heading",
            "gate.view_pass",
            covers=("gate:pass_*",),
            order=343,
        ),
        MenuEntry(
            _("接送授权"),
            "gate:pickup_list",
            "people",
            "gate.view_pickup",
            covers=(
                "gate:pickup_list",
                "gate:pickup_export",
                "gate:pickup_new",
                "gate:pickup_revoke",
            ),
            order=344,
        ),
        MenuEntry(
            _("接送核验"),
            "gate:pickup_check",
            "person-check",
            "gate.check_pickup",
            covers=("gate:pickup_check",),
            order=345,
        ),
        MenuEntry(
            _("收缴物品"),
            "gate:seizure_list",
            "shield-exclamation",
            "gate.view_seizure",
            covers=("gate:seizure_*",),
            order=346,
        ),
        MenuEntry(
            _("禁入名单"),
            "gate:ban_list",
            "person-x",
            "gate.view_banentry",
            covers=("gate:ban_*",),
            order=347,
        ),
    ),
    permissions={
        "sysadmin": READ,
        "commander": (*READ, "gate.view_police_note"),
        "officer": POLICE,
        "community_officer": POLICE,
        "education_officer": (*READ, "gate.add_banentry", "gate.change_banentry"),
        "school_security_chief": CHIEF,
        "gate_guard": GUARD,
    },
    permission_labels={
        "gate.review_visit": _("核查暂扣的来访登记（放行或拒绝入校）"),
        "gate.check_pickup": _("接送核验（核对接送人是否在授权名单内）"),
        "gate.receive_seizure": _("接收学校移交的收缴物品"),
        "gate.view_police_note": _("查看禁入名单的公安备注"),
    },
    parameters=(
        Parameter(
            "GATE_MATCH_TIMEOUT_MS",
            _("来访比对时限"),
            _("来访登记的重点人员比对超过此毫秒数即放弃，登记暂扣并标记“未完成比对”，通知派出所。"),
            minimum=100,
            maximum=30000,
            env="HUXIAO_GATE_MATCH_TIMEOUT_MS",
            unit=_("毫秒"),
            group=_("门卫管理"),
        ),
        Parameter(
            "GATE_SEIZURE_FLAG_COUNT",
            _("收缴预警次数"),
            _("学校在预警天数内收缴违禁物品达到此次数即标记为重点关注学校；0为不标记。"),
            minimum=0,
            maximum=100,
            env="HUXIAO_GATE_SEIZURE_FLAG_COUNT",
            unit=_("次"),
            group=_("门卫管理"),
        ),
        Parameter(
            "GATE_SEIZURE_FLAG_DAYS",
            _("收缴预警天数"),
            _("统计学校反复收缴违禁物品的天数。"),
            minimum=1,
            maximum=366,
            env="HUXIAO_GATE_SEIZURE_FLAG_DAYS",
            unit=_("天"),
            group=_("门卫管理"),
        ),
    ),
    figures=(
        _visits_figure(
            "gate.visits",
            _("来访登记人次"),
            _(
                "入校时间在统计期内的来访登记数，含暂扣和未准入校的，链接打开来访记录按统计期筛选出的"
                "登记（SPEC 2.5 Visitor registration）。"
            ),
        ),
        _visits_figure(
            "gate.key_person_hits",
            _("比中重点人员人次"),
            _(
                "入校时间在统计期内、重点人员比对比中的来访登记数（SPEC 2.5“A visitor who matches a "
                "key person raises an alert”）。"
            ),
            outcome=MatchOutcome.KEY_PERSON,
            permission=KEY_PERSONS,
        ),
        _visits_figure(
            "gate.ban_hits",
            _("比中禁入名单人次"),
            _("入校时间在统计期内、比中禁入名单的来访登记数（SPEC 2.5 Ban lists）。"),
            outcome=MatchOutcome.BANNED,
        ),
        _visits_figure(
            "gate.unmade",
            _("未完成比对人次"),
            _(
                "入校时间在统计期内、重点人员比对未能完成（故障或超时）的来访登记数（SPEC 2.5“an "
                "unmade match is flagged and reported”）。"
            ),
            outcome=MatchOutcome.UNMADE,
        ),
        _visits_figure(
            "gate.held",
            _("待核查来访"),
            _(
                "入校时间在统计期内、比中或未完成比对后仍暂扣待核查的来访登记数（issue 17 unresolved "
                "matches）。"
            ),
            state=VisitState.HELD,
        ),
        _seizures_figure(
            "gate.seizures",
            _("收缴违禁物品件次"),
            _("收缴时间在统计期内的收缴记录数（SPEC 2.5 seized prohibited items）。"),
        ),
        _seizures_figure(
            "gate.seizures_knife",
            _("收缴管制刀具件次"),
            _(
                "收缴时间在统计期内、物品为管制刀具（公通字〔2007〕2号《管制刀具认定标准》所列）的"
                "收缴记录数。"
            ),
            knife="1",
        ),
        _seizures_figure(
            "gate.seizures_replica_gun",
            _("收缴仿真枪件次"),
            _("收缴时间在统计期内、物品为仿真枪的收缴记录数。"),
            category=SeizureCategory.REPLICA_GUN,
        ),
        _seizures_figure(
            "gate.seizures_flammable",
            _("收缴易燃易爆物品件次"),
            _("收缴时间在统计期内、物品为易燃易爆物品的收缴记录数。"),
            category=SeizureCategory.FLAMMABLE,
        ),
        Figure(
            code="gate.passes",
            label=_("有效出入证数"),
            definition=_(
                "今天在有效期内且未注销的人员和车辆出入证数，链接打开出入证列表按“有效：是”筛选出的"
                "出入证（SPEC 2.5 staff and vehicle passes）。"
            ),
            compute="huxiao.gate.figures.passes",
            records_url="huxiao.gate.figures.passes_url",
            rows="huxiao.gate.figures.passes_rows",
            unit=_("张"),
            permission="gate.view_pass",
            periodic=False,
        ),
    ),
    report_parts=(
        {
            "key": "门卫管理",
            "kinds": ("work_report",),
            "order": 55,
            "codes": ("gate.visits",),
            "defaults": {"work_report": REPORT_TEXT},
        },
    ),
    demo=(DemoStep("gate", "huxiao.gate.demo.step", after=("schools", "users", "persons")),),
)
