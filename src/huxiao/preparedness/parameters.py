"""The preparedness module's business parameters (参数设置), declared in ``registry.py``.

Their defaults are the ``fallback`` of ``core.parameters.Parameter``, so the module brings its
parameters without an edit of the shared settings module; a setting of the same name, or the
environment variable, still wins (docs/preparedness.md).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huxiao.core import parameters
from huxiao.core.parameters import Parameter

GROUP = _("应急准备")

PLAN_REVIEW_MONTHS = "PREPAREDNESS_PLAN_REVIEW_MONTHS"
TARGET_MIDDLE = "PREPAREDNESS_EVACUATION_TARGET_MIDDLE"
TARGET_PRIMARY = "PREPAREDNESS_EVACUATION_TARGET_PRIMARY"
DRILL_MONTHS_SCHOOL = "PREPAREDNESS_DRILL_MONTHS_SCHOOL"
DRILL_MONTHS_KINDERGARTEN = "PREPAREDNESS_DRILL_MONTHS_KINDERGARTEN"
REVIEW_NOTICE_DAYS = "PREPAREDNESS_REVIEW_NOTICE_DAYS"

DECLARED = (
    Parameter(
        PLAN_REVIEW_MONTHS,
        _("应急预案评审周期"),
        _(
            "应急预案自批准或上次评审起满此月数即到期评审（《突发事件应急预案管理办法》第三十条；默认每年一次）。"
        ),
        minimum=1,
        maximum=60,
        env="HUXIAO_PREPAREDNESS_PLAN_REVIEW_MONTHS",
        unit=_("月"),
        group=GROUP,
        fallback=12,
    ),
    Parameter(
        REVIEW_NOTICE_DAYS,
        _("预案评审提前提醒天数"),
        _("下次评审日期前此天数内，预案列入学校的“我的待办”。"),
        minimum=0,
        maximum=180,
        env="HUXIAO_PREPAREDNESS_REVIEW_NOTICE_DAYS",
        unit=_("天"),
        group=GROUP,
        fallback=30,
    ),
    Parameter(
        TARGET_MIDDLE,
        _("中学疏散目标用时"),
        _("初中、高中、完全中学、中职的疏散演练目标用时（教育厅〔2014〕1号指南：约2分钟）。"),
        minimum=30,
        maximum=1800,
        env="HUXIAO_PREPAREDNESS_EVACUATION_TARGET_MIDDLE",
        unit=_("秒"),
        group=GROUP,
        fallback=120,
    ),
    Parameter(
        TARGET_PRIMARY,
        _("小学、幼儿园疏散目标用时"),
        _(
            "小学、幼儿园及九年一贯制、特殊教育、教学点的疏散演练目标用时（教育厅〔2014〕1号指南："
            "约3分钟）。"
        ),
        minimum=30,
        maximum=1800,
        env="HUXIAO_PREPAREDNESS_EVACUATION_TARGET_PRIMARY",
        unit=_("秒"),
        group=GROUP,
        fallback=180,
    ),
    Parameter(
        DRILL_MONTHS_SCHOOL,
        _("中小学演练频次"),
        _("中小学每隔此月数至少举行一次应急演练（默认每月一次）。"),
        minimum=1,
        maximum=12,
        env="HUXIAO_PREPAREDNESS_DRILL_MONTHS_SCHOOL",
        unit=_("月"),
        group=GROUP,
        fallback=1,
    ),
    Parameter(
        DRILL_MONTHS_KINDERGARTEN,
        _("幼儿园演练频次"),
        _("幼儿园每隔此月数至少举行一次应急演练（默认每季度一次）。"),
        minimum=1,
        maximum=12,
        env="HUXIAO_PREPAREDNESS_DRILL_MONTHS_KINDERGARTEN",
        unit=_("月"),
        group=GROUP,
        fallback=3,
    ),
)


def get(key: str):
    return parameters.get(key)


def evacuation_target(level: str) -> int:
    from huxiao.preparedness import rules

    return rules.evacuation_target(level, middle=get(TARGET_MIDDLE), primary=get(TARGET_PRIMARY))


def drill_interval(level: str) -> int:
    from huxiao.preparedness import rules

    return rules.drill_interval_months(
        level, school=get(DRILL_MONTHS_SCHOOL), kindergarten=get(DRILL_MONTHS_KINDERGARTEN)
    )
