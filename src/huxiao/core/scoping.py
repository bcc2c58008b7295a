"""The one scoping mechanism: ``Model.objects.visible_to(user)``.

Every page, API endpoint, export, report and job starts its reads here. A model
declares where its organisation is (``scope_org_path``, a lookup path to
``core.Organization``; ``""`` for Organization itself) and, for the "仅本人"
scope, where its owner is (``scope_owner_path``). A model with neither is
visible only to the "全部数据" scope.

Rules (SPEC 1):
- 全部数据: everything.
- 本单位及下级: the subtree of the user's organisation; a user of an education
  bureau also sees the schools that point at a bureau in that subtree (and what
  hangs under them).
- 仅本单位: records of the user's own organisation only.
- 仅本人: records the user owns.
- 自定义: the subtrees of the organisations chosen on the role (and the schools that answer
  to an education bureau among them).
Anonymous or unassigned users see nothing.
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models import Q

from huxiao.core.choices import DataScope, OrgKind


def _join(prefix: str, lookup: str) -> str:
    return f"{prefix}__{lookup}" if prefix else lookup


def subtree_q(lookup: str, path: str) -> Q:
    """Rows whose organisation path starts with ``path`` (which ends with "/").

    SQLite's LIKE is case-insensitive and skips the index, so there the prefix becomes the
    range [path, path with its final "/" replaced by "0") — "0" sorts right after "/" in
    binary collation. PostgreSQL keeps LIKE 'prefix%', served by the varchar_pattern_ops
    index under any collation (a range would follow the locale's collation there).
    """
    field = _join(lookup, "path")
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})
    return Q(**{f"{field}__startswith": path})


def jurisdiction_q(lookup: str, org) -> Q:
    """Rows in ``org``'s jurisdiction: its subtree, and for an education bureau also what hangs
    under the schools that answer to a bureau in that subtree (as the 本单位及下级 scope reads it).

    ``lookup`` is the model's ``scope_org_path`` (``""`` for Organization itself).
    """
    q = subtree_q(lookup, org.path)
    if org.kind == OrgKind.EDUCATION_BUREAU:
        q |= subtree_q(_join(lookup, "education_bureau"), org.path)
    return q


def in_jurisdiction(org, path: str, education_bureau_path: str | None = None) -> bool:
    """``jurisdiction_q`` for one row already read: its organisation's path and that
    organisation's education bureau's path (when it has one)."""
    if path.startswith(org.path):
        return True
    return (
        org.kind == OrgKind.EDUCATION_BUREAU
        and education_bureau_path is not None
        and education_bureau_path.startswith(org.path)
    )


def scope_filter(model: type[models.Model], user) -> Q | None:
    """Return the Q that limits ``model`` to what ``user`` may see; ``None`` means nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    role = user.role if user.role_id else None
    if user.is_superuser and role is None:
        return Q()
    if role is None:
        return None
    scope = role.data_scope
    if scope == DataScope.ALL:
        return Q()
    if scope == DataScope.SELF:
        owner = getattr(model, "scope_owner_path", None)
        if owner is None:
            return None
        return Q(**{_join(owner, "pk") if owner else "pk": user.pk})
    org_path = getattr(model, "scope_org_path", None)
    if scope == DataScope.CUSTOM:
        if org_path is None or not role.scope_paths:
            return None
        q = Q()
        for path in role.scope_paths:
            q |= subtree_q(org_path, path) | subtree_q(_join(org_path, "education_bureau"), path)
        return q
    org = user.organization
    if org is None or org_path is None:
        return None
    if scope == DataScope.OWN_ORG:
        return Q(**{_join(org_path, "pk") if org_path else "pk": org.pk})
    return jurisdiction_q(org_path, org)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        q = scope_filter(self.model, user)
        if q is None:
            return self.none()
        return self.filter(q) if q else self.all()
