from django.urls import path

from huxiao.system import views_parameters as views

urlpatterns = [
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/export/", views.parameter_export, name="parameter_export"),
    path("parameters/history/", views.parameter_history, name="parameter_history"),
    path(
        "parameters/history/export/",
        views.parameter_history_export,
        name="parameter_history_export",
    ),
    path("parameters/<str:key>/", views.parameter_edit, name="parameter_edit"),
    path("parameters/<str:key>/reset/", views.parameter_reset, name="parameter_reset"),
]
