"""用户管理's pages: the list (filters, export), a user's page, the one-time password, unlock,
disable with its sessions, and the second-factor reset of the security administrator."""

from __future__ import annotations

import io

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from huxiao.core.models import AuditRecord, Role, User
from tests.conftest import PASSWORD, make_user
from tests.system.users_support import Admins, make_admins, signed_in


@pytest.fixture
def admins(city, people) -> Admins:
    return make_admins(city, people)


def test_it_opens_the_pages_only_to_administrators(people, admins, client_for):
    url = reverse("system:user_list")
    assert client_for("admin").get(url).status_code == 200
    assert signed_in(admins.unit_admin).get(url).status_code == 200
    # view_user alone (a commander, the security administrator) does not make an administrator
    assert client_for("commander").get(url).status_code == 403
    assert signed_in(admins.secadmin).get(url).status_code == 403
    assert client_for("auditor").get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_it_filters_by_subtree_role_state_and_text(people, admins, client_for):
    client = client_for("admin")
    url = reverse("system:user_list")

    def listed(**query) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {u.username for u in response.context["page_obj"]}

    assert listed(organization=people.officer_a.organization.parent_id) >= {
        "officer_a", "officer_b", "unit_admin", "guard",
    }  # fmt: skip
    assert "east_admin" not in listed(organization=people.officer_a.organization.parent_id)
    assert listed(role=Role.objects.get(code="auditor").pk) == {"auditor"}
    assert listed(q="officer_") == {"officer_a", "officer_b"}
    people.guard.is_active = False
    people.guard.save()
    assert listed(is_active="0") == {"guard"}
    AccessAttempt.objects.create(
        username="officer_b", ip_address="10.0.0.1", user_agent="x", http_accept="",
        path_info="/login/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    assert listed(locked="1") == {"officer_b"}
    assert "officer_b" not in listed(locked="0")


def test_it_exports_the_filtered_list(people, client_for):
    response = client_for("admin").get(reverse("system:user_export"), {"q": "officer_"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("用户名", "姓名", "所属单位")
    assert {r[0] for r in rows[1:]} == {"officer_a", "officer_b"}
    assert AuditRecord.objects.filter(action="export", object_type="core.user").exists()


def test_it_shows_a_users_roles_lock_second_factor_tokens_and_activity(people, client_for):
    from huxiao.core import audit
    from huxiao.core import services as core_services

    core_services.token_create(user=people.officer_a, name="门禁对接")
    audit.append(kind="login", action="login_success", obj=people.officer_a,
                 actor=people.officer_a)  # fmt: skip
    response = client_for("admin").get(reverse("system:user_detail", args=[people.officer_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "民警" in body and "甲派出所" in body
    assert response.context["tokens"] == 1
    assert response.context["lock"]["locked"] is False
    assert response.context["second_factor_enrolled"] is False
    # its own records as the actor, not what others did to it
    assert [r.action for r in response.context["activity"]] == ["login_success"]


def test_it_creates_a_user_and_shows_the_password_once(city, client_for):
    response = client_for("admin").post(
        reverse("system:user_create"),
        {"username": "newbie", "full_name": "新人", "organization": city.edu_a.pk,
         "role": Role.objects.get(code="education_officer").pk, "phone": "13800000001"},
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="newbie")
    assert user.check_password(password) and user.must_change_password
    assert user.role.code == "education_officer" and user.organization == city.edu_a
    assert AuditRecord.objects.filter(object_type="core.user", object_id=str(user.pk),
                                      action="create").exists()  # fmt: skip


def test_it_resets_the_password_once_and_forces_a_change(people, client_for):
    admin = client_for("admin")
    url = reverse("system:user_reset_password", args=[people.officer_a.pk])
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "确认重置" in confirm.content.decode()
    response = admin.post(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    # shown once: the page of the account does not carry it
    detail = admin.get(reverse("system:user_detail", args=[people.officer_a.pk]))
    assert password not in detail.content.decode()
    # the old password is gone, the new one signs in and must be changed at once
    officer = Client()
    old = officer.post(reverse("core:login"), {"username": "officer_a", "password": PASSWORD})
    assert old.status_code == 200  # the form again: refused
    signed = officer.post(reverse("core:login"), {"username": "officer_a", "password": password})
    assert signed.status_code == 302
    home = officer.get(reverse("core:home"))
    assert home.status_code == 302 and home.url == reverse("core:password_change")
    record = AuditRecord.objects.filter(object_id=str(people.officer_a.pk),
                                        after__password="reset").get()  # fmt: skip
    assert password not in str(record.after) and record.actor_id == people.admin.pk


def test_it_unlocks_a_locked_account(people, client_for):
    locked_out = Client()
    for _i in range(5):
        locked_out.post(reverse("core:login"), {"username": "officer_b", "password": "wrong"})
    refused = locked_out.post(
        reverse("core:login"), {"username": "officer_b", "password": PASSWORD}
    )
    assert refused.status_code == 403
    admin = client_for("admin")
    detail = admin.get(reverse("system:user_detail", args=[people.officer_b.pk]))
    assert detail.context["lock"]["locked"] is True
    response = admin.post(reverse("system:user_unlock", args=[people.officer_b.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="officer_b").exists()
    again = Client().post(reverse("core:login"), {"username": "officer_b", "password": PASSWORD})
    assert again.status_code == 302
    assert AuditRecord.objects.filter(object_id=str(people.officer_b.pk),
                                      after__unlocked=True).exists()  # fmt: skip


def test_disabling_ends_the_users_sessions(people, client_for):
    victim = Client()
    victim.force_login(people.officer_a)
    other = Client()
    other.force_login(people.officer_b)
    assert victim.get(reverse("core:home")).status_code == 200
    response = client_for("admin").post(reverse("system:user_toggle", args=[people.officer_a.pk]))
    assert response.status_code == 302
    people.officer_a.refresh_from_db()
    assert not people.officer_a.is_active
    assert victim.get(reverse("core:home")).status_code == 302  # signed out
    assert other.get(reverse("core:home")).status_code == 200  # nobody else
    live = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(people.officer_a.pk) not in live
    # and enabled again
    client_for("admin").post(reverse("system:user_toggle", args=[people.officer_a.pk]))
    people.officer_a.refresh_from_db()
    assert people.officer_a.is_active


def test_it_edits_and_moves_a_user_within_the_scope(city, people, client_for):
    response = client_for("admin").post(
        reverse("system:user_edit", args=[people.officer_a.pk]),
        {"full_name": "改名民警", "organization": city.station_b.pk, "police_number": "012345"},
    )
    assert response.status_code == 302
    people.officer_a.refresh_from_db()
    assert people.officer_a.full_name == "改名民警"
    assert people.officer_a.organization == city.station_b
    assert people.officer_a.police_number == "012345"


def test_only_the_security_administrator_resets_the_second_factor(city, people, admins):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    police = make_user("cop2fa", city.station_a, "officer")
    TOTPDevice.objects.create(user=police, name="x", confirmed=True)
    url = reverse("system:user_reset_second_factor", args=[police.pk])
    assert signed_in(people.admin).post(url).status_code == 403
    assert signed_in(admins.unit_admin).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=police).exists()
    response = signed_in(admins.secadmin).post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=police).exists()
    assert AuditRecord.objects.filter(object_id=str(police.pk),
                                      after__second_factor="reset").exists()  # fmt: skip
    # and never their own
    own = reverse("system:user_reset_second_factor", args=[admins.secadmin.pk])
    assert signed_in(admins.secadmin).post(own).status_code == 400


def test_the_list_reads_in_a_fixed_number_of_queries(
    people, client_for, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get(reverse("system:user_list"))
    for i in range(10):
        make_user(f"extra{i}", people.officer_a.organization, "officer")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("system:user_list")).status_code == 200
