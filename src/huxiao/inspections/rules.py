"""Rules of the rectification loop, as pure functions (SPEC 2.2).

Sources: the Panzhihua bureau's report (seed 004): “对排查出的安全隐患，要立即下发整改通知书，
限期整改到位……对存在的重大隐患……实行挂牌督办”; the Kunming reply (seed 000): “下发了整改通知书，
并提出整改意见和建议，通报教育主管部门”. Deadlines count working days on the official calendar
(``huxiao.core.workcalendar``: holidays and 调休 from the State Council's notices).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from huxiao.core import workcalendar
from huxiao.inspections.choices import OPEN_STATES, HazardAction, HazardState, Severity

S = HazardState


# The permissions a transition may need (the roles that hold them: ``inspections.registry``).
RECTIFY = "inspections.rectify_hazard"
RECHECK = "inspections.recheck_hazard"
SUPERVISE = "inspections.supervise_hazard"
ISSUE_NOTICE = "inspections.add_rectificationnotice"
CHASE = "inspections.chase_hazard"

# At most this many files in one upload field (evidence, re-check photos).
MAX_FILES = 10

_SERVICES = "huxiao.inspections.services."


@dataclass(frozen=True)
class Arg:
    """One argument of a transition, under one name: the page form's field, the API's field
    and the service's keyword. A ``required`` one left empty is refused with ``missing`` (by
    the page's form, and by the service for every other caller); ``files`` are uploads (the
    page's file inputs, the API's multipart parts); ``aliases`` are other names the API
    accepts for it (older clients sent the reason as ``note``)."""

    name: str
    required: bool = False
    missing: Any = ""
    files: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transition:
    """One step of the state machine and how it is run.

    ``service`` (a dotted path, so that this module imports no service) is called with
    ``hazard``, ``actor``, ``expected_version``, the ``fixed`` keywords and the ``args`` given.
    Whoever holds ``permission`` may run it, when ``own_school`` only on the hazards of the
    school they belong to; a transition with ``once`` is ruled out when that field of the
    hazard is set (a hazard is escalated, or put on a notice, once). ``page`` is the action
    of the hazard page that runs it (``/hazards/<pk>/<page>/``, several transitions may share
    one, told apart by their ``fixed`` keywords); ``api`` says whether
    ``POST /hazards/{id}/transitions`` runs it.
    """

    action: str  # HazardAction value, also the API's transition name
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    label: object
    service: str
    permission: str
    args: tuple[Arg, ...] = ()
    fixed: tuple[tuple[str, Any], ...] = ()
    own_school: bool = False
    once: str = ""
    page: str = ""
    api: bool = True
    # A rule of this module (its name) saying why the transition is not offered now although
    # the state allows it: called with the hazard and today, answers a message or None.
    condition: str = ""

    def arg(self, name: str) -> Arg:
        return next(a for a in self.args if a.name == name)


_NOTE = Arg("note")
_RECHECK_PHOTOS = Arg("photos", files=True)

# The explicit state machine: a transition is allowed only from its source states.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            HazardAction.STARTED,
            (S.PENDING,),
            S.RECTIFYING,
            _("开始整改"),
            service=_SERVICES + "hazard_start",
            permission=RECTIFY,
            own_school=True,
            args=(_NOTE,),
            page="start",
        ),
        Transition(
            HazardAction.REPORTED,
            (S.PENDING, S.RECTIFYING),
            S.AWAITING_RECHECK,
            _("提交整改报告"),
            service=_SERVICES + "hazard_report",
            permission=RECTIFY,
            own_school=True,
            args=(
                Arg("measures", required=True, missing=_("请填写整改措施。"), aliases=("note",)),
                Arg("evidence", files=True),
            ),
            page="report",
        ),
        Transition(
            HazardAction.RECHECK_PASSED,
            (S.AWAITING_RECHECK,),
            S.CLOSED,
            _("复查通过"),
            service=_SERVICES + "hazard_recheck",
            permission=RECHECK,
            fixed=(("passed", True),),
            args=(_NOTE, _RECHECK_PHOTOS),
            page="recheck",
        ),
        Transition(
            HazardAction.RECHECK_FAILED,
            (S.AWAITING_RECHECK,),
            S.RECTIFYING,
            _("复查不通过"),
            service=_SERVICES + "hazard_recheck",
            permission=RECHECK,
            fixed=(("passed", False),),
            args=(
                Arg("note", required=True, missing=_("复查不通过时请写明复查意见。")),
                # One of the two: the service refuses a failed re-check without a new deadline.
                Arg("new_deadline"),
                Arg("new_working_days"),
                _RECHECK_PHOTOS,
            ),
            page="recheck",
        ),
        Transition(
            HazardAction.DEADLINE_CHANGED,
            (S.PENDING, S.RECTIFYING, S.AWAITING_RECHECK),
            None,
            _("调整整改期限"),
            service=_SERVICES + "hazard_change_deadline",
            permission=RECHECK,
            args=(
                Arg("deadline", required=True, missing=_("请填写调整后的整改期限。")),
                Arg(
                    "reason", required=True, missing=_("请写明调整期限的原因。"), aliases=("note",)
                ),
            ),
            page="deadline",
        ),
        Transition(
            HazardAction.ESCALATED,
            (S.PENDING, S.RECTIFYING, S.AWAITING_RECHECK),
            None,
            _("挂牌督办"),
            service=_SERVICES + "hazard_escalate",
            permission=SUPERVISE,
            once="is_escalated",
            args=(
                Arg("reason", required=True, missing=_("请写明督办原因。"), aliases=("note",)),
                Arg("deadline"),
            ),
            page="escalate",
        ),
        # 催办 (issue 14): the education bureau watches its schools and the police their
        # jurisdiction; either may press the school while it owes work past or near the
        # deadline. The state does not change; the history and the count keep it.
        Transition(
            HazardAction.CHASED,
            (S.PENDING, S.RECTIFYING),
            None,
            _("催办"),
            service=_SERVICES + "hazard_chase",
            permission=CHASE,
            args=(Arg("note"),),
            page="chase",
            condition="chase_problem",
        ),
        # A notice covers several hazards of one school: it is issued from its own page and
        # ``POST /notices`` (their forms name the school and the hazards), not from one hazard.
        Transition(
            HazardAction.NOTICE_ISSUED,
            (S.PENDING, S.RECTIFYING),
            None,
            _("下发整改通知书"),
            service=_SERVICES + "notice_issue",
            permission=ISSUE_NOTICE,
            once="notice_id",
            api=False,
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


def page_transitions(page: str) -> list[Transition]:
    """The transitions the hazard page's action ``page`` runs (empty: no such action)."""
    return [t for t in TRANSITIONS.values() if page and t.page == page]


