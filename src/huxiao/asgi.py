"""ASGI entry point: pages and API over HTTP, live consoles over WebSocket."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from huxiao.core.keycheck import require_readable_data  # noqa: E402

require_readable_data()  # a wrong data key stops the process here, not at every page

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from huxiao.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
