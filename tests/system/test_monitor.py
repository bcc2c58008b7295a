"""在线用户, 登录日志, 账号锁定 (issue 21, item 7): sessions are tracked from sign-in to sign-out,
an administrator forces a user out, sees the sign-in log with the browser and unlocks an
account — each inside its own subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import ApiToken, AuditRecord, UserSession
from huxiao.core.signals import SESSION_TOUCHED
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
WECHAT_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; V2196A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 XWEB/1160117 MicroMessenger/8.0.47.2560"
)


def sign_in(username: str, password: str = PASSWORD, **headers) -> tuple[Client, object]:
    client = Client(**headers)
    response = client.post(reverse("core:login"), {"username": username, "password": password})
    return client, response


# ---- session tracking -----------------------------------------------------------------------


def test_signing_in_opens_a_session_row_and_signing_out_ends_it(people):
    client, response = sign_in("officer_a", HTTP_USER_AGENT=CHROME_WINDOWS, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    key = client.session.session_key
    row = UserSession.objects.get(session_key=key)
    assert row.user == people.officer_a
    assert row.ip == "10.1.2.3"
    assert row.user_agent == CHROME_WINDOWS
    assert row.ended_at is None

    client.post(reverse("core:logout"))
    row.refresh_from_db()
    assert row.ended_at is not None


def test_activity_is_touched_at_most_once_a_minute(people):
    client, _ = sign_in("officer_a")
    key = client.session.session_key
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    UserSession.objects.filter(session_key=key).update(last_seen_at=long_ago)

    client.get(reverse("core:home"))  # touched less than a minute ago (at sign-in): no write
    assert UserSession.objects.get(session_key=key).last_seen_at == long_ago

    session = client.session
    session[SESSION_TOUCHED] = 0  # the last touch long ago
    session.save()
    client.get(reverse("core:home"))
    assert UserSession.objects.get(session_key=key).last_seen_at > long_ago


def test_the_online_list_shows_who_from_where_with_which_browser(people, client_for):
    sign_in("officer_b", HTTP_USER_AGENT=WECHAT_ANDROID, REMOTE_ADDR="10.9.9.9")
    page = client_for("admin").get(reverse("system:session_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "officer_b" in html and "10.9.9.9" in html
    assert "微信 8" in html and "Android 13" in html

    filtered = client_for("admin").get(reverse("system:session_list"), {"q": "officer_a"})
    assert "10.9.9.9" not in filtered.content.decode()


def test_an_idle_session_is_not_online(people, client_for):
    client, _ = sign_in("officer_b", REMOTE_ADDR="10.9.9.8")
    UserSession.objects.filter(session_key=client.session.session_key).update(
        last_seen_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client_for("admin").get(reverse("system:session_list"))
    assert "10.9.9.8" not in page.content.decode()


def test_the_online_list_exports(people, client_for):
    sign_in("officer_b", REMOTE_ADDR="10.9.9.7")
    response = client_for("admin").get(reverse("system:session_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# ---- force logout ---------------------------------------------------------------------------


def test_an_administrator_forces_a_user_out(people, client_for):
    victim, _ = sign_in("officer_b")
    assert victim.get(reverse("core:home")).status_code == 200
    row = UserSession.objects.get(session_key=victim.session.session_key)

    admin = client_for("admin")
    response = admin.post(reverse("system:session_end", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.ended_at is not None and row.ended_by == people.admin
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert AuditRecord.objects.filter(
        object_type="core.usersession", object_id=str(row.pk), action=AuditAction.UPDATE
    ).exists()

    after = victim.get(reverse("core:home"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("core:login"))
    # An ended session is no longer online, and cannot be ended twice.
    assert admin.post(reverse("system:session_end", args=[row.pk])).status_code == 404


def test_the_session_in_use_cannot_be_ended_from_the_list(people):
    admin, _ = sign_in("admin")
    row = UserSession.objects.get(session_key=admin.session.session_key)
    response = admin.post(reverse("system:session_end", args=[row.pk]), follow=True)
    assert "不能强制下线当前正在使用的会话" in response.content.decode()
    row.refresh_from_db()
    assert row.ended_at is None


def test_a_unit_administrator_sees_and_ends_only_its_subtree(city, people):
    admin_a = make_user("admin_a", city.station_a, "org_admin")
    mine, _ = sign_in("officer_a", REMOTE_ADDR="10.0.0.1")
    theirs, _ = sign_in("officer_b", REMOTE_ADDR="10.0.0.2")
    client = Client()
    client.force_login(admin_a)

    html = client.get(reverse("system:session_list")).content.decode()
    assert "10.0.0.1" in html and "10.0.0.2" not in html

    other = UserSession.objects.get(session_key=theirs.session.session_key)
    assert client.post(reverse("system:session_end", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.ended_at is None
    own = UserSession.objects.get(session_key=mine.session.session_key)
    assert client.post(reverse("system:session_end", args=[own.pk])).status_code == 302


def test_an_administrator_revokes_a_token_in_scope_only(city, people, client_for):
    from huxiao.core import services

    token_b, _raw = services.token_create(user=people.officer_b, name="对接")
    admin_a = make_user("admin_a", city.station_a, "org_admin")
    client = Client()
    client.force_login(admin_a)
    assert client.post(reverse("system:token_revoke", args=[token_b.pk])).status_code == 404
    assert "对接" in client_for("admin").get(reverse("system:session_list")).content.decode()

    response = client_for("admin").post(reverse("system:token_revoke", args=[token_b.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token_b.pk).revoked_at is not None


# ---- the sign-in log ------------------------------------------------------------------------


def test_the_sign_in_log_lists_a_failure_with_its_ip_and_browser(people, client_for):
    sign_in("officer_a", "Wrong#Pass1", REMOTE_ADDR="10.7.7.7", HTTP_USER_AGENT=CHROME_WINDOWS)
    page = client_for("admin").get(reverse("system:login_list"), {"result": "login_failure"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "officer_a" in html and "10.7.7.7" in html and "登录失败" in html
    assert "Chrome 124" in html and "Windows 10/11" in html

    only_successes = client_for("admin").get(
        reverse("system:login_list"), {"result": "login_success", "user": "officer_a"}
    )
    assert "10.7.7.7" not in only_successes.content.decode()

    export = client_for("admin").get(reverse("system:login_export"))
    assert export.status_code == 200


def test_a_unit_administrator_sees_the_sign_ins_of_its_subtree_only(city, people):
    sign_in("officer_b", "Wrong#Pass1", REMOTE_ADDR="10.8.8.8")
    sign_in("officer_a", "Wrong#Pass1", REMOTE_ADDR="10.8.8.9")
    admin_a = make_user("admin_a", city.station_a, "org_admin")
    client = Client()
    client.force_login(admin_a)
    html = client.get(reverse("system:login_list")).content.decode()
    assert "10.8.8.9" in html and "10.8.8.8" not in html


# ---- lockouts -------------------------------------------------------------------------------


def test_unlocking_a_locked_account_lets_it_sign_in(people, client_for):
    for _ in range(5):
        sign_in("officer_a", "Wrong#Pass1", REMOTE_ADDR="10.6.6.6")
    _, refused = sign_in("officer_a", REMOTE_ADDR="10.6.6.6")
    assert refused.status_code == 403

    admin = client_for("admin")
    html = admin.get(reverse("system:lockout_list")).content.decode()
    assert "officer_a" in html and "10.6.6.6" in html
    export = admin.get(reverse("system:lockout_export"))
    assert export.status_code == 200

    response = admin.post(reverse("system:lockout_unlock", args=["officer_a"]))
    assert response.status_code == 302
    assert AuditRecord.objects.filter(
        kind=AuditKind.SYSTEM, object_repr="officer_a", actor=people.admin
    ).exists()
    assert (
        'data-testid="lockout-table"'
        not in admin.get(reverse("system:lockout_list")).content.decode()
    )
    _, signed_in = sign_in("officer_a")
    assert signed_in.status_code == 302


def test_a_unit_administrator_cannot_unlock_outside_its_subtree(city, people):
    for _ in range(5):
        sign_in("officer_b", "Wrong#Pass1")
    admin_a = make_user("admin_a", city.station_a, "org_admin")
    client = Client()
    client.force_login(admin_a)
    assert "officer_b" not in client.get(reverse("system:lockout_list")).content.decode()
    assert client.post(reverse("system:lockout_unlock", args=["officer_b"])).status_code == 404
    assert client.post(reverse("system:lockout_unlock", args=["nobody"])).status_code == 404
    _, still = sign_in("officer_b")
    assert still.status_code == 403


# ---- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["system:session_list", "system:login_list", "system:lockout_list"]
)
@pytest.mark.parametrize("name", ["officer_a", "commander", "auditor"])
def test_others_may_not_read_the_monitoring_pages(people, client_for, url_name, name):
    assert client_for(name).get(reverse(url_name)).status_code == 403


def test_others_may_not_force_anyone_out_or_unlock(people, client_for):
    victim, _ = sign_in("officer_b")
    row = UserSession.objects.get(session_key=victim.session.session_key)
    for name in ("officer_a", "commander", "auditor"):
        client = client_for(name)
        assert client.post(reverse("system:session_end", args=[row.pk])).status_code == 403
        assert client.post(reverse("system:lockout_unlock", args=["officer_b"])).status_code == 403
    row.refresh_from_db()
    assert row.ended_at is None
