"""Reading the reports' .docx back (python-docx) and asking for them as a user would."""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn

from huxiao.reports import periods
from huxiao.reports.documents import placeholders
from huxiao.reports.models import GeneratedReport


def read(data: bytes):
    assert data[:2] == b"PK"
    return docx.Document(io.BytesIO(bytes(data)))


def text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def east_asian_font(run) -> str | None:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph(document, startswith: str):
    found = [p for p in document.paragraphs if p.text.startswith(startswith)]
    assert found, f"no paragraph starts with {startswith!r}"
    return found[0]


def last_month(today):
    return periods.preset("last_month", today)


def request(client, kind: str, *, org, period, **fields) -> GeneratedReport:
    """POST the page's form (the task runs on commit: huey is immediate in tests)."""
    from django.urls import reverse

    data = {"org": org.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}
    data |= fields
    response = client.post(reverse("reports:document_create", args=[kind]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    return GeneratedReport.objects.get(pk=pk)


def pattern_of(paragraph_template: str) -> tuple[re.Pattern, dict[str, str]]:
    """A template paragraph as a regex, each placeholder a named capture of its text; and
    the placeholders by group name."""
    out, groups = [], {}
    pos = 0
    for m in placeholders.PLACEHOLDER.finditer(paragraph_template):
        out.append(re.escape(paragraph_template[pos : m.start()]))
        name = m.group(1).strip()
        if name in groups:
            out.append(f"(?P={groups[name]})")
        else:
            groups[name] = f"g{len(groups)}"
            out.append(f"(?P<{groups[name]}>.+?)")
        pos = m.end()
    out.append(re.escape(paragraph_template[pos:]))
    return re.compile("^" + "".join(out) + "$"), {v: k for k, v in groups.items()}
