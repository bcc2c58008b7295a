"""The alarms section of the dashboard and the alarms part of the 工作情况报告, for users of
two jurisdictions: the numbers are the figures' (hand-computed in test_statistics_figures.py),
the .docx read back with python-docx."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.core.modules import Period
from huxiao.reports.models import ReportStatus
from tests.alarms.test_statistics_figures import history  # noqa: F401  (fixture)
from tests.reports.docx_support import read, request, text

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today)


def _tiles(client, org) -> dict[str, str]:
    period = _period()
    query = f"org={org.pk}&from={period.start}&to={period.end}"
    page = client.get(f"{reverse('reports:dashboard')}?{query}").content.decode()
    section = re.search(r'<section[^>]*data-group="alarms".*?</section>', page, re.S)
    assert section, "no alarms section"
    found = dict(
        re.findall(
            r'data-testid="tile-([\w.]+)".*?class="hx-tile-value" data-value="([^"]*)"',
            section.group(0),
            re.S,
        )
    )
    found |= dict(re.findall(r'data-testid="sub-([\w.]+)">[^<]*<b>([^<]*)</b>', section.group(0)))
    return found


def test_the_dashboard_shows_the_alarms_section_of_the_jurisdiction(history, client_for, city):  # noqa: F811
    mine = _tiles(client_for("officer_a"), city.station_a)
    assert mine == {
        "alarms.received": "6",
        "alarms.result_false": "2",
        "alarms.median_minutes_to_acknowledge": "2.0",
        "alarms.median_minutes_to_on_scene": "12.5",
        "alarms.escalated": "1",
        "alarms.result_real": "1",
        "alarms.false_press_rate": "50",
        "alarms.p90_minutes_to_acknowledge": "3.6",
        "alarms.p90_minutes_to_on_scene": "14.5",
    }
    theirs = _tiles(client_for("commander"), city.station_b)
    assert theirs["alarms.received"] == "2" and theirs["alarms.p90_minutes_to_acknowledge"] == "9.5"
    # The education bureau reads its schools' alarms too (nothing of them is police-only).
    assert _tiles(client_for("edu_officer"), city.edu_a) == mine


PARAGRAPH = (
    "{self}依托一键式紧急报警系统，实现学校报警与公安机关联网、接处警全程留痕。{period}，"
    "辖区学校一键报警接警6起，其中真实警情1起，误报/误触2起（误报率50%），报备测试1起；"
    "签收用时中位数2分钟，到场用时中位数12.5分钟，90%的报警在14.5分钟内到场；"
    "因超时无人签收逐级升级1起，确保遇有突发事件能够快速反应，及时处置。"
)


def _report(client, org, on_commit):
    with on_commit(execute=True):
        report = request(client, "work_report", org=org, period=_period())
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report, read(report.content)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_work_report_holds_the_alarms_part_with_the_records_numbers(
    history,  # noqa: F811
    client_for,
    city,
    on_commit,
):
    report, document = _report(client_for("officer_a"), city.station_a, on_commit)
    paragraphs = [p.text for p in document.paragraphs]
    headings = [t for t in paragraphs if re.match(r"^[一二三四五六]、", t)]
    assert any(h.endswith("、一键报警") for h in headings), headings
    period_text = report.params["context"]["统计期间"]
    assert PARAGRAPH.format(self="我所", period=period_text) in paragraphs
    assert report.figures["alarms.received"]["value"] == 6
    # The appendix says how each alarms figure was counted, with its list.
    body = text(document)
    assert "一键报警事件数" in body and "/alarms/?" in body


def test_the_education_bureaus_report_has_its_alarms_and_no_police_only_part(
    history,  # noqa: F811
    client_for,
    city,
    on_commit,
):
    report, document = _report(client_for("edu_officer"), city.edu_a, on_commit)
    paragraphs = [p.text for p in document.paragraphs]
    period_text = report.params["context"]["统计期间"]
    assert PARAGRAPH.format(self="我局", period=period_text) in paragraphs
    assert "重点人员" not in text(document)
    assert not any(code.startswith("persons.") for code in report.figures)
