"""The schools module's figures count exactly the schools their list opens, for users of
different jurisdictions (issue 12: figures registered for the dashboard and the work report).

A count is the rows of the list's export; 专职保安员数 and the shortfall are sums of the
export's columns over those rows; a rate is the rows it opens over the rows of the same list
without the 达标项 filter, and agrees with the compliance roll-up of the user's organisation.
"""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils.module_loading import import_string
from openpyxl import load_workbook

from huxiao.patrols import services as patrol_services
from huxiao.schools import compliance, rules
from huxiao.schools import services as school_services
from huxiao.schools.choices import DeviceKind
from huxiao.schools.models import Device
from tests.figures_support import PERIOD, export_rows, module_figures
from tests.schools.test_pages_support import grant_school_permissions

USERS = ("officer_a", "officer_b", "commander", "edu_officer", "chief")
PASSING = ("staffing", "closed_management", "networked", "guard_post")
PASSING += ("alarm_networked", "video_networked")
RATES = ("staffing", "closed_management", "networked", "guard_post", "urban_video_networked")


@pytest.fixture
def pages(city, schools, client_for):
    """school_a (station 01, urban): fails staffing (3 needed, 2 on duty), networked, one
    护学岗. school_b (station 02, rural): staffed, its only camera not networked, no post."""
    grant_school_permissions()
    a, b = schools
    patrol_services.post_create(
        school=a, name="南门护学岗", latitude=Decimal("26.58"), longitude=Decimal("101.72")
    )
    camera = Device.objects.get(school=b, kind=DeviceKind.CAMERA)
    school_services.device_update(device=camera, networked_police=False)
    return client_for


def figure(code: str):
    return next(f for f in module_figures("schools") if f.code == code)


def export_table(client, records_url: str) -> list[dict]:
    """The rows of the list's export, each by its headers."""
    parts = urlsplit(records_url)
    url = f"{parts.path}export/" + (f"?{parts.query}" if parts.query else "")
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
        values_only=True
    )
    headers = next(rows)
    return [dict(zip(headers, row, strict=True)) for row in rows if any(row)]


def without_passing(records_url: str) -> str:
    parts = urlsplit(records_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "passing"]
    return f"{parts.path}?{urlencode(query)}" if query else parts.path


def from_the_list(client, f) -> int | float | None:
    """What the figure should be, read from the list it opens (and its export)."""
    url = f.url(PERIOD)
    if f.code == "schools.guards":
        return sum(row["保安实有"] for row in export_table(client, url))
    if f.code == "schools.guard_shortfall":
        return sum(row["保安应配"] - row["保安实有"] for row in export_table(client, url))
    if f.code.startswith("schools.rate_"):
        total = export_rows(client, without_passing(url))
        return round(export_rows(client, url) / total * 100, 1) if total else None
    return export_rows(client, url)


def test_every_figure_is_registered_in_chinese_and_resolves():
    figures = module_figures("schools")
    codes = [f.code for f in figures]
    assert len(codes) == len(set(codes))
    assert set(codes) == {
        "schools.schools",
        "schools.guards",
        "schools.guard_shortfall",
        *(f"schools.passing_{c}" for c in PASSING),
        *(f"schools.rate_{c}" for c in RATES),
        *(f"schools.failing_{c}" for c in rules.RULE_CODES),
    }
    for f in figures:
        definition = str(f.definition)
        assert definition.strip() and not definition.isascii(), f.code
        assert "SPEC" in definition or "种子" in definition or f.code == "schools.schools"
        assert str(f.label) and not str(f.label).isascii(), f.code
        assert callable(import_string(f.compute)) and callable(import_string(f.records_url))
        assert f.url(PERIOD).startswith("/schools/"), f.code
        assert f.permission == "schools.view_school" and not f.periodic, f.code


@pytest.mark.parametrize("user", USERS)
def test_each_figure_equals_what_its_list_shows(pages, people, user):
    client = pages(user)
    person = getattr(people, user)
    for f in module_figures("schools"):
        assert f.visible_to(person), (user, f.code)
        assert f.value(person, PERIOD) == from_the_list(client, f), (user, f.code)


def test_the_figures_of_each_station_and_of_the_city(pages, people):
    def values(user):
        return {f.code.partition(".")[2]: f.value(getattr(people, user), PERIOD)
                for f in module_figures("schools")}  # fmt: skip

    a, b, city = values("officer_a"), values("officer_b"), values("commander")
    assert (a["schools"], b["schools"], city["schools"]) == (1, 1, 2)
    assert (a["guards"], b["guards"], city["guards"]) == (2, 2, 4)
    assert (a["guard_shortfall"], b["guard_shortfall"], city["guard_shortfall"]) == (1, 0, 1)
    assert (a["passing_staffing"], b["passing_staffing"]) == (0, 1)
    assert (a["passing_networked"], b["passing_networked"]) == (1, 0)
    assert (b["passing_alarm_networked"], b["passing_video_networked"]) == (1, 0)
    assert (a["passing_guard_post"], b["passing_guard_post"]) == (1, 0)
    assert (city["rate_staffing"], city["rate_networked"], city["rate_guard_post"]) == (
        50.0,
        50.0,
        50.0,
    )
    assert city["rate_closed_management"] == 100.0
    # Only school_a is urban: station 02 has no urban school, so no urban rate.
    assert (a["rate_urban_video_networked"], b["rate_urban_video_networked"]) == (100.0, None)
    assert values("edu_officer") == values("chief") == a


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "commander", "edu_officer"])
def test_the_rates_are_the_rollup_pages(pages, people, user):
    person = getattr(people, user)
    total = compliance.summary(user=person, org=person.organization).total
    for code in RATES:
        rate = total.indicators[code].rate
        expected = None if rate is None else round(rate * 100, 1)
        assert figure(f"schools.rate_{code}").value(person, PERIOD) == expected, (user, code)
    for code in PASSING:
        passing = total.indicators[code].passing
        assert figure(f"schools.passing_{code}").value(person, PERIOD) == passing, (user, code)


@pytest.mark.parametrize("user", ["volunteer", "auditor"])
def test_a_user_without_the_school_list_sees_none(pages, people, user):
    person = getattr(people, user)
    for f in module_figures("schools"):
        assert not f.visible_to(person), (user, f.code)


def test_the_passing_filter_renders_on_the_school_list(pages):
    response = pages("commander").get(figure("schools.rate_networked").url(PERIOD))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="passing"' in html and "达标项" in html
    assert '<option value="networked" selected>' in html


@pytest.mark.parametrize("user", USERS)
def test_the_batch_gives_what_each_figure_gives(pages, people, city, user):
    """The dashboards count the schools' figures in one pass (``figures.batch``); for every user
    and jurisdiction it must equal each figure counted on its own."""
    person = getattr(people, user)
    figures = module_figures("schools")
    batch = import_string(figures[0].batch)
    for org in (None, city.station_a, city.station_b, city.edu_a):
        if org is not None and not type(org).objects.visible_to(person).filter(pk=org.pk).exists():
            continue
        got = batch([f.code for f in figures], person, PERIOD, org)
        assert got == {f.code: f.value(person, PERIOD, org) for f in figures}, (user, org)
