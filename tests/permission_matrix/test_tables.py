"""The explicit tables of the matrix, executed: each named user × (station/school 01's object,
station/school 02's object, a missing id) gets exactly the declared status, and where a side is
outside the user's jurisdiction its answer is the missing id's answer, body included.

These are the routes no module's own permission suite exercised for users of different
jurisdictions; the others are referenced from pages.py and api.py.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from . import walk
from .api import API
from .matrix import JURISDICTION, SIDES, Table
from .pages import PAGES

TABLES = [(k, d) for k, d in [*PAGES.items(), *API.items()] if isinstance(d, Table)]


def url_for(key, table: Table, world, side: str | None) -> str:
    ids = [world.id(kind, side) for kind in table.args] if table.args else []
    if isinstance(key, tuple):
        params = iter(ids)
        url = re.sub(r"\{\w+\}", lambda m: str(next(params)), key[1])
    else:
        url = reverse(key, args=ids)
    if table.query:
        url += "?" + urlencode({name: world.id(kind, side) for name, kind in table.query.items()})
    return url


def send(client, key, table: Table, world, side):
    url = url_for(key, table, world, side)
    body = table.body(world, side) if table.body else None
    if table.method == "GET":
        return client.get(url)
    if not isinstance(key, tuple):
        return client.post(url, body or {})
    data = json.dumps(body) if body is not None else ""
    return client.generic(table.method, url, data, content_type="application/json")


def shown(response):
    """What a refusal tells the caller: the JSON, or the error page's message."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()
    context = getattr(response, "context", None)
    if context is not None and "message" in context:
        return str(context["message"])
    return re.sub(rb'nonce="[^"]*"', b"", response.content)


@pytest.mark.parametrize(("key", "table"), TABLES, ids=[walk.show(k) for k, _ in TABLES])
def test_it_answers_each_user_as_the_table_declares(key, table, request, people):
    world = request.getfixturevalue(table.world) if table.world else None
    # One client signed in as each user in turn (a new client loads the middleware again);
    # a 500 is an answer to record, not a crash.
    client = Client(raise_request_exception=False)
    problems = []
    for user, row in table.rows.items():
        client.cookies.clear()
        client.force_login(getattr(people, user))
        if not table.has_objects:
            got = send(client, key, table, world, None).status_code
            if got != row:
                problems.append(f"{user}: {got}, declared {row}")
            continue
        answers = {side: send(client, key, table, world, side) for side in SIDES}
        for side, expected in zip(SIDES, row, strict=True):
            got = answers[side].status_code
            if got != expected:
                problems.append(f"{user} on {side}: {got}, declared {expected}")
        missing = answers["missing"]
        for side in set("ab") - JURISDICTION[user]:
            out = answers[side]
            if out.status_code == missing.status_code and shown(out) != shown(missing):
                problems.append(f"{user} on {side}: answers unlike a missing id ({shown(out)!r})")
    assert not problems, f"{walk.show(key)}:\n" + "\n".join(problems)
