"""The profile page: masked phone, profile edits and API tokens shown once."""

from django.urls import reverse

from huxiao.core import services
from huxiao.core.models import ApiToken


def test_it_shows_the_account_with_the_phone_masked(client_for, people):
    services.user_update_profile(user=people.officer_a, full_name="甲民警", phone="13812345678")
    body = client_for("officer_a").get(reverse("core:profile")).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    assert "甲派出所" in body and "民警" in body and "本单位及下级" in body


def test_it_updates_name_and_phone(client_for, people):
    response = client_for("officer_a").post(
        reverse("core:profile"), {"full_name": "王五", "phone": "13900001111"}
    )
    assert response.status_code == 302
    people.officer_a.refresh_from_db()
    assert (people.officer_a.full_name, people.officer_a.phone) == ("王五", "13900001111")


def test_it_keeps_the_phone_when_left_blank(client_for, people):
    services.user_update_profile(user=people.officer_a, full_name="甲", phone="13812345678")
    client_for("officer_a").post(reverse("core:profile"), {"full_name": "乙", "phone": ""})
    people.officer_a.refresh_from_db()
    assert (people.officer_a.full_name, people.officer_a.phone) == ("乙", "13812345678")


def test_it_rejects_a_malformed_phone(client_for, people):
    response = client_for("officer_a").post(
        reverse("core:profile"), {"full_name": "乙", "phone": "12345"}
    )
    assert response.status_code == 400
    assert "请输入11位手机号" in response.content.decode()


def test_it_shows_a_new_token_once(client_for, people):
    client = client_for("officer_a")
    response = client.post(reverse("core:token_create"), {"name": "门禁对接", "expires_in": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("hx_") and raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=people.officer_a)
    assert token.name == "门禁对接" and token.expires_at is not None
    assert raw not in client.get(reverse("core:profile")).content.decode()


def test_it_creates_a_token_over_htmx(client_for):
    response = client_for("officer_a").post(
        reverse("core:token_create"), {"name": "脚本", "expires_in": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "core/partials/token_panel.html"
    assert 'data-testid="new-token"' in response.content.decode()


def test_it_requires_a_token_name(client_for, people):
    response = client_for("officer_a").post(reverse("core:token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=people.officer_a).exists()


def test_it_refuses_tokens_to_roles_without_the_permission(client_for, people):
    assert (
        client_for("volunteer").post(reverse("core:token_create"), {"name": "x"}).status_code == 403
    )
    assert "创建令牌" not in client_for("volunteer").get(reverse("core:profile")).content.decode()


def test_it_revokes_my_token(client_for, people):
    token, _ = services.token_create(user=people.officer_a, name="旧令牌")
    response = client_for("officer_a").post(reverse("core:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_answers_404_for_someone_elses_token(client_for, people):
    token, _ = services.token_create(user=people.officer_b, name="乙的令牌")
    assert (
        client_for("officer_a").post(reverse("core:token_revoke", args=[token.pk])).status_code
        == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None
