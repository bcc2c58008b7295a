"""Each preparedness figure is the number of rows of the list it opens (page and .xlsx export),
counted the same in one read (the module's batch) and per figure; the mean and the rate are the
readings of the timed drills' list."""

import datetime as dt

import pytest

from huxiao.core.modules import Period
from huxiao.preparedness import figures as prep_figures
from huxiao.preparedness import selectors
from huxiao.preparedness.choices import DrillState
from tests.figures_support import export_rows, module_figures
from tests.preparedness.conftest import held, missed, plan, planned, today

pytestmark = pytest.mark.django_db

DRILL_CODES = [
    "preparedness.drills_planned",
    "preparedness.drills_missed",
    "preparedness.drills_held",
    "preparedness.evacuation_mean",
    "preparedness.evacuation_met_rate",
]


@pytest.fixture
def records(schools, people):
    a, b = schools  # primary (180 s), junior (120 s)
    plan(a, approved_on=today() - dt.timedelta(days=400))
    plan(a)
    plan(b, approved_on=today() - dt.timedelta(days=366))
    planned(a)
    planned(b)
    missed(a)
    held(a, seconds=170)
    held(a, seconds=200)
    held(b, seconds=100)


@pytest.mark.parametrize("who", ["commander", "officer_a", "officer_b", "edu_officer", "chief"])
def test_each_figure_is_its_lists_rows(records, people, client_for, who):
    user = getattr(people, who)
    period = Period(today() - dt.timedelta(days=30), today() + dt.timedelta(days=30))
    client = client_for(who)
    found = {}
    for figure in module_figures("preparedness"):
        assert figure.visible_to(user), (who, figure.code)
        value = figure.value(user, period)
        found[figure.code] = value
        if figure.measure == "count":
            assert export_rows(client, figure.url(period)) == value, (who, figure.code)
    batch = prep_figures.drills_batch(DRILL_CODES, user, period)
    assert batch == {c: found[c] for c in DRILL_CODES}
    # the mean and the rate: the readings of the timed list, the rate's numerator its met list
    timed = prep_figures._timed(user, period)
    assert client.get(prep_figures.evacuation_mean_url(period)).status_code == 200
    if timed.exists():
        met = export_rows(client, prep_figures.evacuation_met_url(period))
        assert found["preparedness.evacuation_met_rate"] == round(met * 100 / timed.count(), 1)
    if who == "commander":
        assert found["preparedness.plans_due"] == 2
        assert found["preparedness.drills_planned"] == 3
        assert found["preparedness.drills_missed"] == 1
        assert found["preparedness.drills_held"] == 3
        assert found["preparedness.schools_without_drill"] == 0
        assert found["preparedness.evacuation_mean"] == 156.7
        assert found["preparedness.evacuation_met_rate"] == 66.7
    if who == "officer_b":
        assert found["preparedness.drills_held"] == 1
        assert found["preparedness.evacuation_met_rate"] == 100.0


def test_the_batch_breaks_down_by_child(records, people, city):
    user = people.commander
    period = Period(today() - dt.timedelta(days=30), today())
    children = [city.station_a, city.station_b]
    got = prep_figures.drills_batch(DRILL_CODES, user, period, children=children)
    for child in children:
        assert got[child.pk] == prep_figures.drills_batch(DRILL_CODES, user, period, org=child)


def test_a_school_without_a_held_drill_is_counted(schools, people):
    planned(schools[1])
    held(schools[0])
    period = Period(today() - dt.timedelta(days=7), today())
    assert prep_figures.undrilled(people.commander, period) == 1
    assert [s.pk for s in prep_figures.undrilled_rows(people.commander, period)] == [schools[1].pk]
    assert not selectors.drill_list(user=people.outsider).filter(state=DrillState.HELD).exists()
