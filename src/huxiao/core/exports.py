"""Excel (.xlsx) exports of lists: one helper that every module's "导出Excel" link uses.

The caller passes rows it already read through the user's scope and filters, with
personal data masked exactly as on screen; the helper writes the workbook and
records the export in the audit trail (who exported what, how many rows, which
filters), as 等保2.0 asks of sensitive reads.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from huxiao.core.audit import record_export
from huxiao.core.validators import strip_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A list export is for working on a list, not for copying the database out.
EXPORT_MAX_ROWS = 50_000

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A68")


def _cell_value(value):
    """What openpyxl can store: aware datetimes become local wall-clock time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, str):
        # Records written before control characters were refused (or through a path that
        # bypasses it) must not break the workbook for everyone in scope.
        return strip_control_characters(value)
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return strip_control_characters(str(value))


WIDTH_MAX = 60


def _width(value) -> int:
    # Columns are at most WIDTH_MAX wide: the first WIDTH_MAX characters decide (each counts at
    # least 1), so a long cell is not walked to its end.
    text = (value if isinstance(value, str) else str(value))[:WIDTH_MAX]
    # CJK characters are about twice as wide as Latin ones in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def build_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> tuple[bytes, int]:
    """Return the .xlsx bytes and the number of data rows written (at most EXPORT_MAX_ROWS)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    ws.freeze_panes = "A2"
    widths = [_width(str(h)) for h in headers]
    body: list[list] = []
    count = 0
    truncated = False
    for row in rows:
        if count >= EXPORT_MAX_ROWS:
            truncated = True
            break
        values = [_cell_value(v) for v in row]
        for i, v in enumerate(values[: len(widths)]):
            width = _width(v) if not isinstance(v, dt.datetime) else 16
            widths[i] = max(widths[i], min(width, WIDTH_MAX))
        body.append(values)
        count += 1
    # Column widths must be set before the first row in write-only mode.
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w + 2
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for values in body:
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(v, str):
                # Text stays text: a name typed as "=HYPERLINK(…)" must not become a
                # formula that Excel runs when the export is opened (formula injection).
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
    if truncated:
        ws.append([_("仅导出前 %(n)d 行，请缩小筛选范围后分批导出。") % {"n": EXPORT_MAX_ROWS}])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx as a download that no cache keeps (exports, templates, error lists)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(
    *,
    request,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    object_type: str,
    filters: dict | None = None,
    title: str | None = None,
) -> HttpResponse:
    """Build the workbook, record the export in the audit trail and return the download.

    ``rows`` must already be limited to the user's scope and masked as on screen.
    """
    content, count = build_workbook(title=title or filename, headers=headers, rows=rows)
    record_export(object_type=object_type, count=count, filters=filters or {}, actor=request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_download(content, f"{filename}-{stamp}.xlsx")
