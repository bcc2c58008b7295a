"""Issue 21's acceptance for roles: a security administrator creates "社区民警（只读）" with a
custom scope of three stations, a second one approves granting it, and its holder sees exactly
those stations' schools, not a fourth's (system:role_create, system:grant_create,
system:grant_decide)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Notification, Role, RoleGrant
from huxiao.schools import services as school_services
from huxiao.schools.models import School
from tests.conftest import make_user
from tests.system.roles_support import admin_user, client_of, role_post


@pytest.fixture
def stations(city):
    """Four stations of the sub-bureau (the harness's two and two more), one school under each."""
    made = [city.station_a, city.station_b]
    for letter in "CD":
        made.append(
            core_services.organization_create(
                kind=OrgKind.STATION, name=f"{letter}派出所", code=f"T-STA-{letter}",
                division_code="530111", parent=city.sub_bureau,
            )
        )  # fmt: skip
    schools = {}
    for i, station in enumerate(made):
        org = (
            city.school_a if i == 0 else city.school_b if i == 1
            else core_services.organization_create(
                kind=OrgKind.SCHOOL, name=f"第{i}小学", code=f"T-SCH-{i}", division_code="530111",
                parent=station, education_bureau=city.edu_a,
            )
        )  # fmt: skip
        schools[station.pk] = school_services.school_register(
            organization=org, school_code=f"53011100{i}9", level="primary", locality="urban",
            students=300, staff=30, closed_management=True,
        )  # fmt: skip
    return made, schools


def test_it_creates_a_custom_scope_role_whose_holder_sees_exactly_its_stations(people, stations):
    made, schools = stations
    secadmin = admin_user("secadmin_a", people.admin.organization)
    secadmin2 = admin_user("secadmin_b", people.admin.organization)
    chosen, left_out = made[:3], made[3]
    page = client_of(secadmin).post(
        reverse("system:role_create"),
        role_post(
            code="community_readonly", name="社区民警（只读）", data_scope="custom",
            permissions=["core.view_organization", "schools.view_school"], scope=chosen,
            is_police=True, second_factor=True,
        ),
    )  # fmt: skip
    assert page.status_code == 302, page.content.decode()[:2000]
    role = Role.objects.get(code="community_readonly")
    assert role.name == "社区民警（只读）" and role.data_scope == "custom"
    assert set(role.scope_organizations.all()) == set(chosen)
    assert role.permissions == ["core.view_organization", "schools.view_school"]
    assert not role.is_builtin and role.is_police

    # The role reads police data: granting it waits for a second security administrator.
    holder = make_user("community_1", left_out, "volunteer")
    asked = client_of(secadmin).post(
        reverse("system:grant_create"),
        {"username": holder.username, "role": role.pk, "reason": "社区警务"},
    )
    assert asked.status_code == 302
    grant = RoleGrant.objects.get(user=holder)
    holder.refresh_from_db()
    assert grant.state == RoleGrant.State.PENDING and holder.role.code == "volunteer"
    assert Notification.objects.filter(recipient=people.auditor, title="角色授予待批准").exists()
    # The one who asked cannot approve, on the page either.
    refused = client_of(secadmin).post(
        reverse("system:grant_decide", args=[grant.pk]), {"decision": "approve"}
    )
    assert refused.status_code == 409 and "另一名安全管理员" in refused.content.decode()
    grant.refresh_from_db()
    assert grant.state == RoleGrant.State.PENDING
    approved = client_of(secadmin2).post(
        reverse("system:grant_decide", args=[grant.pk]), {"decision": "approve"}
    )
    assert approved.status_code == 302
    holder.refresh_from_db()
    assert holder.role == role

    seen = set(School.objects.visible_to(holder))
    assert seen == {schools[s.pk] for s in chosen}
    assert schools[left_out.pk] not in seen
    # And the pages agree: the school list shows the three, not the fourth.
    listing = client_of(holder).get(reverse("schools:school_list"))
    assert listing.status_code == 200
    body = listing.content.decode()
    for station in chosen:
        assert schools[station.pk].organization.name in body
    assert schools[left_out.pk].organization.name not in body
