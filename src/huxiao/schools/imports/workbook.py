"""Workbooks in the import layout: the blank template, the ledger export, the error list.

The first sheet has the header row in row 1 and one record per row, exactly the columns
the import reads, so a downloaded ledger can be edited and uploaded again. The second
sheet, 说明, describes every column.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from huxiao.schools.imports.base import Ledger

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A68")
_REQUIRED_FILL = PatternFill("solid", fgColor="9A1B2C")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        # Codes and ID numbers stay text when the file is edited in Excel.
        cell.number_format = "@"
        # A name typed as "=HYPERLINK(…)" is text, not a formula Excel would run.
        cell.data_type = "s"
    return cell


def _header_row(ws, headers, required=()):
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if header in required else _HEADER_FILL
        cell.alignment = Alignment(vertical="center", horizontal="center")
        cells.append(cell)
    ws.append(cells)


def sheet_title(ledger: Ledger, *, export: bool) -> str:
    if export and ledger.personal_data:
        return (str(ledger.title) + _("（含个人信息）"))[:31]
    return str(ledger.title)[:31]


def ledger_workbook(ledger: Ledger, rows: Iterable[list], *, export: bool) -> tuple[bytes, int]:
    """The ledger sheet (header + rows) and the 说明 sheet; returns the bytes and the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(ledger, export=export))
    ws.freeze_panes = "A2"
    for i, col in enumerate(ledger.columns, start=1):
        width = max(_width(col.header), _width(str(col.example)), 10)
        ws.column_dimensions[get_column_letter(i)].width = min(width + 4, 40)
    _header_row(ws, ledger.headers, set(ledger.required_headers))
    count = 0
    for row in rows:
        ws.append([_cell(ws, "" if v is None else v) for v in row])
        count += 1
    _notes_sheet(wb, ledger, export=export)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def template_workbook(ledger: Ledger) -> bytes:
    example = [col.example for col in ledger.columns]
    content, _count = ledger_workbook(ledger, [example], export=False)
    return content


def _notes_sheet(wb, ledger: Ledger, *, export: bool) -> None:
    ws = wb.create_sheet(title=_("说明"))
    for letter, width in zip("ABCD", (18, 8, 70, 24), strict=True):
        ws.column_dimensions[letter].width = width
    if export and ledger.personal_data:
        ws.append(
            [_("本表含个人信息（身份证号、电话号码），仅供台账维护使用；请妥善保管，用后删除。")]
        )
    elif not export:
        ws.append([_("第一张工作表第2行为示例，请删除或覆盖后填写；红色表头为必填列。")])
    for note in ledger.notes:
        ws.append([str(note)])
    ws.append(
        [
            _(
                "可上传 .xlsx 或 .csv（UTF-8 或 GBK 编码）文件，不超过20 MB；表头须与模板一致，列的顺序可以不同。"
            )
        ]
    )
    ws.append([])
    _header_row(ws, [_("列名"), _("必填"), _("说明"), _("示例")])
    for col in ledger.columns:
        ws.append(
            [
                col.header,
                _("是") if col.required else "",
                str(col.help) if col.help else "",
                _cell(ws, "" if col.example is None else col.example),
            ]
        )


def errors_workbook(errors: Iterable[dict]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("错误清单"))
    for letter, width in zip("ABCD", (8, 16, 28, 60), strict=True):
        ws.column_dimensions[letter].width = width
    _header_row(ws, [_("行"), _("列"), _("值"), _("错误")])
    for e in errors:
        ws.append([e["row"], e["column"] or _("（整行）"), e.get("value", ""), e["message"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
