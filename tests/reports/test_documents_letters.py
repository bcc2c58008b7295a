"""答复函 (seed 000) and 整改报告 (seed 004): the reply letter's 文号 is the organisation's 代字,
the year and a serial without gaps per organisation and year; its marks, addressee, contact,
抄送 and 印发 lines; only the commander and the education officer issue it. The 整改报告 names
the issue raised; a school's security chief writes its own school's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huxiao.core.documents import HEITI, XIAOBIAOSONG
from huxiao.reports import services_documents
from huxiao.reports.models import GeneratedReport, ReportStatus
from huxiao.reports.services_documents import report_request
from tests.reports.docx_support import east_asian_font, last_month, paragraph, read, text

# The demo's own documents (its "reports" step) would count among these tests'.
pytestmark = pytest.mark.usefixtures("without_demo_reports")

LETTER = {
    "category": "〔A类〕",
    "disclosure": "〔主动公开〕",
    "addressee": "张文珠、杨旭东委员",
    "proposal_session": "政协东区九届五次会议",
    "proposal_number": "95088",
    "proposal_title": "关于尽快提高校园安保应急处理能力的建议",
    "contact": "黄跃岗 0871-67190280",
    "copy_to": "区政协提案委、区政府目督办",
}


@pytest.fixture
def ask(demo, django_capture_on_commit_callbacks):
    """POST a document's form as ``username``; (response, the report or None)."""

    def _ask(username, kind, org=None, **fields):
        user = demo.user(username)
        period = last_month(timezone.localdate())
        data = {
            "org": (org or user.organization).pk,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        } | fields
        with django_capture_on_commit_callbacks(execute=True):
            response = demo.client(username).post(
                reverse("reports:document_create", args=[kind]), data
            )
        if response.status_code != 302:
            return response, None
        pk = int(response["Location"].rstrip("/").split("/")[-1])
        return response, GeneratedReport.objects.get(pk=pk)

    return _ask


def test_a_reply_letter_in_the_form_of_seed_000(demo, ask):
    city = demo.user("commander").organization
    _response, letter = ask("commander", "reply_letter", **LETTER)
    assert letter.status == ReportStatus.DONE, letter.error
    year = timezone.localdate().year
    prefix = city.doc_prefix or city.short_name or city.name
    assert letter.number == f"{prefix}〔{year}〕1号"
    document = read(letter.content)
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[:4] == ["〔A类〕", "〔主动公开〕", city.name, letter.number]
    assert {east_asian_font(r) for r in paragraph(document, "〔A类〕").runs} == {HEITI}
    title = paragraph(document, "关于政协东区九届五次会议第95088号提案答复的函")
    assert {east_asian_font(r) for r in title.runs} == {XIAOBIAOSONG}
    assert "张文珠、杨旭东委员：" in lines
    body = text(document)
    assert "您提出的《关于尽快提高校园安保应急处理能力的建议》提案收悉，现答复如下：" in body
    heading = paragraph(document, "一、高度重视，抓责任落实")
    assert east_asian_font(heading.runs[0]) == HEITI
    assert "（联系人及电话：黄跃岗 0871-67190280）" in body
    assert "抄送：区政协提案委，区政府目督办。" in body
    assert any(line.endswith("印发") and city.name in line for line in lines)
    shown = letter.figures["inspections.person_times"]["display"]
    assert f"出动警力{shown}人次" in body


