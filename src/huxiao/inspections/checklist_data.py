"""The default checklist, taken from the seeds' own check items.

Seed 004 (攀枝花): “对每一所学校、幼儿园内部保卫力量、守卫防护装备、安全管理制度、安全防范设施、
应急处置机制等逐一进行检查”, and its measures (门卫登记, 出入证, 接送, 封闭管理, 持证上岗,
24小时值班, 视频监控联网, 一键式报警, 校门围墙, 剧毒化学品, 周边治安乱点).
Seed 000 (官渡): “重点检查学校保安力量配备、技防建设到位和内部保卫制度执行”.
"""

from django.db import transaction
from django.utils.translation import gettext_noop as N_

DEFAULT_CHECKLIST_NAME = N_("中小学幼儿园安全检查表（通用）")

# (group, code, text, guidance)
DEFAULT_ITEMS = (
    (
        "personnel",
        "RF-01",
        N_("保安力量配备达到规定人数"),
        N_("公治〔2015〕168号、GB/T 29315-2022：按师生人数配备专职保安员"),
    ),
    (
        "personnel",
        "RF-02",
        N_("保安员经岗前培训持证上岗"),
        N_("《保安服务管理条例》：保安员证在有效期内"),
    ),
    ("personnel", "RF-03", N_("保安员年龄、身体状况符合要求"), N_("专职保安员年龄不超过60周岁")),
    (
        "personnel",
        "RF-04",
        N_("守卫防护装备配齐（安全叉、橡胶棒、防刺背心等）"),
        N_("按最低配备标准逐项清点"),
    ),
    (
        "personnel",
        "RF-05",
        N_("农村寄宿制学校24小时有人值班"),
        N_("配备专门值班人员和生活管理老师"),
    ),
    ("physical", "WF-01", N_("实行封闭化管理"), N_("校园各项封闭管理措施到位")),
    ("physical", "WF-02", N_("校门、围墙（围栏）符合安全要求"), ""),
    ("physical", "WF-03", N_("校门口设置硬质防冲撞设施"), N_("拒马、隔离墩、升降柱等")),
    ("technical", "JF-01", N_("视频监控覆盖重点部位且运行良好"), N_("录像保存不少于30天")),
    (
        "technical",
        "JF-02",
        N_("视频监控接入公安机关和教育部门平台"),
        N_("城市校园联网率达到80%以上"),
    ),
    ("technical", "JF-03", N_("一键式紧急报警装置安装并与公安机关联网"), ""),
    ("rules", "ZD-01", N_("外来人员、车辆登记制度落实"), N_("门卫登记簿或系统记录完整")),
    ("rules", "ZD-02", N_("内部人员、车辆出入证制度落实"), ""),
    ("rules", "ZD-03", N_("学生、幼儿接送制度落实"), ""),
    ("rules", "ZD-04", N_("内部保卫制度执行到位"), N_("值班巡查、交接班、隐患自查记录")),
    ("rules", "ZD-05", N_("剧毒化学品等危险物品管理制度落实"), ""),
    (
        "emergency",
        "YJ-01",
        N_("应急处置机制健全，预案完备"),
        N_("防校园侵害、消防疏散、防恐等预案"),
    ),
    ("emergency", "YJ-02", N_("按计划开展应急演练"), ""),
    ("surroundings", "ZB-01", N_("校园周边无治安乱点（黑网吧、“黄赌毒”等）"), ""),
    (
        "surroundings",
        "ZB-02",
        N_("上放学时段“护学岗”落实"),
        N_("攀公治〔2013〕41号：校园及周边纳入必巡点"),
    ),
)


def ensure_default_checklist() -> bool:
    """Create the default checklist if no checklist exists (post_migrate); True if created."""
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from huxiao.inspections.models import ChecklistTemplate
    from huxiao.inspections.services import checklist_create

    if ChecklistTemplate.objects.exists():
        return False
    with override("zh-hans"), transaction.atomic():
        checklist_create(
            name=_(DEFAULT_CHECKLIST_NAME),
            description=_("依据“护校安园”工作方案的检查项目，可由管理员修订（修订发布新版本）。"),
            items=[
                {"group": g, "code": c, "text": _(t), "guidance": _(h) if h else ""}
                for g, c, t, h in DEFAULT_ITEMS
            ],
        )
    return True
