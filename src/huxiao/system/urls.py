"""Pages of system administration (系统管理), mounted at /system/.

Each area keeps its own URLconf: users, roles, organisations, dictionaries, parameters and
monitoring (online users, sign-in log, lockouts, periodic tasks, service health).
"""

from django.urls import include, path

app_name = "system"

urlpatterns = [
    path("", include("huxiao.system.urls_users")),
    path("", include("huxiao.system.urls_roles")),
    path("", include("huxiao.system.urls_organizations")),
    path("", include("huxiao.system.urls_dictionaries")),
    path("", include("huxiao.system.urls_parameters")),
    path("", include("huxiao.system.urls_calendar")),
    path("", include("huxiao.system.urls_monitor")),
]
