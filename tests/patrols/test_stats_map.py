"""巡逻统计's map (issue 14): its legend counts what the window table counts, in the table's word
(到岗), and under the markers it draws each police station's area — the convex hull of its
schools (``geo.station_area``) — and the schools, so that it reads without tiles.

Station 01 (甲派出所) gets three more schools around 甲小学 (one without coordinates, left
off the map); station 02 (乙派出所) keeps its one school, whose area is a small disc.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from shapely.geometry import MultiPoint, Point, Polygon

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.patrols import geo, views_stats
from huxiao.schools import services as school_services

from .conftest import GATE_A, GATE_B, SCHOOL_DAY
from .test_api import API
from .test_api import _in as check_in
from .test_pages_stats import figures_of, map_json, page, window_cells

# (name, code, latitude, longitude) of station 01's further schools; None: not located.
MORE_SCHOOLS = [
    ("甲一中", "5301118011", Decimal("26.600000"), Decimal("101.735000")),
    ("甲二小", "5301118012", Decimal("26.570000"), Decimal("101.745000")),
    ("甲三幼", "5301118013", Decimal("26.585000"), Decimal("101.732000")),  # inside the others
    ("甲四小", "5301118014", None, None),
]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Today is the school day, judged after its last window (as in test_pages_stats)."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: SCHOOL_DAY)
    monkeypatch.setattr(views_stats, "now_minutes", lambda day: 24 * 60)


@pytest.fixture
def located(city, pschools):
    """Station 01's four schools (three located) and station 02's one, with coordinates."""
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=GATE_A[0], longitude=GATE_A[1])
    Organization.objects.filter(pk=city.school_b.pk).update(latitude=GATE_B[0], longitude=GATE_B[1])
    for name, code, lat, lon in MORE_SCHOOLS:
        org = core_services.organization_create(
            kind=OrgKind.SCHOOL,
            name=name,
            code=f"T-{code}",
            division_code="530111",
            parent=city.station_a,
            education_bureau=city.edu_a,
            latitude=lat,
            longitude=lon,
        )
        school_services.school_register(
            organization=org, school_code=code, level="primary", locality="urban"
        )
    return {
        city.station_a.name: [(GATE_A[1], GATE_A[0])]
        + [(lon, lat) for _n, _c, lat, lon in MORE_SCHOOLS if lat is not None],
        city.station_b.name: [(GATE_B[1], GATE_B[0])],
    }


def legend_of(html: str) -> dict[str, int]:
    """The legend's count of each status (its data-count), by status."""
    return {
        status: int(n)
        for n, status in re.findall(r'<span data-count="(\d+)" data-status="(\w+)">', html)
    }


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points, equirectangular (enough over a few km)."""
    lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * 111_195 * math.cos(lat)
    dy = (a[1] - b[1]) * 111_195
    return math.hypot(dx, dy)


# ---- the legend and the table ------------------------------------------------------------------


def test_it_counts_in_the_legend_the_police_post_windows_of_the_table(client_for, posts, people):
    """The reported case: police at 甲小学's post in the morning, nobody in the afternoon. The
    post is red on the map (a window passed with nobody), and the legend used to count posts
    whose every window had police — "民警在岗 0" under a table saying "民警到岗 1"."""
    a, _b = posts
    check_in(a, people.officer_a, 7, 10)
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    legend = legend_of(html)
    table_police = sum(int(window_cells(html, code)["police"]) for code in ("am", "pm"))
    table_covered = sum(int(window_cells(html, code)["covered"]) for code in ("am", "pm"))
    assert table_police == 1
    assert legend["ok"] == table_police
    assert legend["warn"] == table_covered - table_police == 0
    assert legend["bad"] == int(figures_of(html)["unstaffed-count"]) == 3
    # One word: the legend and the posts' lines say 到岗, as the table does.
    assert "民警到岗" in html and "民警在岗" not in html
    [point] = [p for p in map_json(html)["points"] if p["name"].endswith(a.name)]
    assert point["status"] == "bad"
    assert "上学：民警到岗" in point["sub"] and "放学：无人到岗" in point["sub"]
    # The API's day figures say the same.
    data = client_for("commander").get(f"{API}/patrol-stats", {"date": str(SCHOOL_DAY)}).json()
    assert data["police_posts"] == legend["ok"]


def test_it_counts_a_guard_only_window_as_amber_in_the_legend_and_the_table(
    client_for, posts, people
):
    a, b = posts
    check_in(a, people.guard, 7, 15)
    check_in(a, people.officer_a, 16, 30)
    check_in(b, people.officer_b, 7, 5, gate=GATE_B)
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    legend = legend_of(html)
    assert (legend["ok"], legend["warn"], legend["bad"]) == (2, 1, 1)
    statuses = {p["name"].split(" · ")[1]: p["status"] for p in map_json(html)["points"]}
    assert statuses == {a.name: "warn", b.name: "bad"}


# ---- the station areas -------------------------------------------------------------------------


def test_it_draws_each_station_as_the_hull_of_its_schools(people, located):
    drawn = geo.jurisdiction(user=people.commander)
    areas = {a["name"]: a for a in drawn["areas"]}
    assert list(areas) == ["甲派出所", "乙派出所"]  # tree order
    for name, schools in located.items():
        area = Polygon(areas[name]["ring"])
        assert area.is_valid and areas[name]["schools"] == len(schools)
        for lon, lat in schools:
            assert area.contains(Point(float(lon), float(lat))), (name, lon, lat)
    # Station 01: the hull of its three outer schools, widened by the margin and no more.
    station_a = Polygon(areas["甲派出所"]["ring"])
    hull = MultiPoint([(float(x), float(y)) for x, y in located["甲派出所"]]).convex_hull
    assert station_a.contains(hull)
    assert math.isclose(station_a.convex_hull.area, station_a.area, rel_tol=1e-9)  # convex
    furthest = max(
        _metres(vertex, (p.x, p.y))
        for vertex in areas["甲派出所"]["ring"]
        for p in [hull.exterior.interpolate(hull.exterior.project(Point(vertex)))]
    )
    assert geo.AREA_MARGIN_M * 0.95 <= furthest <= geo.AREA_MARGIN_M * 1.05
    # The schools with coordinates are drawn; 甲四小 has none.
    names = [s["name"] for s in drawn["schools"]]
    assert "甲四小" not in names and len(names) == 5


def test_it_draws_a_small_disc_around_a_station_with_one_school(people, located):
    [area] = [
        a for a in geo.jurisdiction(user=people.commander)["areas"] if a["name"] == "乙派出所"
    ]
    school = (float(GATE_B[1]), float(GATE_B[0]))
    distances = [_metres(vertex, school) for vertex in area["ring"]]
    assert all(geo.AREA_MARGIN_M * 0.95 <= d <= geo.AREA_MARGIN_M * 1.05 for d in distances)


@pytest.mark.parametrize(
    "points",
    [
        [(101.72, 26.58)],
        [(101.72, 26.58), (101.73, 26.58)],  # two schools: a capsule
        [(101.72, 26.58), (101.73, 26.58), (101.74, 26.58)],  # on one street
        [(101.72, 26.58), (101.72, 26.58)],  # twice the same place
    ],
)
def test_it_gives_a_station_of_one_or_two_places_a_shape_containing_them(points):
    area = Polygon(geo.station_area(points))
    assert area.is_valid and area.area > 0
    assert all(area.contains(Point(p)) for p in points)


def test_it_has_no_area_without_schools():
    assert geo.station_area([]) == []


# ---- what each user is shown -------------------------------------------------------------------


def test_it_puts_the_jurisdiction_on_the_page(client_for, people, posts, located):
    html = page(client_for("commander"), date=SCHOOL_DAY.isoformat())
    data = map_json(html)
    drawn = geo.jurisdiction(user=people.commander)
    assert (data["areas"], data["schools"]) == (drawn["areas"], drawn["schools"])
    assert [a["name"] for a in data["areas"]] == ["甲派出所", "乙派出所"]
    assert len(data["points"]) == 2  # the posts, as before
    assert 'data-layer="area"' in html and 'data-layer="school"' in html


def test_it_shows_a_station_officer_their_own_area_only(client_for, posts, located):
    data = map_json(page(client_for("officer_a"), date=SCHOOL_DAY.isoformat()))
    assert [a["name"] for a in data["areas"]] == ["甲派出所"]
    assert "乙中学" not in {s["name"] for s in data["schools"]}


def test_it_narrows_the_jurisdiction_with_the_filter(client_for, posts, located, city, pschools):
    client = client_for("commander")
    by_station = map_json(page(client, date=SCHOOL_DAY.isoformat(), unit=city.station_b.pk))
    assert [a["name"] for a in by_station["areas"]] == ["乙派出所"]
    by_school = map_json(page(client, date=SCHOOL_DAY.isoformat(), school=pschools[0].pk))
    assert [s["name"] for s in by_school["schools"]] == ["甲小学"]
    assert [(a["name"], a["schools"]) for a in by_school["areas"]] == [("甲派出所", 1)]


def test_it_gives_an_outsider_no_jurisdiction(client_for, posts, located):
    data = map_json(page(client_for("outsider"), date=SCHOOL_DAY.isoformat()))
    assert data["areas"] == [] and data["schools"] == []
