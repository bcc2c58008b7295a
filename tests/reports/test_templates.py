"""报告模板 (/reports/templates/<kind>/): an organisation's text of a kind of document, with
named placeholders; each save a new version (history kept); an unknown placeholder, an
unbalanced brace or an unknown part is refused with the names in Chinese, nothing saved —
on the page (form error, 400) and in the API (400)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huxiao.reports.documents import parts, placeholders, templates_text
from huxiao.reports.models import ReportTemplate
from huxiao.reports.services_documents import template_save, template_validate
from tests.reports.docx_support import east_asian_font, last_month, read, request, text

EDIT = "reports:template_edit"
HISTORY = "reports:template_history"

OWN_TEXT = (
    "# 导语\n{单位}{统计期间}工作情况报告如下：\n"
    "# 逐校逐园检查\n"
    "（一）检查情况。本期检查{inspections.inspections}次，出动警力{inspections.person_times}人次。\n"
    "# 巡逻防控\n"
    "# 结束语\n特此报告。"
)


def test_the_default_texts_are_valid_and_name_every_part():
    for kind in ("work_report", "reply_letter", "rectification_report"):
        body = parts.default_body(kind)
        template_validate(kind=kind, body=body)
        assert [b.key for b in placeholders.split(body)] == list(parts.keys(kind))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "# 导语\n出动警力{inspections.persontimes}人次，{本单位名称}",
            "未知的占位符：{inspections.persontimes}、{本单位名称}",
        ),
        ("# 导语\n出动警力{inspections.person_times人次", "花括号不配对：第2行"),
        ("# 导语\n出动警力{{inspections.person_times}}人次", "花括号不配对"),
        ("# 导语\n出动}警力", "花括号不配对"),
        ("# 导语\n文字\n# 附录\n文字", "未知的章节：# 附录"),
        ("没有章节的文字", "应以“# 章节名”一行开头"),
        ("# 导语\n甲\n# 导语\n乙", "章节重复：# 导语"),
        ("", "不能为空"),
    ],
)
def test_a_bad_template_is_refused_naming_what_is_wrong(body, message):
    with pytest.raises(ValidationError) as e:
        template_validate(kind="work_report", body=body)
    assert any(message in m for m in e.value.messages), e.value.messages


def test_a_context_name_of_another_kind_is_unknown():
    with pytest.raises(ValidationError, match="提案标题"):
        template_validate(kind="work_report", body="# 导语\n《{提案标题}》")
    template_validate(kind="reply_letter", body="# 导语\n《{提案标题}》")


def test_the_page_refuses_an_unknown_placeholder_and_saves_nothing(demo):
    officer = demo.user("officer01")
    client = demo.client("officer01")
    response = client.post(
        reverse(EDIT, args=["work_report"]), {"body": "# 导语\n{inspections.nope}次"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "未知的占位符：{inspections.nope}" in html
    assert not ReportTemplate.objects.filter(organization=officer.organization).exists()


def test_each_save_is_a_new_version_and_the_history_keeps_them(demo):
    officer = demo.user("officer01")
    client = demo.client("officer01")
    url = reverse(EDIT, args=["work_report"])
    page = client.get(url).content.decode()
    assert "默认模板" in page and "{inspections.person_times}" in page
    assert "{统计期间}" in page and "我所" in page  # the context names, documented
    for n, note in enumerate(("初稿", "加入检查情况"), start=1):
        response = client.post(url, {"body": OWN_TEXT + "\n" * n, "note": note})
        assert response.status_code == 302
    versions = ReportTemplate.objects.filter(organization=officer.organization, kind="work_report")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert versions.get(version=2).created_by == officer
    history = client.get(reverse(HISTORY, args=["work_report"])).content.decode()
    assert 'data-version="1"' in history and 'data-version="2"' in history
    assert "加入检查情况" in history
    assert "当前为第2版" in client.get(url).content.decode()


def test_a_report_is_written_from_the_organisations_latest_version(
    demo, django_capture_on_commit_callbacks
):
    officer = demo.user("officer01")
    template_save(
        organization=officer.organization, kind="work_report", body=OWN_TEXT, actor=officer
    )
    period = last_month(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        report = request(
            demo.client("officer01"), "work_report", org=officer.organization, period=period
        )
    report.refresh_from_db()
    assert report.template.version == 1 and report.template_body == OWN_TEXT
    document = read(report.content)
    body = text(document)
    assert "工作情况报告如下：" in body and "下一步" not in body
    # A part left empty is left out; a part the text does not name has its default text
    # (so a part a later module brings appears in the reports of existing templates).
    assert "巡逻防控" not in body and "一、领导重视与部署" in body
    item = next(p for p in document.paragraphs if p.text.startswith("（一）检查情况。"))
    assert [east_asian_font(r) for r in item.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    shown = report.figures["inspections.person_times"]["display"]
    assert f"出动警力{shown}人次" in item.text
    assert "二、逐校逐园检查" in body and "三、重点人员滚动排查" in body
    # Another station's template is its own: officer02's report still uses the default.
    other = demo.user("officer02")
    assert not ReportTemplate.objects.filter(organization=other.organization).exists()


def test_another_jurisdictions_template_reads_as_missing(demo):
    station = demo.user("officer01").organization
    client = demo.client("officer02")
    outside = client.get(reverse(EDIT, args=["work_report"]), {"org": station.pk})
    missing = client.get(reverse(EDIT, args=["work_report"]), {"org": 999_999})
    assert outside.status_code == missing.status_code == 404
    assert (
        client.get(reverse(HISTORY, args=["work_report"]), {"org": station.pk}).status_code == 404
    )
    # The commander's scope holds the station: it may edit the station's text.
    commander = demo.client("commander")
    assert (
        commander.get(reverse(EDIT, args=["work_report"]), {"org": station.pk}).status_code == 200
    )


def test_an_unknown_kind_is_a_404_and_roles_without_the_permission_get_403(demo):
    assert demo.client("commander").get(reverse(EDIT, args=["memo"])).status_code == 404
    for username in ("school01", "guard01", "auditor"):
        assert demo.client(username).get(reverse(EDIT, args=["work_report"])).status_code == 403


def test_the_context_help_names_each_context_placeholder():
    for kind in ("work_report", "reply_letter", "rectification_report"):
        names = templates_text.context_names(kind)
        assert {"单位", "起始日期", "截止日期", "统计期间", "本单位"} <= set(names)
