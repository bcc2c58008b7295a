"""角色管理's pages: who reaches them, built-in roles protected, copy, edit, retire, delete, and
the refusals (system:role_list, system:role_export, system:role_detail, system:role_create,
system:role_copy, system:role_edit, system:role_retire, system:role_delete)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.core.models import AuditRecord, Notification, Role
from huxiao.system.services import roles as role_services
from tests.system.roles_support import admin_user, client_of, role_post

ROLE_PAGES = (
    ("system:role_list", ()),
    ("system:role_export", ()),
    ("system:role_create", ()),
    ("system:grant_list", ()),
    ("system:grant_export", ()),
    ("system:grant_create", ()),
)


@pytest.fixture
def secadmin(people):
    return admin_user("secadmin_a", people.admin.organization)


@pytest.fixture
def secadmin2(people):
    return admin_user("secadmin_b", people.admin.organization)


@pytest.fixture
def readonly(secadmin, city):
    return role_services.role_create(
        actor=secadmin, code="community_readonly", name="社区民警（只读）", data_scope="custom",
        permissions=["schools.view_school", "core.view_organization"],
        scope_organizations=[city.station_a, city.station_b], is_police=True,
    )  # fmt: skip


def test_the_system_administrator_cannot_reach_the_role_pages(client_for, readonly):
    admin = client_for("admin")
    for name, args in ROLE_PAGES:
        assert admin.get(reverse(name, args=args)).status_code == 403, name
    for name in (
        "system:role_detail",
        "system:role_copy",
        "system:role_edit",
        "system:role_delete",
    ):
        assert admin.get(reverse(name, args=[readonly.pk])).status_code == 403, name
    assert admin.post(reverse("system:role_retire", args=[readonly.pk])).status_code == 403
    assert (
        admin.post(reverse("system:role_create"), role_post(code="x", name="x")).status_code == 403
    )
    assert not Role.objects.filter(code="x").exists()
    for name in ("officer_a", "auditor", "chief"):
        assert client_for(name).get(reverse("system:role_list")).status_code == 403, name


def test_it_lists_roles_with_their_holders_filtered_and_exported(secadmin, people, readonly):
    client = client_of(secadmin)
    page = client.get(reverse("system:role_list"))
    body = page.content.decode()
    assert page.status_code == 200 and "社区民警（只读）" in body and "民警" in body
    officer = next(r for r in page.context["page_obj"] if r.code == "officer")
    assert officer.holders == 3  # officer_a, officer_b, the outsider
    filtered = client.get(reverse("system:role_list"), {"q": "readonly"})
    assert [r.code for r in filtered.context["page_obj"]] == ["community_readonly"]
    builtin = client.get(reverse("system:role_list"), {"is_builtin": "0"})
    assert [r.code for r in builtin.context["page_obj"]] == ["community_readonly"]
    export = client.get(reverse("system:role_export"), {"q": "readonly"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert AuditRecord.objects.filter(action="export", object_type="core.role").exists()


def test_the_detail_shows_the_tree_the_scope_and_the_holders(secadmin, people, readonly):
    page = client_of(secadmin).get(reverse("system:role_detail", args=[readonly.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "学校与三防" in body and "查看" in body and "schools.view_school" in body
    assert "甲派出所" in body and "乙派出所" in body
    officer = Role.objects.get(code="officer")
    holders = client_of(secadmin).get(reverse("system:role_detail", args=[officer.pk]))
    assert "officer_a" in holders.content.decode()
    missing = client_of(secadmin).get(reverse("system:role_detail", args=[999999]))
    assert missing.status_code == 404


def test_built_in_roles_are_neither_retired_nor_deleted(secadmin):
    client = client_of(secadmin)
    officer = Role.objects.get(code="officer")
    retire = client.post(reverse("system:role_retire", args=[officer.pk]))
    assert retire.status_code == 409 and "内置角色不能停用" in retire.content.decode()
    confirm = client.get(reverse("system:role_delete", args=[officer.pk]))
    assert "内置角色不能删除" in confirm.content.decode()
    delete = client.post(reverse("system:role_delete", args=[officer.pk]))
    assert delete.status_code == 409
    officer.refresh_from_db()
    assert officer.is_active and officer.is_builtin


def test_a_built_in_role_keeps_its_code_but_may_change_the_rest(secadmin, people):
    officer = Role.objects.get(code="officer")
    data = role_post(
        code="renamed", name="民警（派出所）", data_scope=officer.data_scope,
        permissions=[*officer.permissions, "inspections.supervise_hazard"], is_police=True,
        second_factor=False,
    )  # fmt: skip
    page = client_of(secadmin).post(reverse("system:role_edit", args=[officer.pk]), data)
    assert page.status_code == 302
    officer.refresh_from_db()
    assert officer.code == "officer" and officer.name == "民警（派出所）"
    assert "inspections.supervise_hazard" in officer.permissions
    assert not officer.requires_second_factor
    assert Notification.objects.filter(recipient=people.auditor, title="角色权限已修改").exists()
    with pytest.raises(Exception, match="内置角色的代码不能修改"):
        role_services.role_update(role=officer, actor=secadmin, code="other")


def test_nobody_edits_the_role_they_hold(secadmin):
    own = Role.objects.get(code="secadmin")
    client = client_of(secadmin)
    assert client.get(reverse("system:role_edit", args=[own.pk])).status_code == 403
    widened = client.post(
        reverse("system:role_edit", args=[own.pk]),
        role_post(
            code="secadmin", name="x", data_scope="all", permissions=["persons.view_keyperson"]
        ),
    )
    assert widened.status_code == 403
    own.refresh_from_db()
    assert "persons.view_keyperson" not in own.permissions


def test_copying_keeps_the_permissions_and_the_scope(secadmin, readonly):
    client = client_of(secadmin)
    form = client.get(reverse("system:role_copy", args=[readonly.pk]))
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["code"] == "" and initial["name"] == "社区民警（只读）（副本）"
    # The page posts back what it showed; a code is required and must be new.
    data = role_post(
        code="", name=initial["name"], data_scope=initial["data_scope"],
        permissions=initial["permissions"], scope=initial["scope_organizations"], is_police=True,
    )  # fmt: skip
    assert client.post(reverse("system:role_copy", args=[readonly.pk]), data).status_code == 400
    data["code"] = readonly.code
    taken = client.post(reverse("system:role_copy", args=[readonly.pk]), data)
    assert taken.status_code == 400 and Role.objects.filter(code=readonly.code).count() == 1
    data["code"] = "community_readonly_2"
    assert client.post(reverse("system:role_copy", args=[readonly.pk]), data).status_code == 302
    copy = Role.objects.get(code="community_readonly_2")
    assert copy.permissions == readonly.permissions and copy.data_scope == "custom"
    assert set(copy.scope_organizations.all()) == set(readonly.scope_organizations.all())
    assert not copy.is_builtin


def test_it_refuses_unknown_permissions_and_a_custom_scope_without_organisations(secadmin, city):
    client = client_of(secadmin)
    unknown = client.post(
        reverse("system:role_create"),
        role_post(code="bad", name="坏角色", permissions=["auth.add_user", "schools.view_school"]),
    )
    assert unknown.status_code == 400
    empty = client.post(
        reverse("system:role_create"), role_post(code="bad", name="坏角色", data_scope="custom")
    )
    assert empty.status_code == 400 and "请选择至少一个单位" in empty.content.decode()
    assert not Role.objects.filter(code="bad").exists()
    with pytest.raises(Exception, match="未知的权限"):
        role_services.role_create(
            actor=secadmin, code="bad", name="坏", data_scope="all", permissions=["auth.add_user"]
        )


def test_a_scope_other_than_custom_clears_the_organisations(secadmin, readonly):
    data = role_post(
        code=readonly.code, name=readonly.name, data_scope="subtree",
        permissions=readonly.permissions, scope=readonly.scope_organizations.all(),
    )  # fmt: skip
    page = client_of(secadmin).post(reverse("system:role_edit", args=[readonly.pk]), data)
    assert page.status_code == 302
    readonly.refresh_from_db()
    assert readonly.data_scope == "subtree" and not readonly.scope_organizations.exists()
    # The change of the chosen organisations is in the audit trail too.
    assert AuditRecord.objects.filter(
        object_type="core.role", object_id=str(readonly.pk), after__scope_organizations=[]
    ).exists()


def test_a_scope_may_name_only_the_actors_organisations(secadmin, city, people):
    # A security administrator of station 01 only (a delegated one).
    local = role_services.role_create(
        actor=secadmin, code="local_secadmin", name="派出所安全管理员", data_scope="subtree",
        permissions=["core.view_role", "core.add_role", "core.view_rolegrant",
                     "core.add_rolegrant", "core.change_rolegrant"],
    )  # fmt: skip
    actor = admin_user("local_sec", city.station_a, code="local_secadmin")
    assert actor.role == local
    outside = client_of(actor).post(
        reverse("system:role_create"),
        role_post(code="x2", name="越权", data_scope="custom", scope=[city.station_b]),
    )
    assert outside.status_code == 400 and not Role.objects.filter(code="x2").exists()
    inside = client_of(actor).post(
        reverse("system:role_create"),
        role_post(code="x3", name="本所", data_scope="custom", scope=[city.station_a]),
    )
    assert inside.status_code == 302


def test_a_role_is_retired_and_restored_and_deleted_only_when_unused(secadmin, people, readonly):
    client = client_of(secadmin)
    assert client.post(reverse("system:role_retire", args=[readonly.pk])).status_code == 302
    readonly.refresh_from_db()
    assert not readonly.is_active
    # A retired role is offered to nobody new.
    form = client.get(reverse("system:grant_create"))
    assert readonly not in form.context["form"].fields["role"].queryset
    assert client.post(reverse("system:role_retire", args=[readonly.pk])).status_code == 302
    readonly.refresh_from_db()
    assert readonly.is_active
    # Held by someone: refused; unused: deleted.
    people.guard.role = readonly
    people.guard.save(update_fields=["role"])
    refused = client.post(reverse("system:role_delete", args=[readonly.pk]))
    assert refused.status_code == 409 and "仍有用户持有该角色" in refused.content.decode()
    people.guard.role = Role.objects.get(code="gate_guard")
    people.guard.save(update_fields=["role"])
    assert client.post(reverse("system:role_delete", args=[readonly.pk])).status_code == 302
    assert not Role.objects.filter(pk=readonly.pk).exists()
    assert Notification.objects.filter(recipient=people.auditor, title="角色已删除").exists()


def test_the_lists_cost_the_same_queries_however_many_roles(
    secadmin, readonly, django_assert_max_num_queries
):
    client = client_of(secadmin)
    client.get(reverse("system:role_list"))  # warm the session and the menu
    with django_assert_max_num_queries(12):
        assert client.get(reverse("system:role_list")).status_code == 200
    for i in range(5):
        role_services.role_create(
            actor=secadmin, code=f"extra_{i}", name=f"角色{i}", data_scope="all"
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("system:role_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("system:grant_list")).status_code == 200


def test_the_editor_shows_a_built_in_code_read_only_and_the_held_permissions_ticked(secadmin):
    officer = Role.objects.get(code="officer")
    page = client_of(secadmin).get(reverse("system:role_edit", args=[officer.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="code"' in body and "disabled" in body.split('name="code"')[1].split(">")[0]
    assert "data-scope-select" in body and "data-custom-scope hidden" in body
    ticked = page.context["selected"]
    assert ticked == set(officer.permissions)
    assert 'value="core.view_organization" id="perm-core.view_organization" checked' in body
