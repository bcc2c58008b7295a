"""The home page: live counts from the user's own scope."""

from django.urls import reverse

from huxiao.core import services


def cards(response):
    return {card["kind"]: card["count"] for card in response.context["org_cards"]}


def test_it_counts_the_station_officers_scope(client_for):
    response = client_for("officer_a").get(reverse("core:home"))
    assert response.status_code == 200
    assert cards(response) == {"station": 1, "school": 1}


def test_it_counts_more_for_the_commander_than_for_a_station_officer(client_for):
    commander = cards(client_for("commander").get(reverse("core:home")))
    officer = cards(client_for("officer_a").get(reverse("core:home")))
    assert commander == {"city_bureau": 1, "sub_bureau": 1, "station": 2, "school": 2}
    assert commander != officer


def test_it_shows_only_non_zero_kinds_each_linking_to_the_filtered_list(client_for):
    body = client_for("officer_a").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:organization_list")}?kind=school"' in body
    assert f'href="{reverse("core:organization_list")}?kind=station"' in body
    assert "?kind=education_bureau" not in body


def test_it_shows_the_unread_count(client_for, people):
    services.notify(recipients=[people.officer_a, people.officer_a], title="两条通知")
    services.notify(recipients=[people.officer_b], title="别人的通知")
    response = client_for("officer_a").get(reverse("core:home"))
    assert response.context["unread_count"] == 2
    assert 'data-testid="unread-count">2<' in response.content.decode()


def test_it_shows_an_auditor_todays_audit_records_and_no_organisations(client_for):
    response = client_for("auditor").get(reverse("core:home"))
    assert response.context["org_cards"] == []
    # creating the harness wrote change records today
    assert response.context["audit_today"] > 0
    assert 'data-testid="audit-today"' in response.content.decode()


def test_it_shows_no_audit_count_to_other_roles(client_for):
    response = client_for("commander").get(reverse("core:home"))
    assert response.context["audit_today"] is None
    assert 'data-testid="audit-today"' not in response.content.decode()


def test_it_shows_a_volunteer_no_organisation_counts(client_for):
    response = client_for("volunteer").get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["org_cards"] == []
