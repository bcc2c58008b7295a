"""角色授予 in the product's pages (三权分立): a request, applied at once or pending a second
security administrator; the list with the pending first; users out of the actor's scope answer
404 (system:grant_list, system:grant_export, system:grant_create, system:grant_decide)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.core import services as core_services
from huxiao.core.models import Role, RoleGrant
from huxiao.system.services import roles as role_services
from tests.system.roles_support import admin_user, client_of


@pytest.fixture
def secadmin(people):
    return admin_user("secadmin_a", people.admin.organization)


@pytest.fixture
def secadmin2(people):
    return admin_user("secadmin_b", people.admin.organization)


@pytest.fixture
def local_secadmin(secadmin, city):
    """A security administrator of station 01's subtree only."""
    role_services.role_create(
        actor=secadmin, code="local_secadmin", name="派出所安全管理员", data_scope="subtree",
        permissions=["core.view_role", "core.view_rolegrant", "core.add_rolegrant",
                     "core.change_rolegrant"],
    )  # fmt: skip
    return admin_user("local_sec", city.station_a, code="local_secadmin")


def test_a_role_without_police_data_is_applied_at_once(secadmin, people):
    client = client_of(secadmin)
    form = client.get(reverse("system:grant_create"), {"user": people.chief.pk})
    assert form.status_code == 200 and form.context["form"].initial["username"] == "chief"
    page = client.post(
        reverse("system:grant_create"),
        {
            "username": "chief",
            "role": Role.objects.get(code="education_officer").pk,
            "reason": "调岗",
        },
    )
    assert page.status_code == 302
    people.chief.refresh_from_db()
    assert people.chief.role.code == "education_officer"
    assert RoleGrant.objects.get(user=people.chief).state == RoleGrant.State.APPLIED


def test_a_police_role_stays_pending_until_a_second_administrator_decides(
    secadmin, secadmin2, people
):
    commander = Role.objects.get(code="commander")
    client = client_of(secadmin)
    client.post(
        reverse("system:grant_create"),
        {"username": "edu_officer", "role": commander.pk, "reason": "借调公安"},
    )
    grant = RoleGrant.objects.get(user=people.edu_officer)
    assert grant.state == RoleGrant.State.PENDING
    # The requester's page offers no approval, and a posted one is refused.
    mine = client.get(reverse("system:grant_decide", args=[grant.pk]))
    assert 'data-testid="grant-approve"' not in mine.content.decode()
    assert (
        client.post(
            reverse("system:grant_decide", args=[grant.pk]), {"decision": "approve"}
        ).status_code
        == 409
    )
    people.edu_officer.refresh_from_db()
    assert people.edu_officer.role.code == "education_officer"
    second = client_of(secadmin2)
    assert (
        second.post(
            reverse("system:grant_decide", args=[grant.pk]), {"decision": "maybe"}
        ).status_code
        == 400
    )
    assert (
        second.post(
            reverse("system:grant_decide", args=[grant.pk]), {"decision": "refuse"}
        ).status_code
        == 302
    )
    grant.refresh_from_db()
    people.edu_officer.refresh_from_db()
    assert grant.state == RoleGrant.State.REFUSED and grant.decided_by == secadmin2
    assert people.edu_officer.role.code == "education_officer"
    again = second.post(reverse("system:grant_decide", args=[grant.pk]), {"decision": "approve"})
    assert again.status_code == 409 and "已处理" in again.content.decode()


def test_the_list_shows_the_pending_first_and_filters_by_state(secadmin, people):
    core_services.role_grant_request(
        user=people.chief, role=Role.objects.get(code="education_officer"), reason="调岗",
        actor=secadmin,
    )  # fmt: skip
    pending = core_services.role_grant_request(
        user=people.edu_officer, role=Role.objects.get(code="officer"), reason="借调",
        actor=secadmin,
    )  # fmt: skip
    core_services.role_grant_request(
        user=people.guard, role=Role.objects.get(code="volunteer"), reason="转志愿者",
        actor=secadmin,
    )  # fmt: skip
    client = client_of(secadmin)
    page = client.get(reverse("system:grant_list"))
    rows = list(page.context["page_obj"])
    assert rows[0] == pending and len(rows) == 3
    only = client.get(reverse("system:grant_list"), {"state": "applied"})
    assert {g.user.username for g in only.context["page_obj"]} == {"chief", "guard"}
    export = client.get(reverse("system:grant_export"), {"state": "pending"})
    assert export.status_code == 200


def test_nobody_asks_a_role_for_themselves(secadmin):
    page = client_of(secadmin).post(
        reverse("system:grant_create"),
        {"username": secadmin.username, "role": Role.objects.get(code="commander").pk,
         "reason": "自批"},
    )  # fmt: skip
    assert page.status_code == 400 and "不能为自己授予角色" in page.content.decode()
    assert not RoleGrant.objects.exists()


def test_users_out_of_scope_answer_404(local_secadmin, secadmin, people):
    client = client_of(local_secadmin)
    volunteer = Role.objects.get(code="volunteer")
    assert (
        client.get(reverse("system:grant_create"), {"user": people.officer_b.pk}).status_code == 404
    )
    assert client.get(reverse("system:grant_create"), {"user": 999999}).status_code == 404
    assert client.get(reverse("system:grant_create"), {"user": people.guard.pk}).status_code == 200
    named = client.post(
        reverse("system:grant_create"),
        {"username": "officer_b", "role": volunteer.pk, "reason": "越权"},
    )
    assert named.status_code == 400 and "数据范围内没有该用户" in named.content.decode()
    theirs = core_services.role_grant_request(
        user=people.officer_b, role=Role.objects.get(code="commander"), reason="提拔",
        actor=secadmin,
    )  # fmt: skip
    decide = reverse("system:grant_decide", args=[theirs.pk])
    assert client.get(decide).status_code == 404
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert client.get(reverse("system:grant_decide", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == RoleGrant.State.PENDING
    listed = client.get(reverse("system:grant_list"))
    assert theirs not in list(listed.context["page_obj"])


def test_the_system_administrator_and_the_auditor_cannot_grant(client_for, people):
    for name in ("admin", "auditor", "officer_a"):
        client = client_for(name)
        for url in ("system:grant_list", "system:grant_create", "system:grant_export"):
            assert client.get(reverse(url)).status_code == 403, (name, url)
