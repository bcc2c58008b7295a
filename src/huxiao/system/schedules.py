"""A periodic task's schedule in Chinese (定时任务): read back from huey's crontab.

Huey keeps a crontab as the sets of months, days, weekdays, hours and minutes it matches (in
the closure of its test function); ``describe`` turns them into "每天 07:05", "每小时第7分",
"每周一 08:00", "每15分钟" … A schedule that is not a crontab reads "自定义".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

_FULL = {
    "month": set(range(1, 13)),
    "day": set(range(1, 32)),
    "weekday": set(range(7)),
    "hour": set(range(24)),
    "minute": set(range(60)),
}
_WEEKDAYS = (
    pgettext_lazy("weekday", "日"),
    pgettext_lazy("weekday", "一"),
    pgettext_lazy("weekday", "二"),
    pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"),
    pgettext_lazy("weekday", "五"),
    pgettext_lazy("weekday", "六"),
)

# Titles of the platform's periodic tasks; a task not named here shows its function's name.
TITLES = {
    "huxiao.core.tasks.checkpoint_audit_chain": gettext_noop("审计日志链头锚定"),
    "huxiao.core.tasks.verify_audit_chain": gettext_noop("审计日志哈希链校验"),
    "huxiao.core.tasks.idempotency_sweep": gettext_noop("清理接口幂等记录（保留一天）"),
    "huxiao.inspections.tasks.hazard_daily_sweep": gettext_noop(
        "隐患每日巡检（到期提醒、逾期标记、自动督办）"
    ),
}


def title(name: str, function: str) -> str:
    known = TITLES.get(name)
    return _(known) if known else function


def cron_sets(task_class) -> dict[str, set[int]] | None:
    """The crontab's sets of a periodic task class, or None when it is not a huey crontab."""
    try:
        method = task_class.validate_datetime
        outer = method.__closure__[0].cell_contents  # periodic_task's validate_datetime
        cells = dict(zip(outer.__code__.co_freevars, outer.__closure__ or (), strict=False))
        months, days, weekdays, hours, minutes = cells["cron_settings"].cell_contents
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None
    return {
        "month": set(months),
        "day": set(days),
        "weekday": {w % 7 for w in weekdays},
        "hour": set(hours),
        "minute": set(minutes),
    }


def _step(values: set[int], full: set[int]) -> int | None:
    """The n of "*/n": the values are every n-th of the full range from its start."""
    ordered = sorted(values)
    if len(ordered) < 2 or ordered[0] != min(full):
        return None
    step = ordered[1] - ordered[0]
    return step if ordered == sorted(full)[::step] else None


def _joined(values: set[int], fmt: str = "{}") -> str:
    return "、".join(fmt.format(v) for v in sorted(values))


def describe(task_class) -> str:
    sets = cron_sets(task_class)
    if sets is None:
        return _("自定义")
    return describe_sets(sets)


def describe_sets(sets: dict[str, set[int]]) -> str:
    full = {k: sets[k] >= _FULL[k] for k in _FULL}
    parts = []
    if not full["month"]:
        parts.append(_("每年%(months)s月") % {"months": _joined(sets["month"])})
    if not full["day"]:
        parts.append(
            (_("%(days)s日") if parts else _("每月%(days)s日")) % {"days": _joined(sets["day"])}
        )
    if not full["weekday"]:
        parts.append(
            _("每周%(days)s")
            % {"days": _("、").join(str(_WEEKDAYS[w]) for w in sorted(sets["weekday"]))}
        )
    hours, minutes = sets["hour"], sets["minute"]
    if full["hour"] and full["minute"]:
        when = _("每分钟")
    elif full["hour"]:
        step = _step(minutes, _FULL["minute"])
        if step:
            when = _("每%(n)d分钟") % {"n": step}
        else:
            when = _("每小时第%(minutes)s分") % {"minutes": _joined(minutes)}
    elif len(hours) * len(minutes) <= 6:
        when = "、".join(f"{h:02d}:{m:02d}" for h in sorted(hours) for m in sorted(minutes))
    else:
        step = _step(hours, _FULL["hour"])
        hour_text = (
            _("每%(n)d小时") % {"n": step} if step else _("%(hours)s时") % {"hours": _joined(hours)}
        )
        when = _("%(hours)s的第%(minutes)s分") % {"hours": hour_text, "minutes": _joined(minutes)}
    if not parts:
        return when if full["hour"] else _("每天 %(when)s") % {"when": when}
    return " ".join([*parts, when])
