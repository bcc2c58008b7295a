"""统计看板 (/reports/dashboard/): the tiles, the breakdown by child organisation, the trend and
the map of a jurisdiction, for users of the city bureau, a station, an education bureau and a
school; a jurisdiction outside the scope shows the message and the user's own numbers; each
tile's number opens a list of exactly as many records."""

from __future__ import annotations

import html as htmllib
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huxiao.core import figures as core_figures
from huxiao.core import modules
from huxiao.reports import dashboard, figures, periods
from huxiao.reports.scope import FigureScope
from tests.figures_support import export_rows

URL = reverse("reports:dashboard")
BREAKDOWN = reverse("reports:dashboard_breakdown")
TREND = reverse("reports:dashboard_trend")
TILE = re.compile(
    r'<a class="hx-tile-main" href="(?P<url>[^"]+)" data-testid="tile-(?P<code>[\w.]+)"[^>]*>\s*'
    r'<span class="hx-tile-value" data-value="(?P<value>[^"]*)">'
)


def tiles_of(html: str) -> dict[str, tuple[str, str]]:
    return {m["code"]: (htmllib.unescape(m["url"]), m["value"]) for m in TILE.finditer(html)}


def json_of(html: str, element_id: str):
    m = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert m, element_id
    return json.loads(m.group(1))


def chart_of(html: str, kind: str):
    m = re.search(rf'data-chart="{kind}" data-chart-json="([^"]*)"', html)
    assert m, kind
    return json.loads(htmllib.unescape(m.group(1)))


def sub_bureau(commander):
    return next(
        c for c in figures.children(commander, commander.organization) if c.kind == "sub_bureau"
    )


def page(demo, username, **query):
    response = demo.client(username).get(URL, query)
    assert response.status_code == 200, username
    return response.content.decode()


def fragment(demo, username, url, **query):
    response = demo.client(username).get(url, query)
    assert response.status_code == 200, username
    return response.content.decode()


def test_the_commander_sees_the_city_broken_down_by_its_children(demo):
    commander = demo.user("commander")
    html = page(demo, "commander")
    city = commander.organization
    assert re.search(rf'data-testid="current-org">{re.escape(city.name)}<', html)
    kids = figures.children(commander, city)
    assert kids
    names = re.findall(r'data-testid="child-org">([^<]+)<', html)
    assert names == [k.short_name or k.name for k in kids]
    # the breakdown and trend cards are fetched for the same jurisdiction and period
    for url in (BREAKDOWN, TREND):
        m = re.search(rf'hx-get="{url}\?([^"]+)"', html)
        assert m, url
        assert f"org={city.pk}" in m.group(1).split("&amp;"), url
    chart = chart_of(fragment(demo, "commander", BREAKDOWN, org=city.pk), "breakdown")
    assert [r["org"] for r in chart["rows"]] == [k.pk for k in kids]
    assert "persons.in_control" in [f["code"] for f in chart["figures"]]
    trend = chart_of(fragment(demo, "commander", TREND, org=city.pk), "trend")
    assert len(trend["months"]) == 6
    assert trend["months"][-1] == f"{timezone.localdate():%Y-%m}"
    tiles = tiles_of(html)
    for code in ("schools.rate_staffing", "schools.failing_staffing", "persons.in_control"):
        assert code in tiles, code
    points = json_of(html, "dashboard-map-data")
    assert points["points"] and {p["status"] for p in points["points"]} <= {"ok", "bad"}


def test_each_breakdown_cell_opens_as_many_records_as_it_shows(demo):
    commander = demo.user("commander")
    client = demo.client("commander")
    sub = sub_bureau(commander)
    html = client.get(BREAKDOWN, {"org": sub.pk, "period": "year"}).content.decode()
    assert 'data-testid="no-children"' not in html, (sub.name, sub.kind)
    chart = chart_of(html, "breakdown")
    assert chart["rows"]
    counted = 0
    for row in chart["rows"][:2]:
        for f, cell in zip(chart["figures"], row["cells"], strict=True):
            assert f"org={row['org']}" in cell["url"], f["code"]
            assert export_rows(client, cell["url"]) == cell["value"], (row["name"], f["code"])
            counted += 1
    assert counted >= 10


def test_the_trend_counts_each_month(demo):
    officer = demo.user("officer01")
    html = fragment(demo, "officer01", TREND)
    trend = chart_of(html, "trend")
    today = timezone.localdate()
    months = dashboard.months_before(today, today)
    assert trend["months"] == [f"{m.start:%Y-%m}" for m in months]
    series = {s["code"]: s for s in trend["series"]}
    hazards = modules.figure("inspections.hazards_found")
    assert series[hazards.code]["values"] == [
        hazards.value(officer, m, officer.organization) for m in months
    ]
    assert all(not s["code"].startswith("persons.") for s in trend["series"])


def test_the_tiles_are_the_figures_of_the_station(demo):
    officer = demo.user("officer01")
    html = page(demo, "officer01", period="year")
    station = officer.organization
    assert re.search(rf'data-testid="current-org">{re.escape(station.name)}<', html)
    period = periods.preset("year", timezone.localdate())
    expected = figures.by_code(
        figures.values(user=officer, org=station, period=period, codes=dashboard.tile_codes())
    )
    tiles = tiles_of(html)
    assert tiles
    for code, (url, value) in tiles.items():
        v = expected[code]
        assert url == v.url, code
        assert value == ("" if v.value is None else str(v.value)), code


