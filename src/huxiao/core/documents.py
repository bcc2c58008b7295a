"""GB/T 9704-2012 《党政机关公文格式》 documents as .docx, shared by every module that writes one
(the 整改通知书 and 督办通知 of inspections, the 工作情况报告, 答复函 and 整改报告 of reports).

Laid out after GB/T 9704-2012: A4, 天头 37 mm and 订口 28 mm around a 156 x 225 mm 版心 of
22 lines of 28 characters (三号仿宋); a red 版头 (发文机关标志, 发文字号, red 分隔线), a 二号小标宋
title, 主送机关, headings 一、(黑体) and （一）(楷体), the unsealed signature block, 附件说明 and
附件, the 版记 (抄送, 印发) between its rules and “— 1 —” page numbers. The fonts are named as
on a government office PC (仿宋_GB2312 …); docs/documents.md lists the rules.

The builder is deterministic: the same content gives the same bytes (the package's entries
carry a fixed timestamp, the core properties the document's own date), so a stored
document's SHA-256 can be checked by writing it again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips

from huxiao.core.choices import OrgKind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
RED = RGBColor(0xFF, 0x00, 0x00)

TEXT_WIDTH = Mm(156)
TEXT_HEIGHT = Mm(225)
LINES, CHARS = 22, 28
LINE_PITCH = Twips(579)  # 225 mm / 22 lines, rounded down as Word's own 公文 templates do
CHAR_PITCH = Pt(TEXT_WIDTH.pt / CHARS)  # ≈ 15.79 pt: 28 三号 characters fill 156 mm

# Order of the children of w:pPr (ECMA-376 §17.3.1.26): Word refuses misplaced elements.
# fmt: off
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)
# fmt: on


def _cn_number(n: int) -> str:
    """一 … 九十九, the numbering of first-level headings."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _date(day: dt.date) -> str:
    """成文日期 in Arabic numerals, month and day without a leading zero (GB/T 9704 §7.3.5.3)."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _width(text: str) -> float:
    """Width in 三号 characters: ASCII digits and letters are half width."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _set_fonts(rpr_owner, font: str) -> None:
    """Name ``font`` for East Asian and Latin text alike (Word picks w:eastAsia for CJK)."""
    rfonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)  # a theme font would win over the named one
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), font)


