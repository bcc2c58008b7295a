"""The URL root: Django's own, the API, and each installed module's URLconf (its registry)."""

from django.contrib import admin
from django.urls import include, path

from huxiao.api.urls import api
from huxiao.core import modules
from huxiao.system import probes

urlpatterns = [
    # For load balancers: liveness and readiness, unauthenticated (system/probes.py).
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *(path(m.url_prefix, include(m.urls)) for m in modules.installed() if m.urls),
]

handler400 = "huxiao.core.views.errors.bad_request"
handler403 = "huxiao.core.views.errors.permission_denied"
handler404 = "huxiao.core.views.errors.page_not_found"
handler500 = "huxiao.core.views.errors.server_error"
