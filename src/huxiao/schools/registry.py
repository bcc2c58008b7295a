"""What the schools module brings: schools, guards, equipment, devices, compliance, ledger import."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huxiao.core.dictionaries import Dictionary
from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
from huxiao.core.parameters import Parameter
from huxiao.schools.choices import DEVICE_KIND, EQUIPMENT_KIND, DeviceKind, EquipmentItem
from huxiao.schools.policy import POLICY_38, POLICY_168, POLICY_GBT, check_kit
from huxiao.schools.rules import RULE_CODES

SCHOOL_VIEW = (
    "schools.view_school",
    "schools.view_guard",
    "schools.view_device",
    "schools.view_equipmentstock",
)

SCHOOL_LEDGERS = (
    "schools.add_guard",
    "schools.change_guard",
    "schools.delete_guard",
    "schools.add_device",
    "schools.change_device",
    "schools.delete_device",
    "schools.add_equipmentstock",
    "schools.change_equipmentstock",
)

SCHOOL_ADMIN = ("schools.add_school", "schools.change_school", *SCHOOL_LEDGERS)

# Figures (huxiao/schools/figures.py): states "now", each one query of the school list.
_FIGURES = "huxiao.schools.figures."
SCHOOLS_UNIT = _("所")
FAILING_LABELS = {
    "staffing": _("专职保安员配备未达标学校数"),
    "certificates": _("保安员持证未达标学校数"),
    "guard_age": _("保安员年龄未达标学校数"),
    "closed_management": _("未落实封闭化管理学校数"),
    "alarm_networked": _("一键式紧急报警未联网学校数"),
    "video_networked": _("视频监控未联网学校数"),
    "guard_post": _("未设护学岗学校数"),
    "anti_collision": _("未设防冲撞设施学校数"),
    "camera_retention": _("录像保存不足30天学校数"),
    "equipment_kit": _("守卫防护装备未配齐学校数"),
    "duty_24h": _("未落实24小时值守学校数"),
}
# The schools passing an indicator of the roll-up (compliance.INDICATORS): the 四个100%, and
# alarm and video networking on their own.
PASSING_FIGURES = {
    "staffing": (
        _("专职保安员配备达标学校数"),
        _(
            "数据范围内在岗专职保安员（未离职）人数达到本部署所选配备标准的学校数，即学校列表按"
            "达标项“专职保安员配备达标”筛选出的学校（SPEC 2.1“四个100%”；公治〔2015〕168号或"
            "GB/T 29315-2022；种子004“配齐配强校园保安员”）。"
        ),
    ),
    "closed_management": (
        _("落实封闭化管理学校数"),
        _(
            "数据范围内已落实封闭化管理的学校数（SPEC 2.1 物防，“四个100%”之一；"
            "种子004“确保校园各项封闭管理措施到位”）。"
        ),
    ),
    "networked": (
        _("一键报警和视频监控均联网学校数"),
        _(
            "数据范围内一键式紧急报警和视频监控都至少有一台与公安机关联网的学校数（SPEC 2.1 技防，"
            "“四个100%”之一；种子000“加快‘一键式紧急报警、视频监控系统’与公安机关、教育部门联网”）。"
        ),
    ),
    "guard_post": (
        _("设置护学岗学校数"),
        _(
            "数据范围内至少有一个启用中的护学岗的学校数（SPEC 2.1“四个100%”之一、2.4 护学岗；"
            "种子000“严格落实‘护学岗’和高峰勤务机制”）。"
        ),
    ),
    "alarm_networked": (
        _("一键式紧急报警联网学校数"),
        _(
            "数据范围内至少有一台一键式紧急报警装置与公安机关联网的学校数（SPEC 2.1 技防；"
            "种子004“全力弥补我市‘一键式报警设施安装’的短板”）。"
        ),
    ),
    "video_networked": (
        _("视频监控联网学校数"),
        _(
            "数据范围内至少有一路视频监控与公安机关联网的学校数（SPEC 2.1 技防；"
            "种子004“积极推动校园视频监控接入公安机关和教育部门视频监控平台”）。"
        ),
    ),
}
RATE_FIGURES = {
    "staffing": (
        _("专职保安员配备达标率"),
        _(
            "专职保安员配备达标学校数占数据范围内学校数的百分比，保留一位小数，无学校时为空，"
            "与合规汇总页一致（SPEC 2.1“四个100%”，目标100%；种子000“确保年内实现公安部"
            "‘四个百分之百’目标”）。"
        ),
    ),
    "closed_management": (
        _("封闭化管理落实率"),
        _(
            "落实封闭化管理的学校数占数据范围内学校数的百分比，保留一位小数，无学校时为空"
            "（SPEC 2.1“四个100%”，目标100%）。"
        ),
    ),
    "networked": (
        _("一键报警和视频监控联网率"),
        _(
            "一键式紧急报警和视频监控均与公安机关联网的学校数占数据范围内学校数的百分比，"
            "保留一位小数，无学校时为空（SPEC 2.1“四个100%”，目标100%）。"
        ),
    ),
    "guard_post": (
        _("护学岗设置率"),
        _(
            "设有启用中护学岗的学校数占数据范围内学校数的百分比，保留一位小数，无学校时为空"
            "（SPEC 2.1“四个100%”中的护学岗，目标100%）。"
        ),
    ),
    "urban_video_networked": (
        _("城区学校视频监控联网率"),
        _(
            "城区学校中视频监控与公安机关联网的学校数占城区学校数的百分比，保留一位小数，"
            "无城区学校时为空（种子004“城市校园的达标率、联网率要达到80%以上”；SPEC 2.1）。"
        ),
    ),
}


def _figure(name, label, definition, unit=SCHOOLS_UNIT, family=None, key=None, measure="count"):
    """A figure of ``figures.<name>``, or of the function ``family`` given ``key`` first."""
    fn = family or name
    return Figure(
        code=f"schools.{name}",
        label=label,
        definition=definition,
        compute=_FIGURES + fn,
        records_url=_FIGURES + f"{fn}_url",
        args=(key,) if family else (),
        unit=unit,
        permission="schools.view_school",
        periodic=False,
        measure=measure,
        batch=_FIGURES + "batch",
    )


FIGURES = (
    _figure(
        "schools",
        _("学校数"),
        _("数据范围内登记的学校（含幼儿园、中小学、中职、特教、教学点）总数。"),
    ),
    _figure(
        "guards",
        _("专职保安员数"),
        _(
            "数据范围内各学校在岗（未离职）专职保安员人数之和，即学校列表“保安实有”列的合计"
            "（SPEC 2.1 人防；种子004“配齐配强校园保安员”）。"
        ),
        unit=_("人"),
        measure="sum",
    ),
    _figure(
        "guard_shortfall",
        _("专职保安员缺配人数"),
        _(
            "数据范围内专职保安员配备未达标的学校，按本部署所选配备标准应配人数减在岗人数之和，"
            "即该未达标项学校列表“保安应配”减“保安实有”的合计（SPEC 2.1、2.9 配备缺口；"
            "公治〔2015〕168号，种子004所引公通字〔2010〕38号）。"
        ),
        unit=_("人"),
        measure="sum",
    ),
    *(
        _figure(f"passing_{code}", label, definition, family="passing", key=code)
        for code, (label, definition) in PASSING_FIGURES.items()
    ),
    *(
        _figure(
            f"rate_{code}", label, definition, unit="%", family="rate", key=code, measure="rate"
        )
        for code, (label, definition) in RATE_FIGURES.items()
    ),
    *(
        _figure(
            f"failing_{code}",
            FAILING_LABELS[code],
            format_lazy(
                _(
                    "数据范围内，{rule}：按 SPEC 2.1 的规则（及其所引公安部、教育部文件）判定，"
                    "即学校列表按该未达标项筛选出的学校。"
                ),
                rule=FAILING_LABELS[code],
            ),
            family="failing",
            key=code,
        )
        for code in RULE_CODES
    ),
)

# 字典管理: the lists administrators adapt (core.dictionaries). The shipped codes stay constants
# of code (choices.DeviceKind, EquipmentItem): compliance, patrols and the minimum kit refer to
# them, and a shipped entry cannot be deleted.
DICTIONARIES = (
    Dictionary(
        code=DEVICE_KIND,
        name=_("技防设备类型"),
        items=tuple(DeviceKind.choices),
        description=_(
            "登记技防设备时选择的类型。视频监控、一键式紧急报警由达标规则和视频巡查使用，可改名、排序，不能删除。"
        ),
        usage="huxiao.schools.usage.device_kind",
    ),
    Dictionary(
        code=EQUIPMENT_KIND,
        name=_("守卫防护装备种类"),
        items=tuple(EquipmentItem.choices),
        description=_(
            "学校登记防护装备时的种类。最低配备（参数设置“最低防护装备”）按编码列出应配的种类和数量；最低配备列出的种类不能删除。"
        ),
        usage="huxiao.schools.usage.equipment_kind",
    ),
)

# 参数设置: the compliance policy (schools.policy), which administrators may change
# (core.parameters); the default is the setting of the same name, the environment variable wins
# when set.
PARAMETERS = (
    Parameter(
        "SCHOOL_STAFFING_POLICY",
        _("保安员配备标准"),
        _(
            "核定学校应配保安员人数所依据的标准：GB/T 29315-2022 按学生数；公治〔2015〕168号按师生总数；"
            "公通字〔2010〕38号按学生数，1000人以下不少于2名。"
        ),
        kind="choice",
        choices=(
            (POLICY_GBT, _("GB/T 29315-2022《中小学、幼儿园安全技术防范系统要求》")),
            (POLICY_168, _("公治〔2015〕168号《中小学幼儿园安全防范工作规范（试行）》")),
            (
                POLICY_38,
                _(
                    "公通字〔2010〕38号《关于进一步加强学校幼儿园安全防范工作建立健全长效工作机制的意见》"
                ),
            ),
        ),
        env="HUXIAO_STAFFING_POLICY",
        group=_("保安员配备"),
    ),
    Parameter(
        "SCHOOL_STAFFING_ROUNDING",
        _("不足500人的部分"),
        _("超过1000人后每增加500人加配1名保安员：“不低于”的读法是不足500人的部分也按500人计。"),
        kind="choice",
        choices=(("up", _("按500人计（向上取整）")), ("down", _("不计（向下取整）"))),
        env="HUXIAO_STAFFING_ROUNDING",
        group=_("保安员配备"),
    ),
    Parameter(
        "SCHOOL_STAFFING_168_READING",
        _("168号文人数口径"),
        _("按公治〔2015〕168号核定时计算人数的口径（选用 GB/T 29315 时不使用）。"),
        kind="choice",
        choices=(
            ("mixed", _("分档按师生总数、加配按学生数")),
            ("students", _("均按学生数")),
            ("total", _("均按师生总数")),
        ),
        env="HUXIAO_STAFFING_168_READING",
        group=_("保安员配备"),
    ),
    Parameter(
        "SCHOOL_STAFFING_BOARDER_ADDON",
        _("寄宿生加配"),
        _("地方加配标准：每这么多名寄宿生加配1名保安员；0 为不加配。"),
        minimum=0,
        maximum=10000,
        env="HUXIAO_STAFFING_BOARDER_ADDON",
        unit=_("名寄宿生"),
        group=_("保安员配备"),
    ),
    Parameter(
        "SCHOOL_GUARD_MAX_AGE",
        _("保安员年龄上限"),
        _("公治〔2015〕168号：在岗保安员年龄不超过此岁数。"),
        minimum=18,
        maximum=70,
        env="HUXIAO_GUARD_MAX_AGE",
        unit=_("岁"),
        group=_("保安员配备"),
    ),
    Parameter(
        "SCHOOL_MIN_KIT",
        _("最低防护装备"),
        _(
            "每校应配的防护装备及数量，写成 编码:数量，多项用英文逗号分隔（如 steel_fork:2,radio:2）；留空为默认配备（钢叉、橡胶棒、防刺背心、防割手套、头盔、对讲机各2，盾牌、强光手电各1）。"
        ),
        kind="str",
        env="HUXIAO_MIN_KIT",
        group=_("物防"),
        validator=check_kit,
    ),
    Parameter(
        "SCHOOL_CAMERA_RETENTION_DAYS",
        _("录像保存天数"),
        _("GB/T 29315-2022：视频监控录像保存不少于此天数。"),
        minimum=1,
        maximum=365,
        env="HUXIAO_CAMERA_RETENTION_DAYS",
        unit=_("天"),
        group=_("技防"),
    ),
)


MODULE = Module(
    label="schools",
    name=_("学校与三防"),
    permission_labels={
        "schools.factrow": _("合规统计（内部）"),
    },
    urls="huxiao.schools.urls",
    url_prefix="schools/",
    api=("huxiao.schools.api.router",),
    # Every page of the module: schools, their ledgers, compliance, import.
    menu=(
        MenuEntry(_("学校"), "schools:school_list", "backpack2", "schools.view_school", order=100),
    ),
    permissions={
        "sysadmin": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "commander": SCHOOL_VIEW,
        "officer": (*SCHOOL_VIEW, *SCHOOL_ADMIN),
        "community_officer": SCHOOL_VIEW,
        "legal_vice_principal": ("schools.view_school",),
        "education_officer": SCHOOL_VIEW,
        "school_security_chief": (*SCHOOL_VIEW, "schools.change_school", *SCHOOL_LEDGERS),
        "gate_guard": ("schools.view_school",),
    },
    figures=FIGURES,
    dictionaries=DICTIONARIES,
    demo=(DemoStep("schools", "huxiao.demo.schools.step_schools", after=("users",)),),
    parameters=PARAMETERS,
)
