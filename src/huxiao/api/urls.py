"""The versioned API: ``/api/v1/``, assembled from each app's ``api`` module."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from huxiao.api import errors
from huxiao.api.auth import api_auth


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable in responses and logs (charset is declared)."""

    media_type = "application/json; charset=utf-8"
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    title="护校安园 API",
    version="1",
    description="护校安园平台接口。浏览器使用会话登录；集成使用 `Authorization: Bearer <令牌>`（`huxiao token create`）。",
    auth=api_auth,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)

from huxiao.core.api import router as core_router  # noqa: E402
from huxiao.inspections.api import router as inspections_router  # noqa: E402
from huxiao.patrols.api import router as patrols_router  # noqa: E402
from huxiao.patrols.api_checkins import router as checkins_router  # noqa: E402
from huxiao.persons.api import router as persons_router  # noqa: E402
from huxiao.schools.api import router as schools_router  # noqa: E402

api.add_router("/", core_router)
api.add_router("/", schools_router)
api.add_router("/", inspections_router)
api.add_router("/", persons_router)
api.add_router("/", checkins_router)
api.add_router("/", patrols_router)
