"""The Django admin site, one rule for every URL of it (``pages.ADMIN``).

Only the staff (the system administrator's role) reach it: anonymous visitors (swept in
test_anonymous.py) and every other role, police included, are sent to the admin's sign-in page
before anything is looked up. The system administrator gets exactly the admin actions that
``pages.ADMIN_MODELS`` lists for each registered model, and a missing object is either the
admin's "does not exist" redirect or, without the permission, the same 403 as an existing one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from huxiao.core.models import CalendarDay

from . import walk
from .pages import ADMIN, ADMIN_MODEL_VIEWS, ADMIN_MODELS, ADMIN_SITE_VIEWS, SAMPLE_URLS

# The city-wide police commander, the auditor (scope: everything) and a security company;
# tests/core/test_admin.py tries the station officer and the gate guard.
NOT_STAFF = ("commander", "auditor", "outsider")
MISSING = 999_999


@pytest.fixture
def admin_objects(city, people):
    """One existing object of every model registered in the admin, by "app.model" (what is
    left there: the work calendar; everything else has its page in /system/)."""
    return {
        "core.calendarday": CalendarDay.objects.get_or_create(
            date=dt.date(2026, 10, 1), defaults={"is_workday": False, "name": "国庆节"}
        )[0].pk,
    }


def model_urls(model: str, pk) -> dict[str, str]:
    app, name = model.split(".")
    urls = {}
    for view in ADMIN_MODEL_VIEWS:
        args = [] if view in ("changelist", "add") else [pk]
        urls[f"admin:{app}_{name}_{view}"] = reverse(f"admin:{app}_{name}_{view}", args=args)
    urls[f"route:admin/{app}/{name}/<path:object_id>/"] = f"/admin/{app}/{name}/{pk}/"
    return urls


def site_urls() -> dict[str, str]:
    routes = walk.page_routes()
    return {key: walk.sample_url(routes[key], SAMPLE_URLS) for key in ADMIN_SITE_VIEWS}


def every_admin_url(objects) -> dict[str, str]:
    urls = site_urls()
    for model, pk in objects.items():
        urls |= model_urls(model, pk)
    return urls


def test_the_rule_covers_every_admin_url():
    keys = set(ADMIN_SITE_VIEWS)
    for model in ADMIN_MODELS:
        keys |= set(model_urls(model, 1))
    assert keys == ADMIN.keys


def test_it_sends_everyone_but_the_staff_to_the_admin_sign_in(client_for, admin_objects):
    problems = []
    for who in NOT_STAFF:
        client = client_for(who)
        for key, url in every_admin_url(admin_objects).items():
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith(
                "/admin/login/?next="
            ):
                problems.append(f"{who} {key} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def _expected(view: str, actions: frozenset[str]) -> int:
    needed = {
        "changelist": {"view", "change"},
        "history": {"view", "change"},
        "change": {"view", "change"},
        "add": {"add"},
        "delete": {"delete"},
    }[view]
    return 200 if actions & needed else 403


def test_it_gives_the_system_administrator_exactly_the_admin_actions_of_the_role(
    client_for, admin_objects
):
    client = client_for("admin")
    problems = []
    for model, actions in ADMIN_MODELS.items():
        app, name = model.split(".")
        for key, url in model_urls(model, admin_objects[model]).items():
            view = key.rsplit("_", 1)[-1] if key.startswith("admin:") else "redirect"
            got = client.get(url)
            if view == "redirect":
                ok = got.status_code == 302 and got["Location"].endswith("/change/")
                expected = "302 → change"
            else:
                expected = _expected(view, actions)
                ok = got.status_code == expected
            if not ok:
                problems.append(f"{model} {view}: {got.status_code}, declared {expected}")
        # A missing object: the admin's redirect with a message, or the same 403 as above.
        missing = client.get(reverse(f"admin:{app}_{name}_change", args=[MISSING]))
        expected = 302 if _expected("change", actions) == 200 else 403
        if missing.status_code != expected:
            problems.append(f"{model} missing: {missing.status_code}, declared {expected}")
    site = {
        "admin:index": 200,
        "admin:password_change": 200,
        "admin:password_change_done": 200,
        "admin:autocomplete": 403,  # without a model to complete
        "admin:jsi18n": 200,
        "admin:view_on_site": 404,  # no such content type / object
        "admin:app_list": 200,
        "route:admin/(?P<url>.*)$": 404,
    }
    assert set(site) == set(ADMIN_SITE_VIEWS)
    for key, url in site_urls().items():
        got = client.get(url).status_code
        if got != site[key]:
            problems.append(f"{key} {url}: {got}, declared {site[key]}")
    assert not problems, "\n".join(problems)
