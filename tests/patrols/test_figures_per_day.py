"""Police at the posts per school day (mean, least, most), post-windows missed and the pilot
schools' 护学通道: each equal to what the page it opens shows, for station 01's officer, station
02's and the city's commander. Dates are the last working days before today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.core import modules, workcalendar
from huxiao.core.modules import Period
from huxiao.patrols import services, stats

from .conftest import GATE_A, GATE_B, local, offset

CORRIDOR = [[101.719, 26.579], [101.721, 26.579], [101.72, 26.58]]
WHO = ("officer_a", "officer_b", "commander")


def _workdays_before_today(n: int) -> list[dt.date]:
    days, day = [], timezone.localdate()
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if workcalendar.is_workday(day):
            days.append(day)
    return sorted(days)


@dataclass(frozen=True)
class Span:
    days: list  # the three working days
    period: Period
    school_days: list  # the working days of the period (the three)


@pytest.fixture
def span(db) -> Span:
    d1, d2, d3 = _workdays_before_today(3)
    every = [d1 + dt.timedelta(days=n) for n in range((d3 - d1).days + 1)]
    return Span([d1, d2, d3], Period(d1, d3), [d for d in every if workcalendar.is_workday(d)])


def checkin(post, user, day, hh, mm=0, metres=0):
    at = local(day, hh, mm)
    lat, lon = offset(post.latitude, post.longitude, metres)
    services.checkin_record(post=post, user=user, at=at, latitude=lat, longitude=lon, now=at)


@pytest.fixture
def records(people, pschools, posts, span):
    """Station 01's post: police 2, 0, 1 on the three days (a guard's and an invalid check-in
    do not count); station 02's: 1, 2, 1. Windows 上学 07:00–08:30 and 放学 16:00–18:00."""
    post_a, post_b = posts
    d1, d2, d3 = span.days
    checkin(post_a, people.officer_a, d1, 7, 10)
    checkin(post_a, people.officer_a, d1, 16, 30)
    checkin(post_a, people.chief, d1, 7, 20)  # not police
    checkin(post_a, people.officer_a, d2, 7, 30, metres=800)  # invalid: too far
    checkin(post_a, people.officer_a, d3, 7, 5)
    checkin(post_b, people.officer_b, d1, 7, 0)
    checkin(post_b, people.officer_b, d2, 7, 15)
    checkin(post_b, people.officer_b, d2, 16, 5)
    checkin(post_b, people.officer_b, d3, 17, 0)


def _rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def _one_day(url: str, period: Period, day: dt.date) -> str:
    iso = day.isoformat()
    return url.replace(f"date_from={period.start.isoformat()}", f"date_from={iso}").replace(
        f"date_to={period.end.isoformat()}", f"date_to={iso}"
    )


def test_the_figures_are_registered_as_statistics_and_a_count():
    for kind in ("mean", "min", "max"):
        figure = modules.figure(f"patrols.police_per_school_day_{kind}")
        assert figure.measure == "statistic" and figure.periodic and figure.args == (kind,)
        assert figure.permission == "patrols.view_checkin"
        assert "打卡记录列表" in str(figure.definition)
    missed = modules.figure("patrols.missed_posts")
    assert missed.measure == "statistic" and missed.permission == "patrols.view_stats"
    assert "巡逻统计页" in str(missed.definition)
    corridors = modules.figure("patrols.pilot_corridors")
    assert corridors.measure == "count" and not corridors.periodic and corridors.rows


def test_police_per_school_day_is_what_the_check_in_list_shows_day_by_day(
    records, people, client_for, span
):
    url = modules.figure("patrols.police_per_school_day_mean").url(span.period)
    assert url == (
        f"{reverse('patrols:post_checkin_list')}?date_from={span.days[0].isoformat()}"
        f"&date_to={span.days[2].isoformat()}&valid=1&person_kind=police"
    )
    expected = {"officer_a": [2, 0, 1], "officer_b": [1, 2, 1], "commander": [3, 2, 2]}
    for who in WHO:
        user, client = getattr(people, who), client_for(who)
        per_day = [_rows(client, _one_day(url, span.period, day)) for day in span.school_days]
        assert per_day == expected[who], who
        # The whole period's rows over the school days is the mean.
        assert _rows(client, url) == sum(per_day)
        values = {
            kind: modules.figure(f"patrols.police_per_school_day_{kind}").value(user, span.period)
            for kind in ("mean", "min", "max")
        }
        assert values == {
            "mean": round(sum(per_day) / len(per_day), 1),
            "min": min(per_day),
            "max": max(per_day),
        }, who
    assert modules.figure("patrols.police_per_school_day_mean").value(
        people.officer_b, span.period
    ) == pytest.approx(1.3)


