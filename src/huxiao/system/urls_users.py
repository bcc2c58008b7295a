"""用户管理: /system/users/."""

from django.urls import path

from huxiao.system import views_users as views

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/export/", views.user_export, name="user_export"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/import/", views.user_import, name="user_import"),
    path("users/import/template/", views.user_import_template, name="user_import_template"),
    path("users/import/<uuid:token>/", views.user_import_preview, name="user_import_preview"),
    path("users/import/<uuid:token>/commit/", views.user_import_commit, name="user_import_commit"),
    path("users/import/<uuid:token>/errors/", views.user_import_errors, name="user_import_errors"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/reset-second-factor/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
]
