"""WebSocket consumer: a signed-in user's unread notification count, pushed live."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from huxiao.core.realtime import user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "unread", "count": await self._count(user)})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def unread_count(self, event):
        await self.send_json({"type": "unread", "count": event["count"]})

    @database_sync_to_async
    def _count(self, user):
        from huxiao.core.selectors import unread_count

        return unread_count(user=user)
