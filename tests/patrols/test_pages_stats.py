"""巡逻统计: who may open it, the rendered numbers against a direct count of the records, a
national holiday that expects nothing, the status map, the 30-day trend, the export and the
number of queries.

The acceptance criteria checked here: "For a demo day the statistics page shows the
person-times and the peak-window coverage, and the numbers equal a direct count of the
records" and "On a national holiday no shift is expected and coverage is not counted as
missed".
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.patrols import services, stats, views_stats
from huxiao.patrols.models import CheckIn, DutyShift, GuardPost, PatrolLog
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import GATE_A, GATE_B, HOLIDAY, SCHOOL_DAY, local, offset

CORRIDOR = [[101.719, 26.579], [101.721, 26.579], [101.721, 26.581], [101.719, 26.581]]


NOW_MINUTES = views_stats.now_minutes


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The page's today is a school day (Monday 2026-11-23), whatever the machine's clock says,
    and it is judged after its last window (a test that needs another hour patches it)."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: SCHOOL_DAY)
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 24 * 60)
    return SCHOOL_DAY


def _in(post, user, day, hh, mm=0, gate=GATE_A, north=0):
    when = local(day, hh, mm)
    lat, lon = offset(gate[0], gate[1], north)
    return services.checkin_record(
        post=post,
        user=user,
        at=when,
        latitude=lat,
        longitude=lon,
        accuracy_m=10,
        now=when + dt.timedelta(minutes=1),
    )[0]


def _shift(post, user, day, window, kind="police"):
    return DutyShift.objects.create(
        post=post, date=day, window=window, person=user, person_name=user.username, person_kind=kind
    )


@pytest.fixture
def demo_day(posts, people, pschools):
    """A school day at both schools: police, a guard, an invalid check-in, rosters, a patrol."""
    a, b = posts
    _in(a, people.officer_a, SCHOOL_DAY, 7, 10)
    _in(a, people.officer_a, SCHOOL_DAY, 7, 20)  # the same officer again: one person-time
    _in(a, people.guard, SCHOOL_DAY, 7, 15)
    _in(a, people.officer_a, SCHOOL_DAY, 16, 30)
    _in(b, people.officer_b, SCHOOL_DAY, 7, 5, gate=GATE_B)
    _in(b, people.officer_b, SCHOOL_DAY, 12, 0, gate=GATE_B)  # invalid: no window
    _in(b, people.officer_b, SCHOOL_DAY, 16, 10, gate=GATE_B, north=900)  # invalid: too far
    for post, user in ((a, people.officer_a), (b, people.officer_b)):
        _shift(post, user, SCHOOL_DAY, "am")
        _shift(post, user, SCHOOL_DAY, "pm")
    _shift(a, people.guard, SCHOOL_DAY, "am", kind="guard")
    route = services.route_create(
        organization=people.officer_a.organization,
        name="甲网格路线",
        checkpoints=[
            {
                "name": "甲小学校门",
                "school": pschools[0],
                "latitude": GATE_A[0],
                "longitude": GATE_A[1],
            },
            {"name": "农贸市场", "latitude": GATE_A[0], "longitude": GATE_A[1] + 1},
        ],
    )
    log = services.patrol_start(
        route=route,
        leader=people.officer_a,
        police_count=2,
        auxiliary_count=3,
        vehicles=1,
        started_at=local(SCHOOL_DAY, 9),
    )
    first = route.checkpoints.order_by("order").first()
    services.patrol_visit(log=log, checkpoint=first, latitude=GATE_A[0], longitude=GATE_A[1])
    services.patrol_finish(log=log, ended_at=local(SCHOOL_DAY, 10))
    return a, b


def figures_of(html: str) -> dict[str, str]:
    """The text of every element with a data-testid (the figures of the page)."""
    found = {}
    for name, text in re.findall(r'data-testid="([\w-]+)"[^>]*>([^<]*)<', html):
        found.setdefault(name, text.strip())
    return found


def window_cells(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr data-window="{code}">(.*?)</tr>', html, re.S).group(1)
    return figures_of(row)


def map_json(html: str) -> dict:
    raw = re.search(
        r'<script id="stats-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(raw.group(1))


def without_json(html: str) -> str:
    """The page without its json_script (data, never run: the CSP check looks for code)."""
    return re.sub(
        r'<script id="stats-map-data" type="application/json">.*?</script>', "", html, flags=re.S
    )


def page(client, **params):
    response = client.get(reverse("patrols:patrol_stats"), params)
    assert response.status_code == 200
    return response.content.decode()


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("officer_b", 200),
        ("commander", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("admin", 200),
        ("guard", 403),
        ("volunteer", 403),
        ("auditor", 403),
    ],
)
def test_it_answers_each_role_on_the_stats_page_and_its_export(client_for, posts, who, status):
    client = client_for(who)
    assert client.get(reverse("patrols:patrol_stats")).status_code == status
    assert client.get(reverse("patrols:patrol_stats_export")).status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client, posts):
    for name in ("patrols:patrol_stats", "patrols:patrol_stats_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_the_education_officer_their_own_schools_only(client_for, demo_day):
    html = page(client_for("edu_officer"), date=SCHOOL_DAY.isoformat())
    figures = figures_of(html)
    # district bureau A → school_a only: its post, 2 windows, police in both
    assert figures["stat-expected-posts"] == "2"
    assert figures["stat-person-times-checkins"] == "2"
    assert figures["stat-person-times-patrols"] == "0"  # patrol logs belong to the police
    assert 'name="unit"' not in html  # stations mean nothing to an education bureau
    assert figures["stat-police-rate"] == "100.0%"


def test_it_gives_an_outsider_no_figures(client_for, demo_day):
    figures = figures_of(page(client_for("outsider"), date=SCHOOL_DAY.isoformat()))
    assert figures["stat-police-person-times"] == "0"
    assert figures["stat-expected-posts"] == "0"
    assert figures["unstaffed-count"] == "0"


# ---- the numbers equal a direct count of the records -------------------------------------------


def test_it_shows_the_demo_days_numbers_equal_to_a_direct_count(client_for, demo_day, people):
    a, b = demo_day
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    figures = figures_of(html)

    valid = CheckIn.objects.filter(date=SCHOOL_DAY, is_valid=True)
    police = valid.filter(person_kind="police")
    checkin_person_times = police.values("user", "post", "window").distinct().count()
    logs = PatrolLog.objects.filter(date=SCHOOL_DAY)
    patrol_person_times = sum(log.police_count + log.auxiliary_count for log in logs)
    scheduled = DutyShift.objects.filter(
        date=SCHOOL_DAY, status="planned", person_kind="police"
    ).count()
    expected = sum(
        len(p.windows) for p in GuardPost.objects.filter(is_active=True)
    )  # both schools are in session on a Monday in term
    police_posts = police.values("post", "window").distinct().count()

    assert figures["stat-person-times-checkins"] == str(checkin_person_times) == "3"
    assert figures["stat-person-times-patrols"] == str(patrol_person_times) == "5"
    assert figures["stat-police-person-times"] == str(checkin_person_times + patrol_person_times)
    assert figures["stat-scheduled"] == str(scheduled) == "4"
    assert figures["stat-expected-posts"] == str(expected) == "4"
    assert figures["stat-police-rate"] == f"{police_posts / expected * 100:.1f}%" == "75.0%"
    # invalid check-ins inside a window (the one at noon belongs to no window)
    in_windows = CheckIn.objects.filter(date=SCHOOL_DAY, is_valid=False, window__in=["am", "pm"])
    assert figures["stat-invalid"] == str(in_windows.count()) == "1"
    assert figures["stat-patrols"] == str(logs.count()) == "1"
    assert figures["stat-patrols-incomplete"] == "1"
    assert figures["stat-missed-checkpoints"] == "1"

    for code in ("am", "pm"):
        cells = window_cells(html, code)
        in_window = valid.filter(window=code)
        covered = in_window.values("post").distinct().count()
        seen = in_window.filter(person_kind="police").values("post").distinct().count()
        schools_covered = in_window.values("school").distinct().count()
        assert cells["expected"] == "2"
        assert cells["covered"] == str(covered)
        assert cells["police"] == str(seen)
        assert cells["schools-covered"] == str(schools_covered)
        assert cells["schools-expected"] == "2"
        assert cells["person-times"] == str(
            in_window.filter(person_kind="police").values("user", "post").distinct().count()
        )
    # Peak-window coverage: both schools in the morning, school_a only in the afternoon.
    assert (
        window_cells(html, "am")["schools-covered"],
        window_cells(html, "pm")["schools-covered"],
    ) == ("2", "1")
    assert figures["stat-schools-covered"] == "3" and figures["stat-school-windows"] == "4"
    # The one post-window nobody stood at: school_b's post in the afternoon, linked.
    assert figures["unstaffed-count"] == "1"
    assert f'data-unstaffed="{b.pk}" data-window="pm"' in html
    assert reverse("patrols:post_detail", args=[b.pk]) in html
    assert 'data-testid="non-school-day"' not in html


def test_it_narrows_to_a_station_or_a_school(client_for, demo_day, city, pschools):
    client = client_for("commander")
    by_station = figures_of(page(client, date=SCHOOL_DAY.isoformat(), unit=city.station_b.pk))
    assert by_station["stat-expected-posts"] == "2"
    assert by_station["stat-person-times-checkins"] == "1"
    assert by_station["stat-police-rate"] == "50.0%"
    assert by_station["scope-label"] == city.station_b.name
    by_school = figures_of(page(client, date=SCHOOL_DAY.isoformat(), school=pschools[0].pk))
    assert by_school["stat-person-times-checkins"] == "2"
    assert by_school["unstaffed-count"] == "0"


def test_it_shows_nothing_for_a_station_outside_the_scope(client_for, demo_day, city):
    html = page(client_for("officer_a"), date=SCHOOL_DAY.isoformat(), unit=city.station_b.pk)
    # The choice is not offered: the filter is invalid and shows nothing, not the whole scope.
    figures = figures_of(html)
    assert figures["stat-expected-posts"] == "0"
    assert figures["stat-person-times-checkins"] == "0"
    assert "invalid-feedback" in html


def test_it_matches_day_stats_for_station_01(client_for, demo_day, people):
    s = stats.day_stats(user=people.officer_a, day=SCHOOL_DAY)
    figures = figures_of(page(client_for("officer_a"), date=SCHOOL_DAY.isoformat()))
    assert figures["stat-police-person-times"] == str(s.police_person_times) == "7"
    assert figures["stat-expected-posts"] == str(s.expected_posts) == "2"


# ---- a national holiday ------------------------------------------------------------------------


def test_it_expects_nothing_on_a_national_holiday(client_for, posts, people):
    a, _b = posts
    _in(a, people.officer_a, HOLIDAY, 7, 10)  # stored, invalid: not a school day
    html = page(client_for("commander"), date=HOLIDAY.isoformat())
    figures = figures_of(html)
    assert "法定节假日/非上学日，不计应到岗" in html
    assert 'data-testid="non-school-day"' in html
    assert figures["stat-expected-posts"] == "0"
    assert figures["stat-police-rate"] == "—"
    assert figures["unstaffed-count"] == "0"
    assert "非上学日不计漏岗" in html
    for code in ("am", "pm"):
        assert window_cells(html, code)["expected"] == "0"
    assert {p["status"] for p in map_json(html)["points"]} == {"off"}


def test_it_says_today_when_today_is_a_holiday(client_for, posts, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: HOLIDAY)
    html = page(client_for("officer_a"))
    assert "今天是法定节假日/非上学日，不计应到岗。" in html


# ---- the map -----------------------------------------------------------------------------------


WINDOWS = [
    {"code": "am", "name": "上学", "start": "07:00", "end": "08:30"},
    {"code": "pm", "name": "放学", "start": "16:00", "end": "18:00"},
]


@pytest.mark.parametrize(
    ("seen", "school_day", "now", "status"),
    [
        ({}, False, 17 * 60, "off"),  # not a school day
        ({}, True, 6 * 60, "off"),  # nothing begun
        ({}, True, 7 * 60 + 30, "off"),  # the morning window runs, nobody yet
        ({"am": {"police"}}, True, 7 * 60 + 30, "ok"),
        ({"am": {"guard"}}, True, 7 * 60 + 30, "warn"),
        ({"am": {"guard", "police"}}, True, 12 * 60, "ok"),
        ({}, True, 8 * 60 + 30, "bad"),  # the morning window has just passed with nobody
        ({"am": {"police"}}, True, 18 * 60, "bad"),  # the afternoon passed with nobody
        ({"am": {"police"}, "pm": {"volunteer"}}, True, 18 * 60, "warn"),
        ({"am": {"police"}, "pm": {"police"}}, True, 24 * 60, "ok"),
    ],
)
def test_it_colours_a_post_by_its_windows_so_far(seen, school_day, now, status):
    assert views_stats.post_status(WINDOWS, seen, school_day, now)[0] == status


def test_it_judges_a_past_day_at_its_end_and_a_future_day_at_its_start():
    assert NOW_MINUTES(SCHOOL_DAY - dt.timedelta(days=1)) == 24 * 60
    assert NOW_MINUTES(SCHOOL_DAY + dt.timedelta(days=1)) == -1


def test_it_lists_as_unstaffed_only_windows_that_have_ended(client_for, demo_day, monkeypatch):
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 12 * 60)
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    figures = figures_of(html)
    # school_b's afternoon window has not begun: not missed yet, counted as pending
    assert figures["unstaffed-count"] == "0"
    assert 'data-testid="unstaffed-pending"' in html and "另有 1 个岗次" in html
    # the window figures still expect it
    assert window_cells(html, "pm")["expected"] == "2"


def test_it_puts_every_post_on_the_map_with_its_status(
    client_for, posts, people, pschools, monkeypatch
):
    a, b = posts
    c = services.post_create(
        school=pschools[1],
        name="后门护学岗",
        latitude=GATE_B[0],
        longitude=GATE_B[1] + Decimal("0.001"),
    )
    services.post_update(post=a, corridor=CORRIDOR, is_pilot=True)
    _in(a, people.guard, SCHOOL_DAY, 7, 15)  # a guard only
    _in(b, people.officer_b, SCHOOL_DAY, 7, 5, gate=GATE_B)  # police
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 12 * 60)  # the morning is over
    html = page(client_for("commander"))
    points = {p["url"]: p for p in map_json(html)["points"]}
    assert points[reverse("patrols:post_detail", args=[a.pk])]["status"] == "warn"
    assert points[reverse("patrols:post_detail", args=[b.pk])]["status"] == "ok"
    assert points[reverse("patrols:post_detail", args=[c.pk])]["status"] == "bad"
    assert points[reverse("patrols:post_detail", args=[a.pk])]["corridor"] == CORRIDOR  # pilot
    assert points[reverse("patrols:post_detail", args=[b.pk])]["corridor"] is None
    assert "上学：无人到岗" in points[reverse("patrols:post_detail", args=[c.pk])]["sub"]
    assert "放学：未开始" in points[reverse("patrols:post_detail", args=[c.pk])]["sub"]
    # the legend counts the same statuses
    assert re.search(r'data-status="bad">.*?<b>1</b>', html, re.S)
    # officer_a's map holds station 01's post only
    mine = map_json(page(client_for("officer_a")))["points"]
    assert [p["url"] for p in mine] == [reverse("patrols:post_detail", args=[a.pk])]


def test_it_loads_the_map_from_files_and_keeps_to_the_csp(client_for, demo_day):
    html = page(client_for("officer_a"), date=SCHOOL_DAY.isoformat())
    assert_csp_clean(without_json(html), "patrols:patrol_stats")
    for asset in ("vendor/leaflet/leaflet.js", "huxiao/js/map.js", "huxiao/js/stats_map.js"):
        assert asset in html
    assert 'data-stats-map="stats-map-data"' in html
    assert 'data-tile-url=""' in html


def test_it_uses_the_configured_tiles(client_for, posts, settings):
    settings.MAP_TILE_URL = "https://t{s}.example.org/{z}/{x}/{y}.png"
    assert 'data-tile-url="https://t{s}.example.org/{z}/{x}/{y}.png"' in page(
        client_for("officer_a")
    )


# ---- the 30-day trend --------------------------------------------------------------------------


def test_it_gives_the_trend_of_a_day_the_figures_of_day_stats(client_for, demo_day, people):
    a, _b = demo_day
    earlier = SCHOOL_DAY - dt.timedelta(days=7)  # the Monday before
    _in(a, people.officer_a, earlier, 7, 5)
    for user in ("commander", "officer_a", "officer_b"):
        who = getattr(people, user)
        rows = {r["day"]: r for r in views_stats.trend(who, SCHOOL_DAY, None)}
        assert len(rows) == 30 and min(rows) == SCHOOL_DAY - dt.timedelta(days=29)
        for day in (SCHOOL_DAY, earlier, SCHOOL_DAY - dt.timedelta(days=1)):
            s = stats.day_stats(user=who, day=day)
            assert rows[day]["person_times"] == s.police_person_times, (user, day)
            assert rows[day]["scheduled"] == s.police_person_times_scheduled, (user, day)
            assert rows[day]["expected"] == s.expected_posts, (user, day)
            assert rows[day]["rate"] == s.police_rate, (user, day)
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    row = re.search(rf'<tr data-day="{SCHOOL_DAY.isoformat()}"[^>]*>(.*?)</tr>', html, re.S).group(
        1
    )
    cells = figures_of(row)
    assert cells["trend-person-times"] == "8" and cells["trend-rate"] == "75.0%"
    sunday = re.search(r'<tr data-day="2026-11-22"[^>]*>', html).group(0)
    assert "hx-row-inactive" in sunday


def test_it_expects_nothing_in_the_trend_over_national_day(people, posts):
    rows = {r["day"]: r for r in views_stats.trend(people.commander, dt.date(2026, 10, 9), None)}
    for n in range(1, 8):
        assert rows[dt.date(2026, 10, n)]["expected"] == 0
        assert rows[dt.date(2026, 10, n)]["rate"] is None
    assert rows[dt.date(2026, 9, 30)]["expected"] == 4  # a Wednesday in term
    assert rows[dt.date(2026, 10, 9)]["expected"] == 4  # a Friday after the holiday


# ---- the export --------------------------------------------------------------------------------


def test_it_exports_the_days_figures_and_unstaffed_posts(client_for, demo_day, people):
    _a, b = demo_day
    response = client_for("commander").get(
        reverse("patrols:patrol_stats_export"), {"date": SCHOOL_DAY.isoformat()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["日统计", "分时段", "漏岗清单"]
    figures = {row[0]: row[1] for row in book["日统计"].iter_rows(min_row=2, values_only=True)}
    assert figures["日期"] == SCHOOL_DAY.isoformat()
    assert figures["出动警力（人次）"] == 8
    assert figures["其中：护学岗民警打卡（人次）"] == 3
    assert figures["其中：巡逻（人次）"] == 5
    assert figures["应到岗（岗次）"] == 4
    assert figures["见警率"] == "75.0%"
    assert figures["漏巡（点次）"] == 1
    windows = list(book["分时段"].iter_rows(min_row=2, values_only=True))
    assert [w[0] for w in windows] == ["上学", "放学"]
    assert windows[1][1:4] == (2, 1, 1)
    unstaffed = list(book["漏岗清单"].iter_rows(min_row=2, values_only=True))
    assert unstaffed == [("放学", b.school.organization.name, b.name)]
    from huxiao.core.models import AuditRecord

    record = AuditRecord.objects.filter(object_type="patrols.stats").latest("id")
    assert record.actor_id == people.commander.pk


# ---- queries -----------------------------------------------------------------------------------


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("patrols:patrol_stats"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_20_posts(
    client_for, posts, people, pschools
):
    client = client_for("commander")
    client.get(reverse("patrols:patrol_stats"))  # warm the session and the work calendar cache
    one = _queries(client, date=SCHOOL_DAY.isoformat())
    for n in range(20):
        post = services.post_create(
            school=pschools[n % 2],
            name=f"护学岗{n:02d}",
            latitude=GATE_A[0],
            longitude=GATE_A[1],
            corridor=CORRIDOR if n % 3 == 0 else None,
            is_pilot=n % 3 == 0,
        )
        _in(post, people.officer_a, SCHOOL_DAY, 7, 10)
        _in(post, people.guard, SCHOOL_DAY, 16, 10)
    many = _queries(client, date=SCHOOL_DAY.isoformat())
    # The shell's own queries included (session, user, permissions, role, organisation, badge,
    # session save); update only after checking that a new query is not per post or per day.
    assert one == many == 18


# ---- the work calendar's warning (issue 14) --------------------------------------------------------


def test_a_day_in_a_year_not_loaded_warns_that_school_days_may_change(client_for, posts):
    """The school days counted (the day and its trend) follow the work calendar: a year whose
    放假调休 arrangement is not loaded is counted on statutory holidays only, and the page says so."""
    client = client_for("officer_a")
    url = reverse("patrols:patrol_stats")
    unloaded = client.get(url, {"date": "2041-03-06"}).content.decode()
    assert 'data-testid="calendar-warning"' in unloaded
    assert "2041年放假调休安排尚未导入" in unloaded
    # The trend's 30 days reach back into the previous year: both years are named.
    spanning = client.get(url, {"date": "2041-01-10"}).content.decode()
    assert "2040年、2041年放假调休安排尚未导入" in spanning
    # SCHOOL_DAY's year is in the bundled arrangement: no warning.
    known = client.get(url, {"date": SCHOOL_DAY.isoformat()}).content.decode()
    assert 'data-testid="calendar-warning"' not in known
