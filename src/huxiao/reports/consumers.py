"""The live channel of the dashboards and the big screen (ws/live/).

A signed-in user with the dashboard or the big-screen permission joins the groups of their
scope (``core.realtime.org_group``): the whole-scope group for 全部数据, the roots of a 自定义
scope, else their own organisation. A change recorded anywhere below (a check-in, see
``core.realtime.broadcast_org_changed``) reaches them as ``{"type": "changed", "what": …}``;
the page then re-reads its figures over HTTP, within the user's scope. The socket carries no
numbers, so it can leak none.
"""

from __future__ import annotations

from huxiao.core.consumers import ScopeGroupsConsumer
from huxiao.core.realtime import scope_groups

LIVE_PERMISSIONS = ("reports.view_dashboard", "reports.view_bigscreen")


def groups_of(user) -> list[str]:
    """The groups a user's live pages listen to: the jurisdictions of their data scope."""
    if not user.has_perm(LIVE_PERMISSIONS[0]) and not user.has_perm(LIVE_PERMISSIONS[1]):
        return []
    return scope_groups(user)


class LiveConsumer(ScopeGroupsConsumer):
    def groups_for(self, user) -> list[str]:
        return groups_of(user)

    async def org_changed(self, event):
        await self.send_json({"type": "changed", "what": event.get("what", "")})
