"""The live channel of the dashboards and the big screen (ws/live/).

A signed-in user with the dashboard or the big-screen permission joins the groups of their
scope (``core.realtime.org_group``): the whole-scope group for 全部数据, the roots of a 自定义
scope, else their own organisation. A change recorded anywhere below (a check-in, see
``core.realtime.broadcast_org_changed``) reaches them as ``{"type": "changed", "what": …}``;
the page then re-reads its figures over HTTP, within the user's scope. The socket carries no
numbers, so it can leak none.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from huxiao.core.realtime import scope_groups

LIVE_PERMISSIONS = ("reports.view_dashboard", "reports.view_bigscreen")


def groups_of(user) -> list[str]:
    """The groups a user's live pages listen to: the jurisdictions of their data scope."""
    if not user.has_perm(LIVE_PERMISSIONS[0]) and not user.has_perm(LIVE_PERMISSIONS[1]):
        return []
    return scope_groups(user)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groups_joined = await database_sync_to_async(groups_of)(user)
        if not self.groups_joined:
            await self.close(code=4403)
            return
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The page only listens; a ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def org_changed(self, event):
        await self.send_json({"type": "changed", "what": event.get("what", "")})
