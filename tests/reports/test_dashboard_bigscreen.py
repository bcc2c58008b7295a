"""指挥大屏 (/reports/bigscreen/) and its JSON (/reports/bigscreen/data/): the same tiles, map
and breakdown as the dashboard, scoped to the user's jurisdiction; the JSON the page re-reads
on a live change answers an organisation outside the scope with 400 exactly as a missing one."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from huxiao.reports import dashboard, figures, periods

PAGE = reverse("reports:bigscreen")
DATA = reverse("reports:bigscreen_data")


def json_of(html: str, element_id: str):
    m = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert m, element_id
    return json.loads(m.group(1))


def tiles(data: dict) -> dict[str, dict]:
    return {t["code"]: t for g in data["groups"] for t in g["tiles"]}


def test_the_big_screen_shows_the_tiles_map_and_chart(demo):
    commander = demo.user("commander")
    response = demo.client("commander").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="live-indicator"' in html
    assert 'data-testid="tile-persons.in_control"' in html
    assert 'data-testid="tile-schools.rate_staffing"' in html
    chart = json_of(html, "bigscreen-charts")["breakdown"]
    kids = figures.children(commander, commander.organization)
    assert [r["org"] for r in chart["rows"]] == [k.pk for k in kids]
    assert json_of(html, "bigscreen-map-data")["points"]
    source = re.search(r'data-source="([^"]+)"', html).group(1)
    assert source.startswith(DATA + "?") and f"org={commander.organization.pk}" in source


def test_the_data_are_the_figures_of_the_users_jurisdiction(demo):
    officer = demo.user("officer01")
    response = demo.client("officer01").get(DATA)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["org"] == officer.organization.pk
    period = periods.default(timezone.localdate())
    assert (data["from"], data["to"]) == (period.start.isoformat(), period.end.isoformat())
    expected = figures.by_code(
        figures.values(
            user=officer, org=officer.organization, period=period, codes=dashboard.tile_codes()
        )
    )
    got = tiles(data)
    assert got
    for code, tile in got.items():
        assert (tile["value"], tile["url"]) == (expected[code].value, expected[code].url), code
    assert data["map"] == dashboard.school_points(officer, officer.organization)
    assert data["breakdown"]["rows"]


def test_the_education_bureau_gets_no_police_only_figure(demo):
    response = demo.client("edu01").get(DATA)
    assert response.status_code == 200
    text = response.content.decode()
    assert tiles(response.json())
    assert "persons." not in text and "重点人员" not in text


def test_an_org_outside_the_scope_is_refused_like_a_missing_one(demo):
    client = demo.client("officer01")
    other = demo.user("officer02").organization
    outside = client.get(DATA, {"org": other.pk})
    missing = client.get(DATA, {"org": 999999})
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["error"].startswith("单位不存在或不在您的数据范围内")
    assert missing.json()["error"].startswith("单位不存在或不在您的数据范围内")
    assert other.name not in outside.content.decode()
    page = client.get(PAGE, {"org": other.pk}).content.decode()
    assert "单位不存在或不在您的数据范围内" in page and other.name not in page


def test_a_bad_period_is_refused_in_chinese(demo):
    response = demo.client("officer01").get(DATA, {"from": "2026-13-01"})
    assert response.status_code == 400
    assert "不是有效日期" in response.json()["error"]


def test_the_school_and_the_guard_have_no_big_screen(demo):
    for username in ("school01", "guard01"):
        client = demo.client(username)
        assert client.get(PAGE).status_code == 403, username
        assert client.get(DATA).status_code == 403, username


def _source(html: str) -> str:
    return htmllib.unescape(re.search(r'data-source="([^"]+)"', html).group(1))


def test_a_screen_left_running_counts_up_to_the_new_day(demo):
    officer = demo.user("officer01")
    client = demo.client("officer01")
    # the JSON's query keeps the period as asked (none: this month), not resolved to dates
    source = _source(client.get(PAGE).content.decode())
    assert source == f"{DATA}?org={officer.organization.pk}"
    assert _source(client.get(PAGE, {"period": "year"}).content.decode()).endswith(
        f"period=year&org={officer.organization.pk}"
    )
    dates = {"from": "2026-01-01", "to": "2026-01-31"}
    assert "from=2026-01-01&to=2026-01-31" in _source(client.get(PAGE, dates).content.decode())
    # a bad query falls back to the default, which the JSON also reads as the default
    other = demo.user("officer02").organization
    assert _source(client.get(PAGE, {"org": other.pk, "period": "year"}).content.decode()) == (
        f"{DATA}?org={officer.organization.pk}"
    )
    # the next day (the 1st of the next month at the end of one), the same query reads
    # the period that includes it (signed in again: the idle timeout ended the session)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        data = demo.client("officer01").get(source).json()
        day = timezone.localdate()
    period = periods.default(day)
    assert (data["from"], data["to"]) == (period.start.isoformat(), day.isoformat())
