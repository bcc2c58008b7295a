"""Reads of 单位管理: the tree as the actor may see it, a search that keeps the ancestors of
what it finds, and what a re-parenting would carry along (the preview before it is done).

Every read starts from ``Organization.objects.visible_to(actor)``: a unit administrator sees
its own subtree, the system administrator the whole tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization, Role, User
from huxiao.core.scoping import subtree_q
from huxiao.schools.models import School
from huxiao.system import rules

# A search that matches more shows the first ones and asks for a narrower query (or an export).
SEARCH_LIMIT = 300
CHILDREN_LIMIT = 500


def visible(user) -> QuerySet:
    return Organization.objects.visible_to(user)


def _decorate(user, nodes: list[Organization]) -> list[Organization]:
    """Give each node its number of visible children and whether it may hold children."""
    counts = dict(
        visible(user)
        .filter(parent__in=[n.pk for n in nodes])
        .values("parent")
        .annotate(n=Count("pk"))
        .values_list("parent", "n")
    )
    for node in nodes:
        node.child_count = counts.get(node.pk, 0)
        node.holds_children = bool(rules.child_kinds(node.kind))
        if not hasattr(node, "tree_children"):
            node.tree_children = None
        if not hasattr(node, "is_match"):
            node.is_match = False
    return nodes


def tree_roots(*, user) -> list[Organization]:
    """The top of the tree the user sees: nodes whose parent is out of sight (or none)."""
    qs = visible(user)
    roots = qs.exclude(parent__in=qs.values("pk")).order_by("sort_order", "code")
    return _decorate(user, list(roots[:CHILDREN_LIMIT]))


def tree_children(*, user, org: Organization) -> list[Organization]:
    children = visible(user).filter(parent=org).order_by("sort_order", "code")
    return _decorate(user, list(children[:CHILDREN_LIMIT]))


def search_queryset(*, user, q: str = "", kind: str = "") -> QuerySet:
    qs = visible(user).select_related("parent", "education_bureau")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def tree_search(*, user, q: str = "", kind: str = "") -> tuple[list[Organization], int]:
    """The matches with their visible ancestors, nested (roots first); and the match count."""
    matches = search_queryset(user=user, q=q, kind=kind)
    total = matches.count()
    found = list(matches[:SEARCH_LIMIT])
    wanted = {pk for org in found for pk in org.ancestor_ids()} | {org.pk for org in found}
    nodes = list(visible(user).filter(pk__in=wanted).order_by("depth", "sort_order", "code"))
    by_pk = {n.pk: n for n in nodes}
    match_ids = {org.pk for org in found}
    roots = []
    for node in nodes:
        node.is_match = node.pk in match_ids
        node.tree_children = []
    for node in nodes:
        parent = by_pk.get(node.parent_id)
        (parent.tree_children if parent is not None else roots).append(node)
    _decorate(user, nodes)
    return roots, total


# ---- the move preview ------------------------------------------------------------------------


@dataclass
class MovePreview:
    """What re-parenting ``org`` under ``new_parent`` carries along, and why it may not."""

    org: Organization
    new_parent: Organization
    organizations: int = 0  # descendants, the node itself not counted
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    schools: int = 0
    users: int = 0
    roles: list[Role] = field(default_factory=list)
    doc_prefixes: list[Organization] = field(default_factory=list)
    bureau_checks: list[tuple[str, str, int]] = field(default_factory=list)  # bureau, note, n
    problems: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.problems


def subtree(org: Organization) -> QuerySet:
    """The node and everything under it, whoever looks (a move carries all of it)."""
    return Organization.objects.filter(subtree_q("", org.path))


def move_preview(*, org: Organization, new_parent: Organization, actor) -> MovePreview:
    from huxiao.system.services.organizations import move_problems

    preview = MovePreview(org=org, new_parent=new_parent)
    preview.problems = move_problems(org=org, new_parent=new_parent, actor=actor)
    nodes = subtree(org)
    kinds = dict(nodes.exclude(pk=org.pk).values_list("kind").annotate(n=Count("pk")))
    preview.organizations = sum(kinds.values())
    preview.by_kind = [(OrgKind(k).label, n) for k, n in sorted(kinds.items()) if n]
    schools = School.objects.filter(subtree_q("organization", org.path))
    preview.schools = schools.count()
    preview.users = User.objects.filter(subtree_q("organization", org.path)).count()
    preview.roles = list(
        Role.objects.filter(scope_organizations__in=nodes.values("pk")).distinct().order_by("code")
    )
    preview.doc_prefixes = list(nodes.exclude(doc_prefix="").order_by("path"))
    # The education bureau a school answers to is kept; say where it no longer matches the
    # district (division code) of the new parent, so the administrator checks it.
    division = new_parent.division_code
    rows = (
        schools.values_list(
            "organization__education_bureau__name", "organization__education_bureau__division_code"
        )
        .annotate(n=Count("pk"))
        .order_by("organization__education_bureau__name")
    )
    for name, bureau_division, n in rows:
        if name is None:
            note = "none"
        elif bureau_division != division:
            note = "other"
        else:
            note = "same"
        preview.bureau_checks.append((name or "", note, n))
    return preview
