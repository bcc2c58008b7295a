"""The same seed builds the same city; another seed scatters it differently."""

from huxiao.core.models import Organization, User
from huxiao.demo import data
from huxiao.demo.generator import DemoContext, registered_steps, seed_demo
from huxiao.demo.organizations import plan_organizations
from tests import dbsnapshot
from tests.transactions import rolled_back

PASSWORD = "Demo#Seed2026"
LOGINS = {d.username for d in data.DEMO_LOGINS}


def plan(seed):
    return plan_organizations(DemoContext(seed=seed, password=PASSWORD).rng_for("organizations"))


def snapshot():
    orgs = Organization.objects.select_related("parent", "education_bureau").order_by("code")
    return {
        "orgs": [
            (
                o.code,
                o.kind,
                o.name,
                o.short_name,
                o.division_code,
                o.address,
                o.latitude,
                o.longitude,
                o.parent.code if o.parent else None,
                o.education_bureau.code if o.education_bureau else None,
            )
            for o in orgs
        ],
        "users": sorted(
            User.objects.values_list("username", "full_name", "organization__code", "role__code")
        ),
        "phones": sorted(u.phone for u in User.objects.all()),
        "login_phones": sorted(
            User.objects.filter(username__in=LOGINS).values_list("username", "phone")
        ),
    }


def seeded_snapshot(seed, steps=None):
    with rolled_back():
        seed_demo(seed=seed, password=PASSWORD, steps=steps)
        taken = snapshot()
    return taken


def test_it_plans_the_same_city_for_the_same_seed():
    assert plan(2026) == plan(2026)
    assert len(plan(2026)) == 120


def test_it_plans_other_coordinates_for_another_seed():
    first, second = plan(2026), plan(2027)
    assert [s.code for s in first] == [s.code for s in second]
    assert [s.name for s in first] == [s.name for s in second]
    assert [(s.latitude, s.longitude) for s in first] != [(s.latitude, s.longitude) for s in second]


def test_it_writes_the_same_city_twice_from_the_same_seed(demo_snapshot, db):
    # The run's shared demo city (seed 2026) is the first writing; the second is fresh.
    with dbsnapshot.restored(demo_snapshot):
        first = snapshot()
    assert not Organization.objects.exists()
    second = seeded_snapshot(2026)
    assert first == second
    # The nine demo logins, besides the patrols step's duty accounts (值守账号, no sign-in).
    logins = [u for u in first["users"] if u[0] in LOGINS]
    assert len(first["orgs"]) == 120 and len(logins) == 10
    # Another seed: the organisations and logins steps are enough to scatter it differently.
    other = seeded_snapshot(
        8, steps=[s for s in registered_steps() if s.name in ("organizations", "users")]
    )
    assert [o[:3] for o in other["orgs"]] == [o[:3] for o in first["orgs"]]
    assert other["orgs"] != first["orgs"]
    assert [u for u, _ in other["login_phones"]] == [u for u, _ in first["login_phones"]]
    assert other["login_phones"] != first["login_phones"]


def test_it_writes_what_it_planned(demo):
    stored = {o.code: o for o in Organization.objects.all()}
    for spec in plan(2026):
        org = stored[spec.code]
        assert (org.name, org.latitude, org.longitude, org.address) == (
            spec.name,
            spec.latitude,
            spec.longitude,
            spec.address,
        )


def test_it_gives_every_step_its_own_generator():
    names = [step.name for step in registered_steps()]
    assert len(names) == len(set(names))
    ctx = DemoContext(seed=1, password=PASSWORD)
    assert ctx.rng_for("a").random() == DemoContext(seed=1, password=PASSWORD).rng_for("a").random()
    assert ctx.rng_for("a").random() != ctx.rng_for("b").random()
