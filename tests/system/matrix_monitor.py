"""在线用户, 登录日志, 账号锁定, 定时任务 and 服务监控's rows of the permission matrix.

Sessions, the sign-in log and lockouts need core.view_usersession (the system administrator;
a unit administrator, whom the harness lacks, for its own subtree — exercised by the
referenced tests, which make one); acting on them core.change_usersession. Tasks and health
are the system administrator's only. Everyone else is refused before any lookup.
"""

from tests.permission_matrix.matrix import UNAUTHORISED, Table, ref

_REFUSED = ("commander", "officer_a", "edu_officer", "chief", "volunteer", "auditor", "outsider")
_ADMIN_ONLY = {"admin": 200, **dict.fromkeys(_REFUSED, 403)}
_SWEEP = "=huxiao.inspections.tasks.hazard_daily_sweep"
_WORLD = "personal_world"  # any world: the task's name is a literal

_M = "tests/system/test_monitor.py::"
_T = "tests/system/test_monitor_tasks.py::"

PAGES = {
    "system:session_list": Table(
        rows=_ADMIN_ONLY, tests=(_M + "test_a_unit_administrator_sees_and_ends_only_its_subtree",)
    ),
    "system:session_export": Table(rows=_ADMIN_ONLY),
    "system:session_end": ref(
        _M + "test_an_administrator_forces_a_user_out",
        _M + "test_a_unit_administrator_sees_and_ends_only_its_subtree",
        _M + "test_others_may_not_force_anyone_out_or_unlock",
        method="POST",
    ),
    "system:token_revoke": ref(
        _M + "test_an_administrator_revokes_a_token_in_scope_only",
        method="POST",
    ),
    "system:login_list": Table(
        rows=_ADMIN_ONLY,
        tests=(_M + "test_a_unit_administrator_sees_the_sign_ins_of_its_subtree_only",),
    ),
    "system:login_export": Table(rows=_ADMIN_ONLY),
    "system:lockout_list": Table(rows=_ADMIN_ONLY),
    "system:lockout_export": Table(rows=_ADMIN_ONLY),
    "system:lockout_unlock": ref(
        _M + "test_unlocking_a_locked_account_lets_it_sign_in",
        _M + "test_a_unit_administrator_cannot_unlock_outside_its_subtree",
        _M + "test_others_may_not_force_anyone_out_or_unlock",
        method="POST",
    ),
    "system:task_list": Table(rows=_ADMIN_ONLY),
    "system:task_detail": Table(
        rows=_ADMIN_ONLY,
        world=_WORLD,
        args=(_SWEEP,),
        tests=(_T + "test_an_unknown_task_is_404",),
    ),
    "system:task_export": Table(rows=_ADMIN_ONLY, world=_WORLD, args=(_SWEEP,)),
    "system:task_run": ref(
        _T + "test_the_administrator_runs_the_daily_hazard_sweep_now_and_sees_its_result",
        _T + "test_others_may_not_see_or_run_tasks",
        _T + "test_an_unknown_task_is_404",
        method="POST",
    ),
    "system:task_pause": ref(
        _T + "test_a_paused_task_is_skipped_on_schedule_and_the_skip_recorded",
        _T + "test_others_may_not_see_or_run_tasks",
        method="POST",
    ),
    "system:health": Table(rows=_ADMIN_ONLY),
}

API = {
    # 200 when healthy, 503 otherwise: the status depends on the machine, so the tests set it up.
    ("GET", "/api/v1/health"): ref(
        _T + "test_health_answers_200_with_every_check",
        _T + "test_health_answers_503_when_the_media_store_is_missing",
        _T + "test_health_with_an_api_token",
        _T + "test_a_unit_administrator_keeps_no_tasks_nor_health",
        anonymous=UNAUTHORISED,
    ),
}
