"""The persons module's figures count exactly the records their list opens, for police of
two stations and their commander, and nothing for anyone else (issue 12: registered figures).

The records, November 2026 the period (``NOV``):
- station 01: 甲 (listed 11-22, followed up 11-23 and 11-25), 丙 (listed 10-05, followed up
  11-10 and now lost); disputes: one registered 11-05 and resolved 11-20, one registered
  10-20 and transferred 11-12; screening (history, typed totals): 40 persons in 11-01..11-15,
  7 in 10-25..11-05;
- station 02: 乙 (listed 11-22), 丁 (listed 11-03, revoked); disputes: one registered 11-10
  and still open, one registered 10-01 and resolved 10-15; screening (history): 25 in
  11-10..11-30. Batches that list their persons: tests/persons/test_screening_entries.py.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlsplit

import pytest
from django.utils.module_loading import import_string
from openpyxl import load_workbook

from huxiao.core.modules import Period
from huxiao.persons import services
from tests.figures_support import PERIOD, export_rows, module_figures
from tests.persons.conftest import TODAY
from tests.schools.conftest import id_number

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
LATER = dt.date(2026, 11, 30)  # "today" for the writes dated in November
POLICE = ("officer_a", "officer_b", "commander")
OTHERS = ("edu_officer", "chief", "guard", "volunteer", "auditor", "admin")
NEW_CODES = {
    "persons.listed",
    "persons.newly_listed",
    "persons.followed_up",
    "persons.screened",
    "persons.disputes_registered",
    "persons.disputes_resolved",
}


def _person(station, officer, name, seq, listed_on, actor):
    return services.key_person_create(
        station=station,
        name=name,
        id_number=id_number("510402", dt.date(1980, 1, 1), seq),
        categories=["idle"],
        risk_level="medium",
        officer=officer,
        actor=actor,
        today=listed_on,
    )


def _dispute(school, actor, registered_on, closed=None):
    """A dispute; ``closed`` = (status, day) mediates it first, then closes it so."""
    dispute = services.dispute_create(
        school=school,
        kind="home_school",
        parties="家长测试某",
        summary="赔偿纠纷",
        responsible_kind="school",
        actor=actor,
        registered_on=registered_on,
    )
    if closed:
        status, day = closed
        services.mediation_create(
            dispute=dispute, actor=actor, date=registered_on, content="调解", today=day
        )
        dispute = services.dispute_transition(
            dispute=dispute, to=status, actor=actor, note="已办结", today=day
        )
    return dispute


@pytest.fixture
def records(person_a, person_b, schools, people, city):
    a, b = people.officer_a, people.officer_b
    for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 25)):
        services.follow_up_create(
            person=person_a, actor=a, date=day, method="visit", observations="在家", today=LATER
        )
    third = _person(city.station_a, a, "测试丙某", 701, dt.date(2026, 10, 5), a)
    services.follow_up_create(
        person=third,
        actor=a,
        date=dt.date(2026, 11, 10),
        method="phone",
        observations="联系不上",
        status_after="lost",
        today=LATER,
    )
    fourth = _person(city.station_b, b, "测试丁某", 702, dt.date(2026, 11, 3), b)
    services.key_person_update(
        person=fourth, status="revoked", status_note="已迁出", actor=people.commander, today=LATER
    )
    _dispute(schools[0], a, dt.date(2026, 11, 5), ("resolved", dt.date(2026, 11, 20)))
    _dispute(schools[0], a, dt.date(2026, 10, 20), ("transferred", dt.date(2026, 11, 12)))
    _dispute(schools[1], b, dt.date(2026, 11, 10))
    _dispute(schools[1], b, dt.date(2026, 10, 1), ("resolved", dt.date(2026, 10, 15)))
    for org, start, end, screened in (
        (city.station_a, dt.date(2026, 11, 1), dt.date(2026, 11, 15), 40),
        (city.station_a, dt.date(2026, 10, 25), dt.date(2026, 11, 5), 7),
        (city.station_b, dt.date(2026, 11, 10), dt.date(2026, 11, 30), 25),
    ):
        services.screening_batch_create(
            organization=org, period_start=start, period_end=end, imported=True, screened=screened
        )


def export_table(client, records_url: str) -> list[dict]:
    parts = urlsplit(records_url)
    response = client.get(f"{parts.path}export/?{parts.query}")
    assert response.status_code == 200, (records_url, response.status_code)
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
        values_only=True
    )
    headers = next(rows)
    return [dict(zip(headers, row, strict=True)) for row in rows if any(row)]


def from_the_list(client, figure, period) -> int:
    """The figure read from its list's export: its rows, or the sum of 排查人数."""
    url = figure.url(period)
    if figure.code == "persons.screened":
        return sum(row["排查人数"] for row in export_table(client, url))
    return export_rows(client, url)


def values(person, period) -> dict[str, int]:
    return {f.code.partition(".")[2]: f.value(person, period) for f in module_figures("persons")}


