"""The persons module's figures count exactly the records their list opens, for police of
two stations, and nothing for anyone else (issue 12: registered figures)."""

from __future__ import annotations

import pytest

from huxiao.persons import services
from tests.figures_support import PERIOD, export_rows, module_figures
from tests.persons.conftest import TODAY


@pytest.fixture
def records(person_a, person_b, schools, people):
    services.dispute_create(
        school=schools[0],
        kind="home_school",
        parties="家长测试某",
        summary="赔偿纠纷",
        responsible_kind="school",
        threat_of_revenge=False,
        actor=people.officer_a,
        registered_on=TODAY,
    )
    return person_a, person_b


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "commander"])
def test_each_figure_equals_the_rows_its_list_exports(client_for, people, records, user):
    client = client_for(user)
    person = getattr(people, user)
    for figure in module_figures("persons"):
        assert figure.visible_to(person)
        value = figure.value(person, PERIOD)
        assert value == export_rows(client, figure.url(PERIOD)), (user, figure.code)


def test_each_station_counts_its_own_and_the_commander_both(people, records):
    figure = next(f for f in module_figures("persons") if f.code == "persons.in_control")
    a = figure.value(people.officer_a, PERIOD)
    b = figure.value(people.officer_b, PERIOD)
    assert a == b == 1 and figure.value(people.commander, PERIOD) == 2


@pytest.mark.parametrize("user", ["edu_officer", "chief", "guard", "auditor", "admin"])
def test_nobody_but_police_sees_or_counts_them(people, records, user):
    person = getattr(people, user)
    for figure in module_figures("persons"):
        assert not figure.visible_to(person) or figure.value(person, PERIOD) == 0
        assert figure.value(person, PERIOD) == 0
