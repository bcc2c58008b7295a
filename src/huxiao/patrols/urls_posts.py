"""Pages of the 护学岗 and their rosters, included at /patrols/ (``post_list`` is the menu's)."""

from django.urls import path

from huxiao.patrols import views_posts as p
from huxiao.patrols import views_shifts as s

urlpatterns = [
    path("posts/", p.post_list, name="post_list"),
    path("posts/export/", p.post_export, name="post_export"),
    path("posts/new/", p.post_create, name="post_create"),
    path("posts/<int:pk>/", p.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", p.post_edit, name="post_edit"),
    path("posts/<int:pk>/roster/", s.post_roster, name="post_roster"),
    path("shifts/", s.shift_list, name="shift_list"),
    path("shifts/export/", s.shift_export, name="shift_export"),
    path("shifts/new/", s.shift_bulk_create, name="shift_bulk_create"),
    path("shifts/<int:pk>/swap/", s.shift_swap, name="shift_swap"),
    path("shifts/<int:pk>/cancel/", s.shift_cancel, name="shift_cancel"),
]
