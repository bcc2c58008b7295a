"""The alarm console's socket (ws/alarms/; alarms.live says who hears what).

Protocol (JSON): the server says ``{"type": "hello"}``; the console answers
``{"type": "catch_up", "since": <the latest changed_at it holds, or null>}`` and gets
``{"type": "alarms", "alarms": [...]}``: what changed since then (or, first, the open alarms).
Then each change arrives as ``{"type": "alarm", "alarm": {...}}``. Alarms carry ``version``: a
console keeps the highest it has per alarm, so the catch-up and a live message crossing it
show an alarm once. ``{"type": "ping"}`` gets ``{"type": "pong"}``.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from huxiao.alarms import live, selectors
from huxiao.core.consumers import ScopeGroupsConsumer


def _viewer(user) -> dict:
    return {"police": selectors.shows_police_details(user), "respond": selectors.may_respond(user)}


class AlarmConsoleConsumer(ScopeGroupsConsumer):
    def groups_for(self, user) -> list[str]:
        return live.console_groups(user)

    def prepare(self, user) -> None:
        self.viewer = _viewer(user)

    async def receive_json(self, content, **kwargs):
        await super().receive_json(content, **kwargs)
        if isinstance(content, dict) and content.get("type") == "catch_up":
            raw = content.get("since")
            since = parse_datetime(raw) if isinstance(raw, str) else None
            if raw is not None and (since is None or since.tzinfo is None):
                await self.send_json(
                    {"type": "error", "detail": _("since 须为带时区的 ISO 时间。")}
                )
                return
            found = await database_sync_to_async(live.catch_up)(
                user=self.scope["user"], since=since
            )
            await self.send_json({"type": "alarms", "alarms": [self._shown(a) for a in found]})

    async def alarm_changed(self, event):
        await self.send(text_data=event["texts"][live.viewer_key(**self.viewer)])

    def _shown(self, data: dict) -> dict:
        return live.shown(data, **self.viewer)
