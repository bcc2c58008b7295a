"""The patrols module's figures: registered with a definition, counted within the user's scope,
and each equal to the rows its records_url page lists (and exports) for the same user."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from huxiao.core import modules
from huxiao.core.modules import Period
from huxiao.patrols import services

from .conftest import GATE_A, GATE_B, SCHOOL_DAY, local, offset

NEXT_DAY = SCHOOL_DAY + dt.timedelta(days=1)  # Tuesday, a school day too
DAY = Period(SCHOOL_DAY, SCHOOL_DAY)
WEEK = Period(SCHOOL_DAY, SCHOOL_DAY + dt.timedelta(days=6))
CODES = (
    "patrols.guard_post_checkins",
    "patrols.patrols",
    "patrols.video_patrols",
    "patrols.active_guard_posts",
    "patrols.police_per_school_day_mean",
    "patrols.police_per_school_day_min",
    "patrols.police_per_school_day_max",
    "patrols.missed_posts",
    "patrols.peak_coverage",
    "patrols.pilot_corridors",
)
# Counted against the records built below (the others: tests/patrols/test_figures_per_day.py).
COUNTED = CODES[:4]
EXPORTS = {
    "patrols:post_checkin_list": "patrols:post_checkin_export",
    "patrols:patrol_list": "patrols:patrol_export",
    "patrols:video_patrol_list": "patrols:video_patrol_export",
    "patrols:post_list": "patrols:post_export",
    "patrols:patrol_stats": "patrols:patrol_stats_export",
}


def checkin(post, user, day, minute, metres=0):
    at = local(day, 7, minute)
    lat, lon = offset(post.latitude, post.longitude, metres)
    services.checkin_record(post=post, user=user, at=at, latitude=lat, longitude=lon, now=at)


def route(org, school, gate):
    return services.route_create(
        organization=org,
        name=f"{org.name}巡逻线",
        checkpoints=[{"school": school, "latitude": gate[0], "longitude": gate[1]}],
    )


def patrol(route_, leader, day, *, end=True, abandon=False):
    log = services.patrol_start(route=route_, leader=leader, started_at=local(day, 9))
    if abandon:
        services.patrol_abandon(log=log, note="警情处置")
    elif end:
        services.patrol_finish(log=log, ended_at=local(day, 10))


@pytest.fixture
def records(city, people, pschools, posts):
    """Station 01 has more of everything than station 02, and each has records outside the day
    and records that do not count (invalid check-ins, a patrol under way, an inactive post)."""
    a, b = pschools
    post_a, post_b = posts
    extra = services.post_create(school=a, name="北门", latitude=GATE_A[0], longitude=GATE_A[1])
    services.post_create(
        school=a, name="停用岗", latitude=GATE_A[0], longitude=GATE_A[1], is_active=False
    )
    for minute, user in enumerate((people.guard, people.officer_a, people.chief)):
        checkin(post_a, user, SCHOOL_DAY, minute)
    checkin(extra, people.guard, SCHOOL_DAY, 20)
    checkin(post_a, people.guard, SCHOOL_DAY, 30, metres=800)  # invalid: too far
    checkin(post_a, people.guard, NEXT_DAY, 5)  # the next day
    checkin(post_b, people.officer_b, SCHOOL_DAY, 5)
    checkin(post_b, people.officer_b, SCHOOL_DAY, 40, metres=900)  # invalid
    route_a, route_b = route(city.station_a, a, GATE_A), route(city.station_b, b, GATE_B)
    patrol(route_a, people.officer_a, SCHOOL_DAY)
    patrol(route_a, people.officer_a, SCHOOL_DAY, abandon=True)
    patrol(route_a, people.officer_a, SCHOOL_DAY, end=False)  # under way
    patrol(route_a, people.officer_a, NEXT_DAY)
    patrol(route_b, people.officer_b, SCHOOL_DAY)
    for day, hour in ((SCHOOL_DAY, 8), (SCHOOL_DAY, 23), (NEXT_DAY, 0)):
        services.video_patrol_record(
            school=a, officer=people.officer_a, at=local(day, hour), cameras_checked=3
        )
    services.video_patrol_record(
        school=b, officer=people.officer_b, at=local(SCHOOL_DAY, 9), cameras_checked=2
    )


def test_the_module_registers_its_figures_with_a_definition():
    figures = {f.code: f for f in modules.module("patrols").figures}
    assert tuple(figures) == CODES
    for figure in figures.values():
        definition = str(figure.definition)
        assert re.search(r"[\u4e00-\u9fff]", definition) and definition.endswith("。")
        assert definition.count("。") == 1 and "SPEC 2.4" in definition
        assert modules.figure(figure.code) == dataclasses.replace(figure, module="patrols")
        assert resolve(figure.url(DAY).split("?")[0]).view_name in EXPORTS
    assert [code for code in CODES if not figures[code].periodic] == [
        "patrols.active_guard_posts",
        "patrols.pilot_corridors",
    ]


def page_rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def export_rows(client, url: str) -> int:
    path, _sep, query = url.partition("?")
    export = reverse(EXPORTS[resolve(path).view_name])
    response = client.get(f"{export}?{query}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active.max_row - 1


EXPECTED = {  # (officer_a, officer_b) over the day and over the week
    ("patrols.guard_post_checkins", "day"): (4, 1),
    ("patrols.guard_post_checkins", "week"): (5, 1),
    ("patrols.patrols", "day"): (2, 1),
    ("patrols.patrols", "week"): (3, 1),
    ("patrols.video_patrols", "day"): (2, 1),
    ("patrols.video_patrols", "week"): (3, 1),
    ("patrols.active_guard_posts", "day"): (2, 1),
    ("patrols.active_guard_posts", "week"): (2, 1),
}


@pytest.mark.parametrize("span", ["day", "week"])
@pytest.mark.parametrize("code", COUNTED)
def test_each_figure_is_the_rows_its_page_lists_for_each_jurisdiction(
    records, people, client_for, code, span
):
    figure = modules.figure(code)
    period = DAY if span == "day" else WEEK
    url = figure.url(period)
    values = []
    for who in ("officer_a", "officer_b"):
        user, client = getattr(people, who), client_for(who)
        assert figure.visible_to(user)
        value = figure.value(user, period)
        assert value == page_rows(client, url) == export_rows(client, url), (code, who)
        values.append(value)
    assert tuple(values) == EXPECTED[(code, span)]
    commander = client_for("commander")
    assert figure.value(people.commander, period) == page_rows(commander, url) == sum(values)


def test_the_records_url_carries_the_period_and_the_figures_own_filters():
    checkins = modules.figure("patrols.guard_post_checkins").url(DAY)
    assert checkins == (
        f"{reverse('patrols:post_checkin_list')}?date_from=2026-11-23&date_to=2026-11-23&valid=1"
    )
    assert (
        modules.figure("patrols.patrols")
        .url(WEEK)
        .endswith("?date_from=2026-11-23&date_to=2026-11-29&status=ended")
    )
    assert modules.figure("patrols.active_guard_posts").url(WEEK).endswith("?active=1")


def test_a_figure_is_hidden_from_who_may_not_open_its_records(people):
    edu = people.edu_officer
    assert modules.figure("patrols.video_patrols").visible_to(edu)
    assert not modules.figure("patrols.patrols").visible_to(edu)
    assert not modules.figure("patrols.guard_post_checkins").visible_to(people.guard)


def test_an_outsider_counts_nothing(records, people):
    for code in CODES:
        # No post, no school day: the statistics per school day have nothing to average, and
        # the peak coverage no school-window to divide by.
        nothing = None if "per_school_day" in code or code == "patrols.peak_coverage" else 0
        assert modules.figure(code).value(people.outsider, WEEK) == nothing, code