def test_police_per_school_day_in_a_jurisdiction_follows_its_link(
    records, people, client_for, span
):
    figure = modules.figure("patrols.police_per_school_day_max")
    station = people.officer_b.organization
    url = figure.url(span.period, station)
    assert url.endswith(f"&org={station.pk}")
    assert figure.value(people.commander, span.period, station) == 2
    assert _rows(client_for("commander"), url) == 4


def test_no_school_day_no_statistic(records, people):
    """A period of days off (or one still to come) has no school day: no mean, not 0."""
    ahead = timezone.localdate() + dt.timedelta(days=10)
    later = Period(ahead, ahead + dt.timedelta(days=5))
    for kind in ("mean", "min", "max"):
        figure = modules.figure(f"patrols.police_per_school_day_{kind}")
        assert figure.value(people.officer_a, later) is None


def test_missed_posts_are_the_stats_pages_unstaffed_rows_day_by_day(
    records, people, client_for, span
):
    figure = modules.figure("patrols.missed_posts")
    url = figure.url(span.period)
    assert url == f"{reverse('patrols:patrol_stats')}?date={span.days[2].isoformat()}"
    # Station 01 missed 放学 on D2 (上学 too: its only check-in was invalid) and 放学 on D3;
    # station 02 放学 on D1 and 上学 on D3.
    expected = {"officer_a": 3, "officer_b": 2, "commander": 5}
    for who in WHO:
        user, client = getattr(people, who), client_for(who)
        shown = 0
        for day in span.school_days:
            response = client.get(reverse("patrols:patrol_stats"), {"date": day.isoformat()})
            assert response.status_code == 200
            shown += len(response.context["unstaffed"])
        assert figure.value(user, span.period) == shown == expected[who], who
    # The link opens the period's last day: station 01's 放学 there.
    rows = client_for("officer_a").get(url).context["unstaffed"]
    assert [(r["post"], r["window"]) for r in rows] == [("南门护学岗", "放学")]


def test_missed_posts_in_a_jurisdiction_opens_the_stats_page_in_it(
    records, people, client_for, span
):
    figure = modules.figure("patrols.missed_posts")
    station = people.officer_a.organization
    assert figure.value(people.commander, span.period, station) == 3
    client = client_for("commander")
    shown = 0
    for day in span.school_days:
        url = f"{reverse('patrols:patrol_stats')}?date={day.isoformat()}&org={station.pk}"
        shown += len(client.get(url).context["unstaffed"])
    assert shown == 3
    assert figure.url(span.period, station).endswith(f"&org={station.pk}")
    # An organisation outside the scope shows nothing, never the whole scope.
    other = people.officer_b.organization
    page = client_for("officer_a").get(figure.url(span.period, other))
    assert page.status_code == 200 and page.context["unstaffed"] == []


def test_windows_not_ended_today_are_not_missed_yet():
    today = dt.date(2026, 11, 23)  # a Monday, a school day
    posts = [
        {
            "pk": 1,
            "windows": [
                {"code": "am", "name": "上学", "start": "07:00", "end": "08:30"},
                {"code": "pm", "name": "放学", "start": "16:00", "end": "18:00"},
            ],
            "school__term_calendar": None,
        }
    ]
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    evening = noon + dt.timedelta(hours=7)
    assert stats.missed_post_windows(posts, [], today, today, noon) == 1
    assert stats.missed_post_windows(posts, [], today, today, evening) == 2
    assert stats.missed_post_windows(posts, [(today, 1, "am")], today, today, evening) == 1
    # Days after now count nothing.
    assert stats.missed_post_windows(posts, [], today, today + dt.timedelta(days=3), noon) == 1


def test_pilot_corridors_are_the_rows_of_the_post_list(people, pschools, posts, client_for, span):
    a, b = pschools
    services.post_update(post=posts[0], is_pilot=True, corridor=CORRIDOR)
    services.post_create(
        school=a, name="北门", latitude=GATE_A[0], longitude=GATE_A[1], is_pilot=True
    )  # no corridor
    services.post_create(
        school=a,
        name="停用",
        latitude=GATE_A[0],
        longitude=GATE_A[1],
        is_pilot=True,
        corridor=CORRIDOR,
        is_active=False,
    )
    b_corridor = [[101.699, 26.559], [101.701, 26.559], [101.70, 26.56]]
    services.post_update(post=posts[1], corridor=b_corridor)  # not a pilot
    services.post_create(
        school=b,
        name="侧门",
        latitude=GATE_B[0],
        longitude=GATE_B[1],
        is_pilot=True,
        corridor=b_corridor,
    )
    services.post_create(
        school=b,
        name="后门",
        latitude=GATE_B[0],
        longitude=GATE_B[1],
        is_pilot=True,
        corridor=b_corridor,
    )
    figure = modules.figure("patrols.pilot_corridors")
    url = figure.url(span.period)
    assert url.endswith("?active=1&pilot=1&corridor=1")
    values = {}
    for who in WHO:
        values[who] = figure.value(getattr(people, who), span.period)
        assert values[who] == _rows(client_for(who), url), who
    assert values == {"officer_a": 1, "officer_b": 2, "commander": 3}


