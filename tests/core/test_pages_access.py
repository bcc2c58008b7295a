"""Who may open which page: anonymous → login, a role without the permission → 403."""

import pytest
from django.urls import reverse

GET_PAGES = [
    ("core:home", {}),
    ("core:organization_list", {}),
    ("core:organization_export", {}),
    ("core:user_list", {}),
    ("core:user_export", {}),
    ("core:audit_list", {}),
    ("core:audit_export", {}),
    ("core:notification_list", {}),
    ("core:profile", {}),
    ("core:password_change", {}),
]
POST_PAGES = ["core:notification_read_all", "core:token_create"]


@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client, city, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('core:login')}?next={url}"


def test_it_sends_anonymous_visitors_of_a_detail_page_to_the_login_page(client, city):
    response = client.get(reverse("core:organization_detail", args=[city.school_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


@pytest.mark.parametrize("name", POST_PAGES)
def test_it_sends_anonymous_posts_to_the_login_page(client, city, name):
    response = client.post(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


ALLOWED = {
    "core:organization_list": [
        "admin",
        "commander",
        "officer_a",
        "officer_b",
        "edu_officer",
        "chief",
        "guard",
        "outsider",
    ],
    "core:user_list": [
        "admin",
        "commander",
        "officer_a",
        "officer_b",
        "edu_officer",
        "chief",
        "outsider",
    ],
    "core:audit_list": ["auditor"],
}
EVERYONE = [
    "admin",
    "commander",
    "officer_a",
    "officer_b",
    "edu_officer",
    "chief",
    "guard",
    "volunteer",
    "auditor",
    "outsider",
]


@pytest.mark.parametrize("page", sorted(ALLOWED))
@pytest.mark.parametrize("who", EVERYONE)
def test_it_opens_a_list_only_to_the_roles_holding_its_permission(client_for, page, who):
    expected = 200 if who in ALLOWED[page] else 403
    assert client_for(who).get(reverse(page)).status_code == expected
    export = page.replace("_list", "_export")
    assert client_for(who).get(reverse(export)).status_code == expected


@pytest.mark.parametrize("who", EVERYONE)
def test_it_opens_home_inbox_profile_and_password_pages_to_everyone(client_for, who):
    client = client_for(who)
    for name in ("core:home", "core:notification_list", "core:profile", "core:password_change"):
        assert client.get(reverse(name)).status_code == 200, name


def test_it_answers_403_with_the_error_page_in_the_shell(client_for):
    response = client_for("guard").get(reverse("core:user_list"))
    assert response.status_code == 403
    assert "errors/error.html" in [t.name for t in response.templates]
    assert "没有权限访问该页面" in response.content.decode()
    # the shell is still there, so the user can navigate away
    assert reverse("core:notification_list") in response.content.decode()


def test_it_shows_each_role_only_its_navigation(client_for):
    officer = client_for("officer_a").get(reverse("core:home")).content.decode()
    auditor = client_for("auditor").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:user_list")}"' in officer
    assert f'href="{reverse("core:audit_list")}"' not in officer
    assert f'href="{reverse("core:audit_list")}"' in auditor
    assert f'href="{reverse("core:organization_list")}"' not in auditor
