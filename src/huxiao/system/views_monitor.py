"""Pages of 在线用户 (sessions and API tokens, force logout, revoke), 登录日志, 账号锁定 (unlock),
定时任务 (run now, pause) and 服务监控 (health).

Reading the sessions, the sign-in log and the lockouts needs core.view_usersession (the system
administrator, the unit administrator for its subtree, the auditor); acting on them
core.change_usersession. A session, a token or a locked account outside the reader's scope
answers 404 like a missing one. Tasks need core.view_periodictaskstate to read,
core.change_periodictaskstate to run or pause; health core.view_health.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huxiao.core import parameters
from huxiao.core.exports import xlsx_response
from huxiao.core.views.generic import filtered, local_time, page_of, require
from huxiao.system import health as health_checks
from huxiao.system import selectors_monitor as selectors
from huxiao.system import useragent
from huxiao.system.forms_monitor import (
    LockoutFilter,
    LoginFilterSet,
    SessionFilterSet,
    TaskRunFilterSet,
)
from huxiao.system.services import monitor as services

VIEW_SESSIONS = "core.view_usersession"
CHANGE_SESSIONS = "core.change_usersession"
VIEW_TASKS = "core.view_periodictaskstate"
CHANGE_TASKS = "core.change_periodictaskstate"
VIEW_HEALTH = "core.view_health"


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# ---- online sessions and API tokens ---------------------------------------------------------


def _sessions(request):
    filterset = SessionFilterSet(
        request.GET, queryset=selectors.session_list(user=request.user), request=request
    )
    return filterset, filtered(filterset)


def _with_agent(session):
    session.agent = useragent.parse(session.user_agent)
    return session


@require(VIEW_SESSIONS)
def session_list(request):
    filterset, queryset = _sessions(request)
    page_obj = page_of(request, queryset)
    for session in page_obj:
        _with_agent(session)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "tokens": list(selectors.token_list(user=request.user)[:200]),
        "current_key": request.session.session_key,
        "can_change": request.user.has_perm(CHANGE_SESSIONS),
    }
    return render(request, "system/session_list.html", context)


@require(VIEW_SESSIONS)
def session_export(request):
    filterset, queryset = _sessions(request)

    def rows():
        for s in queryset.iterator(chunk_size=2000):
            agent = useragent.parse(s.user_agent)
            org = s.user.organization
            yield (
                s.user.username,
                s.user.full_name,
                org.name if org else "",
                s.ip or "",
                agent.browser,
                agent.os,
                local_time(s.started_at),
                local_time(s.last_seen_at),
            )

    return xlsx_response(
        request=request,
        filename=_("在线用户"),
        headers=[
            _("用户名"),
            _("姓名"),
            _("所属单位"),
            _("IP地址"),
            _("浏览器"),
            _("操作系统"),
            _("登录时间"),
            _("最后活动时间"),
        ],
        rows=rows(),
        object_type="core.usersession",
        filters=filterset.active_filters,
    )


@require(CHANGE_SESSIONS)
@require_POST
def session_end(request, pk: int):
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        services.session_end(
            session=session, actor=request.user, current_key=request.session.session_key or ""
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("system:session_list")
    # The message does not name the user: the list no longer does either.
    messages.success(request, _("已强制该会话下线，用户的下一次操作将回到登录页。"))
    return redirect("system:session_list")


@require(CHANGE_SESSIONS)
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get(user=request.user, pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("system:session_list")


# ---- the sign-in log ------------------------------------------------------------------------


def _logins(request):
    filterset = LoginFilterSet(
        request.GET, queryset=selectors.login_list(user=request.user), request=request
    )
    return filterset, filtered(filterset)


def _agent_of(record):
    after = record.after if isinstance(record.after, dict) else {}
    return useragent.parse(str(after.get("user_agent", "")))


@require(VIEW_SESSIONS)
def login_list(request):
    filterset, queryset = _logins(request)
    page_obj = page_of(request, queryset)
    for record in page_obj:
        record.agent = _agent_of(record)
    return render(request, "system/login_list.html", {"filter": filterset, "page_obj": page_obj})


@require(VIEW_SESSIONS)
def login_export(request):
    filterset, queryset = _logins(request)

    def rows():
        for r in queryset.iterator(chunk_size=2000):
            agent = _agent_of(r)
            yield (
                local_time(r.ts),
                r.actor_name,
                r.get_action_display(),
                r.ip,
                agent.browser,
                agent.os,
                r.source,
            )

    return xlsx_response(
        request=request,
        filename=_("登录日志"),
        headers=[
            _("时间"),
            _("用户名"),
            _("结果"),
            _("IP地址"),
            _("浏览器"),
            _("操作系统"),
            _("来源"),
        ],
        rows=rows(),
        object_type="core.auditrecord",
        filters={"kind": "login", **filterset.active_filters},
    )


# ---- lockouts -------------------------------------------------------------------------------


def _lockouts(request):
    form = LockoutFilter(request.GET or None)
    q, locked_only = "", True
    if form.is_valid():
        q = form.cleaned_data["q"]
        locked_only = form.cleaned_data["show"] != "all"
    return form, selectors.lockout_list(user=request.user, locked_only=locked_only, q=q)


@require(VIEW_SESSIONS)
def lockout_list(request):
    form, entries = _lockouts(request)
    context = {
        "filter": form,
        "entries": entries,
        "can_change": request.user.has_perm(CHANGE_SESSIONS),
        "limit": parameters.lockout_failure_limit(),
        "minutes": int(parameters.get("LOCKOUT_MINUTES")),
    }
    return render(request, "system/lockout_list.html", context)


@require(VIEW_SESSIONS)
def lockout_export(request):
    form, entries = _lockouts(request)
    rows = (
        (
            e.username,
            e.user.full_name if e.user else "",
            e.user.organization.name if e.user and e.user.organization else "",
            e.failures,
            local_time(e.last_attempt),
            e.last_ip,
            local_time(e.locked_until) if e.is_locked else "",
            _("已锁定") if e.is_locked else _("未锁定"),
        )
        for e in entries
    )
    return xlsx_response(
        request=request,
        filename=_("账号锁定"),
        headers=[
            _("用户名"),
            _("姓名"),
            _("所属单位"),
            _("失败次数"),
            _("最近失败时间"),
            _("最近失败IP"),
            _("锁定至"),
            _("状态"),
        ],
        rows=rows,
        object_type="axes.accessattempt",
        filters=form.active_filters,
    )


@require(CHANGE_SESSIONS)
@require_POST
def lockout_unlock(request, username: str):
    entry = selectors.lockout_get(user=request.user, username=username)
    services.lockout_unlock(username=entry.username, actor=request.user)
    messages.success(request, _("账号 %(user)s 已解锁。") % {"user": entry.username})
    return redirect("system:lockout_list")


# ---- periodic tasks -------------------------------------------------------------------------


@require(VIEW_TASKS)
def task_list(request):
    context = {
        "tasks": selectors.periodic_tasks(),
        "can_change": request.user.has_perm(CHANGE_TASKS),
        "can_view_runs": request.user.has_perm("core.view_taskrun"),
    }
    return render(request, "system/task_list.html", context)


def _runs(request, name: str):
    filterset = TaskRunFilterSet(
        request.GET, queryset=selectors.task_runs(name=name), request=request
    )
    return filterset, filtered(filterset)


@require(VIEW_TASKS)
def task_detail(request, name: str):
    task = selectors.periodic_task(name)
    filterset, runs = _runs(request, task.name)
    can_view_runs = request.user.has_perm("core.view_taskrun")
    context = {
        "task": task,
        "filter": filterset,
        "page_obj": page_of(request, runs) if can_view_runs else None,
        "can_change": request.user.has_perm(CHANGE_TASKS),
        "can_view_runs": can_view_runs,
    }
    return render(request, "system/task_detail.html", context)


@require("core.view_taskrun")
def task_export(request, name: str):
    task = selectors.periodic_task(name)
    filterset, runs = _runs(request, task.name)
    rows = (
        (
            local_time(r.started_at),
            local_time(r.finished_at),
            r.get_outcome_display(),
            r.triggered_by.username if r.triggered_by else _("定时"),
            r.result,
        )
        for r in runs.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request=request,
        filename=_("任务执行记录"),
        headers=[_("开始时间"), _("结束时间"), _("结果"), _("执行方式"), _("返回信息")],
        rows=rows,
        object_type="core.taskrun",
        filters={"task": task.name, **filterset.active_filters},
    )


@require(CHANGE_TASKS)
@require_POST
def task_run(request, name: str):
    run = services.task_run(name=name, actor=request.user)
    if run.outcome == run.Outcome.SUCCESS:
        messages.success(request, _("任务已执行完成。"))
    else:
        messages.error(request, _("任务执行失败：%(error)s") % {"error": run.result[:200]})
    return redirect("system:task_detail", name=name)


@require(CHANGE_TASKS)
@require_POST
def task_pause(request, name: str):
    paused = request.POST.get("paused", "1") != "0"
    services.task_set_paused(name=name, paused=paused, actor=request.user)
    messages.success(request, _("任务已暂停。") if paused else _("任务已恢复。"))
    if request.POST.get("back") == "detail":
        return redirect("system:task_detail", name=name)
    return redirect("system:task_list")


# ---- service health -------------------------------------------------------------------------


@require(VIEW_HEALTH)
def health(request):
    checks = health_checks.run_checks()
    context = {
        "checks": checks,
        "healthy": health_checks.overall(checks),
        "version": health_checks.version(),
    }
    return render(request, "system/health_page.html", context, status=200)
