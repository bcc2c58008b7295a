"""Every declared route, called without signing in, answers as its declaration says: a page
sends the visitor to the sign-in page (the admin site to its own), an API operation answers
401, the few public routes answer what their tables declare. The ids in the URLs exist
nowhere, so this also shows that no route looks a record up before it knows who is asking.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from . import walk
from .api import API
from .matrix import ADMIN_LOGIN, LOGIN, UNAUTHORISED, Group
from .pages import PAGES, SAMPLE_URLS

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str):
    client.cookies.clear()  # set_language and logout leave cookies behind
    if method == "GET":
        return client.get(url)
    if method == "POST" and not url.startswith("/api/"):
        return client.post(url, {})
    return client.generic(method, url, json.dumps({}), content_type="application/json")


def problem(response, expected) -> str | None:
    status, location = response.status_code, response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and location.startswith("/login/?next=")
    elif expected == ADMIN_LOGIN:
        ok = status == 302 and location.startswith("/admin/login/?next=")
    elif expected == UNAUTHORISED:
        ok = status == 401 and "detail" in response.json()
    else:
        ok = status == expected
    return None if ok else f"{status} {location}".strip()


def test_every_page_answers_an_anonymous_visitor_as_declared():
    client, problems = Client(), []  # one client: each new one loads the middleware again
    for key, route in walk.page_routes().items():
        decl = PAGES.get(key)
        if decl is None:
            continue  # test_walk.py names it
        method = "GET" if isinstance(decl, Group) else decl.method
        url = walk.sample_url(route, SAMPLE_URLS)
        got = problem(send(client, method, url), decl.anonymous)
        if got:
            problems.append(f"{key}: {method} {url} → {got}, declared {decl.anonymous}")
    assert not problems, "\n".join(problems)


def test_every_api_operation_answers_401_without_a_session_or_a_token():
    client, bad_token = Client(), Client(HTTP_AUTHORIZATION="Bearer hx_not-a-token")
    problems = []
    for method, path in sorted(walk.api_operations()):
        decl = API.get((method, path))
        if decl is None:
            continue
        url = walk.sample_api_path(path)
        got = problem(send(client, method, url), decl.anonymous)
        if got:
            problems.append(f"{method} {url} → {got}, declared {decl.anonymous}")
        response = bad_token.generic(method, url, "{}", content_type="application/json")
        if response.status_code != 401:
            problems.append(f"{method} {url} with a bad token → {response.status_code}")
    assert not problems, "\n".join(problems)
