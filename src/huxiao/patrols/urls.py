"""Pages of the patrols module, mounted at /patrols/."""

from django.urls import include, path

app_name = "patrols"

urlpatterns = [
    path("", include("huxiao.patrols.urls_checkin")),
    path("", include("huxiao.patrols.urls_posts")),
    path("", include("huxiao.patrols.urls_patrols")),
]
