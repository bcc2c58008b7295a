"""Pages of the alarms module, mounted at /alarms/."""

from django.urls import path

from huxiao.alarms.views import alarms as a
from huxiao.alarms.views import console as c
from huxiao.alarms.views import devices as d
from huxiao.alarms.views import outages as o
from huxiao.alarms.views import statistics as s
from huxiao.alarms.views import test_windows as t

app_name = "alarms"

urlpatterns = [
    path("", a.alarm_list, name="alarm_list"),
    path("export/", a.alarm_export, name="alarm_export"),
    path("statistics/", s.statistics, name="statistics"),
    path("statistics/export/", s.statistics_export, name="statistics_export"),
    path("console/", c.console, name="console"),
    path("<int:pk>/", a.alarm_detail, name="alarm_detail"),
    path("<int:pk>/surroundings/", c.surroundings, name="alarm_surroundings"),
    path("<int:pk>/<slug:action>/", a.alarm_step, name="alarm_step"),
    path("test-windows/", t.test_window_list, name="test_window_list"),
    path("test-windows/export/", t.test_window_export, name="test_window_export"),
    path("test-windows/new/", t.test_window_create, name="test_window_create"),
    path("devices/", d.device_list, name="device_list"),
    path("devices/<int:pk>/", d.device_detail, name="device_detail"),
    path("devices/<int:pk>/issue/", d.device_issue, name="device_issue"),
    path("devices/<int:pk>/rotate/", d.device_rotate, name="device_rotate"),
    path("outages/", o.outage_list, name="outage_list"),
    path("outages/export/", o.outage_export, name="outage_export"),
]
