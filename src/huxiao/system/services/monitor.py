"""What administrators do to the running platform (在线用户, 账号锁定, 定时任务): force a session
out, revoke a token, unlock an account, run a periodic task now, pause or resume it. Each is
left in the audit trail: the model changes by the model signals, the rest by a system record.
"""

from __future__ import annotations

import importlib
import inspect

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit, services
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import ApiToken, PeriodicTaskState, TaskRun, UserSession

# ---- sessions and tokens --------------------------------------------------------------------


@transaction.atomic
def session_end(*, session: UserSession, actor, current_key: str = "") -> UserSession:
    """Force a signed-in session out (强制下线): its Django session is deleted, so the user's
    next request goes to the sign-in page. The administrator's own session in use is refused
    (退出登录 is for that)."""
    if current_key and session.session_key == current_key:
        raise ValidationError(_("不能强制下线当前正在使用的会话，请使用“退出登录”。"))
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store.delete(session.session_key)
    session.ended_at = timezone.now()
    session.ended_by = actor
    session.full_clean()
    session.save(update_fields=["ended_at", "ended_by"])  # audited (强制下线人)
    return session


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke an API token of an account in scope (its change is audited by the signals)."""
    return services.token_revoke(token=token)


# ---- lockouts -------------------------------------------------------------------------------


@transaction.atomic
def lockout_unlock(*, username: str, actor) -> int:
    """Clear django-axes' failed attempts of ``username``: it may sign in again at once."""
    from axes.utils import reset

    removed = reset(username=username)
    audit.append(
        kind=AuditKind.SYSTEM,
        action=AuditAction.UPDATE,
        object_type="core.user",
        object_repr=username,
        after={"operation": "unlock", "attempts_cleared": removed},
        actor=actor,
    )
    return removed


# ---- periodic tasks -------------------------------------------------------------------------


def _function(task_class):
    """The task's own function, without djhuey's connection handling around it (that closes
    the request's database connection, which a run inside a request must keep)."""
    execute = task_class.execute
    cells = dict(zip(execute.__code__.co_freevars, execute.__closure__ or (), strict=False))
    return inspect.unwrap(cells["func"].cell_contents)


def task_run(*, name: str, actor) -> TaskRun:
    """Run a periodic task now (立即执行), in this request: the worker may be absent in the
    embedded profile, and the platform's periodic tasks are short. The run is recorded with
    who started it, its outcome and result; an exception is caught and recorded as a failure.
    A paused task may still be run by hand."""
    from huxiao.core.tasks import failure_text, result_text
    from huxiao.system.selectors_monitor import periodic_task

    task = periodic_task(name)
    run = TaskRun(
        name=task.name,
        started_at=timezone.now(),
        outcome=TaskRun.Outcome.RUNNING,
        triggered_by=actor,
    )
    run.full_clean()
    run.save()  # audited: who ran which task when
    try:
        with transaction.atomic():
            value = _function(task.task_class)()
    except Exception as exc:  # noqa: BLE001 - any failure of the task is its result
        run.outcome, run.result = TaskRun.Outcome.FAILURE, failure_text(exc)
    else:
        run.outcome, run.result = TaskRun.Outcome.SUCCESS, result_text(value)
    run.finished_at = timezone.now()
    TaskRun.objects.filter(pk=run.pk).update(
        outcome=run.outcome, result=run.result, finished_at=run.finished_at
    )
    return run


@transaction.atomic
def task_set_paused(*, name: str, paused: bool, actor) -> PeriodicTaskState:
    """Pause or resume a periodic task: while paused, its scheduled runs are skipped (and
    recorded as skipped, core.tasks)."""
    from huxiao.system.selectors_monitor import periodic_task

    task = periodic_task(name)
    state = PeriodicTaskState.objects.select_for_update().filter(
        name=task.name
    ).first() or PeriodicTaskState(name=task.name)
    state.is_paused = paused
    state.paused_by = actor if paused else None
    state.full_clean()
    state.save()  # audited
    return state
