"""One control character in a text field used to break every .xlsx export of its list for
everyone in scope (issue 13, item 6). It is refused on input, on every write path, with the
field named; a value that got in anyway is stripped on export."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from huxiao.schools.models import Guard
from tests.schools.conftest import id_number
from tests.schools.test_pages_guards import guard_data, pages  # noqa: F401 (fixture)

BAD = "李\x18保安"


def test_the_api_refuses_a_control_character_naming_the_field(client_for, schools):
    a, _ = schools
    before = Guard.objects.count()
    response = client_for("chief").post(
        f"/api/v1/schools/{a.pk}/guards",
        {"name": BAD, "id_number": id_number("530111", dt.date(1990, 5, 6), 7)},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "控制字符" in response.json()["detail"] and "U+0018" in response.json()["detail"]
    assert Guard.objects.count() == before


def test_the_page_form_shows_the_refusal_and_keeps_what_was_typed(pages, schools):  # noqa: F811
    a, _ = schools
    before = Guard.objects.count()
    response = pages("chief").post(
        reverse("schools:school_guard_add", args=[a.pk]), guard_data(name=BAD)
    )
    assert response.status_code == 400  # the form again, as for any guard it cannot take
    body = response.content.decode()
    assert "控制字符" in body and "U+0018" in body
    assert 'value="李\x18保安"' in body or "李\x18保安" in body  # what was typed is kept
    assert Guard.objects.count() == before


def test_an_export_strips_a_control_character_that_got_in(pages, schools):  # noqa: F811
    a, _ = schools
    guard = Guard.objects.filter(school=a).order_by("pk").first()
    Guard.objects.filter(pk=guard.pk).update(name=BAD)  # bypasses the model, as old data may
    response = pages("officer_a").get(reverse("schools:school_guard_export", args=[a.pk]))
    assert response.status_code == 200
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
        values_only=True
    )
    assert "李保安" in [row[0] for row in rows]
