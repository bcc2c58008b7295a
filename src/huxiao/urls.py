from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from huxiao.api.urls import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("schools/", include("huxiao.schools.urls")),
    path("inspections/", include("huxiao.inspections.urls")),
    path("patrols/", include("huxiao.patrols.urls")),
    path("persons/", include("huxiao.persons.urls")),
    path("", include("huxiao.core.urls")),
]

handler400 = "huxiao.core.views.errors.bad_request"
handler403 = "huxiao.core.views.errors.permission_denied"
handler404 = "huxiao.core.views.errors.page_not_found"
handler500 = "huxiao.core.views.errors.server_error"

if settings.DEBUG:
    urlpatterns += []
