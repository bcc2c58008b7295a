"""The chain check started from the audit page (审计链校验, issue 14).

``huxiao audit verify`` and the nightly task check the chain for the operators; an auditor
starts the same check (``audit.verify_chain``) from the page. The run is a ``TaskRun``: the
service records who asked and when (audited through the model signals, like 立即执行 on the
system monitor) and queues the task after the commit; the task loads the run, checks the
chain and stores the outcome in ``TaskRun.result`` as JSON — records checked, checkpoints
compared, the first bad record and what is wrong with it. A broken chain is also put in every
auditor's inbox, as the nightly check does. The page shows the last check, whichever started it.

Who may start it: whoever reads the trail (``core.view_audit``). The check reads the chain and
reports; it changes no record, and the auditor's role holds no other permission (三权分立).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit
from huxiao.core.models import TaskRun

PERMISSION = "core.view_audit"
# A run still "running" after this long was lost (a worker stopped): another may start.
STALE_AFTER = dt.timedelta(minutes=30)
MANUAL_TASK = "huxiao.core.tasks.verify_audit_chain_now"
NIGHTLY_TASK = "huxiao.core.tasks.verify_audit_chain"

log = logging.getLogger("huxiao.audit")


def task_names() -> tuple[str, str]:
    """The TaskRun names of the check started from the page and of the nightly check (their
    names in huey's registry, ``core.tasks.task_name``)."""
    return MANUAL_TASK, NIGHTLY_TASK


# ---- writes ----------------------------------------------------------------------------------


def verify_start(*, actor) -> TaskRun:
    """Queue a check of the audit chain for ``actor``; refused while one is still running."""
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied
    name, _nightly = task_names()
    now = timezone.now()
    with transaction.atomic():
        running = TaskRun.objects.filter(
            name=name, outcome=TaskRun.Outcome.RUNNING, started_at__gte=now - STALE_AFTER
        )
        if running.exists():
            raise ValidationError(_("上一次校验尚未结束，请稍后刷新本页查看结果。"))
        run = TaskRun(
            name=name, started_at=now, outcome=TaskRun.Outcome.RUNNING, triggered_by=actor
        )
        run.full_clean()
        run.save()  # audited: who started a check, when
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    """Queue the check; a queue that cannot be reached (Redis down) fails the run with a
    message, rather than leaving it "running" until it goes stale."""
    from huxiao.core.tasks import verify_audit_chain_now

    try:
        verify_audit_chain_now(run_id)
    except Exception:  # noqa: BLE001 - any failure to queue is the run's failure, logged
        log.warning(
            "audit verify run %s: the task queue could not be reached", run_id, exc_info=True
        )
        TaskRun.objects.filter(pk=run_id, outcome=TaskRun.Outcome.RUNNING).update(
            outcome=TaskRun.Outcome.FAILURE,
            finished_at=timezone.now(),
            result=_("任务队列暂不可用，校验未执行，请稍后重试。"),
        )


def verify_run(*, run_id: int) -> bool | None:
    """Check the chain for a queued run and store the outcome on it (the task's body).
    Returns whether the chain is whole (None: no such run waiting)."""
    from huxiao.core.choices import NotificationLevel
    from huxiao.core.services import tell_auditors
    from huxiao.core.tasks import failure_text

    name, _nightly = task_names()
    run = TaskRun.objects.filter(pk=run_id, name=name, outcome=TaskRun.Outcome.RUNNING).first()
    if run is None:
        return None
    try:
        result = audit.verify_chain()
    except Exception as exc:
        # The outcome is written without the signals, as every task run's is (core.tasks).
        TaskRun.objects.filter(pk=run.pk).update(
            outcome=TaskRun.Outcome.FAILURE, finished_at=timezone.now(), result=failure_text(exc)
        )
        raise
    TaskRun.objects.filter(pk=run.pk).update(
        outcome=TaskRun.Outcome.SUCCESS,
        finished_at=timezone.now(),
        result=json.dumps(dataclasses.asdict(result), ensure_ascii=False),
    )
    if not result.ok:
        tell_auditors(
            _("审计日志哈希链校验失败"),
            _("序号 %(seq)s：%(problem)s")
            % {"seq": result.first_bad_seq, "problem": result.problem},
            level=NotificationLevel.URGENT,
        )
    return result.ok


# ---- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The last check of the chain, as the page shows it."""

    state: str  # running, ok, broken, error
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str
    checked: int | None = None
    checkpoints: int | None = None
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def running(self) -> bool:
        return self.state == "running"


def last_check(*, user) -> Check | None:
    """The latest check of the chain (from the page or the nightly task), for a reader of
    the trail; None before the first one."""
    if not user.has_perm(PERMISSION):
        return None
    run = (
        TaskRun.objects.filter(name__in=task_names())
        .exclude(outcome=TaskRun.Outcome.SKIPPED)
        .select_related("triggered_by")
        .order_by("-started_at", "-id")
        .first()
    )
    return check_of(run) if run is not None else None


def check_of(run: TaskRun) -> Check:
    who = run.triggered_by
    started_by = (who.display_name if who is not None else "") or _("定时任务")
    base = {"started_at": run.started_at, "finished_at": run.finished_at, "started_by": started_by}
    if run.outcome == TaskRun.Outcome.RUNNING:
        return Check(state="running", **base)
    if run.outcome != TaskRun.Outcome.SUCCESS:
        return Check(state="error", problem=run.result, **base)
    try:
        data = json.loads(run.result or "null")
    except ValueError:
        data = None
    if isinstance(data, bool):  # the nightly task returns whether the chain is whole
        return Check(state="ok" if data else "broken", **base)
    if not isinstance(data, dict):
        return Check(state="error", problem=run.result, **base)
    return Check(
        state="ok" if data.get("ok") else "broken",
        checked=data.get("checked"),
        checkpoints=data.get("checkpoints"),
        first_bad_seq=data.get("first_bad_seq"),
        first_bad_id=data.get("first_bad_id"),
        problem=str(data.get("problem") or ""),
        **base,
    )
