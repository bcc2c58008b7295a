"""Rules of the rectification loop, as pure functions (SPEC 2.2).

Sources: the Panzhihua bureau's report (seed 004): “对排查出的安全隐患，要立即下发整改通知书，
限期整改到位……对存在的重大隐患……实行挂牌督办”; the Kunming reply (seed 000): “下发了整改通知书，
并提出整改意见和建议，通报教育主管部门”. Deadlines count working days on the official calendar
(``huxiao.core.workcalendar``: holidays and 调休 from the State Council's notices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from huxiao.core import workcalendar
from huxiao.inspections.choices import HazardAction, HazardState, Severity

S = HazardState


@dataclass(frozen=True)
class Transition:
    action: str  # HazardAction value, also the API's transition name
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    label: object


# The explicit state machine: a transition is allowed only from its source states.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(HazardAction.STARTED, (S.PENDING,), S.RECTIFYING, _("开始整改")),
        Transition(
            HazardAction.REPORTED, (S.PENDING, S.RECTIFYING), S.AWAITING_RECHECK, _("提交整改报告")
        ),
        Transition(HazardAction.RECHECK_PASSED, (S.AWAITING_RECHECK,), S.CLOSED, _("复查通过")),
        Transition(
            HazardAction.RECHECK_FAILED, (S.AWAITING_RECHECK,), S.RECTIFYING, _("复查不通过")
        ),
        Transition(
            HazardAction.DEADLINE_CHANGED,
            (S.PENDING, S.RECTIFYING, S.AWAITING_RECHECK),
            None,
            _("调整整改期限"),
        ),
        Transition(
            HazardAction.ESCALATED,
            (S.PENDING, S.RECTIFYING, S.AWAITING_RECHECK),
            None,
            _("挂牌督办"),
        ),
        Transition(
            HazardAction.NOTICE_ISSUED, (S.PENDING, S.RECTIFYING), None, _("下发整改通知书")
        ),
    )
}

# States in which the school still owes work, so a passed deadline makes the hazard overdue.
OVERDUE_STATES = (S.PENDING, S.RECTIFYING)


def transition_problem(action: str, state: str) -> str | None:
    """A Chinese message saying why ``action`` is not allowed in ``state``, or None."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return str(_("未知的操作：%(a)s")) % {"a": action}
    if state not in transition.sources:
        return str(_("隐患当前状态为“%(state)s”，不能执行“%(action)s”。")) % {
            "state": S(state).label,
            "action": transition.label,
        }
    return None


def allowed_actions(state: str) -> list[str]:
    return [a for a, t in TRANSITIONS.items() if state in t.sources]


def notice_deadline(issue_date: dt.date, working_days: int) -> dt.date:
    """限期整改: the deadline is the ``working_days``-th working day after the issue date."""
    return workcalendar.add_workdays(issue_date, working_days)


def reminder_date(deadline: dt.date, workdays_before: int) -> dt.date:
    """The day the school is reminded: ``workdays_before`` working days before the deadline."""
    return workcalendar.subtract_workdays(deadline, workdays_before)


def is_overdue(*, state: str, deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and state in OVERDUE_STATES and deadline < today


def should_remind(
    *,
    state: str,
    deadline: dt.date | None,
    reminded_for: dt.date | None,
    today: dt.date,
    workdays_before: int,
) -> bool:
    if deadline is None or state not in OVERDUE_STATES or reminded_for == deadline:
        return False
    return reminder_date(deadline, workdays_before) <= today <= deadline


def should_escalate(
    *, severity: str, is_overdue: bool, overdue_count: int, is_escalated: bool, after_overdues: int
) -> bool:
    """挂牌督办: an overdue 重大 hazard, or any hazard overdue ``after_overdues`` times."""
    if is_escalated:
        return False
    if severity == Severity.MAJOR and is_overdue:
        return True
    return overdue_count >= after_overdues


def supervisor_for(*, issuer, school_org):
    """The organisation that supervises an escalation: the superior of the notice's issuer
    (the station's sub-bureau), else of the school's station; the top of the tree supervises
    itself."""
    base = issuer if issuer is not None else school_org.parent
    if base is None:
        return school_org
    return base.parent or base


def document_number(prefix: str, year: int, serial: int) -> str:
    """GB/T 9704 发文字号: 机关代字〔年份〕序号号, e.g. 攀公炳治〔2026〕7号."""
    return f"{prefix}〔{year}〕{serial}号"
