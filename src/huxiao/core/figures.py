"""What a module's figures share: a figure is one query of a list page.

``list_rows(filterset, queryset, user, query)`` gives the rows the page's filterset gives for
``query`` over the page's scoped selector, and ``list_url(name, query)`` opens that page with
the same query, so a figure's number and the list it opens are the same rows whoever looks.
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


def list_rows(filterset_class, queryset, user, query: dict[str, str]):
    return filtered(filterset_class(query, queryset=queryset, request=Asker(user)))


def list_url(name: str, query: dict[str, str] | None = None) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)
