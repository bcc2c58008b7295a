"""Running ``huxiao seed demo`` again reuses the city and only resets demo passwords."""

import datetime as dt

from huxiao.core import services
from huxiao.core.models import AuditRecord, Organization, User
from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo
from tests.demo.conftest import sign_in


def test_it_creates_nothing_on_a_second_run(demo):
    before = (Organization.objects.count(), User.objects.count(), AuditRecord.objects.count())
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    assert result.created_total == 0
    assert result.existing["学校"] == 81 and result.existing["用户"] == 10
    # Not even an audit record: nothing was written.
    assert (
        Organization.objects.count(),
        User.objects.count(),
        AuditRecord.objects.count(),
    ) == before
    assert "本次新建：无" in result.summary()


def test_it_reuses_the_city_seeded_on_another_day(demo):
    """A later run (the campaigns' names follow the day) finds the city and writes nothing."""
    before = AuditRecord.objects.count()
    later = demo.result.today + dt.timedelta(days=200)
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD, today=later)
    assert result.today == later and result.created_total == 0
    assert result.existing["专项行动"] == 2 and result.existing["护学岗"] == 81
    assert AuditRecord.objects.count() == before


def test_it_reuses_the_city_whatever_the_seed(demo):
    result = seed_demo(seed=99, password=DEFAULT_PASSWORD)
    assert result.created_total == 0
    assert Organization.objects.count() == 120


def test_it_resets_a_changed_demo_password(demo):
    services.user_change_password(user=demo.user("officer01"), new_password="Changed#2027pw")
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    statuses = {login.username: status for login, _, status in result.logins}
    assert statuses["officer01"] == "已重置密码" and statuses["officer02"] == "已存在"
    assert sign_in("officer01", DEFAULT_PASSWORD) is not None


def test_it_sets_another_password_on_request(demo):
    seed_demo(seed=2026, password="Other#Pass2026")
    assert sign_in("guard01", "Other#Pass2026") is not None
    assert sign_in("guard01", DEFAULT_PASSWORD) is None


def test_it_recreates_a_missing_demo_user_only(demo):
    User.objects.filter(username="volunteer01").delete()
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    assert dict(result.created) == {"用户": 1}
    assert demo.user("volunteer01").organization.code == "PZH-PS-01"
