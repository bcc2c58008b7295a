"""Demo step "persons": fake but valid people across the stations, 318 screened in the spring
campaign, a due review for officer01, the showcase a visitor at guard01's gate matches."""

from django.db import connection

from huxiao.core.validators import id_number_problem
from huxiao.core.worklist import items_for
from huxiao.demo.generator import DEFAULT_PASSWORD, DemoContext
from huxiao.demo.persons import SCREENED_TOTAL, SHOWCASE_ID, plan_persons
from huxiao.persons import selectors
from huxiao.persons.models import Dispute, KeyPerson
from huxiao.persons.watchlist import watchlist_match
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)


def plan(seed):
    return plan_persons(DemoContext(seed=seed, password=DEFAULT_PASSWORD).rng_for("persons"))


def test_the_plan_is_deterministic_fake_and_valid():
    persons, screening = plan(2026)
    assert (persons, screening) == plan(2026)
    assert sum(b.screened for b in screening) == SCREENED_TOTAL
    for p in persons:
        assert p.fields["name"].startswith("测试")
        assert p.fields["id_number"].startswith("5104")
        assert id_number_problem(p.fields["id_number"]) is None
    assert len({p.fields["id_number"] for p in persons}) == len(persons)


def test_the_seeded_city_has_key_persons_and_disputes_across_stations(demo):  # noqa: F811
    assert KeyPerson.objects.values("station").distinct().count() == 26
    assert Dispute.objects.values("station").distinct().count() > 10
    threat = Dispute.objects.get(threat_of_revenge=True)
    assert threat.key_person.id_number == SHOWCASE_ID
    commander = demo.user("commander")
    assert selectors.screening_totals(user=commander)["screened"] == 318
    assert not selectors.key_person_list(user=demo.user("edu01")).exists()


def test_officer01_has_a_review_in_my_tasks(demo):  # noqa: F811
    titles = [i.title for i in items_for(demo.user("officer01")) if i.kind == "key_person_review"]
    assert "测试甲某01" in titles


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
