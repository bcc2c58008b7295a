"""The 整改通知书 and the 督办通知 as .docx, read back with python-docx: their content, the
official fonts on every run, and the GB/T 9704-2012 page (A4, 37/28 mm margins, 22 x 28 grid)."""

import datetime as dt
import io

import docx
import pytest
from django.utils import timezone
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from huxiao.inspections import documents, services


def _read(data: bytes):
    assert data[:2] == b"PK"  # a zip package, as Word and WPS expect
    return docx.Document(io.BytesIO(data))


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraph(document, startswith: str):
    found = [p for p in document.paragraphs if p.text.startswith(startswith)]
    assert found, f"no paragraph starts with {startswith!r}"
    return found[0]


def _fonts(run) -> dict[str, str | None]:
    rfonts = run._r.rPr.rFonts
    return {attr: rfonts.get(qn(f"w:{attr}")) for attr in ("eastAsia", "ascii", "hAnsi")}


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def notice(ischools, people, make_hazard):
    school_a, _ = ischools
    hazards = [
        make_hazard(school_a),
        make_hazard(school_a, title="监控室未落实24小时值守", severity="major"),
    ]
    # Monday 2026-11-02 + 5 working days = Monday 2026-11-09.
    return services.notice_issue(
        school=school_a,
        hazards=hazards,
        working_days=5,
        issue_date=dt.date(2026, 11, 2),
        requirements="落实校门值守。\n增设防冲撞设施。",
        actor=people.officer_a,
    )


@pytest.fixture
def escalation(notice, people):
    hazard = notice.hazards.get(title="校门未设防冲撞设施")
    services.hazard_sweep(today=dt.date(2026, 11, 10))  # the deadline passed: overdue once
    hazard.refresh_from_db()
    assert hazard.overdue_count == 1 and not hazard.is_escalated
    return services.hazard_escalate(
        hazard=hazard, reason="逾期未整改", deadline=dt.date(2026, 12, 4), actor=people.commander
    )


@pytest.fixture(params=["notice", "escalation"])
def document(request):
    record = request.getfixturevalue(request.param)
    build = documents.notice_docx if request.param == "notice" else documents.escalation_docx
    return _read(build(record))


def test_it_writes_the_notice_content(notice):
    document = _read(documents.notice_docx(notice))
    text = _text(document)
    number = _paragraph(document, "测甲公治〔2026〕1号")
    assert number.text == notice.number == "测甲公治〔2026〕1号"
    assert _paragraph(document, "甲派出所").runs[0].font.color.rgb == documents.RED
    texts = [p.text for p in document.paragraphs]
    assert texts.index(notice.number) < texts.index(notice.title) < texts.index("甲小学：")
    assert _paragraph(document, "甲小学").text == "甲小学："  # 主送机关, flush left
    for n, title in (("一", "校门未设防冲撞设施"), ("二", "监控室未落实24小时值守")):
        assert _paragraph(document, f"（{n}）{title}")
    assert "等级：重大隐患" in text
    assert "请于2026年11月9日前整改完毕，并将整改情况书面报告我所。" in text
    assert "落实校门值守。" in text and "增设防冲撞设施。" in text
    # Signature block: the issuer, then the 成文日期 (month and day without a leading zero).
    signature = [p.text for p in document.paragraphs if p.text in ("甲派出所", "2026年11月2日")]
    assert signature == ["甲派出所", "甲派出所", "2026年11月2日"]  # 版头 and 署名, then date
    assert _paragraph(document, "\u3000抄送：").text == "\u3000抄送：甲区教育局。"
    printed = _paragraph(document, "\u3000甲派出所\t")
    assert printed.text.endswith("2026年11月2日印发")
    assert document.core_properties.title == notice.title


def test_it_writes_the_escalation_content(escalation):
    document = _read(documents.escalation_docx(escalation))
    text = _text(document)
    # The sweep put the overdue 重大 hazard under supervision first: this is the second one.
    assert escalation.number == f"测试分局督〔{escalation.year}〕2号"
    assert _paragraph(document, "测试分局督").text == escalation.number
    assert _paragraph(document, "测试分局").runs[0].font.color.rgb == documents.RED
    # 主送: the school and the station that issued the notice.
    assert _paragraph(document, "甲小学、").text == "甲小学、甲派出所："
    assert "“校门未设防冲撞设施”" in _paragraph(document, "关于对甲小学").text
    # The history: the notice, its deadline, how often it was overdue.
    assert "甲派出所下发整改通知书（测甲公治〔2026〕1号）" in text
    assert "要求于2026年11月9日前整改完毕" in text and "累计逾期1次" in text
    assert _paragraph(document, "逾期未整改").text == "逾期未整改。"  # the reason
    assert "请甲小学于2026年12月4日前整改完毕" in text
    day = _cn_date(timezone.localdate(escalation.created_at))
    assert [p.text for p in document.paragraphs if p.text == day] == [day]
    assert _paragraph(document, "\u3000抄送：").text == "\u3000抄送：甲区教育局。"
    assert _paragraph(document, "\u3000测试分局\t").text.endswith(day + "印发")


