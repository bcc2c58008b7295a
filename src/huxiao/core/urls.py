from django.contrib.auth import views as auth_views
from django.urls import path

from huxiao.core.views import auth, pages, work

app_name = "core"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("login/second-factor/", auth.second_factor, name="second_factor"),
    path("", pages.home, name="home"),
    path("organizations/", pages.organization_list, name="organization_list"),
    path("organizations/export/", pages.organization_export, name="organization_export"),
    path("organizations/<int:pk>/", pages.organization_detail, name="organization_detail"),
    path("users/", pages.user_list, name="user_list"),
    path("users/export/", pages.user_export, name="user_export"),
    path("audit/", pages.audit_list, name="audit_list"),
    path("audit/export/", pages.audit_export, name="audit_export"),
    path("audit/verify/", pages.audit_verify_start, name="audit_verify"),
    path("audit/verify/status/", pages.audit_verify_status, name="audit_verify_status"),
    path("notifications/", pages.notification_list, name="notification_list"),
    path("notifications/read-all/", pages.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", pages.notification_read, name="notification_read"),
    path("notifications/<int:pk>/alert/", pages.notification_alert, name="notification_alert"),
    path("my-tasks/", work.my_tasks, name="my_tasks"),
    path("files/<int:pk>/", work.file_download, name="file_download"),
    path("profile/", pages.profile, name="profile"),
    path("profile/alerts/", pages.profile_alerts, name="profile_alerts"),
    path("profile/tokens/", pages.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