# ---- 高峰时段学校覆盖率 ------------------------------------------------------------------------------


def _school_windows_shown(client, days, org=None) -> tuple[int, int]:
    """The statistics page's 高峰时段学校覆盖（校次） (covered, expected) added up over ``days``."""
    covered = expected = 0
    for day in days:
        query = {"date": day.isoformat(), **({"org": str(org.pk)} if org else {})}
        response = client.get(reverse("patrols:patrol_stats"), query)
        assert response.status_code == 200
        covered += response.context["schools_covered"]
        expected += response.context["school_windows"]
    return covered, expected


def test_peak_coverage_is_the_stats_pages_school_windows_day_by_day(
    records, people, client_for, span
):
    figure = modules.figure("patrols.peak_coverage")
    assert figure.measure == "statistic" and figure.periodic and figure.unit == "%"
    assert figure.permission == "patrols.view_stats"
    assert "巡逻统计页" in str(figure.definition) and "SPEC 2.4" in str(figure.definition)
    assert figure.url(span.period) == (
        f"{reverse('patrols:patrol_stats')}?date={span.days[2].isoformat()}"
    )
    # Station 01's school: 上学 and 放学 on D1, 上学 on D3 (D2's check-in was invalid);
    # station 02's: 上学 on D1, both on D2, 放学 on D3. Two windows a day over three days.
    expected = {"officer_a": (3, 6, 50.0), "officer_b": (4, 6, 66.7), "commander": (7, 12, 58.3)}
    for who in WHO:
        user, client = getattr(people, who), client_for(who)
        covered, school_windows = _school_windows_shown(client, span.school_days)
        assert (covered, school_windows) == expected[who][:2], who
        assert figure.value(user, span.period) == expected[who][2], who
        assert figure.value(user, span.period) == round(covered / school_windows * 100, 1)
    # One day: the page the link opens shows exactly the figure's two numbers.
    last = Period(span.days[2], span.days[2])
    page = client_for("commander").get(figure.url(last))
    assert (page.context["schools_covered"], page.context["school_windows"]) == (2, 4)
    assert figure.value(people.commander, last) == 50.0


def test_peak_coverage_in_a_jurisdiction_opens_the_stats_page_in_it(
    records, people, client_for, span
):
    figure = modules.figure("patrols.peak_coverage")
    station = people.officer_b.organization
    assert figure.value(people.commander, span.period, station) == 66.7
    assert figure.url(span.period, station).endswith(f"&org={station.pk}")
    shown = _school_windows_shown(client_for("commander"), span.school_days, station)
    assert shown == (4, 6)
    # Outside officer_a's scope: the page shows nothing, and so does the figure's reader.
    page = client_for("officer_a").get(figure.url(span.period, station))
    assert page.status_code == 200 and page.context["school_windows"] == 0


def test_peak_coverage_without_a_school_day_is_none(records, people):
    ahead = timezone.localdate() + dt.timedelta(days=10)
    later = Period(ahead, ahead + dt.timedelta(days=5))
    assert modules.figure("patrols.peak_coverage").value(people.commander, later) is None


def test_a_school_window_counts_once_whichever_post_covers_it_and_today_once_it_ended():
    today = dt.date(2026, 11, 23)  # a Monday, a school day
    am = {"code": "am", "name": "上学", "start": "07:00", "end": "08:30"}
    pm = {"code": "pm", "name": "放学", "start": "16:00", "end": "18:00"}
    late_am = {**am, "end": "09:30"}
    posts = [
        {"pk": 1, "school_id": 10, "windows": [am, pm], "school__term_calendar": None},
        {"pk": 2, "school_id": 10, "windows": [late_am], "school__term_calendar": None},
        {"pk": 3, "school_id": 20, "windows": [am], "school__term_calendar": None},
    ]
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    evening = at + dt.timedelta(hours=10)
    # School 10's 上学 ends at 09:30 (its second post): at 09:00 only school 20's is due.
    assert stats.peak_school_windows(posts, [], today, today, at) == (0, 1)
    # In the evening: school 10's 上学 and 放学 and school 20's 上学; the second post's
    # check-in covers school 10's 上学 (once, not per post).
    covered = [(today, 2, "am"), (today, 1, "am"), (today, 3, "pm")]
    assert stats.peak_school_windows(posts, covered, today, today, evening) == (1, 3)
    # A past day is judged whole; a day off expects nothing.
    saturday = today - dt.timedelta(days=2)
    assert stats.peak_school_windows(posts, [], saturday, saturday, evening) == (0, 0)
    friday = today - dt.timedelta(days=3)
    assert stats.peak_school_windows(posts, [], friday, friday, evening) == (0, 3)
