"""Reads of 角色管理: roles with their holders, and role grants, within the actor's scope.

A role is a platform-wide definition: whoever may read roles reads all of them. Who holds one
is a person in some organisation: the holders counted and listed are only those in the actor's
scope, and a grant is seen only when its user is.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from huxiao.core.models import Role, RoleGrant, User


def role_list(*, user: User):
    holders = (
        User.objects.visible_to(user)
        .filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Role.objects.annotate(
        holders=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0))
    ).order_by("sort_order", "code")


def role_get(*, user: User, pk: int) -> Role:
    return get_object_or_404(Role.objects.all(), pk=pk)


def role_holders(*, user: User, role: Role):
    return (
        User.objects.visible_to(user)
        .filter(role=role)
        .select_related("organization")
        .order_by("organization__path", "username")
    )


def grant_list(*, user: User):
    return (
        RoleGrant.objects.filter(user__in=User.objects.visible_to(user).values("pk"))
        .select_related("user", "user__organization", "role", "previous_role")
        .select_related("requested_by", "decided_by")
        .annotate(
            pending_first=Case(
                When(state=RoleGrant.State.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-requested_at", "-pk")
    )


def grant_get(*, user: User, pk: int) -> RoleGrant:
    """A grant whose user is in the actor's scope; any other answers 404 like a missing one."""
    return get_object_or_404(grant_list(user=user), pk=pk)
