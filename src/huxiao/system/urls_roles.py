"""角色管理 and 角色授予: /system/roles/…, /system/grants/…"""

from django.urls import path

from huxiao.system import views_roles as views

urlpatterns = [
    path("roles/", views.role_list, name="role_list"),
    path("roles/export/", views.role_export, name="role_export"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("roles/<int:pk>/copy/", views.role_copy, name="role_copy"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/retire/", views.role_retire, name="role_retire"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/export/", views.grant_export, name="grant_export"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/", views.grant_decide, name="grant_decide"),
]
