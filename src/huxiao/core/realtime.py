"""Real-time fan-out to browsers over channels (in-memory embedded, Redis at scale)."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def push_unread_counts(user_ids: list[int]) -> None:
    from huxiao.core.models import Notification

    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    counts = dict.fromkeys(user_ids, 0)
    for uid in Notification.objects.filter(
        recipient_id__in=user_ids, read_at__isnull=True
    ).values_list("recipient_id", flat=True):
        counts[uid] += 1
    for uid, count in counts.items():
        try:
            async_to_sync(layer.group_send)(
                user_group(uid), {"type": "unread.count", "count": count}
            )
        except Exception:  # a push is best effort; the inbox itself is the record
            log.warning("push to user %s failed", uid, exc_info=True)


# ---- "something changed in organisation X" (live dashboards, the big screen) -------------------

ALL_GROUP = "org-all"
_ORG_GROUPS_TTL = 300


def org_group(org_id: int) -> str:
    """The group of the live pages open on ``org_id``'s jurisdiction (see reports.consumers)."""
    return f"org-{org_id}"


def _ids(path: str | None) -> list[int]:
    return [int(part) for part in (path or "").strip("/").split("/") if part]


def org_groups(org_id: int) -> list[str]:
    """The groups told of a change in ``org_id``: its own, every organisation above it, its
    education bureau and the bureau's superiors (whose jurisdictions count its records), and
    the whole-scope group. Cached a few minutes: the hot path (a check-in) must not pay a
    query for it each time, and an organisation moving in the tree is rare."""
    from django.core.cache import cache

    from huxiao.core.models import Organization

    key = f"huxiao:org-groups:{org_id}"
    groups = cache.get(key)
    if groups is None:
        row = (
            Organization.objects.filter(pk=org_id)
            .values_list("path", "education_bureau__path")
            .first()
        )
        ids = dict.fromkeys(_ids(row[0]) + _ids(row[1])) if row else {}
        groups = [ALL_GROUP, *(org_group(i) for i in ids)]
        cache.set(key, groups, _ORG_GROUPS_TTL)
    return groups


def _send_org_changed(org_id: int, what: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for group in org_groups(org_id):
            async_to_sync(layer.group_send)(
                group, {"type": "org.changed", "org": org_id, "what": what}
            )
    except Exception:  # best effort: the pages also refresh on a timer
        log.warning("live broadcast for organisation %s failed", org_id, exc_info=True)


def broadcast_org_changed(org_id: int, what: str) -> None:
    """Tell the live pages of ``org_id`` and of every jurisdiction above it that its records
    changed (``what``: "checkin", …), once the transaction commits. The message carries no
    data: each page re-reads its own figures within its user's scope."""
    from django.db import transaction

    transaction.on_commit(lambda: _send_org_changed(org_id, what))
