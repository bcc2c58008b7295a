from django.urls import path

from huxiao.core.consumers import NotificationConsumer
from huxiao.reports.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/live/", LiveConsumer.as_asgi()),
]
