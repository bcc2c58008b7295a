"""Check-in pages, included at /patrols/: ``checkin`` is the menu's 打卡."""

from django.urls import path

from huxiao.patrols import views_checkin as v

urlpatterns = [
    path("checkin/", v.checkin_page, name="checkin"),
    path("checkin/qr/<int:post_id>/<str:token>/", v.checkin_qr, name="checkin_qr"),
    path("checkin/manual/", v.checkin_manual, name="checkin_manual"),
]
