"""Check-in pages, included at /patrols/: ``checkin`` is the menu's 打卡; the 打卡记录 list is
named ``post_checkin_*`` so that the menu's 护学岗 covers it."""

from django.urls import path

from huxiao.patrols import views_checkin as v

urlpatterns = [
    path("checkin/", v.checkin_page, name="checkin"),
    path("checkin/qr/<int:post_id>/<str:token>/", v.checkin_qr, name="checkin_qr"),
    path("checkin/manual/", v.checkin_manual, name="checkin_manual"),
    path("checkins/", v.checkin_list, name="post_checkin_list"),
    path("checkins/export/", v.checkin_export, name="post_checkin_export"),
]
