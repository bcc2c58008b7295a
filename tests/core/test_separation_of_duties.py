"""Separation of duties, 三权分立 (issue 13, item 2).

The system administrator keeps organisations and accounts, the security administrator roles
and who holds them, the auditor the trail. Nobody grants themselves a role; a role that reads
police-only data needs a second security administrator; every change reaches the auditors.
Before, the system administrator could give itself a police role in /admin/ and read key
persons. Roles, grants and accounts are now the system pages' (/system/, issue 21).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from huxiao.core import services
from huxiao.core.models import AuditRecord, Notification, Role, RoleGrant


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_three_administrators_hold_separate_permissions(db):
    sysadmin, secadmin, auditor = (
        set(Role.objects.get(code=c).permissions) for c in ("sysadmin", "secadmin", "auditor")
    )
    assert not sysadmin & {"core.change_role", "core.view_role", "core.add_rolegrant"}
    assert {"core.change_role", "core.add_rolegrant", "core.change_rolegrant"} <= secadmin
    assert not secadmin & {"core.change_user", "core.add_user", "core.view_audit"}
    assert auditor == {"core.view_audit"}


def test_the_system_administrator_cannot_give_itself_a_police_role(client_for, people):
    admin = client_for("admin")
    officer = Role.objects.get(code="officer")
    me = people.admin
    # The account form has no role; a posted role is ignored.
    page = admin.get(f"/system/users/{me.pk}/edit/")
    assert page.status_code == 200 and 'name="role"' not in page.content.decode()
    admin.post(
        f"/system/users/{me.pk}/edit/",
        {"full_name": "x", "organization": me.organization_id, "role": officer.pk},
    )
    me.refresh_from_db()
    assert me.role.code == "sysadmin"
    # Roles and role grants are not the system administrator's.
    assert admin.get(f"/system/roles/{officer.pk}/edit/").status_code == 403
    assert admin.get("/system/grants/new/").status_code == 403
    with pytest.raises(ValidationError, match="安全管理员"):
        services.role_grant_request(user=me, role=officer, reason="想看", actor=me)


def test_the_system_administrator_opens_no_key_person_by_any_route(client_for, people):
    admin = client_for("admin")
    for url in ("/persons/", "/persons/disputes/", "/api/v1/key-persons", "/api/v1/disputes"):
        assert admin.get(url).status_code == 404, url
    assert admin.get("/admin/persons/keyperson/").status_code in (403, 404)


def test_nobody_grants_themselves_a_role(secadmin):
    with pytest.raises(ValidationError, match="不能为自己授予角色"):
        services.role_grant_request(
            user=secadmin, role=Role.objects.get(code="commander"), reason="自批", actor=secadmin
        )


def test_a_role_without_police_data_is_applied_at_once_and_told_to_the_auditors(secadmin, people):
    grant = services.role_grant_request(
        user=people.chief, role=Role.objects.get(code="education_officer"), reason="调岗",
        actor=secadmin,
    )  # fmt: skip
    people.chief.refresh_from_db()
    assert grant.state == RoleGrant.State.APPLIED and people.chief.role.code == "education_officer"
    assert Notification.objects.filter(recipient=people.auditor, title="角色已变更").exists()
    assert AuditRecord.objects.filter(object_type="core.user", action="update").exists()


def test_a_police_role_waits_for_a_second_security_administrator(secadmin, secadmin2, people):
    commander = Role.objects.get(code="commander")
    grant = services.role_grant_request(
        user=people.edu_officer, role=commander, reason="借调公安", actor=secadmin
    )
    people.edu_officer.refresh_from_db()
    assert grant.state == RoleGrant.State.PENDING
    assert people.edu_officer.role.code == "education_officer"
    assert Notification.objects.filter(recipient=people.auditor, title="角色授予待批准").exists()
    # Neither the one who asked nor the one who would get it may approve.
    for actor in (secadmin, people.edu_officer):
        with pytest.raises(ValidationError):
            services.role_grant_decide(grant=grant, approve=True, actor=actor)
    services.role_grant_decide(grant=grant, approve=True, actor=secadmin2)
    people.edu_officer.refresh_from_db()
    assert people.edu_officer.role == commander
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (RoleGrant.State.APPLIED, secadmin2)
    with pytest.raises(ValidationError, match="已处理"):
        services.role_grant_decide(grant=grant, approve=False, actor=secadmin2)


def test_the_security_administrator_keeps_roles_and_grants_in_the_system_pages(
    secadmin, secadmin2, people
):
    client = _client(secadmin)
    officer = Role.objects.get(code="officer")
    assert client.get("/system/grants/").status_code == 200
    assert client.get(f"/system/roles/{officer.pk}/edit/").status_code == 200
    # Not its own role, and not the accounts (the system administrator's).
    own = Role.objects.get(code="secadmin")
    widened = client.post(
        f"/system/roles/{own.pk}/edit/",
        {"name": own.name, "data_scope": "all", "permissions": ["persons.view_keyperson"]},
    )
    assert widened.status_code in (400, 403, 409)
    own.refresh_from_db()
    assert "persons.view_keyperson" not in own.permissions
    # It does not change the accounts.
    changed = client.post(
        f"/system/users/{people.chief.pk}/edit/",
        {"full_name": "改名", "organization": people.chief.organization_id},
    )
    assert changed.status_code == 403
    assert client.post(f"/system/users/{people.chief.pk}/toggle/").status_code == 403
    people.chief.refresh_from_db()
    assert people.chief.is_active and people.chief.full_name != "改名"
    # A grant made in the pages goes through the service: for itself it is refused on the form.
    refused = client.post(
        "/system/grants/new/",
        {"username": secadmin.username, "role": officer.pk, "reason": "自己"},
    )
    assert refused.status_code in (200, 400) and "不能为自己授予角色" in refused.content.decode()
    made = client.post(
        "/system/grants/new/",
        {"username": people.edu_officer.username, "role": officer.pk, "reason": "借调"},
    )
    assert made.status_code == 302
    grant = RoleGrant.objects.get(user=people.edu_officer)
    assert grant.state == RoleGrant.State.PENDING
    # The requester cannot approve it; the second security administrator does.
    assert client.post(f"/system/grants/{grant.pk}/", {"decision": "approve"}).status_code == 409
    people.edu_officer.refresh_from_db()
    assert people.edu_officer.role != officer
    _client(secadmin2).post(f"/system/grants/{grant.pk}/", {"decision": "approve"})
    people.edu_officer.refresh_from_db()
    assert people.edu_officer.role == officer
