"""Working days on the official calendar: the State Council's holidays and 调休 workdays from
the chinese-calendar package, the ``CalendarDay`` table over it, plain weekdays beyond both.

The official notices the cases come from:
- 国务院办公厅关于2025年部分节假日安排的通知: 国庆节、中秋节 10月1日（周三）至8日（周三）放假
  调休，共8天；9月28日（周日）、10月11日（周六）上班.
- 国务院办公厅关于2026年部分节假日安排的通知: 中秋节 9月25日（周五）至27日（周日）放假；国庆节
  10月1日（周四）至7日（周三）放假调休，共7天；9月20日（周日）、10月10日（周六）上班.
"""

import datetime as dt

import pytest

from huxiao.core.models import CalendarDay
from huxiao.core.workcalendar import (
    add_workdays,
    day_info,
    is_workday,
    overrides_changed,
    package_years,
    subtract_workdays,
    workdays_between,
)
from huxiao.inspections import services

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_overrides(db):
    # The table is cached across requests (and across tests, in the local-memory cache): start
    # and end every test without a cached copy, so no test sees another's rows.
    overrides_changed()
    yield
    overrides_changed()


def _beyond_package(month: int, day: int) -> dt.date:
    """A date in the first year the installed chinese-calendar has no notice for."""
    return D(package_years()[1] + 1, month, day)


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (D(2025, 9, 28), True),  # Sunday, 调休
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),  # Saturday, 调休
        (D(2026, 9, 20), True),  # Sunday, 调休
        (D(2026, 9, 25), False),  # Friday, 中秋
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, 调休
        (D(2026, 10, 11), False),
    ],
)
def test_it_follows_the_official_notices(day, workday):
    assert is_workday(day) is workday
    assert day_info(day)[2] == "chinese-calendar"


def test_it_names_holidays_and_adjusted_workdays():
    assert day_info(D(2026, 10, 1)) == (False, "国庆节", "chinese-calendar")
    assert day_info(D(2026, 10, 10)) == (True, "国庆节调休上班", "chinese-calendar")
    assert day_info(D(2026, 10, 11)) == (False, "", "chinese-calendar")  # a plain Sunday
    assert day_info(D(2026, 10, 12)) == (True, "", "chinese-calendar")


@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        # The Friday before National Day 2025: 9-28 (Sun 调休), 9-29, 9-30, 10-9, 10-10.
        (D(2025, 9, 26), 5, D(2025, 10, 10)),
        # A Friday before the 2026 holidays: 9-20 (Sun 调休), 9-21, 9-22, 9-23, 9-24.
        (D(2026, 9, 18), 5, D(2026, 9, 24)),
        # Friday 2026-09-25 (中秋): 9-28, 9-29, 9-30, then 10-8 and 10-9 after the holiday.
        (D(2026, 9, 25), 5, D(2026, 10, 9)),
        (D(2026, 9, 18), 10, D(2026, 10, 9)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # Friday + 1 = Saturday, a 调休 workday
        (D(2026, 10, 9), 2, D(2026, 10, 12)),
        (D(2026, 10, 3), 0, D(2026, 10, 3)),  # no days: the start itself, holiday or not
    ],
)
def test_it_adds_working_days(start, n, deadline):
    assert add_workdays(start, n) == deadline
    assert workdays_between(start, deadline) == n


@pytest.mark.parametrize(
    ("issue_date", "deadline"),
    [(D(2025, 9, 26), D(2025, 10, 10)), (D(2026, 9, 25), D(2026, 10, 9))],
)
def test_it_gives_a_notice_the_official_deadline(school, people, issue_date, deadline):
    """The acceptance case: a notice issued on the Friday before National Day with 5 working
    days is due on the day the official calendar gives, counting the 调休 weekend day."""
    hazard = services.hazard_create(
        school=school,
        source="inspection",
        category="physical",
        severity="ordinary",
        title="校门未设防冲撞设施",
        actor=people.officer_a,
    )
    notice = services.notice_issue(
        school=school,
        hazards=[hazard],
        working_days=5,
        issue_date=issue_date,
        actor=people.officer_a,
    )
    assert notice.deadline == deadline
    hazard.refresh_from_db()
    assert hazard.deadline == deadline


