"""Checking a module's figures against the lists they open (shared by the module tests)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlsplit

from openpyxl import load_workbook

from huxiao.core import modules
from huxiao.core.modules import Period

PERIOD = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def export_rows(client, records_url: str) -> int:
    """The rows of the .xlsx export of the list ``records_url`` opens, with the same query."""
    parts = urlsplit(records_url)
    url = f"{parts.path}export/" + (f"?{parts.query}" if parts.query else "")
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(row))


def module_figures(label: str):
    return [f for f in modules.figures() if f.code.startswith(f"{label}.")]