def test_every_figure_is_registered_in_chinese_and_resolves():
    figures = module_figures("persons")
    codes = [f.code for f in figures]
    assert len(codes) == len(set(codes)) and set(codes) >= NEW_CODES
    for f in figures:
        definition = str(f.definition)
        assert definition.strip() and not definition.isascii() and "SPEC 2.3" in definition
        assert str(f.label) and not str(f.label).isascii(), f.code
        assert callable(import_string(f.compute)) and callable(import_string(f.records_url))
        assert f.url(NOV).startswith("/persons/"), f.code
        assert f.permission in (
            "persons.view_keyperson",
            "persons.view_dispute",
            "persons.view_screeningbatch",
        )
    periodic = {f.code for f in figures if f.periodic}
    assert periodic == NEW_CODES - {"persons.listed"}


@pytest.mark.parametrize("period", [NOV, PERIOD], ids=["november", "september"])
@pytest.mark.parametrize("user", POLICE)
def test_each_figure_equals_what_its_list_exports(client_for, people, records, user, period):
    client = client_for(user)
    person = getattr(people, user)
    for figure in module_figures("persons"):
        assert figure.visible_to(person), (user, figure.code)
        value = figure.value(person, period)
        assert value == from_the_list(client, figure, period), (user, figure.code)


def test_each_station_counts_its_own_and_the_commander_both(people, records):
    a, b = values(people.officer_a, NOV), values(people.officer_b, NOV)
    city = values(people.commander, NOV)
    assert (a["listed"], b["listed"], city["listed"]) == (2, 1, 3)
    assert (a["in_control"], b["in_control"], city["in_control"]) == (1, 1, 2)
    assert (a["lost"], city["lost"]) == (1, 1)
    assert (a["newly_listed"], b["newly_listed"], city["newly_listed"]) == (1, 2, 3)
    assert (a["followed_up"], b["followed_up"], city["followed_up"]) == (2, 0, 2)
    assert (a["screened"], b["screened"], city["screened"]) == (40, 25, 65)
    registered = (a["disputes_registered"], b["disputes_registered"])
    assert registered == (1, 1) and city["disputes_registered"] == 2
    resolved = (a["disputes_resolved"], b["disputes_resolved"])
    assert resolved == (1, 0) and city["disputes_resolved"] == 1
    # Nothing of it was listed, followed up, screened, registered or resolved in September.
    september = values(people.commander, PERIOD)
    assert all(september[f.code.partition(".")[2]] == 0 for f in module_figures("persons")
               if f.periodic)  # fmt: skip


@pytest.mark.parametrize("user", OTHERS)
def test_nobody_but_police_sees_or_counts_them(people, records, user):
    person = getattr(people, user)
    for figure in module_figures("persons"):
        assert not figure.visible_to(person), (user, figure.code)
        assert figure.value(person, NOV) == 0, (user, figure.code)


def test_a_security_company_officer_counts_nothing(client_for, people, records):
    """``outsider`` holds the officer role (so ``visible_to``, a permission check, is True)
    in a security company, not a police organisation: the selectors give nothing, and the
    lists the figures open answer 404."""
    client = client_for("outsider")
    for figure in module_figures("persons"):
        assert figure.value(people.outsider, NOV) == 0, figure.code
        assert client.get(figure.url(NOV)).status_code == 404, figure.code


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("persons.listed", ['<option value="listed" selected>']),
        ("persons.followed_up", ['name="followed_from" value="2026-11-01"']),
        ("persons.newly_listed", ['name="listed_to" value="2026-11-30"']),
        ("persons.disputes_resolved", ['name="closed_from" value="2026-11-01"']),
        ("persons.disputes_registered", ['name="registered_to" value="2026-11-30"']),
    ],
)
def test_the_list_shows_the_figures_filters(client_for, records, code, shown):
    figure = next(f for f in module_figures("persons") if f.code == code)
    response = client_for("commander").get(figure.url(NOV))
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in shown:
        assert fragment in html, (code, fragment)


def test_the_dispute_board_keeps_its_filter_bar(client_for, records):
    response = client_for("officer_a").get("/persons/disputes/board/?registered_from=2026-11-01")
    assert response.status_code == 200
    assert 'name="registered_from" value="2026-11-01"' in response.content.decode()


def test_followed_up_counts_a_person_once_whatever_the_visits(people, records):
    figure = next(f for f in module_figures("persons") if f.code == "persons.followed_up")
    assert figure.value(people.officer_a, Period(dt.date(2026, 11, 23), dt.date(2026, 11, 25))) == 1
    assert figure.value(people.officer_a, Period(TODAY, TODAY)) == 0


@pytest.mark.parametrize("period", [NOV, PERIOD], ids=["november", "september"])
@pytest.mark.parametrize("user", [*POLICE, "edu_officer"])
def test_the_batch_gives_what_each_figure_gives(people, records, city, user, period):
    """The dashboards count the key-person figures in one query (figures.batch): the same
    numbers, for the whole scope and for each station apart."""
    account = getattr(people, user)
    figures = [f for f in module_figures("persons") if f.batch]
    codes = [f.code for f in figures]
    assert len(codes) == 8 and all(f.batch == "huxiao.persons.figures.batch" for f in figures)
    batch = import_string(figures[0].batch)
    assert batch(codes, account, period, None) == {
        f.code: f.value(account, period) for f in figures
    }
    children = [city.station_a, city.station_b]
    apart = batch(codes, account, period, None, children=children)
    for child in children:
        for f in figures:
            assert apart[child.pk][f.code] == f.value(account, period, child), (f.code, child)
    if user != "edu_officer":
        assert any(apart[c.pk][code] for c in children for code in codes)  # not all zero
