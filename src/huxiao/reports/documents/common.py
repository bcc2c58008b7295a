"""What the three documents share: the values filled in, paragraphs with run-in headings, the
parts in order, and the appendix 指标说明 (each figure: definition, filters, value)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _

from huxiao.core.documents import FANGSONG, HEITI, KAITI, OfficialDocument, _date
from huxiao.reports.documents import placeholders

# “一、高度重视，抓责任落实” (黑体) and “（一）牢固树立安全意识。” (楷体), written in a template's
# paragraph: the heading runs to its first full stop, or is the whole line.
_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")


def values(report) -> dict[str, str]:
    """Every placeholder's text: the context's names and each kept figure's display."""
    found = dict(report.params.get("context", {}))
    for code, figure in report.figures.items():
        found[code] = figure["display"]
    return found


def figure_order(report) -> list[str]:
    order = report.params.get("figure_order") or sorted(report.figures)
    return [code for code in order if code in report.figures]


def paragraph(doc: OfficialDocument, text: str) -> None:
    for pattern, font in ((_LEVEL_1, HEITI), (_LEVEL_2, KAITI)):
        if pattern.match(text):
            stop = text.find("。")
            head, rest = (text, "") if stop < 0 else (text[: stop + 1], text[stop + 1 :])
            doc.runs([(head, font), (rest, FANGSONG)])
            return
    doc.body(text)


def write_parts(doc: OfficialDocument, report) -> None:
    """Each planned part: its numbered heading (一、二、… among the parts present), its text."""
    filled = values(report)
    number = 0
    for part in report.params.get("parts", []):
        if part["heading"]:
            number += 1
            doc.heading(number, part["key"])
        for text in part["paragraphs"]:
            paragraph(doc, placeholders.render(text, filled))


APPENDIX = "指标说明"


def filters_text(url: str, org_name: str) -> str:
    """A records URL's query in words (单位, 起始日期, 截止日期), the rest as the query."""
    split = urlsplit(url)
    words, rest = [], []
    for key, value in parse_qsl(split.query, keep_blank_values=False):
        if key == "org":
            words.append(_("单位：%(name)s") % {"name": org_name})
        elif key in ("from", "date_from", "start"):
            words.append(_("起始日期：%(d)s") % {"d": value})
        elif key in ("to", "date_to", "end"):
            words.append(_("截止日期：%(d)s") % {"d": value})
        else:
            rest.append(f"{key}={value}")
    if rest:
        words.append(_("其他条件：%(q)s") % {"q": "&".join(rest)})
    return "；".join(words) if words else _("无（全部记录）")


def write_appendix(doc: OfficialDocument, report) -> None:
    """附件 指标说明: each figure the document names, in order, with what proves it."""
    doc.attachment(None, _("指标说明"))
    doc.plain(
        _(
            "本报告中的数字均由系统记录计算，统计期间为%(start)s至%(end)s；“当前”指标为生成报告时的状态。"
        )
        % {"start": _date(report.period_start), "end": _date(report.period_end)}
    )
    for n, code in enumerate(figure_order(report), start=1):
        f = report.figures[code]
        counted = _("记录数") if f.get("measure") == "count" else _("数值")
        head = f"{f['label']}：{f['display']}{f['unit']}。"
        text = _(
            "%(counted)s：%(value)s%(unit)s（%(scope)s）。定义：%(definition)s筛选条件：%(filters)s。记录列表：%(url)s"
        ) % {
            "counted": counted,
            "value": f["display"],
            "unit": f["unit"],
            "scope": _("统计期间内") if f.get("periodic") else _("当前"),
            "definition": f["definition"],
            "filters": f["filters"],
            "url": f["url"],
        }
        doc.item(n, head, text)


def finish(doc: OfficialDocument, report, *, appendix: bool = True) -> bytes:
    """附件说明, the signature, the appendix when figures were named, then the bytes."""
    org_name = report.params.get("org_name", "")
    has_figures = appendix and bool(report.figures)
    if has_figures:
        doc.attachment_note([APPENDIX])
    doc.signature(org_name, report.issue_date)
    if has_figures:
        write_appendix(doc, report)
    # 版记 (抄送, 印发) closes the last page, after the attachments (GB/T 9704 §7.4).
    copy_to = report.params.get("copy_to") or []
    if copy_to or report.kind == "reply_letter":
        doc.record(copy_to=copy_to, issuer=org_name, day=report.issue_date)
    return doc.to_bytes()
