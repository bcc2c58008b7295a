from django.contrib.auth import views as auth_views
from django.urls import path

from huxiao.core.views import auth, pages

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("", pages.home, name="home"),
    path("organizations/", pages.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", pages.organization_detail, name="organization_detail"),
    path("users/", pages.user_list, name="user_list"),
    path("audit/", pages.audit_list, name="audit_list"),
    path("notifications/", pages.notification_list, name="notification_list"),
    path("profile/", pages.profile, name="profile"),
]
