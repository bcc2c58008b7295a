"""用户管理's rules: scope (a unit administrator acts only inside its subtree), which roles an
administrator may give, and police roles requested, not given (三权分立, 等保2.0 level 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huxiao.core.models import Notification, Role, RoleGrant, User
from huxiao.system import rules
from huxiao.system.services import users as services
from tests.conftest import make_user
from tests.system.users_support import Admins, make_admins, signed_in


@pytest.fixture
def admins(city, people) -> Admins:
    return make_admins(city, people)


def codes(actor) -> set[str]:
    return set(rules.assignable_roles(actor).values_list("code", flat=True))


def test_it_offers_no_separated_role_and_org_admin_only_to_the_system_administrator(people, admins):
    for actor in (people.admin, admins.unit_admin):
        assert not codes(actor) & {"sysadmin", "secadmin", "auditor"}
        assert {"officer", "school_security_chief", "gate_guard"} <= codes(actor)
    assert "org_admin" in codes(people.admin)
    assert "org_admin" not in codes(admins.unit_admin)


def test_it_never_offers_a_retired_role(people):
    Role.objects.filter(code="volunteer").update(is_active=False)
    assert "volunteer" not in codes(people.admin)


def test_a_unit_administrator_cannot_see_another_sub_bureaus_users(people, admins):
    other = make_user("east_officer", admins.east_station, "officer")
    client = signed_in(admins.unit_admin)
    listed = client.get(reverse("system:user_list")).content.decode()
    assert "officer_a" in listed and "east_officer" not in listed
    for name in ("system:user_detail", "system:user_edit", "system:user_reset_password",
                 "system:user_toggle", "system:user_unlock"):  # fmt: skip
        missing = client.get(reverse(name, args=[999_999]))
        out = client.get(reverse(name, args=[other.pk]))
        assert out.status_code == missing.status_code == 404, name
    assert client.post(reverse("system:user_reset_password", args=[other.pk])).status_code == 404
    assert client.post(reverse("system:user_toggle", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_a_unit_administrator_cannot_create_or_move_users_outside_its_subtree(people, admins):
    actor = admins.unit_admin
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=actor, username="x1", full_name="甲", organization=admins.east)
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError):  # above its subtree
        services.user_create(
            actor=actor, username="x2", full_name="乙", organization=people.admin.organization
        )
    with pytest.raises(ValidationError):
        services.user_update(
            actor=actor, user=people.officer_a, full_name="甲", phone="", police_number="",
            organization=admins.east_station,
        )  # fmt: skip
    # the page offers only its subtree, and refuses a forged choice
    client = signed_in(actor)
    page = client.get(reverse("system:user_create")).content.decode()
    assert "甲派出所" in page and "东区派出所" not in page
    response = client.post(
        reverse("system:user_create"),
        {"username": "x3", "full_name": "丙", "organization": admins.east_station.pk},
    )
    assert response.status_code == 400
    assert "不在您的管理范围内" in response.content.decode()
    assert not User.objects.filter(username__in=["x1", "x2", "x3"]).exists()


def test_a_unit_administrator_cannot_give_org_admin(city, admins):
    org_admin = Role.objects.get(code="org_admin")
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            actor=admins.unit_admin, username="y1", full_name="甲",
            organization=city.station_a, role=org_admin,
        )  # fmt: skip
    assert "role" in exc.value.message_dict
    response = signed_in(admins.unit_admin).post(
        reverse("system:user_create"),
        {"username": "y1", "full_name": "甲", "organization": city.station_a.pk,
         "role": org_admin.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert not User.objects.filter(username="y1").exists()


def test_the_system_administrator_makes_a_unit_administrator(people, admins):
    made = services.user_create(
        actor=people.admin, username="county_admin", full_name="县管理员",
        organization=admins.east, role=Role.objects.get(code="org_admin"),
    )  # fmt: skip
    assert made.user.role.code == "org_admin" and made.grant is None
    assert made.user.must_change_password


def test_a_police_role_is_requested_not_given(city, people, admins):
    officer = Role.objects.get(code="officer")
    made = services.user_create(
        actor=admins.unit_admin, username="new_cop", full_name="新民警",
        organization=city.station_a, role=officer,
    )  # fmt: skip
    made.user.refresh_from_db()
    assert made.user.role is None
    grant = RoleGrant.objects.get(user=made.user)
    assert grant.state == RoleGrant.State.PENDING and grant.role == officer
    assert grant.requested_by == admins.unit_admin and grant.reason == "新建账号时申请"
    # the security administrators and the auditors are told
    told = set(Notification.objects.filter(title="角色授予待批准").values_list(
        "recipient__username", flat=True))  # fmt: skip
    assert {"secadmin", "secadmin2", "auditor"} <= told
    # a security administrator approves it: then the role applies
    from huxiao.core.services import role_grant_decide

    role_grant_decide(grant=grant, approve=True, actor=admins.secadmin)
    made.user.refresh_from_db()
    assert made.user.role == officer


def test_a_non_police_role_is_given_at_once(city, admins):
    # core.services.reads_police_data: a police role, or one reading persons records (the
    # watch-list match of the school and gate roles reads no identity: not police data).
    made = services.user_create(
        actor=admins.unit_admin, username="helper", full_name="志愿者",
        organization=city.station_a, role=Role.objects.get(code="volunteer"),
    )  # fmt: skip
    assert made.user.role.code == "volunteer" and made.grant is None
    assert not RoleGrant.objects.filter(user=made.user).exists()


def test_a_unit_administrator_cannot_take_over_an_administrator_in_its_subtree(city, admins):
    peer = make_user("peer_admin", city.station_a, "org_admin")
    with pytest.raises(PermissionDenied):
        services.user_reset_password(actor=admins.unit_admin, user=peer)
    response = signed_in(admins.unit_admin).post(
        reverse("system:user_reset_password", args=[peer.pk])
    )
    assert response.status_code == 403


def test_nobody_disables_themselves(people):
    with pytest.raises(ValidationError):
        services.user_set_active(actor=people.admin, user=people.admin, active=False)
    people.admin.refresh_from_db()
    assert people.admin.is_active


def test_the_one_time_password_satisfies_the_validators():
    from django.contrib.auth.password_validation import validate_password

    for _i in range(50):
        validate_password(services.one_time_password(User(username="abc")))
