"""在线用户, 登录日志, 账号锁定, 定时任务 and 服务监控 (views_monitor.py)."""

from django.urls import path

from huxiao.system import views_monitor as v

urlpatterns = [
    path("sessions/", v.session_list, name="session_list"),
    path("sessions/export/", v.session_export, name="session_export"),
    path("sessions/<int:pk>/end/", v.session_end, name="session_end"),
    path("sessions/tokens/<int:pk>/revoke/", v.token_revoke, name="token_revoke"),
    path("logins/", v.login_list, name="login_list"),
    path("logins/export/", v.login_export, name="login_export"),
    path("lockouts/", v.lockout_list, name="lockout_list"),
    path("lockouts/export/", v.lockout_export, name="lockout_export"),
    path("lockouts/<str:username>/unlock/", v.lockout_unlock, name="lockout_unlock"),
    path("tasks/", v.task_list, name="task_list"),
    path("tasks/<str:name>/", v.task_detail, name="task_detail"),
    path("tasks/<str:name>/export/", v.task_export, name="task_export"),
    path("tasks/<str:name>/run/", v.task_run, name="task_run"),
    path("tasks/<str:name>/pause/", v.task_pause, name="task_pause"),
    path("health/", v.health, name="health"),
]
