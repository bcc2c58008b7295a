"""Who sees the outage list, its export and the API's outages, for users of different
jurisdictions (tests/permission_matrix names this file for those routes): officer_a, the
education officer, school_a's chief and guard see school_a's outage only; officer_b school_b's;
the commander and the administrator both; the volunteer and the auditor get 403; the security
company's "officer" sees nothing. Anonymous callers sign in first (pages) or get 401 (API)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .supervision_support import INTERVAL, outage

pytestmark = pytest.mark.django_db

API = "/api/v1/alarm-outages"

# user: (status of the list, its export and the API list; which schools' outages are shown)
SEES = {
    "officer_a": (200, {"a"}),
    "officer_b": (200, {"b"}),
    "commander": (200, {"a", "b"}),
    "admin": (200, {"a", "b"}),
    "edu_officer": (200, {"a"}),
    "chief": (200, {"a"}),
    "guard": (200, {"a"}),
    "volunteer": (403, set()),
    "auditor": (403, set()),
    "outsider": (200, set()),
}


@pytest.fixture
def outages(devices, settings):
    settings.ALARMS_HEARTBEAT_INTERVAL_SECONDS = INTERVAL
    start = timezone.now() - dt.timedelta(hours=3)
    a, b = devices
    return {"a": outage(a, start=start, hours=1).pk, "b": outage(b, start=start, hours=None).pk}


@pytest.mark.parametrize("user", SEES)
def test_each_user_gets_the_outages_of_their_jurisdiction(outages, people, client_for, user):
    status, shown = SEES[user]
    client = client_for(user)
    page = client.get(reverse("alarms:outage_list"))
    assert page.status_code == status
    assert client.get(reverse("alarms:outage_export")).status_code == status
    api = client.get(API)
    assert api.status_code == status
    if status != 200:
        return
    html = page.content.decode()
    assert {s for s in "ab" if f'data-outage="{outages[s]}"' in html} == shown
    assert {r["id"] for r in api.json()["items"]} == {outages[s] for s in shown}


def test_a_school_outside_the_scope_filters_to_nothing(outages, devices, client_for):
    client = client_for("officer_a")
    b = devices[1].school.pk
    html = client.get(reverse("alarms:outage_list") + f"?school={b}").content.decode()
    assert 'data-outage="' not in html
    assert client.get(f"{API}?school={b}").status_code == 400


def test_anonymous_callers_sign_in_first(outages):
    client = Client()
    page = client.get(reverse("alarms:outage_list"))
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert client.get(API).status_code == 401
