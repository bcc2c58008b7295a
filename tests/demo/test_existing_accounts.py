"""The generator never touches a real account that happens to have a demo username."""

import pytest
from django.core.management.base import CommandError

from huxiao.core.models import Role, User
from huxiao.demo.generator import DEFAULT_PASSWORD, registered_steps, seed_demo
from tests.conftest import PASSWORD, make_user


def test_it_leaves_a_non_demo_admin_alone(db):
    from huxiao.core.roles import ensure_default_roles

    ensure_default_roles()
    make_user("admin", None, "sysadmin")
    # Accounts are the users step's; no later step acts as or on admin (grep the demo steps).
    steps = [s for s in registered_steps() if s.name in ("organizations", "users")]
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD, steps=steps)
    admin = User.objects.get(username="admin")
    assert not admin.is_demo and admin.check_password(PASSWORD) and admin.organization is None
    assert any("admin" in note for note in result.notes)
    assert "注意：" in result.summary()
    # Eight demo logins besides admin (the patrols step's duty accounts cannot sign in).
    assert sum(u.has_usable_password() for u in User.objects.filter(is_demo=True)) == 9
    assert Role.objects.filter(code="sysadmin").exists()


def test_it_refuses_a_password_that_breaks_the_policy(db):
    with pytest.raises(CommandError, match="密码策略"):
        seed_demo(seed=2026, password="short")
    assert not User.objects.exists()
