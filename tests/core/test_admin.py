"""The Django admin keeps only what has no page of its own (issue 21, item 8): the work
calendar, in the product's look; accounts, roles, grants, organisations, sign-ins and lockouts
are the system pages' (/system/)."""

import pytest

from huxiao.core.models import Role


def test_it_lists_only_the_work_calendar(client_for):
    index = client_for("admin").get("/admin/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "/admin/core/calendarday/" in body
    for gone in ("/admin/core/user/", "/admin/core/role/", "/admin/auth/group/", "/admin/axes/"):
        assert gone not in body


@pytest.mark.parametrize(
    "url",
    [
        "/admin/core/user/",
        "/admin/core/role/",
        "/admin/core/rolegrant/",
        "/admin/core/organization/add/",
        "/admin/core/auditrecord/",
        "/admin/core/apitoken/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
    ],
)
def test_what_has_a_page_of_its_own_is_not_in_the_admin(client_for, url):
    assert client_for("admin").get(url).status_code == 404


def test_it_wears_the_products_look_in_chinese(client_for):
    body = client_for("admin").get("/admin/core/calendarday/").content.decode()
    assert "huxiao/css/admin.css" in body and "护校安园" in body and "返回平台" in body
    assert "Django" not in body.split("<body", 1)[1]


def test_other_roles_cannot_reach_the_admin(client_for):
    for name in ("commander", "officer_a", "auditor", "guard"):
        response = client_for(name).get("/admin/core/calendarday/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_security_administrator_has_nothing_left_there(secadmin):
    from django.test import Client

    client = Client()
    client.force_login(secadmin)
    assert client.get(
        f"/admin/core/role/{Role.objects.get(code='officer').pk}/change/"
    ).status_code in (302, 403, 404)
