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