def test_reply_letters_are_numbered_per_organisation_and_year_without_gaps(demo, ask, monkeypatch):
    commander = demo.user("commander")
    edu = demo.user("edu01").organization
    numbers = [ask("commander", "reply_letter", **LETTER)[1].serial for _ in range(2)]
    # A request refused by the service takes no number, nor one that fails after numbering
    # (its transaction rolls back with the counter's increment).
    period = last_month(timezone.localdate())
    with pytest.raises(ValidationError, match="请填写答复对象"):
        report_request(
            actor=commander,
            kind="reply_letter",
            organization=commander.organization,
            period=period,
            params=LETTER | {"addressee": ""},
        )

    def broken(self, *args, **kwargs):
        assert self.serial == 3  # numbered, then refused
        raise ValidationError("refused after numbering")

    with monkeypatch.context() as m:
        m.setattr(GeneratedReport, "full_clean", broken)
        with pytest.raises(ValidationError):
            report_request(
                actor=commander,
                kind="reply_letter",
                organization=commander.organization,
                period=period,
                params=LETTER,
            )
    numbers.append(ask("commander", "reply_letter", **LETTER)[1].serial)
    assert numbers == [1, 2, 3]
    year = timezone.localdate().year
    assert set(
        GeneratedReport.objects.filter(organization=commander.organization).values_list(
            "year", flat=True
        )
    ) == {year}
    # Another organisation counts from 1, and so does the next year.
    _response, other = ask("edu01", "reply_letter", **LETTER)
    assert other.serial == 1 and other.organization == edu and other.year == year
    next_year = dt.date(year + 1, 1, 4)
    with monkeypatch.context() as m:
        m.setattr(services_documents.timezone, "localdate", lambda *a: next_year)
        letter = report_request(
            actor=commander,
            kind="reply_letter",
            organization=commander.organization,
            period=period,
            params=LETTER,
        )
    assert (letter.year, letter.serial) == (year + 1, 1)
    assert letter.number.endswith(f"〔{year + 1}〕1号") and letter.issue_date == next_year


def test_a_bad_mark_is_refused_in_chinese(demo, ask):
    response, letter = ask("commander", "reply_letter", **(LETTER | {"category": "〔C类〕"}))
    assert letter is None and response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


def test_only_the_commander_and_the_education_officer_issue_reply_letters(demo):
    url = reverse("reports:document_create", args=["reply_letter"])
    assert demo.client("commander").get(url).status_code == 200
    assert demo.client("edu01").get(url).status_code == 200
    for username in ("officer01", "school01", "guard01"):
        assert demo.client(username).get(url).status_code == 403, username


def test_a_rectification_report_in_the_form_of_seed_004(demo, ask):
    fields = {
        "addressee": "市纠风办",
        "source": "第七期“阳光政务”电视节目",
        "issue": "关于幼儿园安全",
    }
    _response, report = ask("commander", "rectification_report", **fields)
    assert report.status == ReportStatus.DONE, report.error
    document = read(report.content)
    assert paragraph(document, "关于第七期“阳光政务”电视节目反映问题的整改报告")
    body = text(document)
    assert "市纠风办：" in body
    assert "通知中涉及的“关于幼儿园安全”问题的整改情况报告如下：" in body
    assert "二、逐校逐园检查" in body and "下一步" in body and "附件：指标说明" in body


def test_a_school_security_chief_writes_its_own_schools_rectification_report(demo, ask):
    chief = demo.user("school01")
    fields = {"addressee": "炳草岗派出所", "source": "区教育局检查", "issue": "门卫值守"}
    _response, report = ask("school01", "rectification_report", **fields)
    assert report.status == ReportStatus.DONE, report.error
    assert report.organization == chief.organization
    assert not any(code.startswith("persons.") for code in report.figures)
    # Another school is not in its scope: the form refuses it.
    other = demo.org("SCH-02")
    response, refused = ask("school01", "rectification_report", org=other, **fields)
    assert refused is None and response.status_code == 400


def test_a_queue_out_of_reach_fails_the_report_and_says_to_ask_again(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis down (issue 23): the request is not a 500 with its report queued for ever."""
    import redis

    from huxiao.reports import tasks

    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks, "generate_report", unreachable)
    commander = demo.user("commander")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            actor=commander,
            kind="reply_letter",
            organization=commander.organization,
            period=last_month(timezone.localdate()),
            params=LETTER,
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "任务队列暂不可用，报告未生成，请稍后重新生成。"
