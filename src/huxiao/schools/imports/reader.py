"""Reading an uploaded ledger: .xlsx through python-calamine, .csv in UTF-8 or GBK.

The result is a ``Table``: the header row and the data rows, each with its row number
as the spreadsheet shows it (header in row 1 → first data row is row 2), so errors can
name the row a person sees. Problems with the file as a whole raise ``ImportFileError``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from huxiao.schools.imports.cells import as_text, is_blank

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# A title line or two may sit above the header row ("XX区学校台账").
HEADER_SEARCH_ROWS = 10
EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(ValueError):
    """The file cannot be imported at all (type, size, encoding, missing columns)."""


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]]  # (row number in the sheet, cells)
    file_kind: str  # "xlsx" or "csv"
    encoding: str = ""
    sheet: str = ""
    extra_headers: list[str] = field(default_factory=list)


def file_kind(filename: str) -> str:
    name = (filename or "").lower().strip()
    for ext in EXTENSIONS:
        if name.endswith(ext):
            return ext[1:]
    if name.endswith((".xls", ".et", ".ods", ".xlsm", ".xlsb")):
        raise ImportFileError(
            _("不支持的文件类型：请在Excel或WPS中另存为 .xlsx 工作簿或 .csv 文件后再上传。")
        )
    raise ImportFileError(_("不支持的文件类型：只接受 .xlsx 或 .csv 文件。"))


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("文件是空的。"))
    if size > MAX_BYTES:
        raise ImportFileError(
            _("文件超过 %(mb)d MB，请分批导入。") % {"mb": MAX_BYTES // (1024 * 1024)}
        )


def _read_xlsx(data: bytes) -> tuple[list[list], str]:
    from python_calamine import CalamineError, CalamineWorkbook

    if not data.startswith(b"PK"):
        raise ImportFileError(_("文件不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）。"))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ImportFileError(_("工作簿中没有工作表。"))
        sheet = workbook.get_sheet_by_index(0)
        # Keep leading empty rows and columns so row numbers match what the sheet shows.
        rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + HEADER_SEARCH_ROWS + 1)
    except ImportFileError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(_("无法读取 .xlsx 文件：文件已损坏，或不是Excel工作簿。")) from exc
    except Exception as exc:  # calamine raises its own error types for zip/xml problems
        raise ImportFileError(_("无法读取 .xlsx 文件：文件已损坏，或不是Excel工作簿。")) from exc
    return rows, workbook.sheet_names[0]


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM, as Excel writes "CSV UTF-8") first, then GBK (GB18030)."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("无法识别CSV文件的编码，请保存为 UTF-8 或 GBK 编码。")) from exc


def _read_csv(data: bytes) -> tuple[list[list], str]:
    content, encoding = decode_csv(data)
    if "\x00" in content:
        raise ImportFileError(_("CSV文件含有二进制内容，请确认上传的是文本格式的CSV。"))
    # Excel writes commas; "Unicode text" exports from Excel/WPS use tabs.
    first_line = content.split("\n", 1)[0]
    dialect = csv.excel_tab if "\t" in first_line and "," not in first_line else csv.excel
    rows: list[list] = []
    try:
        for row in csv.reader(io.StringIO(content, newline=""), dialect):
            rows.append(row)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV文件格式错误（第%(n)d行）：%(e)s") % {"n": len(rows) + 1, "e": exc}
        ) from exc
    return rows, encoding


def normalise_header(value) -> str:
    text = as_text(value) if not is_blank(value) else ""
    # "姓名*" and "姓名（必填）" are how people mark required columns in templates.
    for suffix in ("*", "＊", "（必填）", "(必填)"):
        text = text.removesuffix(suffix)
    return "".join(text.split()).replace("\u3000", "")


def read_table(data: bytes, filename: str, *, known_headers: set[str]) -> Table:
    kind = file_kind(filename)
    check_size(len(data))
    if kind == "xlsx":
        raw_rows, sheet = _read_xlsx(data)
        encoding = ""
    else:
        raw_rows, encoding = _read_csv(data)
        sheet = ""
    header_index = None
    for index, row in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if any(normalise_header(cell) in known_headers for cell in row):
            header_index = index
            break
    if header_index is None:
        raise ImportFileError(
            _("没有找到表头行：第一行应为列名（如“学校标识码”），请使用本台账的导入模板。")
        )
    headers = [normalise_header(cell) for cell in raw_rows[header_index]]
    rows = []
    for index in range(header_index + 1, len(raw_rows)):
        cells = raw_rows[index]
        if all(is_blank(cell) for cell in cells):
            continue
        rows.append((index + 1, cells))
    if not rows:
        raise ImportFileError(_("文件中没有数据行。"))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("文件超过 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
    return Table(
        headers=headers,
        header_row=header_index + 1,
        rows=rows,
        file_kind=kind,
        encoding=encoding,
        sheet=sheet,
    )