def _element(tag: str, text: str | None = None, **attrs):
    element = OxmlElement(f"w:{tag}", {qn(f"w:{k}"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.set(qn("xml:space"), "preserve")
        element.text = text
    return element


def _ppr_add(ppr, tag: str, **attrs):
    """Add ``<w:tag>`` to a paragraph's properties at its schema position."""
    element = _element(tag, **attrs)
    existing = ppr.find(qn(f"w:{tag}"))
    if existing is not None:
        ppr.remove(existing)
    later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
    ppr.insert_element_before(element, *(f"w:{t}" for t in later))
    return element


def _indent(ppr, side: str, chars: float, pitch=CHAR_PITCH) -> None:
    """Indent in characters (w:…Chars, which Word and WPS prefer) and in twips as a fallback."""
    _ppr_add(ppr, "ind", **{side: round(pitch.twips * chars), f"{side}Chars": round(chars * 100)})


def _border(ppr, **edges) -> None:
    """Paragraph rules, e.g. ``bottom=("FF0000", 12, 11)``: colour, width in 1/8 pt, gap in pt."""
    pbdr = _ppr_add(ppr, "pBdr")
    for edge in ("top", "left", "bottom", "right"):
        if edge in edges:
            colour, size, space = edges[edge]
            pbdr.append(_element(edge, val="single", sz=size, space=space, color=colour))


class OfficialDocument:
    """One GB/T 9704 document being written (notices, 督办通知, reports, reply letters)."""

    def __init__(self, *, title: str, author: str, day: dt.date):
        self.doc = Document()
        self._page_setup()
        self._default_style()
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, author, author
        props.comments = ""
        props.created = props.modified = dt.datetime.combine(day, dt.time(8, 0))

    # -- page and defaults -------------------------------------------------------------
    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        # The page number's 一字线 sits 7 mm under the text block (GB/T 9704 §7.5).
        section.footer_distance = Emu(Mm(35 - 7) - Pt(18))
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
        # charSpace: 1/4096 pt added to the default (三号) size to give the 28-character pitch.
        grid.set(qn("w:charSpace"), str(round((CHAR_PITCH.pt - SIZE_3.pt) * 4096)))
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: 右空一字
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)  # even: 左空一字

    def _default_style(self) -> None:
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        rfonts = rpr.find(qn("w:rFonts"))
        rfonts.attrib.clear()  # no theme fonts: they would win over the named one
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            rfonts.set(qn(attr), FANGSONG)
        for tag in ("w:sz", "w:szCs"):
            rpr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
        rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        normal = self.doc.styles["Normal"]
        normal.font.size = SIZE_3
        _set_fonts(normal.element, FANGSONG)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.widow_control = False
        ppr = normal.element.get_or_add_pPr()
        # No automatic gap between Chinese and Latin text: it would break the 28-character grid.
        _ppr_add(ppr, "autoSpaceDE", val=0)
        _ppr_add(ppr, "autoSpaceDN", val=0)

    def _page_number(self, footer, align) -> None:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(18)
        ppr = p._p.get_or_add_pPr()
        _ppr_add(ppr, "snapToGrid", val=0)
        _indent(ppr, "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left", 1, SIZE_4)
        field = (
            _element("fldChar", fldCharType="begin"),
            _element("instrText", " PAGE "),
            _element("fldChar", fldCharType="separate"),
        )
        self._run(p, "— ", SONGTI, SIZE_4)
        for element in field:
            self._run(p, "", SONGTI, SIZE_4)._r.append(element)
        self._run(p, "1", SONGTI, SIZE_4)  # the field's last result, until Word updates it
        self._run(p, "", SONGTI, SIZE_4)._r.append(_element("fldChar", fldCharType="end"))
        self._run(p, " —", SONGTI, SIZE_4)

    # -- building blocks --------------------------------------------------------------
    @staticmethod
    def _run(paragraph, text: str, font: str, size, *, color=None):
        run = paragraph.add_run(text)
        run.font.name = font
        run.font.size = size
        _set_fonts(run._r, font)
        if color is not None:
            run.font.color.rgb = color
        return run

    def _paragraph(self, align=None, *, grid: bool = True, indent_chars: int = 0):
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        ppr = p._p.get_or_add_pPr()
        if not grid:  # titles and the 版记 are not 三号: off the character grid
            _ppr_add(ppr, "snapToGrid", val=0)
        if indent_chars:
            _indent(ppr, "firstLine", indent_chars)
        return p

    def blank(self, lines: int = 1) -> None:
        for _line in range(lines):
            self._paragraph()

    def masthead(self, issuer: str, number: str, marks: tuple[str, ...] = ()) -> None:
        """版头: the red 发文机关标志, two lines down the 发文字号, 4 mm under it the red rule.

        ``marks`` (e.g. 〔A类〕, 〔主动公开〕) stand at the top left of the 版心 in 黑体, where the
        份号, 密级 and 紧急程度 go (GB/T 9704 §7.2.1–7.2.2); the 发文机关标志 follows them.
        """
        size = Pt(min(36, max(22, int(TEXT_WIDTH.pt / max(len(issuer), 1)) - 2)))
        for mark in marks:
            self._run(self._paragraph(WD_ALIGN_PARAGRAPH.LEFT), mark, HEITI, SIZE_3)
        p = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, grid=False)
        p.paragraph_format.line_spacing = Pt(size.pt * 1.25)
        # 发文机关标志上边缘至版心上边缘为35 mm (GB/T 9704 §7.2.3); after marks, two lines down.
        p.paragraph_format.space_before = (
            Emu(Mm(35) - Pt(size.pt * 0.25)) if not marks else Emu(LINE_PITCH * 2)
        )
        self._run(p, issuer, XIAOBIAOSONG, size, color=RED)
        self.blank(2)
        p = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        self._run(p, number, FANGSONG, SIZE_3)
        _border(p._p.get_or_add_pPr(), bottom=("FF0000", 12, 11))

    def title(self, text: str) -> None:
        self.blank(2)
        p = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, grid=False)
        p.paragraph_format.line_spacing = Pt(35)
        self._run(p, text, XIAOBIAOSONG, SIZE_2)
        self.blank()

    def addressees(self, names: list[str]) -> None:
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY)
        self._run(p, "、".join(names) + "：", FANGSONG, SIZE_3)

    def body(self, text: str) -> None:
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        self._run(p, text, FANGSONG, SIZE_3)

    def heading(self, number: int, text: str) -> None:
        """A first-level heading: “一、…” in 黑体."""
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        self._run(p, f"{_cn_number(number)}、{text}", HEITI, SIZE_3)

    def item(self, number: int, head: str, text: str = "") -> None:
        """A second-level heading “（一）…” in 楷体, its text run on in 仿宋."""
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        self._run(p, f"（{_cn_number(number)}）{head}", KAITI, SIZE_3)
        if text:
            self._run(p, text, FANGSONG, SIZE_3)

    def signature(self, issuer: str, day: dt.date) -> None:
        """Unsealed signature (GB/T 9704 §7.3.5.2): the issuer 右空二字, the date under it
        starting two characters further right; a long date pushes the issuer left instead."""
        date = _date(day)
        issuer_right = 4 + _width(date) - _width(issuer)
        date_right = 2.0
        if issuer_right < 2:
            issuer_right, date_right = 2.0, _width(issuer) - _width(date)
        self.blank()
        for text, right in ((issuer, issuer_right), (date, date_right)):
            p = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
            _indent(p._p.get_or_add_pPr(), "right", right)
            self._run(p, text, FANGSONG, SIZE_3)

    def record(self, *, copy_to: list[str], issuer: str, day: dt.date) -> None:
        """版记: 抄送 and 印发 in 四号仿宋 between a thick rule, a thin one and a thick one."""
        thick, thin = ("000000", 8, 1), ("000000", 6, 1)  # 0.35 mm and 0.25 mm
        self.blank(2)
        pad = "\u3000"  # 左右各空一字
        if copy_to:
            p = self._paragraph(WD_ALIGN_PARAGRAPH.LEFT, grid=False)
            text = _("抄送：%(orgs)s。") % {"orgs": "，".join(copy_to)}
            self._run(p, pad + text, FANGSONG, SIZE_4)
            _border(p._p.get_or_add_pPr(), top=thick, bottom=thin)
        p = self._paragraph(WD_ALIGN_PARAGRAPH.LEFT, grid=False)
        p.paragraph_format.tab_stops.add_tab_stop(Emu(TEXT_WIDTH - SIZE_4), WD_TAB_ALIGNMENT.RIGHT)
        printed = _("%(date)s印发") % {"date": _date(day)}
        self._run(p, f"{pad}{issuer}\t{printed}", FANGSONG, SIZE_4)
        _border(p._p.get_or_add_pPr(), bottom=thick, **({} if copy_to else {"top": thick}))

    def annotation(self, text: str) -> None:
        """附注 (GB/T 9704 §7.3.6): under the date, 左空二字, in round brackets."""
        if not text:
            return
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        self._run(p, f"（{text.strip().rstrip('。')}。）", FANGSONG, SIZE_3)

    def attachment_note(self, names: list[str]) -> None:
        """附件说明 (GB/T 9704 §7.3.4): a line under the text, “附件：1. …” 左空二字."""
        if not names:
            return
        self.blank()
        for n, name in enumerate(names, start=1):
            p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            numbered = name if len(names) == 1 else f"{n}. {name}"
            prefix = _("附件：") if n == 1 else "\u3000" * 3
            self._run(p, prefix + numbered, FANGSONG, SIZE_3)

    def attachment(self, number: int | None, title: str) -> None:
        """A new page starting an attachment: “附件” (黑体, top left), then its title."""
        p = self._paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        p = self._paragraph(WD_ALIGN_PARAGRAPH.LEFT)
        label = _("附件") if number is None else _("附件%(n)d") % {"n": number}
        self._run(p, label, HEITI, SIZE_3)
        self.title(title)

    def runs(self, pieces: list[tuple[str, str]], *, indent_chars: int = 2) -> None:
        """One body paragraph of runs in different fonts, e.g. a run-in heading:
        ``[("一、高度重视。", HEITI), ("接到问题反映后……", FANGSONG)]``."""
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=indent_chars)
        for text, font in pieces:
            if text:
                self._run(p, text, font, SIZE_3)

    def plain(self, text: str, *, indent_chars: int = 2) -> None:
        """A body paragraph with the given first-line indent (0: flush left, e.g. a list)."""
        p = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=indent_chars)
        self._run(p, text, FANGSONG, SIZE_3)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return repack(buffer.getvalue())


# The package entries' timestamp: python-docx stamps each entry with the time of writing,
# which would make two writings of the same document differ.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def repack(data: bytes) -> bytes:
    """The same .docx package with fixed entry timestamps: same content, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _we(org) -> str:
    """How an issuer names itself in the text: 我所 (a station), 我局 (a bureau)."""
    if org is not None and org.kind == OrgKind.STATION:
        return _("我所")
    return _("我局") if org is not None and org.kind != OrgKind.POLICE_UNIT else _("我单位")


def _sentence(text: str) -> str:
    """``text`` as a sentence: stripped, ending in 。 unless it has its own full stop."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；" else text + "。"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]+", text or "") if line.strip()]


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)
