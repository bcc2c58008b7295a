"""单位管理: the organisation tree and its changes."""

from django.urls import path

from huxiao.system import views_organizations as views

urlpatterns = [
    path("organizations/", views.organization_tree, name="organization_tree"),
    path("organizations/export/", views.organization_export, name="organization_export"),
    path(
        "organizations/<int:pk>/children/",
        views.organization_children,
        name="organization_children",
    ),
    path("organizations/<int:pk>/add/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/move/", views.organization_move, name="organization_move"),
]
