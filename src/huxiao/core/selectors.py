"""Reads of the core app; each takes the acting user and starts from the scoped queryset."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core.choices import NotificationLevel, OrgKind
from huxiao.core.models import ApiToken, AuditRecord, Notification, Organization, User


def organization_list(
    *, user, kind: str | None = None, parent_id: int | None = None, q: str = ""
) -> QuerySet:
    qs = Organization.objects.visible_to(user).select_related("parent", "education_bureau")
    if kind:
        qs = qs.filter(kind=kind)
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q))
    return qs.order_by("path")


def organization_get(*, user, pk: int) -> Organization:
    """Out of scope answers 404, exactly as a missing id does."""
    return get_object_or_404(
        Organization.objects.visible_to(user).select_related("parent", "education_bureau"), pk=pk
    )


def organization_counts(*, user) -> dict[str, int]:
    """Counts by kind within the user's scope, for the home page."""
    rows = Organization.objects.visible_to(user).values("kind").annotate(n=Count("id"))
    counts = dict.fromkeys(OrgKind.values, 0)
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def user_list(*, user, q: str = "", organization_id: int | None = None) -> QuerySet:
    qs = User.objects.visible_to(user).select_related("organization", "role")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("username")


def token_list(*, user) -> QuerySet:
    """A user's own tokens (administrators manage tokens through the CLI)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_get(*, user, pk: int) -> ApiToken:
    return get_object_or_404(token_list(user=user), pk=pk)


def notification_list(*, user, unread_only: bool = False) -> QuerySet:
    qs = (
        Notification.objects.filter(recipient=user)
        if user.is_authenticated
        else Notification.objects.none()
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return notification_list(user=user, unread_only=True).count()


# An urgent message is toasted while it is news: one older than this, or one already read, stays
# in the inbox only (the deployment that adds the toast does not replay months of old alarms).
URGENT_ALERT_WINDOW = dt.timedelta(days=7)


def _urgent_unalerted() -> Q:
    return Q(
        level=NotificationLevel.URGENT,
        alerted_at__isnull=True,
        created_at__gte=timezone.now() - URGENT_ALERT_WINDOW,
    )


def inbox_counts(*, user) -> dict[str, int | None]:
    """The shell's figures in the bell's one query: ``unread`` (the count) and ``urgent`` (the
    id of the newest unread urgent message never shown as a toast, or None), which the page
    then claims and shows (``notification_alert`` answers with the next one)."""
    return notification_list(user=user, unread_only=True).aggregate(
        unread=Count("pk"), urgent=Max("pk", filter=_urgent_unalerted())
    )


def urgent_alert_next(*, user) -> int | None:
    """The newest unread urgent message not yet shown as a toast."""
    return (
        notification_list(user=user, unread_only=True)
        .filter(_urgent_unalerted())
        .values_list("pk", flat=True)
        .first()
    )


def audit_list(
    *, user, kind: str = "", actor: str = "", object_type: str = "", object_id: str = ""
) -> QuerySet:
    """The audit trail, for holders of core.view_audit only (auditors)."""
    if not user.has_perm("core.view_audit"):
        return AuditRecord.objects.none()
    qs = AuditRecord.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-seq")
