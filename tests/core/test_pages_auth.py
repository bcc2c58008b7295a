"""Sign-in, lockout and the forced password change, as the user sees them."""

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, make_user


def test_it_shows_the_login_page_in_chinese(client, city):
    response = client.get(reverse("core:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户登录" in body and "护校安园" in body
    assert 'lang="zh-CN"' in body


def test_it_warns_about_the_lockout_on_a_wrong_password(client, people):
    response = client.post(
        reverse("core:login"), {"username": "officer_a", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "连续失败5次将锁定账号" in response.content.decode()


def test_it_signs_in_and_lands_on_home(client, people):
    response = client.post(reverse("core:login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_it_shows_the_locked_out_page_after_five_failures(people):
    client = Client()
    for _ in range(5):
        response = client.post(
            reverse("core:login"), {"username": "officer_b", "password": "wrong-password"}
        )
    assert response.status_code == 403
    body = response.content.decode()
    assert "账号已被临时锁定" in body
    assert "30 分钟" in body
    # even the right password is refused while locked
    response = client.post(reverse("core:login"), {"username": "officer_b", "password": PASSWORD})
    assert response.status_code == 403


def test_it_forces_a_new_password_and_explains_why(city):
    user = make_user("newcomer", city.station_a, "officer", must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("core:password_change")
    body = client.get(reverse("core:password_change")).content.decode()
    assert "请先设置您自己的密码" in body
    assert "初始密码" in body
    # the shell does not offer pages the user cannot reach yet
    assert f'href="{reverse("core:notification_list")}"' not in body


def test_it_changes_the_password_and_lets_the_user_in(city):
    user = make_user("newcomer", city.station_a, "officer", must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh#Pass2026",
            "new_password2": "Fresh#Pass2026",
        },
    )
    assert response.status_code == 302 and response.url == reverse("core:home")
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_it_shows_the_password_errors(client_for):
    response = client_for("officer_a").post(
        reverse("core:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert response.status_code == 400
    assert "当前密码不正确" in response.content.decode()
