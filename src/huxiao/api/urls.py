"""The versioned API: ``/api/v1/``, assembled from the routers each module registers."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from huxiao.core import modules
from huxiao.core.apikit import errors
from huxiao.core.apikit.auth import api_auth, docs_guard


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese text stays readable in responses and logs (charset is declared)."""

    media_type = "application/json; charset=utf-8"
    json_dumps_params = {"ensure_ascii": False}


class HuxiaoAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document, with the error answers every operation can give declared."""
        return errors.declare_error_answers(super().get_openapi_schema(*args, **kwargs))


api = HuxiaoAPI(
    renderer=ReadableJSONRenderer(),
    title="护校安园 API",
    version="1",
    description="护校安园平台接口。浏览器使用会话登录；集成使用 `Authorization: Bearer <令牌>`（`huxiao token create`）。",
    auth=api_auth,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=docs_guard,
)
errors.install(api)

# Each installed module's routers, from its registry (``Module.api``).
for router in modules.api_routers():
    api.add_router("/", router)
