"""Real-time fan-out to browsers over channels (in-memory embedded, Redis at scale)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def push_unread_counts(user_ids: list[int], urgent: Iterable[tuple[int, int]] = ()) -> None:
    """Send each user their unread count and, for ``urgent`` (recipient id, notification id)
    pairs, the id of a new urgent message, which the page claims and shows as a toast."""
    from huxiao.core.models import Notification

    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    counts = dict.fromkeys(user_ids, 0)
    for uid in Notification.objects.filter(
        recipient_id__in=user_ids, read_at__isnull=True
    ).values_list("recipient_id", flat=True):
        counts[uid] += 1
    messages = [
        (user_group(uid), {"type": "unread.count", "count": count}) for uid, count in counts.items()
    ]
    messages += [
        (user_group(uid), {"type": "notification.urgent", "id": pk}) for uid, pk in urgent if pk
    ]
    _send_all(layer, messages, what="unread counts")


async def _group_send_each(layer, messages: list[tuple[str, dict]]) -> list:
    failures = []
    for group, message in messages:
        try:
            await layer.group_send(group, message)
        except Exception as exc:  # one failed group does not stop the others
            failures.append((group, exc))
    return failures


def _send_all(layer, messages: list[tuple[str, dict]], *, what: str) -> None:
    """Send each (group, message) in one trip through ``async_to_sync`` (each trip costs a
    thread hand-off, ~0.5 ms: six of them were a quarter of a gate registration). Best
    effort: a failed push is logged; the pages also catch up on reconnect."""
    try:
        failures = async_to_sync(_group_send_each)(layer, messages)
    except Exception:
        log.warning("live push (%s) failed", what, exc_info=True)
        return
    for group, exc in failures:
        log.warning("live push (%s) to %s failed: %r", what, group, exc)


# ---- "something changed in organisation X" (live dashboards, the big screen, alarm consoles) --
#
# A live channel (``prefix``: "org" for the dashboards, "alarm" for the alarm consoles) has a
# group per organisation and one for the whole scope; a change at organisation X is sent to the
# groups of X, of every organisation above it and of its education bureau and the bureau's
# superiors; a socket joins the groups of its user's data scope (``scope_groups``).

ALL_GROUP = "org-all"
_ORG_GROUPS_TTL = 300


def org_group(org_id: int, prefix: str = "org") -> str:
    """The group of the live pages open on ``org_id``'s jurisdiction (see reports.consumers)."""
    return f"{prefix}-{org_id}"


def all_group(prefix: str = "org") -> str:
    return f"{prefix}-all"


def _ids(path: str | None) -> list[int]:
    return [int(part) for part in (path or "").strip("/").split("/") if part]


def org_groups(org_id: int, prefix: str = "org") -> list[str]:
    """The groups told of a change in ``org_id``: its own, every organisation above it, its
    education bureau and the bureau's superiors (whose jurisdictions count its records), and
    the whole-scope group. Cached a few minutes: the hot path (a check-in) must not pay a
    query for it each time, and an organisation moving in the tree is rare."""
    from django.core.cache import cache

    from huxiao.core.models import Organization

    key = f"huxiao:org-groups:{org_id}"
    ids = cache.get(key)
    if ids is None:
        row = (
            Organization.objects.filter(pk=org_id)
            .values_list("path", "education_bureau__path")
            .first()
        )
        ids = list(dict.fromkeys(_ids(row[0]) + _ids(row[1]))) if row else []
        cache.set(key, ids, _ORG_GROUPS_TTL)
    return [all_group(prefix), *(org_group(i, prefix) for i in ids)]


def scope_groups(user, prefix: str = "org") -> list[str]:
    """The groups a user's live page listens to: the jurisdictions of their data scope (the
    whole-scope group for 全部数据, the roots of a 自定义 scope, else their own organisation).
    The caller checks the page's permission first."""
    from huxiao.core.choices import DataScope

    role = user.role if user.role_id else None
    if user.is_superuser and role is None:
        return [all_group(prefix)]
    if role is None:
        return []
    if role.data_scope == DataScope.ALL:
        return [all_group(prefix)]
    if role.data_scope == DataScope.CUSTOM:
        return [org_group(_ids(p)[-1], prefix) for p in role.scope_paths if _ids(p)]
    if role.data_scope in (DataScope.SUBTREE, DataScope.OWN_ORG) and user.organization_id:
        return [org_group(user.organization_id, prefix)]
    return []


def send_to_org(org_id: int, message: dict, prefix: str) -> None:
    """Send ``message`` to the groups of ``prefix`` told of a change in ``org_id``, now (call it
    on commit). Best effort: a failed push is logged; the pages also catch up on reconnect."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        groups = org_groups(org_id, prefix)
    except Exception:
        log.warning("live push (%s) for organisation %s failed", prefix, org_id, exc_info=True)
        return
    _send_all(layer, [(group, message) for group in groups], what=f"{prefix} {org_id}")


def _send_org_changed(org_id: int, what: str) -> None:
    send_to_org(org_id, {"type": "org.changed", "org": org_id, "what": what}, "org")


def broadcast_org_changed(org_id: int, what: str) -> None:
    """Tell the live pages of ``org_id`` and of every jurisdiction above it that its records
    changed (``what``: "checkin", …), once the transaction commits. The message carries no
    data: each page re-reads its own figures within its user's scope."""
    from django.db import transaction

    transaction.on_commit(lambda: _send_org_changed(org_id, what))
