"""Chinese by default; English after the language switch."""

from django.urls import reverse


def switch_to_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("core:home")}
    )
    assert response.status_code == 302


def test_it_speaks_chinese_by_default_even_to_an_english_browser(client_for):
    body = (
        client_for("officer_a")
        .get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
        .content.decode()
    )
    assert 'lang="zh-CN"' in body
    assert "未读通知" in body


def test_it_switches_the_shell_to_english(client_for):
    client = client_for("officer_a")
    switch_to_english(client)
    body = client.get(reverse("core:home")).content.decode()
    assert 'lang="en"' in body
    assert "Unread notifications" in body
    assert "Sign out" in body
    assert "Police station" in body  # an organisation kind label on a card
    assert "未读通知" not in body


def test_it_translates_lists_filters_and_role_names(client_for):
    client = client_for("commander")
    switch_to_english(client)
    body = client.get(reverse("core:organization_list")).content.decode()
    assert "Export to Excel" in body and "All types" in body and "Name or code" in body
    # a default role's name is seeded from a msgid, so it follows the language too
    assert "Bureau commander" in client.get(reverse("core:profile")).content.decode()


def test_it_translates_the_login_page_and_its_lockout_warning(client, people):
    switch_to_english(client)
    response = client.post(reverse("core:login"), {"username": "officer_a", "password": "wrong"})
    body = response.content.decode()
    assert "Sign in" in body
    assert "The account is locked after 5 failures in a row." in body


def test_it_translates_error_pages(client_for):
    client = client_for("guard")
    switch_to_english(client)
    body = client.get(reverse("core:user_list")).content.decode()
    assert "You do not have permission to open this page." in body
