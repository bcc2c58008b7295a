from django.urls import path

from huxiao.reports import views_dashboard

urlpatterns = [
    path("dashboard/", views_dashboard.dashboard_page, name="dashboard"),
    path("dashboard/breakdown/", views_dashboard.dashboard_breakdown, name="dashboard_breakdown"),
    path("dashboard/trend/", views_dashboard.dashboard_trend, name="dashboard_trend"),
    path("bigscreen/", views_dashboard.bigscreen_page, name="bigscreen"),
    path("bigscreen/data/", views_dashboard.bigscreen_data, name="bigscreen_data"),
]
