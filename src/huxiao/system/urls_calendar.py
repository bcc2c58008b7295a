from django.urls import path

from huxiao.system import views_calendar as views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
]
