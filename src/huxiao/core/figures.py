"""What a module's figures share: a figure is one query of a list page.

``list_rows(filterset, queryset, user, query, org)`` gives the rows the page's filterset gives
for ``query`` over the page's scoped selector, and ``list_url(name, query, org)`` opens that
page with the same query, so a figure's number and the list it opens are the same rows whoever
looks. ``org`` narrows both to an organisation's jurisdiction (the lists' ``?org=``,
``core.filtersets.JurisdictionFilterSet``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.urls import reverse

from huxiao.core.filtersets import day_start
from huxiao.core.scoping import jurisdiction_q
from huxiao.core.views.generic import filtered

# ---- one reading for several figures ----------------------------------------------------------

_readings: ContextVar[dict | None] = ContextVar("figure_readings", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within it, what several figures (and a page's map) read of the same records is read once
    (``shared``): a dashboard counts its tiles, its breakdown and its map in one moment, for
    one user, so reading the schools' statuses three times only costs time."""
    token = _readings.set({})
    try:
        yield
    finally:
        _readings.reset(token)


def shared(key: tuple, read: Callable[[], object]):
    """``read()``, or inside ``one_reading`` what it gave the first time for ``key`` (which must
    name everything the reading depends on: the user, the jurisdiction, the day)."""
    memo = _readings.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


@dataclass(frozen=True)
class Asker:
    """What a filterset reads from the request: the user whose scope offers the choices."""

    user: object


def within(query: dict[str, str] | None, org) -> dict[str, str]:
    """``query`` narrowed to ``org``'s jurisdiction (None: unchanged)."""
    return {**(query or {}), "org": str(org.pk)} if org is not None else dict(query or {})


@cache
def _narrowed(filterset_class, names: frozenset[str]):
    """``filterset_class`` with only the filters ``names``: what a figure's query uses.

    A filter absent from the query filters nothing (django-filter skips empty values), so the
    rows are the list's; but a list's filterset copies every filter and builds every form
    field (an organisation picker reads the user's scope) each time it is made, which is most
    of a figure's cost when a dashboard counts fifty of them (docs/performance.md).
    """
    narrowed = type(filterset_class.__name__, (filterset_class,), {"styled": False})
    narrowed.base_filters = {
        name: f for name, f in filterset_class.base_filters.items() if name in names
    }
    return narrowed


def list_rows(filterset_class, queryset, user, query: dict[str, str], org=None):
    filterset = _narrowed(filterset_class, frozenset(query))
    rows = filtered(filterset(query, queryset=queryset, request=Asker(user)))
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
    whens = [
        When(jurisdiction_q(rows.model.scope_org_path, child), then=Value(child.pk))
        for child in children
    ]
    found = _grouped(rows, whens, sum_of)
    return {child.pk: found.get(child.pk, 0) for child in children}


def _grouped(rows, whens, sum_of: str | None) -> dict[int, int]:
    """``rows`` counted (or ``sum_of`` summed) by the first of ``whens`` each matches."""
    model = rows.model
    # The selectors may annotate aggregates (GROUP BY): group their ids, not their rows.
    ids = rows.order_by().values("pk")
    measure = Sum(sum_of) if sum_of else Count("pk")
    grouped = (
        model._default_manager.filter(pk__in=ids)
        .annotate(_bucket=Case(*whens, default=None, output_field=IntegerField()))
        .values("_bucket")
        .annotate(n=measure)
        .order_by()
    )
    return {row["_bucket"]: row["n"] or 0 for row in grouped}


def counts(rows, conditions: dict, children=None) -> dict:
    """Several counts of ``rows`` in one query, each of the rows matching its ``Q`` (an empty
    ``Q()`` counts them all): ``{key: n}``, or with ``children`` ``{child.pk: {key: n}}``, each
    row in the first child whose jurisdiction holds it (as ``by_child``). A module's figures
    that differ only by a filter of one list are counted this way in their ``batch``."""
    keys = list(conditions)
    measures = {
        f"n{i}": Count("pk", filter=q) if q else Count("pk")
        for i, q in enumerate(conditions.values())
    }
    if children is None:
        got = rows.order_by().aggregate(**measures)
        return {key: got[f"n{i}"] or 0 for i, key in enumerate(keys)}
    found = {child.pk: dict.fromkeys(keys, 0) for child in children}
    if not children:
        return found
    whens = [
        When(jurisdiction_q(rows.model.scope_org_path, child), then=Value(child.pk))
        for child in children
    ]
    grouped = (
        rows.model._default_manager.filter(pk__in=rows.order_by().values("pk"))
        .annotate(_bucket=Case(*whens, default=None, output_field=IntegerField()))
        .values("_bucket")
        .annotate(**measures)
        .order_by()
    )
    for row in grouped:
        if row["_bucket"] in found:
            found[row["_bucket"]] = {key: row[f"n{i}"] or 0 for i, key in enumerate(keys)}
    return found


def by_period(rows, periods, field: str, sum_of: str | None = None) -> list[int]:
    """The rows of ``rows`` counted (or ``sum_of`` summed) in each of ``periods``, by the date
    or time ``field``, in one query; ``rows`` must hold every period's rows (the span)."""
    column = rows.model._meta.get_field(field)
    timed = isinstance(column, models.DateTimeField)
    whens = []
    for i, period in enumerate(periods):
        if timed:
            bounds = {
                f"{field}__gte": day_start(period.start),
                f"{field}__lt": day_start(period.end + dt.timedelta(days=1)),
            }
        else:
            bounds = {f"{field}__gte": period.start, f"{field}__lte": period.end}
        whens.append(When(Q(**bounds), then=Value(i)))
    if not whens:
        return []
    found = _grouped(rows, whens, sum_of)
    return [found.get(i, 0) for i in range(len(periods))]
