"""Background tasks of the core app. Tasks only load and call a service (HackSoft habit)."""

from __future__ import annotations

import os
from pathlib import Path

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, task

from huxiao.core import audit, context


@task()
def probe(marker_path: str, payload: str) -> str:
    """Write who ran the task; used to prove the worker is alive (``huxiao worker`` checks)."""
    Path(marker_path).write_text(f"{os.getpid()}\n{payload}\n", encoding="utf-8")
    return payload


@db_periodic_task(crontab(minute="37"))
def idempotency_sweep() -> int:
    """Hourly: drop the API's idempotency records older than a day (a client retries within
    minutes; core.middleware.IdempotencyMiddleware)."""
    import datetime as dt

    from django.utils import timezone

    from huxiao.core.models import IdempotencyRecord

    old = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1))
    return old.delete()[0]


@db_periodic_task(crontab(minute="7"))
def checkpoint_audit_chain() -> None:
    """Hourly: anchor the chain's head outside the database (settings.AUDIT_CHECKPOINT_FILE)."""
    audit.write_checkpoint()


@db_periodic_task(crontab(minute="17", hour="2"))
def verify_audit_chain() -> bool:
    """Nightly chain check; a broken chain is put in every auditor's inbox at once."""
    from huxiao.core.choices import NotificationLevel
    from huxiao.core.services import tell_auditors

    result = audit.verify_chain()
    if not result.ok:
        with context.acting(source="task"):
            tell_auditors(
                "审计日志哈希链校验失败",
                f"序号 {result.first_bad_seq}：{result.problem}",
                level=NotificationLevel.URGENT,
            )
    return result.ok


@db_task()
def verify_audit_chain_now(run_id: int) -> bool | None:
    """A chain check an auditor started from the audit page (core.audit_verify)."""
    from huxiao.core import audit_verify

    with context.acting(source="task"):
        return audit_verify.verify_run(run_id=run_id)


# ---- every periodic run is recorded (定时任务, issue 21) ------------------------------------
#
# Huey's hooks cover every module's periodic task without touching it: before a run, a paused
# task (core.PeriodicTaskState) is cancelled and recorded as skipped; otherwise a TaskRun is
# opened, and closed after the run with its outcome and result. The rows are operational logs,
# written without the model signals (the audit trail records the administrator's actions —
# pausing, running now — not each scheduled run). A failing hook never stops a task: huey logs
# it and runs the task anyway.


def task_name(task_or_class) -> str:
    """The registry name of a task (``huxiao.inspections.tasks.hazard_daily_sweep``)."""
    from huey.contrib.djhuey import HUEY

    cls = task_or_class if isinstance(task_or_class, type) else type(task_or_class)
    return HUEY._registry.task_to_string(cls)


def result_text(value) -> str:
    """A task's return value as the run's result: JSON when it is data, else its text."""
    import json

    if value is None:
        return ""
    if isinstance(value, dict | list | tuple | bool | int | float):
        try:
            return json.dumps(value, ensure_ascii=False, default=str)[:4000]
        except (TypeError, ValueError):
            pass
    return str(value)[:4000]


def failure_text(exception: BaseException) -> str:
    return f"{type(exception).__name__}: {exception}"[:4000]


def _is_periodic(task) -> bool:
    from huey.api import PeriodicTask

    return isinstance(task, PeriodicTask)


def _track_start(task) -> None:
    from django.db import close_old_connections
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import CancelExecution

    from huxiao.core.models import PeriodicTaskState, TaskRun

    if not _is_periodic(task):
        return
    if not HUEY.immediate:
        close_old_connections()  # a worker thread's connection may have gone stale meanwhile
    name, now = task_name(task), timezone.now()
    if PeriodicTaskState.objects.filter(name=name, is_paused=True).exists():
        TaskRun.objects.bulk_create(
            [TaskRun(name=name, started_at=now, finished_at=now, outcome=TaskRun.Outcome.SKIPPED)]
        )
        raise CancelExecution(retry=False)
    (run,) = TaskRun.objects.bulk_create(
        [TaskRun(name=name, started_at=now, outcome=TaskRun.Outcome.RUNNING)]
    )
    task._huxiao_run_id = run.pk


def _track_end(task, value, exception) -> None:
    from django.db import close_old_connections
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from huxiao.core.models import TaskRun

    run_id = getattr(task, "_huxiao_run_id", None)
    if run_id is None:
        return
    outcome = TaskRun.Outcome.SUCCESS if exception is None else TaskRun.Outcome.FAILURE
    text = result_text(value) if exception is None else failure_text(exception)
    TaskRun.objects.filter(pk=run_id).update(
        finished_at=timezone.now(), outcome=outcome, result=text
    )
    if not HUEY.immediate:
        close_old_connections()  # the worker thread does not keep a stale connection


def _install_hooks() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pre_execute(name="huxiao_track_start")(_track_start)
    HUEY.post_execute(name="huxiao_track_end")(_track_end)


_install_hooks()
