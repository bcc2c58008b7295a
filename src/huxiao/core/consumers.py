"""WebSocket consumers: a signed-in user's unread notification count and new urgent messages,
pushed live, and the base of the live pages that listen to their user's jurisdiction
(dashboards, alarm consoles). A socket opens only for a user signed in as the pages require:
the password and, where the role asks for it, the second factor (else closed 4401)."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from huxiao.core.realtime import user_group


@database_sync_to_async
def _signed_in(scope):
    """The socket's user when signed in as the pages require — the second factor included
    where the role asks for it (``secondfactor.satisfied_in_session``) — else None."""
    from huxiao.core import secondfactor

    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if not secondfactor.satisfied_in_session(user, scope.get("session")):
        return None
    return user


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = await _signed_in(self.scope)
        if user is None:
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

    async def notification_urgent(self, event):
        # Only the id: the page claims the toast over HTTP, which answers with its text once.
        await self.send_json({"type": "urgent", "id": event["id"]})

    @database_sync_to_async
    def _count(self, user):
        from huxiao.core.selectors import unread_count

        return unread_count(user=user)


class ScopeGroupsConsumer(AsyncJsonWebsocketConsumer):
    """A live page's socket that joins the groups of its user's jurisdiction: ``groups_for``
    (a sync function of the user, run off the event loop) names them; an anonymous socket is
    closed 4401, a user with no group (no permission) 4403. ``prepare`` (sync, optional) reads
    what else the consumer keeps about its user. Answers ``ping`` with ``pong``."""

    def groups_for(self, user) -> list[str]:
        raise NotImplementedError

    def prepare(self, user) -> None:
        return None

    async def connect(self):
        user = await _signed_in(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.groups_joined = await database_sync_to_async(self.groups_for)(user)
        if not self.groups_joined:
            await self.close(code=4403)
            return
        await database_sync_to_async(self.prepare)(user)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # A ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
