"""The admin: the security administrator edits roles (SPEC 1, 三权分立), the system administrator
organisations and accounts; nobody else reaches it."""

from huxiao.core.models import Organization, Role


def test_a_security_administrator_edits_a_role(client_for, secadmin):
    from django.test import Client

    client = Client()
    client.force_login(secadmin)
    role = Role.objects.get(code="officer")
    response = client.post(
        f"/admin/core/role/{role.pk}/change/",
        {
            "name": "派出所民警",
            "description": role.description,
            "data_scope": "subtree",
            "permissions": ["core.view_organization", "core.view_user"],
            "is_police": "on",
            "sort_order": role.sort_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role.refresh_from_db()
    assert role.name == "派出所民警"
    assert role.permissions == ["core.view_organization", "core.view_user"]


def test_an_organisation_created_in_admin_gets_its_tree_path(client_for, city):
    client = client_for("admin")
    response = client.post(
        "/admin/core/organization/add/",
        {
            "kind": "station",
            "name": "新设派出所",
            "code": "T-STA-NEW",
            "division_code": "530111",
            "parent": city.sub_bureau.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org = Organization.objects.get(code="T-STA-NEW")
    assert org.path == f"{city.sub_bureau.path}{org.pk:08d}/"


def test_other_roles_cannot_reach_the_admin(client_for):
    for name in ("commander", "officer_a", "auditor", "guard"):
        response = client_for(name).get("/admin/core/role/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_lists_follow_the_administrators_scope(client_for, people, city):
    from huxiao.core.models import Role

    Role.objects.filter(code="sysadmin").update(data_scope="subtree")
    people.admin.organization = city.station_a
    people.admin.save()
    client = client_for("admin")
    assert client.get(f"/admin/core/organization/{city.school_b.pk}/change/").status_code in (
        302,
        404,
    )
    listing = client.get("/admin/core/organization/").content.decode()
    assert "甲小学" in listing and "乙中学" not in listing
