"""The schools module's figures count exactly the schools their list opens, for users of
different jurisdictions (issue 12: figures registered for the dashboard and the work report)."""

from __future__ import annotations

import pytest

from huxiao.schools import rules
from tests.figures_support import PERIOD, export_rows, module_figures
from tests.schools.test_pages_support import grant_school_permissions

USERS = ("officer_a", "officer_b", "commander", "edu_officer")


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def test_every_rule_has_its_figure_and_each_reads_in_chinese():
    codes = {f.code for f in module_figures("schools")}
    assert codes == {"schools.schools", *(f"schools.failing_{c}" for c in rules.RULE_CODES)}
    for figure in module_figures("schools"):
        assert str(figure.definition) and not str(figure.label).isascii()
        assert figure.url(PERIOD).startswith("/schools/")


@pytest.mark.parametrize("user", USERS)
def test_each_figure_equals_the_rows_its_list_exports(pages, people, user):
    client = pages(user)
    person = getattr(people, user)
    seen = {}
    for figure in module_figures("schools"):
        value = figure.value(person, PERIOD)
        assert value == export_rows(client, figure.url(PERIOD)), (user, figure.code)
        seen[figure.code] = value
    # The fixtures' schools: school_a fails staffing (1,200 students, 2 guards).
    assert seen["schools.schools"] >= 1
    if user in ("officer_a", "edu_officer"):
        assert seen["schools.failing_staffing"] == 1


def test_a_station_sees_its_own_schools_only(pages, people):
    figure = next(f for f in module_figures("schools") if f.code == "schools.schools")
    a = figure.value(people.officer_a, PERIOD)
    b = figure.value(people.officer_b, PERIOD)
    assert a == b == 1 and figure.value(people.commander, PERIOD) == a + b