@pytest.mark.parametrize(
    ("end", "n", "before"),
    [
        (D(2026, 10, 8), 1, D(2026, 9, 30)),  # back over the whole holiday
        (D(2026, 10, 8), 2, D(2026, 9, 29)),
        (D(2026, 10, 12), 1, D(2026, 10, 10)),  # the 调休 Saturday counts
        (D(2026, 9, 21), 1, D(2026, 9, 20)),  # the 调休 Sunday counts
        (D(2026, 9, 28), 1, D(2026, 9, 24)),  # over 中秋 and the weekend
        (D(2026, 10, 4), 0, D(2026, 10, 4)),
    ],
)
def test_it_subtracts_working_days(end, n, before):
    assert subtract_workdays(end, n) == before


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 10, 9), -1)
    with pytest.raises(ValueError):
        subtract_workdays(D(2026, 10, 9), -1)


def test_it_counts_working_days_between_dates():
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 11)) == 1  # (Fri, Sun]: the 调休 Sat
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 7)) == 0  # all holiday
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == -1  # the deadline has passed
    assert workdays_between(D(2026, 10, 12), D(2026, 10, 9)) == -2  # (Fri, Mon]: Sat and Mon


def test_it_adds_and_subtracts_consistently_over_a_year():
    day = D(2026, 1, 1)
    while day.year == 2026:
        for n in (1, 3, 5, 10):
            deadline = add_workdays(day, n)
            assert workdays_between(day, deadline) == n
            assert is_workday(deadline)
            back = subtract_workdays(deadline, n)
            # From a working day there and back is the same day; from a holiday, the last
            # working day before it.
            assert back == day if is_workday(day) else back == subtract_workdays(day, 1)
        day += dt.timedelta(days=1)


def test_it_falls_back_to_weekdays_beyond_the_package():
    monday = _beyond_package(3, 1)
    while monday.weekday() != 0:
        monday += dt.timedelta(days=1)
    saturday = monday + dt.timedelta(days=5)
    assert day_info(monday) == (True, "", "weekday")
    assert day_info(saturday) == (False, "", "weekday")
    assert add_workdays(monday + dt.timedelta(days=4), 1) == monday + dt.timedelta(days=7)


def test_it_applies_table_rows_beyond_the_package():
    new_year = _beyond_package(1, 1)
    adjusted = new_year + dt.timedelta(days=(5 - new_year.weekday()) % 7 or 7)  # a Saturday
    assert day_info(new_year) == (False, "元旦", "statutory")
    CalendarDay.objects.create(date=new_year, is_workday=False, name="元旦")
    CalendarDay.objects.create(date=adjusted, is_workday=True, name="元旦调休上班")
    overrides_changed()
    assert day_info(new_year) == (False, "元旦", "table")
    assert day_info(adjusted) == (True, "元旦调休上班", "table")
    before = new_year - dt.timedelta(days=1)
    assert add_workdays(adjusted - dt.timedelta(days=1), 1) == adjusted
    assert workdays_between(before, new_year) == 0


def test_it_lets_the_table_override_the_package():
    day = D(2026, 10, 10)  # the package's 调休 Saturday
    assert is_workday(day)
    CalendarDay.objects.create(date=day, is_workday=False, name="更正")
    overrides_changed()
    assert day_info(day) == (False, "更正", "table")
    assert add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 12)


def test_it_keeps_the_cached_table_until_told_it_changed():
    day = _beyond_package(6, 1)
    assert day_info(day)[2] == "weekday"  # caches the (empty) table
    CalendarDay.objects.create(date=day, is_workday=not is_workday(day), name="更正")
    assert day_info(day)[2] == "weekday"  # a write alone is not seen …
    overrides_changed()
    assert day_info(day)[2] == "table"  # … until the cache is dropped


def test_it_sees_days_entered_in_the_admin_at_once(client_for):
    client = client_for("admin")
    day = _beyond_package(3, 2)  # no statutory holiday
    assert day_info(day)[2] == "weekday"  # warm the cache first
    response = client.post(
        "/admin/core/calendarday/add/",
        {"date": day.isoformat(), "is_workday": "", "name": "元旦"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert day_info(day) == (False, "元旦", "table")

    row = CalendarDay.objects.get(date=day)
    response = client.post(
        f"/admin/core/calendarday/{row.pk}/change/",
        {"date": day.isoformat(), "is_workday": "on", "name": "元旦调休上班"},
    )
    assert response.status_code == 302
    assert day_info(day) == (True, "元旦调休上班", "table")

    response = client.post(f"/admin/core/calendarday/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert day_info(day)[2] == "weekday"


def test_it_sees_days_deleted_in_bulk_in_the_admin_at_once(client_for):
    day = _beyond_package(3, 2)
    row = CalendarDay.objects.create(date=day, is_workday=False, name="元旦")
    overrides_changed()
    assert day_info(day)[2] == "table"
    response = client_for("admin").post(
        "/admin/core/calendarday/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    assert day_info(day)[2] == "weekday"
