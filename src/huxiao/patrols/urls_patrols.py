"""Pages of patrol routes and logs, video patrols and the statistics, included at /patrols/
(``patrol_stats`` is the menu's 巡逻统计)."""

from django.urls import path

from huxiao.patrols import views_patrols as p
from huxiao.patrols import views_routes as r
from huxiao.patrols import views_stats as s
from huxiao.patrols import views_video as v

urlpatterns = [
    path("stats/", s.patrol_stats, name="patrol_stats"),
    path("stats/export/", s.patrol_stats_export, name="patrol_stats_export"),
    path("routes/", r.route_list, name="route_list"),
    path("routes/export/", r.route_export, name="route_export"),
    path("routes/new/", r.route_create, name="route_create"),
    path("routes/<int:pk>/", r.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", r.route_edit, name="route_edit"),
    path("logs/", p.patrol_list, name="patrol_list"),
    path("logs/export/", p.patrol_export, name="patrol_export"),
    path("logs/new/", p.patrol_start, name="patrol_start"),
    path("logs/<int:pk>/", p.patrol_detail, name="patrol_detail"),
    path("logs/<int:pk>/visit/", p.patrol_visit, name="patrol_visit"),
    path("logs/<int:pk>/finish/", p.patrol_finish, name="patrol_finish"),
    path("logs/<int:pk>/abandon/", p.patrol_abandon, name="patrol_abandon"),
    path("logs/<int:pk>/finding/", p.patrol_finding, name="patrol_finding"),
    path("video/", v.video_patrol_list, name="video_patrol_list"),
    path("video/export/", v.video_patrol_export, name="video_patrol_export"),
    path("video/new/", v.video_patrol_create, name="video_patrol_create"),
    path("video/<int:pk>/", v.video_patrol_detail, name="video_patrol_detail"),
]