def test_the_education_bureau_and_the_school_never_see_police_only_figures(demo):
    for username in ("edu01", "school01"):
        html = page(demo, username)
        assert tiles_of(html), username
        for text in (html, fragment(demo, username, BREAKDOWN), fragment(demo, username, TREND)):
            assert "persons." not in text, username
            assert "重点人员" not in text, username


def test_the_school_sees_its_own_school(demo):
    chief = demo.user("school01")
    html = page(demo, "school01")
    assert re.search(rf'data-testid="current-org">{re.escape(chief.organization.name)}<', html)
    assert 'data-testid="child-org"' not in html
    assert 'data-testid="no-children"' in fragment(demo, "school01", BREAKDOWN)
    points = json_of(html, "dashboard-map-data")["points"]
    assert [p["name"] for p in points] == [chief.organization.short_name or chief.organization.name]


def test_an_org_outside_the_scope_shows_the_message_and_the_users_own_numbers(demo):
    officer = demo.user("officer01")
    other = demo.user("officer02").organization
    html = page(demo, "officer01", org=other.pk)
    assert "单位不存在或不在您的数据范围内" in html
    assert other.name not in html
    assert tiles_of(html) == tiles_of(page(demo, "officer01"))
    # and an id that does not exist reads the same
    missing = page(demo, "officer01", org=999999)
    assert "单位不存在或不在您的数据范围内" in missing
    assert tiles_of(missing) == tiles_of(page(demo, "officer01"))
    assert officer.organization.name in html


def test_the_commander_can_open_a_child_and_its_ancestors_are_breadcrumbs(demo):
    commander = demo.user("commander")
    sub = sub_bureau(commander)
    html = page(demo, "commander", org=sub.pk, period="year")
    assert re.search(rf'data-testid="current-org">{re.escape(sub.name)}<', html)
    crumbs = re.findall(r'data-testid="crumb">([^<]+)<', html)
    assert crumbs[-1] == commander.organization.name


def test_every_count_tile_opens_a_list_of_as_many_records(demo):
    client = demo.client("commander")
    commander = demo.user("commander")
    sub = sub_bureau(commander)
    html = client.get(URL, {"org": sub.pk, "period": "year"}).content.decode()
    checked = 0
    for code, (url, value) in tiles_of(html).items():
        if modules.figure(code).measure != "count":
            continue
        assert export_rows(client, url) == int(value), code
        checked += 1
    assert checked >= 10


def test_the_staffing_tile_opens_the_failing_schools(demo):
    client = demo.client("commander")
    html = client.get(URL).content.decode()
    url, value = tiles_of(html)["schools.failing_staffing"]
    assert "failing=staffing" in url
    assert client.get(url).status_code == 200
    assert export_rows(client, url) == int(value) > 0


def test_the_map_colours_each_school_by_the_rules_it_fails(demo):
    officer = demo.user("officer01")
    where = FigureScope(officer.organization, periods.default(timezone.localdate()))
    data = dashboard.school_points(officer, where.org)
    assert data["points"]
    for p in data["points"]:
        assert (p["status"] == "bad") == (p["failing"] > 0)
    failing = figures.value_of(
        modules.figure("schools.failing_staffing"),
        user=officer,
        org=where.org,
        period=where.period,
    ).value
    assert data["counts"]["bad"] >= failing


def test_a_station_dashboard_reads_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    """Speed is measured in bench/dashboard_bench.py (docs/performance.md), not timed here:
    the guard is the pinned number of queries (no query per row)."""
    client = demo.client("officer01")
    # The alarms tiles and their breakdown column are one query each (alarms.figures.batch),
    # their trend line one grouped query (Figure.period_field); the gate's tiles two (its visits
    # and its seizures, gate.figures.visits_batch / seizures_batch).
    for url, most in ((URL, 35), (BREAKDOWN, 15), (TREND, 14)):
        client.get(url)  # warm the session, the permission and calendar caches
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_the_page_reads_the_schools_statuses_once_for_its_tiles_and_its_map(demo):
    """The schools' rule statuses are the page's costliest statement: the tiles' batch and the
    map share one reading of them (core.figures.one_reading)."""
    client = demo.client("officer01")
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    statuses = [q for q in captured.captured_queries if "required_guards" in q["sql"]]
    assert len(statuses) == 1, [q["sql"][:120] for q in statuses]


def test_a_shared_reading_lasts_as_long_as_its_block():
    calls = []

    def read():
        calls.append(1)
        return len(calls)

    assert core_figures.shared(("k",), read) == 1  # outside a reading: read each time
    with core_figures.one_reading():
        assert core_figures.shared(("k",), read) == 2
        assert core_figures.shared(("k",), read) == 2
        assert core_figures.shared(("other",), read) == 3
    assert core_figures.shared(("k",), read) == 4


def test_without_the_permission(demo):
    guard = demo.client("guard01")
    for url in (URL, BREAKDOWN, TREND):
        assert guard.get(url).status_code == 403, url
