"""Reads of 用户管理; each takes the acting administrator and starts from its scope."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core import parameters
from huxiao.core.models import AuditRecord, User

RECENT_ACTIVITY = 15


def recent_failures():
    """Failed sign-ins of each row's username within the lockout period (django-axes), as a
    subquery: the list shows and filters the lock state without a query per row."""
    from axes.models import AccessAttempt

    since = timezone.now() - parameters.lockout_cooloff()
    failures = (
        AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=since)
        .order_by()
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(failures, output_field=IntegerField()), 0)


def user_list(*, user) -> QuerySet:
    return (
        User.objects.visible_to(user)
        .select_related("organization", "role")
        .annotate(recent_failures=recent_failures())
        .order_by("username")
    )


def user_get(*, user, pk: int) -> User:
    """Out of scope answers 404, exactly as a missing id does."""
    return get_object_or_404(
        User.objects.visible_to(user).select_related("organization", "role"), pk=pk
    )


def recent_activity(*, target: User) -> list[AuditRecord]:
    """The account's latest audit records as the actor (what it did, not what was done to
    it); the detail page shows when, what kind and on which object, never the content."""
    return list(
        AuditRecord.objects.filter(actor_id=target.pk)
        .only("ts", "kind", "action", "object_type", "object_repr")
        .order_by("-seq")[:RECENT_ACTIVITY]
    )