def test_it_serves_the_schools_station_when_no_notice_was_issued(ischools, people, make_hazard):
    _, school_b = ischools
    hazard = make_hazard(school_b, actor=people.officer_b, severity="major")
    escalation = services.hazard_escalate(hazard=hazard, reason="重大隐患", actor=people.commander)
    document = _read(documents.escalation_docx(escalation))
    assert _paragraph(document, "乙中学、").text == "乙中学、乙派出所："
    assert "请乙中学立即落实整改措施" in _text(document)
    assert _paragraph(document, "\u3000抄送：").text == "\u3000抄送：乙区教育局。"


def test_it_leaves_out_the_copy_line_without_an_education_bureau(ischools, people, make_hazard):
    school_a, _ = ischools
    org = school_a.organization
    org.education_bureau = None
    org.save(update_fields=["education_bureau"])
    notice = services.notice_issue(
        school=school_a, hazards=[make_hazard(school_a)], working_days=5, actor=people.officer_a
    )
    document = _read(documents.notice_docx(notice))
    assert "抄送" not in _text(document)
    assert _paragraph(document, "\u3000甲派出所\t").text.endswith("印发")


def test_it_names_the_official_fonts_on_every_run(document):
    title = _paragraph(document, "关于")
    assert _fonts(title.runs[0])["eastAsia"] == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)
    heading = _paragraph(document, "一、")
    assert _fonts(heading.runs[0])["eastAsia"] == "黑体"
    item = _paragraph(document, "（一）")
    assert _fonts(item.runs[0])["eastAsia"] == "楷体_GB2312"
    assert _fonts(item.runs[1])["eastAsia"] == "仿宋_GB2312"  # its text runs on in 仿宋
    body = _paragraph(document, "特此通知")
    assert _fonts(body.runs[0])["eastAsia"] == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    copy_line = _paragraph(document, "\u3000抄送：")
    assert copy_line.runs[0].font.size == Pt(14)
    # Every run names its font three times (Word takes w:eastAsia for CJK, w:ascii/w:hAnsi for
    # digits), with no theme font that would override it.
    runs = [r for p in document.paragraphs for r in p.runs]
    for run in runs:
        fonts = _fonts(run)
        assert set(fonts.values()) == {run.font.name}, (run.text, fonts)
        assert run._r.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None
    # The document default: 仿宋_GB2312 三号, so an edit in Word stays in the official font.
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(28.95)


def test_it_lays_out_the_page_after_gb_t_9704(document):
    section = document.sections[0]

    def near(length, mm):
        return abs(length.mm - mm) <= 0.5

    assert near(section.page_width, 210) and near(section.page_height, 297)
    assert near(section.top_margin, 37) and near(section.left_margin, 28)
    assert near(section.bottom_margin, 35) and near(section.right_margin, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch"))) / 20  # pt
    assert 22 * line_pitch <= Mm(225).pt < 23 * line_pitch  # 22 lines fill the 版心
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # pt
    assert abs(28 * char_pitch - Mm(156).pt) < Mm(0.5).pt  # 28 三号 characters a line
    # The red rule under the 发文字号.
    number = next(p for p in document.paragraphs if "〔" in p.text)
    rule = number._p.pPr.find(qn("w:pBdr"))
    assert rule.find(qn("w:bottom")).get(qn("w:color")) == "FF0000"
    # Page numbers “— n —”: odd pages on the right, even pages on the left.
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment.name.lower() == align
        assert _fonts(paragraph.runs[0])["eastAsia"] == "宋体"


def test_it_names_the_files_by_document_number(notice, escalation):
    assert documents.notice_filename(notice) == "整改通知书-测甲公治〔2026〕1号.docx"
    assert documents.escalation_filename(escalation) == f"督办通知-{escalation.number}.docx"


@pytest.mark.parametrize(
    ("n", "words"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_it_numbers_headings_in_chinese(n, words):
    assert documents._cn_number(n) == words
