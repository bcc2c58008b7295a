from django.urls import path

from huxiao.reports import views_figures

urlpatterns = [
    path("figures/", views_figures.figure_table, name="figure_table"),
    path("figures/export/", views_figures.figure_export, name="figure_export"),
    path(
        "figures/breakdown/export/",
        views_figures.figure_breakdown_export,
        name="figure_breakdown_export",
    ),
]
