"""Demo step "persons": fake but valid people across the stations, 318 screened in the spring
campaign (counted from the persons each station's batch lists), a due review for officer01,
the showcase a visitor at guard01's gate matches."""

from django.db import connection

from huxiao.core import modules
from huxiao.core.validators import id_number_problem
from huxiao.core.worklist import items_for
from huxiao.demo.generator import DEFAULT_PASSWORD, DemoContext
from huxiao.demo.persons import SCREENED_TOTAL, SHOWCASE_ID, SHOWCASE_NAME, plan_persons
from huxiao.persons import selectors
from huxiao.persons.models import Dispute, KeyPerson, ScreeningBatch, ScreeningEntry
from huxiao.persons.watchlist import watchlist_match
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)


def plan(seed):
    return plan_persons(DemoContext(seed=seed, password=DEFAULT_PASSWORD).rng_for("persons"))


def test_the_plan_is_deterministic_fake_and_valid():
    persons, screening = plan(2026)
    assert (persons, screening) == plan(2026)
    assert sum(b.screened for b in screening) == SCREENED_TOTAL
    # Each station's batch lists every person planned for it, new listings and removals too.
    for batch in screening:
        mine = [p for p in persons if p.station == batch.station]
        assert len(mine) == batch.screened
        assert sum(p.screening == "listed" for p in mine) == batch.newly_listed
        assert sum(p.screening == "removed" for p in mine) == batch.removed
    for p in persons:
        # A realistic three-character name, never the old "测试甲某01" placeholder; what makes
        # the person fictional is the ID number (sequence 9xx), the phone and the address.
        assert len(p.fields["name"]) == 3 and "测试" not in p.fields["name"]
        assert "某" not in p.fields["name"]
        assert p.fields["id_number"].startswith("5104")
        assert int(p.fields["id_number"][14:17]) >= 900
        assert id_number_problem(p.fields["id_number"]) is None
    assert len({p.fields["id_number"] for p in persons}) == len(persons)
    assert len({p.fields["name"] for p in persons}) == len(persons)


def test_the_seeded_city_has_key_persons_and_disputes_across_stations(demo):  # noqa: F811
    assert KeyPerson.objects.values("station").distinct().count() == 26
    assert Dispute.objects.values("station").distinct().count() > 10
    threat = Dispute.objects.get(threat_of_revenge=True)
    assert threat.key_person.id_number == SHOWCASE_ID
    commander = demo.user("commander")
    assert selectors.screening_totals(user=commander)["screened"] == 318
    assert not selectors.key_person_list(user=demo.user("edu01")).exists()


def test_the_campaigns_318_are_counted_from_the_persons_listed(demo):  # noqa: F811
    """Seed 004's "已排查重点人员318人": one batch per station listing every key person of it; the
    figure, the list's sum and the entries agree; the removals were revoked."""
    batches = ScreeningBatch.objects.all()
    assert batches.count() == 26 and not batches.filter(imported=True).exists()
    assert ScreeningEntry.objects.count() == 318 == KeyPerson.objects.count()
    for batch in batches:
        assert batch.screened == batch.entries.count() > 0
        assert batch.newly_listed == batch.entries.filter(outcome="listed").count()
    removed = ScreeningEntry.objects.filter(outcome="removed")
    listed = ScreeningEntry.objects.filter(outcome="listed")
    assert removed.exists() and listed.exists()
    assert all(e.person.status == "revoked" for e in removed)
    start, end = batches.values_list("period_start", "period_end").distinct().get()
    assert all(start <= e.person.listed_on <= end for e in listed)
    figure = next(f for f in modules.figures() if f.code == "persons.screened")
    period = modules.Period(start, end)
    assert figure.value(demo.user("commander"), period) == 318
    officer = demo.user("officer01")
    own = ScreeningBatch.objects.get(organization=officer.organization)
    assert figure.value(officer, period) == own.screened < 318


def test_officer01_has_a_review_in_my_tasks(demo):  # noqa: F811
    titles = [i.title for i in items_for(demo.user("officer01")) if i.kind == "key_person_review"]
    assert SHOWCASE_NAME in titles


def test_the_showcase_matches_at_guard01s_gate(demo):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    guard = demo.user("guard01")
    result = watchlist_match(actor=guard, id_number=SHOWCASE_ID, school=guard.organization.school)
    assert result.matched and result.alert_raised and result.person_id is None


def test_no_identity_is_stored_in_clear(demo):  # noqa: F811
    if connection.vendor != "sqlite":
        return
    dump = "\n".join(connection.connection.iterdump())
    assert SHOWCASE_ID not in dump and "演示路" not in dump
