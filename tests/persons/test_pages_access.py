"""Who opens which page of the registry: officer_a (station 01) every page of station 01's
person and dispute; officer_b (station 02) 404 on them; education, school, guard,
volunteer, auditor, system administrator and the security company's "officer" 404 on every
persons URL, lists included; anonymous visitors go to the sign-in page."""

import pytest
from django.urls import reverse

from huxiao.persons import services
from tests.core.test_pages_csp import assert_csp_clean
from tests.persons.conftest import TODAY

NOT_POLICE = ("edu_officer", "chief", "guard", "volunteer", "outsider", "admin", "auditor")


@pytest.fixture
def dispute_a(person_a, schools, people):
    return services.dispute_create(
        school=schools[0],
        kind="home_school",
        parties="家长测试某",
        summary="赔偿纠纷",
        responsible_kind="school",
        threat_of_revenge=True,
        key_person=person_a,
        actor=people.officer_a,
        registered_on=TODAY,
    )


def gets(p, d):
    """Every page (GET) of the module."""
    return [
        reverse("persons:key_person_list"),
        reverse("persons:key_person_export"),
        reverse("persons:key_person_create"),
        reverse("persons:key_person_detail", args=[p]),
        reverse("persons:key_person_edit", args=[p]),
        reverse("persons:key_person_import"),
        reverse("persons:key_person_import_template"),
        reverse("persons:key_person_ledger"),
        reverse("persons:screening_list"),
        reverse("persons:screening_export"),
        reverse("persons:screening_create"),
        reverse("persons:dispute_list"),
        reverse("persons:dispute_board"),
        reverse("persons:dispute_export"),
        reverse("persons:dispute_create"),
        reverse("persons:dispute_detail", args=[d]),
    ]


def posts(p, d):
    """Every action (POST) of the module, with a body that would be accepted."""
    return [
        (reverse("persons:key_person_reveal", args=[p]), {"reason": "核查"}),
        (
            reverse("persons:key_person_follow_up", args=[p]),
            {"date": TODAY.isoformat(), "method": "visit", "observations": "在家"},
        ),
        (reverse("persons:key_person_edit", args=[p]), {"name": "改名"}),
        (reverse("persons:dispute_reveal", args=[d]), {"reason": "核查"}),
        (reverse("persons:dispute_transition", args=[d]), {"to": "mediating", "version": 1}),
        (
            reverse("persons:dispute_mediation", args=[d]),
            {"date": TODAY.isoformat(), "content": "座谈"},
        ),
        (reverse("persons:key_person_create"), {}),
        (reverse("persons:dispute_create"), {}),
        (reverse("persons:screening_create"), {}),
        (reverse("persons:key_person_import"), {}),
    ]


@pytest.mark.parametrize("who", NOT_POLICE)
def test_it_answers_404_to_every_role_that_is_not_police(who, client_for, person_a, dispute_a):
    client = client_for(who)
    for url in gets(person_a.pk, dispute_a.pk):
        assert client.get(url).status_code == 404, (who, url)
    for url, body in posts(person_a.pk, dispute_a.pk):
        assert client.post(url, body).status_code == 404, (who, url)


def test_it_answers_404_to_another_stations_officer_on_the_record(client_for, person_a, dispute_a):
    client = client_for("officer_b")
    records = {
        reverse("persons:key_person_detail", args=[person_a.pk]),
        reverse("persons:key_person_edit", args=[person_a.pk]),
        reverse("persons:dispute_detail", args=[dispute_a.pk]),
    }
    for url in gets(person_a.pk, dispute_a.pk):
        assert client.get(url).status_code == (404 if url in records else 200), url
    for url, body in posts(person_a.pk, dispute_a.pk)[:6]:
        assert client.post(url, body).status_code == 404, url
    for name in ("persons:key_person_list", "persons:dispute_list", "persons:dispute_board"):
        html = client.get(reverse(name)).content.decode()
        assert person_a.name not in html and "赔偿纠纷" not in html, name


def test_it_opens_every_page_for_the_stations_officer(client_for, person_a, dispute_a):
    client = client_for("officer_a")
    for url in gets(person_a.pk, dispute_a.pk):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            assert_csp_clean(response.content.decode(), url)


def test_it_sends_anonymous_visitors_to_sign_in(client, person_a, dispute_a):
    for url in gets(person_a.pk, dispute_a.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response["Location"], url


def test_it_lets_the_commander_read_and_approve_but_not_register(client_for, person_a, dispute_a):
    client = client_for("commander")
    assert client.get(reverse("persons:key_person_detail", args=[person_a.pk])).status_code == 200
    assert client.get(reverse("persons:dispute_detail", args=[dispute_a.pk])).status_code == 200
    for name in (
        "persons:key_person_create",
        "persons:dispute_create",
        "persons:screening_create",
        "persons:key_person_import",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    # The edit page is where the commander approves 撤销列管.
    assert client.get(reverse("persons:key_person_edit", args=[person_a.pk])).status_code == 200


def test_it_shows_the_menu_entries_to_police_only(client_for, person_a):
    html = client_for("officer_a").get(reverse("core:home")).content.decode()
    assert reverse("persons:key_person_list") in html and reverse("persons:dispute_list") in html
    for who in ("edu_officer", "chief", "guard"):
        html = client_for(who).get(reverse("core:home")).content.decode()
        assert reverse("persons:key_person_list") not in html, who
        assert reverse("persons:dispute_list") not in html, who