def page_transition(page: str, values) -> Transition | None:
    """Which of the action's transitions ``values`` (the form's cleaned data) asks for: the
    one whose fixed keywords they match (a re-check passed or not)."""
    for transition in page_transitions(page):
        if all(values.get(k) == v for k, v in transition.fixed):
            return transition
    return None


def _is_empty(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple) and not value)


def transition_arguments(action: str, given) -> dict[str, Any]:
    """The service keywords of ``action`` taken from ``given`` (a form's cleaned data or an
    API body): each argument under its name, else the first of its aliases given. Empty
    optional arguments are left out (the service's defaults apply); a required one is always
    passed, so that the service refuses it when empty."""
    values: dict[str, Any] = {}
    for arg in TRANSITIONS[action].args:
        for name in (arg.name, *arg.aliases):
            if not _is_empty(given.get(name)):
                values[arg.name] = given[name]
                break
        else:
            if arg.required:
                values[arg.name] = given.get(arg.name)
    return values


def missing_arguments(action: str, values) -> dict[str, str]:
    """The required arguments of ``action`` that ``values`` leaves empty, each with its message."""
    return {
        arg.name: str(arg.missing)
        for arg in TRANSITIONS[action].args
        if arg.required and arg.name in values and _is_empty(values[arg.name])
    }


def notice_deadline(issue_date: dt.date, working_days: int) -> dt.date:
    """限期整改: the deadline is the ``working_days``-th working day after the issue date."""
    return workcalendar.add_workdays(issue_date, working_days)


def reminder_date(deadline: dt.date, workdays_before: int) -> dt.date:
    """The day the school is reminded: ``workdays_before`` working days before the deadline."""
    return workcalendar.subtract_workdays(deadline, workdays_before)


def is_overdue(*, state: str, deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and state in OVERDUE_STATES and deadline < today


def deadline_warning(start: dt.date | None, deadline: dt.date | None) -> str:
    """The warning beside a deadline counted over a year whose 放假调休 arrangement is not
    loaded (``workcalendar.schedule_warning``); "" without a deadline."""
    if deadline is None:
        return ""
    return workcalendar.schedule_warning(start or deadline, deadline)


def hazard_deadline_warning(hazard) -> str:
    """``deadline_warning`` of an open hazard's deadline, counted from its notice's issue date
    when it is the notice's deadline (else the date alone, set by hand or by a re-check)."""
    if hazard.state == S.CLOSED or hazard.deadline is None:
        return ""
    notice = hazard.notice if hazard.notice_id else None
    start = notice.issue_date if notice and notice.deadline == hazard.deadline else None
    return deadline_warning(start, hazard.deadline)


def hazard_overdue(hazard, today: dt.date) -> bool:
    """The one definition of an overdue hazard, for a row (its SQL twin is
    ``filtersets_hazards.overdue_q``): marked so by the daily sweep while still open, or past
    its deadline while the school still owes work (before the sweep has run today)."""
    return (hazard.is_overdue and hazard.state in OPEN_STATES) or is_overdue(
        state=hazard.state, deadline=hazard.deadline, today=today
    )


def chase_problem(hazard, today: dt.date, remind_workdays: int | None = None) -> str | None:
    """Why the school cannot be chased on ``hazard`` today, or None: 催办 is for a hazard the
    school still owes work on that is overdue or within the reminder window before its
    deadline (参数设置 HAZARD_REMIND_WORKDAYS working days, the window of the automatic
    到期提醒)."""
    if hazard.state not in OVERDUE_STATES:
        return str(_("隐患当前状态为“%(state)s”，学校没有待办的整改，不需要催办。")) % {
            "state": S(hazard.state).label
        }
    if hazard_overdue(hazard, today):
        return None
    if hazard.deadline is None:
        return str(_("隐患没有整改期限，也未逾期，暂不需要催办。"))
    if remind_workdays is None:
        from huxiao.core import parameters

        remind_workdays = parameters.get("HAZARD_REMIND_WORKDAYS")
    if reminder_date(hazard.deadline, remind_workdays) <= today:
        return None
    return str(_("隐患未逾期，距整改期限（%(deadline)s）还有%(n)d个工作日以上，暂不需要催办。")) % {
        "deadline": hazard.deadline.isoformat(),
        "n": remind_workdays,
    }


def condition_problem(transition: Transition, hazard, today: dt.date) -> str | None:
    """The transition's ``condition`` for ``hazard`` today (None: no condition, or met)."""
    if not transition.condition:
        return None
    return globals()[transition.condition](hazard, today)


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
