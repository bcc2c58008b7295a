"""What a module's figures share: a figure is one query of a list page.

``list_rows(filterset, queryset, user, query, org)`` gives the rows the page's filterset gives
for ``query`` over the page's scoped selector, and ``list_url(name, query, org)`` opens that
page with the same query, so a figure's number and the list it opens are the same rows whoever
looks. ``org`` narrows both to an organisation's jurisdiction (the lists' ``?org=``,
``core.filtersets.JurisdictionFilterSet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.urls import reverse

from huxiao.core.scoping import jurisdiction_q
from huxiao.core.views.generic import filtered


@dataclass(frozen=True)
class Asker:
    """What a filterset reads from the request: the user whose scope offers the choices."""

    user: object


def within(query: dict[str, str] | None, org) -> dict[str, str]:
    """``query`` narrowed to ``org``'s jurisdiction (None: unchanged)."""
    return {**(query or {}), "org": str(org.pk)} if org is not None else dict(query or {})


def list_rows(filterset_class, queryset, user, query: dict[str, str], org=None):
    rows = filtered(filterset_class(query, queryset=queryset, request=Asker(user)))
    if org is None:
        return rows
    # What the list's ``?org=`` does (JurisdictionFilterSet.filter_jurisdiction), without
    # looking the organisation up again for every figure: the readers took it from the user's
    # scope (reports.scope), and the rows start from the scoped selector whatever ``org`` is.
    return rows.filter(jurisdiction_q(rows.model.scope_org_path, org))


def list_url(name: str, query: dict[str, str] | None = None, org=None) -> str:
    query = within(query, org)
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def by_child(rows, children, sum_of: str | None = None) -> dict[int, int]:
    """The rows of ``rows`` counted (or ``sum_of`` summed) in each child's jurisdiction, in one
    query: each row goes to the first child whose jurisdiction holds it (children are disjoint
    subtrees; a school answering to an education bureau is the bureau's child only)."""
    if not children:
        return {}
    model = rows.model
    whens = [
        When(jurisdiction_q(model.scope_org_path, child), then=Value(child.pk))
        for child in children
    ]
    # The selectors may annotate aggregates (GROUP BY): group their ids, not their rows.
    ids = rows.order_by().values("pk")
    measure = Sum(sum_of) if sum_of else Count("pk")
    grouped = (
        model._default_manager.filter(pk__in=ids)
        .annotate(_child=Case(*whens, default=None, output_field=IntegerField()))
        .values("_child")
        .annotate(n=measure)
        .order_by()
    )
    found = {row["_child"]: row["n"] or 0 for row in grouped}
    return {child.pk: found.get(child.pk, 0) for child in children}
