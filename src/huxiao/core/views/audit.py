"""The auditor's page (审计日志, issue 14): the trail in Chinese, its export and the chain check.

The list and its export read the same scoped selector through the same filters, and label
their rows with the same helper (``core.audit_labels``). A filter that does not validate (an
unknown object type, a bad date) answers 400 with the reason beside the field, never an
empty or unfiltered list. The export is an .xlsx (write-only workbook, rows read in chunks,
names of related records read once per chunk) or, with ``?format=csv``, a CSV streamed as
the rows are read, which starts at once and holds no workbook in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlsplit

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huxiao.core import audit_labels, audit_verify, selectors
from huxiao.core.audit import record_export
from huxiao.core.exports import EXPORT_MAX_ROWS, xlsx_response
from huxiao.core.filtersets import AuditFilterSet
from huxiao.core.validators import strip_control_characters
from huxiao.core.views.generic import page_of, require

VIEW_AUDIT = "core.view_audit"
CHUNK = 1000  # records read, and labelled, at a time by an export


# ---- filters -------------------------------------------------------------------------------


class ObjectTypeField(forms.ChoiceField):
    """The object type as a picker of the platform's models by their Chinese names; a code
    (``persons.keyperson``, as old links carry it) or a name typed into the address works too.
    Cleans to the list of codes it names."""

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = lambda: [("", _("全部对象类型")), *audit_labels.type_groups()]
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = strip_control_characters(str(value or "")).strip()
        if not text:
            return []
        codes = audit_labels.resolve_type(text)
        if not codes:
            raise ValidationError(
                _("未知的对象类型“%(value)s”，请从列表中选择。"),
                code="invalid_choice",
                params={"value": text[:50]},
            )
        return codes


class ObjectTypeFilter(django_filters.Filter):
    field_class = ObjectTypeField

    def filter(self, qs, value):
        return qs.filter(object_type__in=value) if value else qs


class AuditPageFilterSet(AuditFilterSet):
    object_type = ObjectTypeFilter(label=gettext_lazy("对象类型"))

    def __init__(self, data=None, *args, **kwargs):
        # A name or a code in another case is shown as the option it names (and recorded so
        # with an export); a code of a module that names no model gets an option of its own.
        self._extra_type = ""
        if data is not None and data.get("object_type"):
            codes = audit_labels.resolve_type(data["object_type"])
            if len(codes) == 1:
                data = data.copy()
                data["object_type"] = codes[0]
                if audit_labels.model_of(codes[0]) is None:
                    self._extra_type = codes[0]
        super().__init__(data, *args, **kwargs)
        if self._extra_type:
            field = self.form.fields["object_type"]
            field.choices = [*field.choices, (_("其他"), [(self._extra_type, self._extra_type)])]

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        start = self.form.cleaned_data.get("date_from")
        end = self.form.cleaned_data.get("date_to")
        if start and end and start > end:
            self.form.add_error("date_to", _("截止日期不能早于起始日期。"))
            return False
        return True


def _filtered(request):
    filterset = AuditPageFilterSet(
        request.GET, queryset=selectors.audit_list(user=request.user), request=request
    )
    valid = filterset.is_valid()
    return filterset, valid, (filterset.qs if valid else filterset.queryset.none())


# ---- the page ------------------------------------------------------------------------------


def _page(request, filterset, queryset, *, status: int = 200):
    page_obj = page_of(request, queryset)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "rows": audit_labels.Labeller().rows(page_obj.object_list),
        "check": audit_verify.last_check(user=request.user),
        "can_verify": request.user.has_perm(audit_verify.PERMISSION),
        "back_url": request.get_full_path(),
    }
    return render(request, "core/audit_list.html", context, status=status)


@require(VIEW_AUDIT)
def audit_list(request):
    filterset, valid, queryset = _filtered(request)
    return _page(request, filterset, queryset, status=200 if valid else 400)


# ---- the export ----------------------------------------------------------------------------


def _rows(queryset):
    labeller = audit_labels.Labeller()
    records = queryset.iterator(chunk_size=CHUNK)
    for row in labeller.batches(records, size=CHUNK):
        yield row.export_values()


@require(VIEW_AUDIT)
def audit_export(request):
    filterset, valid, queryset = _filtered(request)
    if not valid:
        return _page(request, filterset, queryset, status=400)
    if request.GET.get("format") == "csv":
        return _csv_response(request, filterset, queryset)
    return xlsx_response(
        request=request,
        filename=_("审计日志"),
        headers=[str(h) for h in audit_labels.EXPORT_HEADERS],
        rows=_rows(queryset),
        object_type="core.auditrecord",
        filters=filterset.active_filters,
    )


class _Line:
    """A file-like that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    text = strip_control_characters(str(value))
    # A text that a spreadsheet would run as a formula stays text (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_response(request, filterset, queryset) -> StreamingHttpResponse:
    # The records as they stand now: the export's own record, written below, is not among them.
    newest = queryset.values_list("seq", flat=True).first()
    queryset = queryset.filter(seq__lte=newest) if newest is not None else queryset.none()
    limited = queryset[:EXPORT_MAX_ROWS]
    count = limited.count()
    truncated = count == EXPORT_MAX_ROWS and queryset.count() > EXPORT_MAX_ROWS
    # Recorded before the first byte leaves: the stream runs after this view has returned.
    record_export(
        object_type="core.auditrecord",
        count=count,
        filters={**filterset.active_filters, "format": "csv"},
        actor=request.user,
    )
    language = translation.get_language()
    headers = [str(h) for h in audit_labels.EXPORT_HEADERS]

    def stream():
        with translation.override(language):
            line = csv.writer(_Line())
            yield "\ufeff" + line.writerow(headers)  # the BOM: Excel then reads UTF-8
            buffer = io.StringIO()
            chunk = csv.writer(buffer)
            for count, values in enumerate(_rows(limited), start=1):
                chunk.writerow([_csv_cell(v) for v in values])
                if count % CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            if truncated:
                note = _("仅导出前 %(n)d 行，请缩小筛选范围后分批导出。") % {"n": EXPORT_MAX_ROWS}
                chunk.writerow([note])
            yield buffer.getvalue()

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_('审计日志')}-{stamp}.csv"
    )
    response["Cache-Control"] = "no-store"
    return response


# ---- the chain check -------------------------------------------------------------------------


def _back(target: str | None) -> str:
    """Where a check returns: the audit page with the filters it was started from."""
    page = reverse("core:audit_list")
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or parts.path != page:
        return page
    return target


@require(audit_verify.PERMISSION)
@require_POST
def audit_verify_start(request):
    try:
        audit_verify.verify_start(actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已开始校验审计日志哈希链，完成后结果显示在本页。"))
    return redirect(_back(request.POST.get("next")))


@require(audit_verify.PERMISSION)
def audit_verify_status(request):
    """The check's panel alone: the page polls it while a check runs."""
    context = {
        "check": audit_verify.last_check(user=request.user),
        "can_verify": request.user.has_perm(audit_verify.PERMISSION),
        "back_url": _back(request.GET.get("next")),
    }
    return render(request, "core/partials/audit_verify.html", context)
