"""WebSocket routes: the platform's own and those each installed module declares
(``core.modules.Module.websockets``)."""

from django.urls import path
from django.utils.module_loading import import_string

from huxiao.core import modules
from huxiao.core.consumers import NotificationConsumer
from huxiao.reports.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/live/", LiveConsumer.as_asgi()),
    *(
        path(route, import_string(consumer).as_asgi())
        for module in modules.installed()
        for route, consumer in module.websockets
    ),
]
