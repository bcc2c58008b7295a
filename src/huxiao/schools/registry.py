"""What the schools module brings: schools, guards, equipment, devices, compliance, ledger import."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huxiao.core.modules import DemoStep, Figure, MenuEntry, Module
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
FIGURES = (
    Figure(
        code="schools.schools",
        label=_("学校数"),
        definition=_("数据范围内登记的学校（含幼儿园、中小学、中职、特教、教学点）总数。"),
        compute="huxiao.schools.figures.schools",
        records_url="huxiao.schools.figures.schools_url",
        unit=_("所"),
        permission="schools.view_school",
        periodic=False,
    ),
    *(
        Figure(
            code=f"schools.failing_{code}",
            label=FAILING_LABELS[code],
            definition=format_lazy(
                _(
                    "数据范围内，{rule}：按 SPEC 2.2 的规则（及其所引公安部、教育部文件）判定，"
                    "即学校列表按该未达标项筛选出的学校。"
                ),
                rule=FAILING_LABELS[code],
            ),
            compute=f"huxiao.schools.figures.failing_{code}",
            records_url=f"huxiao.schools.figures.failing_{code}_url",
            unit=_("所"),
            permission="schools.view_school",
            periodic=False,
        )
        for code in RULE_CODES
    ),
)

MODULE = Module(
    label="schools",
    name=_("学校与三防"),
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
    demo=(DemoStep("schools", "huxiao.demo.schools.step_schools", after=("users",)),),
)
