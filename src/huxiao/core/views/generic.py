"""Declarative scoped lists (NetBox's habit): one definition gives the page and its .xlsx.

A module declares what its list is — permission, selector, FilterSet, template, columns —
and gets two views whose rows are the same: the page shows them paginated, the export
downloads all of them (masked as on screen through the column functions) and records the
export in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from huxiao.core.exports import xlsx_response

PAGE_SIZE = 50


def require(perm: str):
    """Signed in (else to the login page), then holding ``perm`` (else 403)."""

    def decorate(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def filtered(filterset):
    # A filter that does not validate (an organisation id outside the scope, a bad
    # date) shows nothing, never the unfiltered list.
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def local_time(value):
    return timezone.localtime(value) if value else None


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (translatable) and how a row shows it."""

    header: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ScopedList:
    permission: str
    selector: Callable[[Any], Any]  # user -> scoped queryset
    filterset_class: type
    template: str
    export_filename: Any
    object_type: str
    columns: tuple[Column, ...]

    def filter(self, request):
        filterset = self.filterset_class(
            request.GET, queryset=self.selector(request.user), request=request
        )
        return filterset, filtered(filterset)

    @property
    def list_view(self):
        @require(self.permission)
        def view(request):
            filterset, queryset = self.filter(request)
            context = {"filter": filterset, "page_obj": page_of(request, queryset)}
            return render(request, self.template, context)

        return view

    @property
    def export_view(self):
        @require(self.permission)
        def view(request):
            filterset, queryset = self.filter(request)
            rows = (
                tuple(column.value(obj) for column in self.columns)
                for obj in queryset.iterator(chunk_size=2000)
            )
            return xlsx_response(
                request=request,
                filename=str(self.export_filename),
                headers=[str(column.header) for column in self.columns],
                rows=rows,
                object_type=self.object_type,
                filters=filterset.active_filters,
            )

        return view
