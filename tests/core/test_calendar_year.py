"""Years beyond the loaded 放假调休 arrangements (issue 14): statutory holidays for any year, a
visible warning wherever a deadline reaches such a year, and an administrator loading a year
in one step, after which the deadlines it moves are recomputed and their owners told.

2041 is used because no chinese-calendar release will know it for many years; its statutory
days come from 《全国年节及纪念日放假办法》 (2024 revision): 春节 2041-02-01 (除夕 01-31), 清明
04-04, 端午 06-03, 中秋 09-10.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from huxiao.core import calendar_import, services, workcalendar
from huxiao.core.models import AuditRecord, CalendarDay, CalendarYear, Notification
from huxiao.inspections import services as inspection_services
from huxiao.inspections.models import Hazard

D = dt.date
YEAR = 2041
ARRANGEMENT = """\
2041-01-01 放假 元旦
2041-01-30 至 2041-02-05 放假 春节
2041-01-26 上班 春节调休
2041-02-09 上班 春节调休
2041-04-04 至 2041-04-06 放假 清明节
2041-04-28 上班 劳动节调休
2041-05-01 至 2041-05-05 放假 劳动节
2041-05-11 上班 劳动节调休
2041-06-01 至 2041-06-03 放假 端午节
2041-09-08 至 2041-09-10 放假 中秋节
2041-09-29 上班 国庆节调休
2041-10-01 至 2041-10-07 放假 国庆节
2041-10-12 上班 国庆节调休
"""
WARNING = "2041年放假调休安排尚未导入，期限按法定节假日计算，导入后可能调整。"


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    workcalendar.overrides_changed()
    yield
    workcalendar.overrides_changed()


def test_the_statutory_holidays_are_computed_for_any_year():
    days = workcalendar.statutory_holidays(YEAR)
    assert len(days) == 13
    assert [d for d, name in days.items() if name == "春节"] == [
        D(2041, 1, 31), D(2041, 2, 1), D(2041, 2, 2), D(2041, 2, 3)
    ]  # fmt: skip
    assert days[D(2041, 4, 4)] == "清明节" and days[D(2041, 6, 3)] == "端午节"
    assert days[D(2041, 9, 10)] == "中秋节" and days[D(2041, 5, 2)] == "劳动节"
    # A year the bundled notices cover agrees on the festival days themselves.
    assert workcalendar.statutory_holidays(2026)[D(2026, 2, 17)] == "春节"
    assert workcalendar.statutory_holidays(2026)[D(2026, 9, 25)] == "中秋节"
    # 2020: 中秋 fell on 10-01, one day with both names.
    assert workcalendar.statutory_holidays(2020)[D(2020, 10, 1)] == "中秋节、国庆节"


def test_a_year_not_loaded_counts_its_statutory_holidays_and_warns():
    assert workcalendar.day_info(D(2041, 1, 1)) == (False, "元旦", "statutory")
    assert workcalendar.day_info(D(2041, 6, 3)) == (False, "端午节", "statutory")
    # 2041-05-01 and 05-02 (Wed, Thu) are off: five working days from Monday 04-29 end 05-08.
    assert workcalendar.add_workdays(D(2041, 4, 29), 5) == D(2041, 5, 8)
    assert workcalendar.unloaded_years(D(2026, 12, 1), D(2041, 1, 2)) == list(range(2027, 2042))
    assert workcalendar.schedule_warning(D(2041, 4, 29), D(2041, 5, 8)) == WARNING
    assert workcalendar.schedule_warning(D(2026, 1, 5), D(2026, 3, 2)) == ""  # bundled


def test_the_pasted_arrangement_is_read_with_spans_and_checked():
    read = calendar_import.parse_text(YEAR, ARRANGEMENT)
    assert not read.problems and not read.warnings
    assert read.holidays == 29 and read.workdays == 6
    assert read.days[D(2041, 2, 3)] == (False, "春节")
    assert read.days[D(2041, 4, 28)] == (True, "劳动节调休")
    # The preview's text reads back to the same days.
    assert calendar_import.parse_text(YEAR, read.as_text()).days == read.days


def test_problems_are_named_by_line_and_column_and_missing_holidays_flagged():
    read = calendar_import.parse_text(
        YEAR,
        "2041-01-01 放假 元旦\n"
        "2041-13-01 放假 错误\n"
        "2041-02-01 休假\n"
        "2041-03-05 至 2041-03-01 放假 倒序\n"
        "2041-01-01 上班 重复\n"
        "2040-06-01 放假 别的年份\n",
    )
    messages = [str(p) for p in read.problems]
    assert messages == [
        "第 2 行（日期）：“2041-13-01”不是日期",
        "第 3 行（类型）：“休假”应为“放假”或“上班”",
        "第 4 行（结束日期）：结束日期早于开始日期",
        "第 5 行（日期）：2041-01-01 重复出现",
        "第 6 行（日期）：2040-06-01 不在 2041 年的安排内",
    ]
    lenient = calendar_import.parse_text(YEAR, "2041-10-01 至 2041-10-03 放假 国庆节")
    assert not lenient.problems
    assert any("2041-06-03（端午节）未列为放假" in w for w in lenient.warnings)


def test_an_xlsx_is_read_like_the_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["开始日期", "结束日期", "类型", "名称"])
    for line in ARRANGEMENT.splitlines():
        parts = line.split()
        if parts[1] == "至":
            sheet.append([dt.date.fromisoformat(parts[0]), parts[2], parts[3], parts[4]])
        else:
            sheet.append([dt.date.fromisoformat(parts[0]), None, parts[1], parts[2]])
    buffer = io.BytesIO()
    book.save(buffer)
    read = calendar_import.parse_xlsx(YEAR, buffer.getvalue())
    assert not read.problems
    assert read.days == calendar_import.parse_text(YEAR, ARRANGEMENT).days
    broken = calendar_import.parse_xlsx(YEAR, b"not a workbook")
    assert [str(p) for p in broken.problems] == ["第 1 行（文件）：无法读取该 .xlsx 文件"]


def _notice(school, people, *, issue_date, working_days, title="校门未设防冲撞设施"):
    hazard = inspection_services.hazard_create(
        school=school, source="inspection", category="physical", title=title,
        actor=people.officer_a,
    )  # fmt: skip
    notice = inspection_services.notice_issue(
        school=school,
        hazards=[hazard],
        working_days=working_days,
        issue_date=issue_date,
        actor=people.officer_a,
    )
    hazard.refresh_from_db()
    return notice, hazard


def test_loading_a_year_moves_the_deadlines_it_changes_and_tells_their_owners(
    school, people, django_capture_on_commit_callbacks
):
    # Issued Friday 04-26 for 3 working days: on statutory days only, 04-29, 04-30, 05-03.
    notice, hazard = _notice(school, people, issue_date=D(2041, 4, 26), working_days=3)
    assert notice.deadline == D(2041, 5, 3)
    # A second notice whose hazard got a deadline by hand keeps that date.
    other, by_hand = _notice(
        school, people, issue_date=D(2041, 4, 26), working_days=3, title="监控离线"
    )
    Hazard.objects.filter(pk=by_hand.pk).update(deadline=D(2041, 5, 20))
    untouched, far = _notice(school, people, issue_date=D(2041, 7, 1), working_days=3, title="x")

    read = calendar_import.parse_text(YEAR, ARRANGEMENT)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.calendar_year_load(
            arrangement=read, actor=people.admin, source="国务院办公厅通知"
        )
    # 04-28 (Sunday) is now worked and 05-03 off: 04-28, 04-29, 04-30.
    notice.refresh_from_db()
    hazard.refresh_from_db()
    assert notice.deadline == hazard.deadline == D(2041, 4, 30)
    event = hazard.events.get(action="deadline_changed")
    assert "原期限 2041-05-03，现为 2041-04-30" in event.note
    assert event.data["cause"] == "calendar"
    by_hand.refresh_from_db()
    assert by_hand.deadline == D(2041, 5, 20)
    untouched.refresh_from_db()
    assert untouched.deadline == D(2041, 7, 4)
    told = Notification.objects.filter(title__contains="整改期限调整")
    assert {n.recipient.username for n in told} >= {"chief", "officer_a"}
    assert outcome["done"] == [
        "2 份整改通知书、1 项隐患的整改期限已按新的工作日历重新计算，并已通知学校和下发单位。"
    ]
    assert D(2041, 4, 28) in outcome["changed"] and D(2041, 5, 3) in outcome["changed"]

    # The year is loaded: no warning, the table is the year, one audit record says what moved.
    assert workcalendar.schedule_warning(D(2041, 4, 26), D(2041, 5, 3)) == ""
    assert CalendarYear.objects.get(year=YEAR).holidays == 29
    assert workcalendar.day_info(D(2041, 5, 3)) == (False, "劳动节", "table")
    assert workcalendar.day_info(D(2041, 3, 1))[2] == "table"  # a loaded year is its table
    record = AuditRecord.objects.filter(object_type="core.calendaryear").get()
    assert record.after["changed_days"][0] == "2041-01-26"

    # Loading it again with the same days changes nothing further.
    again = services.calendar_year_load(arrangement=read, actor=people.admin)
    assert again["changed"] == {} and again["done"] == []


def test_an_arrangement_with_problems_is_not_loaded(people):
    read = calendar_import.parse_text(YEAR, "2041-13-01 放假 元旦")
    with pytest.raises(ValidationError):
        services.calendar_year_load(arrangement=read, actor=people.admin)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_the_deadline_warning_is_shown_on_the_pages_the_api_and_the_document(
    school, people, client_for
):
    notice, hazard = _notice(school, people, issue_date=D(2041, 4, 26), working_days=3)
    officer = client_for("officer_a")
    for url in (
        reverse("inspections:hazard_detail", args=[hazard.pk]),
        reverse("inspections:notice_detail", args=[notice.pk]),
    ):
        assert WARNING in officer.get(url).content.decode(), url
    assert officer.get(f"/api/v1/hazards/{hazard.pk}").json()["calendar_warning"] == WARNING
    assert officer.get(f"/api/v1/notices/{notice.pk}").json()["calendar_warning"] == WARNING
    docx = officer.get(reverse("inspections:notice_document", args=[notice.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"（{WARNING.rstrip('。')}。）" in text
    assert WARNING in client_for("chief").get(reverse("core:my_tasks")).content.decode()


def test_the_administrator_previews_then_loads_a_year_on_the_page(
    school, people, client_for, django_capture_on_commit_callbacks
):
    notice, _hazard = _notice(school, people, issue_date=D(2041, 4, 26), working_days=3)
    admin = client_for("admin")
    url = reverse("system:calendar")
    page = admin.get(url).content.decode()
    assert 'data-testid="calendar-years"' in page

    preview = admin.post(url, {"year": YEAR, "text": ARRANGEMENT, "source": "国办发明电"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'data-testid="calendar-confirm"' in html and "放假 29 天，调休上班 6 天" in html
    assert not CalendarYear.objects.exists()  # a preview writes nothing

    broken = admin.post(url, {"year": YEAR, "text": "2041-02-30 放假 春节", "confirm": "1"})
    assert broken.status_code == 400
    assert "“2041-02-30”不是日期" in broken.content.decode()
    assert not CalendarYear.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(
            url, {"year": YEAR, "text": ARRANGEMENT, "source": "国办发明电", "confirm": "1"}
        )
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.deadline == D(2041, 4, 30)
    after = admin.get(url).content.decode()
    assert 'data-year="2041" data-state="loaded"' in after and "国办发明电" in after
    assert "已导入2041年放假调休安排" in after


def test_only_those_keeping_the_calendar_may_load_it(client_for):
    url = reverse("system:calendar")
    assert client_for("officer_a").get(url).status_code == 403
    assert client_for("auditor").post(url, {"year": YEAR, "text": ARRANGEMENT}).status_code == 403
    assert not CalendarYear.objects.exists()
