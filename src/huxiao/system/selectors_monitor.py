"""What the monitoring pages read (在线用户, 登录日志, 账号锁定, 定时任务), each from the reader's
scope: a unit administrator sees the sessions, tokens, sign-ins and lockouts of the accounts of
its own subtree only; the system administrator and the auditor see everyone's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from huxiao.core import parameters, selectors
from huxiao.core.choices import AuditKind, DataScope
from huxiao.core.models import ApiToken, AuditRecord, PeriodicTaskState, TaskRun, UserSession


def _sees_everyone(user) -> bool:
    role = user.role if user.role_id else None
    if role is None:
        return bool(user.is_superuser)
    return role.data_scope == DataScope.ALL


def visible_usernames(user) -> QuerySet:
    return selectors.user_list(user=user).order_by().values("username")


# ---- sessions and tokens --------------------------------------------------------------------


def idle_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=int(parameters.get("SESSION_IDLE_SECONDS")))


def session_list(*, user) -> QuerySet:
    """The online sessions: not ended, active within the idle timeout."""
    return (
        UserSession.objects.visible_to(user)
        .filter(ended_at=None, last_seen_at__gte=idle_cutoff())
        .select_related("user", "user__organization")
        .order_by("-last_seen_at", "-id")
    )


def session_get(*, user, pk: int) -> UserSession:
    """An online session in the user's scope (else 404, like a missing one)."""
    found = session_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def token_list(*, user) -> QuerySet:
    """The usable API tokens of the accounts in scope."""
    now = timezone.now()
    return (
        ApiToken.objects.visible_to(user)
        .filter(revoked_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .select_related("user", "user__organization")
        .order_by("-created_at")
    )


def token_get(*, user, pk: int) -> ApiToken:
    found = token_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# ---- the sign-in log ------------------------------------------------------------------------


def login_list(*, user) -> QuerySet:
    """Sign-ins, failures and sign-outs (the audit trail's login records). Out of an
    all-platform scope: those of the accounts in scope (failures by the username typed)."""
    qs = AuditRecord.objects.filter(kind=AuditKind.LOGIN)
    if not _sees_everyone(user):
        qs = qs.filter(actor_name__in=visible_usernames(user))
    return qs.order_by("-seq")


# ---- lockouts (django-axes) -----------------------------------------------------------------


@dataclass
class Lockout:
    username: str
    failures: int
    last_attempt: dt.datetime
    last_ip: str
    locked_until: dt.datetime | None
    is_locked: bool
    user: object = None


def lockout_list(*, user, locked_only: bool = True, q: str = "") -> list[Lockout]:
    """Accounts with failed sign-ins on record (django-axes' AccessAttempt), by username:
    locked when the failures reached the limit and the lockout period has not passed."""
    from axes.models import AccessAttempt

    from huxiao.core.models import User

    limit = parameters.lockout_failure_limit()
    cooloff = parameters.lockout_cooloff()
    now = timezone.now()
    attempts = AccessAttempt.objects.exclude(username=None).order_by("-attempt_time")
    if not _sees_everyone(user):
        attempts = attempts.filter(username__in=visible_usernames(user))
    if q.strip():
        attempts = attempts.filter(username__icontains=q.strip())
    by_name: dict[str, Lockout] = {}
    for attempt in attempts[:2000]:
        entry = by_name.get(attempt.username)
        if entry is None:
            entry = by_name[attempt.username] = Lockout(
                username=attempt.username,
                failures=0,
                last_attempt=attempt.attempt_time,
                last_ip=attempt.ip_address or "",
                locked_until=None,
                is_locked=False,
            )
        entry.failures += attempt.failures_since_start
    users = User.objects.select_related("organization").in_bulk(
        list(by_name), field_name="username"
    )
    found = []
    for entry in by_name.values():
        entry.user = users.get(entry.username)
        if entry.failures >= limit:
            entry.locked_until = entry.last_attempt + cooloff
            entry.is_locked = entry.locked_until > now
        if entry.is_locked or not locked_only:
            found.append(entry)
    return found


def lockout_get(*, user, username: str) -> Lockout:
    """The record of ``username`` if in scope (locked or not), else 404."""
    for entry in lockout_list(user=user, locked_only=False):
        if entry.username == username:
            return entry
    raise Http404


# ---- periodic tasks -------------------------------------------------------------------------


@dataclass
class PeriodicTask:
    name: str  # the registry name: huxiao.inspections.tasks.hazard_daily_sweep
    function: str  # hazard_daily_sweep
    title: str
    summary: str
    schedule: str
    task_class: type
    is_paused: bool = False
    last_run: TaskRun | None = None
    paused_by: object = None
    runs: list = field(default_factory=list)


def periodic_tasks() -> list[PeriodicTask]:
    """Huey's periodic tasks (every module's ``Module.tasks``), with their state and last run."""
    from huey.contrib.djhuey import HUEY

    from huxiao.core.tasks import task_name
    from huxiao.system import schedules

    found = []
    for cls in HUEY._registry._periodic_tasks:
        name = task_name(cls)
        doc = (cls.__doc__ or "").strip()
        found.append(
            PeriodicTask(
                name=name,
                function=cls.__name__,
                title=schedules.title(name, cls.__name__),
                summary=doc.splitlines()[0] if doc else "",
                schedule=schedules.describe(cls),
                task_class=cls,
            )
        )
    names = [t.name for t in found]
    states = {
        s.name: s
        for s in PeriodicTaskState.objects.filter(name__in=names).select_related("paused_by")
    }
    for task in found:
        state = states.get(task.name)
        if state is not None:
            task.is_paused, task.paused_by = state.is_paused, state.paused_by
        task.last_run = (
            TaskRun.objects.filter(name=task.name).order_by("-started_at", "-id").first()
        )
    return sorted(found, key=lambda t: t.name)


def periodic_task(name: str) -> PeriodicTask:
    for task in periodic_tasks():
        if task.name == name:
            return task
    raise Http404


def task_runs(*, name: str) -> QuerySet:
    return (
        TaskRun.objects.filter(name=name)
        .select_related("triggered_by")
        .order_by("-started_at", "-id")
    )
