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

from django.urls import reverse

from huxiao.core.views.generic import filtered


@dataclass(frozen=True)
class Asker:
    """What a filterset reads from the request: the user whose scope offers the choices."""

    user: object


def within(query: dict[str, str] | None, org) -> dict[str, str]:
    """``query`` narrowed to ``org``'s jurisdiction (None: unchanged)."""
    return {**(query or {}), "org": str(org.pk)} if org is not None else dict(query or {})


def list_rows(filterset_class, queryset, user, query: dict[str, str], org=None):
    query = within(query, org)
    return filtered(filterset_class(query, queryset=queryset, request=Asker(user)))


def list_url(name: str, query: dict[str, str] | None = None, org=None) -> str:
    query = within(query, org)
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)
