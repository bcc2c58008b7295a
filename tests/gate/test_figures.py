"""Each gate figure is the number of rows of the list it opens (page and .xlsx export), counted
the same in one read (the module's batch) and per figure."""

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.core.modules import Period
from huxiao.gate import figures as gate_figures
from huxiao.gate import services
from huxiao.gate.choices import PassKind, SeizedFrom, SeizureCategory
from tests.figures_support import export_rows, module_figures
from tests.gate.conftest import ban, new_id, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(schools, people, city, monkeypatch):
    a, b = schools
    ident = new_id()
    ban(city.sub_bureau, people.commander, ident)
    for school in (a, b):
        visit(school, people.chief)
        visit(school, people.chief, id_number=ident)
    for category in (
        SeizureCategory.DAGGER,
        SeizureCategory.REPLICA_GUN,
        SeizureCategory.FLAMMABLE,
    ):
        services.seizure_record(
            school=a,
            actor=people.chief,
            category=category,
            description="物品",
            seized_from=SeizedFrom.STUDENT,
        )
    today = timezone.localdate()
    services.pass_issue(
        school=a,
        actor=people.chief,
        kind=PassKind.STAFF,
        number="J9",
        holder="某",
        valid_from=today,
        valid_until=today + dt.timedelta(days=3),
    )
    monkeypatch.setattr(
        "huxiao.persons.watchlist.watchlist_lookup", lambda **k: (_ for _ in ()).throw(OSError())
    )
    visit(a, people.chief)


@pytest.mark.parametrize("who", ["commander", "officer_a", "officer_b", "edu_officer", "chief"])
def test_each_figure_is_its_lists_rows(records, people, client_for, who):
    user = getattr(people, who)
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=7), today)
    client = client_for(who)
    found = {}
    for figure in module_figures("gate"):
        if not figure.visible_to(user):
            continue
        value = figure.value(user, period)
        found[figure.code] = value
        assert export_rows(client, figure.url(period)) == value, (who, figure.code)
    if found:
        batch = gate_figures.visits_batch(
            list(gate_figures.VISIT_COUNTS), user, period
        ) | gate_figures.seizures_batch(list(gate_figures.SEIZURE_COUNTS), user, period)
        assert {c: v for c, v in batch.items() if c in found} == {
            c: v for c, v in found.items() if c in batch
        }
    if who == "commander":
        assert found["gate.visits"] == 5 and found["gate.ban_hits"] == 2
        assert found["gate.unmade"] == 1 and found["gate.held"] == 3
        assert found["gate.seizures"] == 3 and found["gate.seizures_knife"] == 1
        assert found["gate.passes"] == 1
    if who == "officer_b":
        assert found["gate.visits"] == 2 and found["gate.seizures"] == 0
