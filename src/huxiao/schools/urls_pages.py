"""Pages of the schools module, included at /schools/."""

from django.urls import path

from huxiao.schools import views, views_ledgers

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("export/", views.school_export, name="school_export"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("<int:pk>/guards/", views_ledgers.guard_list, name="school_guard_list"),
    path("<int:pk>/guards/export/", views_ledgers.guard_export, name="school_guard_export"),
    path("<int:pk>/guards/add/", views_ledgers.guard_add, name="school_guard_add"),
    path("<int:pk>/guards/<int:item_pk>/edit/", views_ledgers.guard_edit, name="school_guard_edit"),
    path(
        "<int:pk>/guards/<int:item_pk>/delete/",
        views_ledgers.guard_delete,
        name="school_guard_delete",
    ),
    path("<int:pk>/devices/", views_ledgers.device_list, name="school_device_list"),
    path("<int:pk>/devices/export/", views_ledgers.device_export, name="school_device_export"),
    path("<int:pk>/devices/add/", views_ledgers.device_add, name="school_device_add"),
    path(
        "<int:pk>/devices/<int:item_pk>/edit/", views_ledgers.device_edit, name="school_device_edit"
    ),
    path(
        "<int:pk>/devices/<int:item_pk>/delete/",
        views_ledgers.device_delete,
        name="school_device_delete",
    ),
    path("<int:pk>/equipment/", views_ledgers.equipment, name="school_equipment"),
    path(
        "<int:pk>/equipment/export/", views_ledgers.equipment_export, name="school_equipment_export"
    ),
]
