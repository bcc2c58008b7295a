"""The user list: scope, filters and masked phones."""

from django.urls import reverse

from huxiao.core import services


def usernames(response):
    return [u.username for u in response.context["page_obj"].object_list]


def test_it_lists_the_users_in_scope(client_for):
    response = client_for("officer_a").get(reverse("core:user_list"))
    assert sorted(usernames(response)) == ["chief", "guard", "officer_a", "volunteer"]
    assert "officer_b" not in response.content.decode()


def test_it_masks_phones(client_for, people):
    services.user_update_profile(user=people.chief, full_name="赵主任", phone="13612345678")
    body = client_for("officer_a").get(reverse("core:user_list")).content.decode()
    assert "136****5678" in body
    assert "13612345678" not in body


def test_it_filters_by_text_and_organisation(client_for, city):
    client = client_for("commander")
    assert usernames(client.get(reverse("core:user_list"), {"q": "officer"})) == [
        "officer_a",
        "officer_b",
    ]
    assert sorted(
        usernames(client.get(reverse("core:user_list"), {"organization": city.school_a.pk}))
    ) == ["chief", "guard"]


def test_it_shows_nothing_for_an_organisation_outside_the_scope(client_for, city):
    response = client_for("officer_a").get(
        reverse("core:user_list"), {"organization": city.station_b.pk}
    )
    assert usernames(response) == []
