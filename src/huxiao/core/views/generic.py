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

from huxiao.core import dictionaries
from huxiao.core.exports import xlsx_response

PAGE_SIZE = 50


def require(*perms: str):
    """Signed in (else to the login page), then holding every one of ``perms`` (else 403)."""

    def decorate(view):
        return login_required(permission_required(perms, raise_exception=True)(view))

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
    """One column of an export: its header (translatable) and how a row shows it.

    ``prepare``, when given, is called once when an export starts and returns the row function
    for that export: a value that needs data read once (a dictionary's labels, ``label_column``)
    rather than once per row."""

    header: Any
    value: Callable[[Any], Any]
    prepare: Callable[[], Callable[[Any], Any]] | None = None

    def for_export(self) -> Callable[[Any], Any]:
        return self.prepare() if self.prepare is not None else self.value


def label_column(header, dictionary: str, field: str) -> Column:
    """A column showing the label of an entry of ``dictionary`` (字典管理) stored in ``field``:
    an export reads the dictionary once (one cache read, not one per row: 50,000 round trips
    to Redis otherwise); ``value`` alone reads it per call."""

    def value(obj):
        return dictionaries.label(dictionary, getattr(obj, field))

    def prepare():
        labels = dictionaries.labels(dictionary)

        def shown(obj):
            code = getattr(obj, field)
            return labels.get(code, code or "")

        return shown

    return Column(header, value, prepare)


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
            values = [column.for_export() for column in self.columns]
            rows = (
                tuple(value(obj) for value in values) for obj in queryset.iterator(chunk_size=2000)
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
