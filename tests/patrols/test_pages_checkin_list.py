"""打卡记录: the check-ins of the user's scope, filtered and exported ("patrols:post_checkin_list",
"patrols:post_checkin_export"); the records behind the 护学岗上岗人次 figure."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.patrols import services
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import SCHOOL_DAY, local, offset

LIST = "patrols:post_checkin_list"
EXPORT = "patrols:post_checkin_export"


def record(post, user, minute, metres=0, **extra):
    at = local(SCHOOL_DAY, 7, minute)
    lat, lon = offset(post.latitude, post.longitude, metres)
    checkin, _created = services.checkin_record(
        post=post, user=user, at=at, latitude=lat, longitude=lon, now=at, **extra
    )
    return checkin


@pytest.fixture
def checkins(posts, people):
    post_a, post_b = posts
    return {
        "a_far": record(post_a, people.guard, 4, metres=700),  # then a valid one: both stay
        "a_valid": record(post_a, people.guard, 5),
        "a_officer": record(post_a, people.officer_a, 12),
        "b_valid": record(post_b, people.officer_b, 6),
    }


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {c.pk for c in response.context["page_obj"].paginator.object_list}


def exported(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("officer_b", 200),
        ("commander", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("outsider", 200),  # the 民警 role in a security company: the page, no rows
        ("guard", 403),
        ("volunteer", 403),
        ("auditor", 403),
    ],
)
def test_it_answers_each_role_on_the_list_and_its_export(client_for, checkins, who, status):
    client = client_for(who)
    assert client.get(reverse(LIST)).status_code == status
    assert client.get(reverse(EXPORT)).status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client, checkins):
    for name in (LIST, EXPORT):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_a", {"a_valid", "a_far", "a_officer"}),
        ("chief", {"a_valid", "a_far", "a_officer"}),
        ("edu_officer", {"a_valid", "a_far", "a_officer"}),
        ("officer_b", {"b_valid"}),
        ("commander", {"a_valid", "a_far", "a_officer", "b_valid"}),
        ("outsider", set()),
    ],
)
def test_it_lists_and_exports_only_check_ins_in_scope(client_for, checkins, who, expected):
    client = client_for(who)
    assert listed(client.get(reverse(LIST))) == {checkins[k].pk for k in expected}
    rows = exported(client.get(reverse(EXPORT)))
    assert rows[0][:4] == ["打卡时间", "学校", "护学岗", "打卡人"]
    assert len(rows) - 1 == len(expected)


def test_it_filters_by_verdict_proof_person_and_dates(client_for, checkins, posts):
    client = client_for("officer_a")
    url = reverse(LIST)
    assert listed(client.get(url, {"valid": "0"})) == {checkins["a_far"].pk}
    assert listed(client.get(url, {"valid": "1", "q": "officer"})) == {checkins["a_officer"].pk}
    assert listed(client.get(url, {"post": posts[0].pk, "window": "am", "proof": "gps"})) == {
        checkins[k].pk for k in ("a_valid", "a_far", "a_officer")
    }
    day = str(SCHOOL_DAY)
    assert len(listed(client.get(url, {"date_from": day, "date_to": day}))) == 3
    assert listed(client.get(url, {"date_from": "2026-11-24"})) == set()
    # Another station's post is not a choice: the filter is refused and nothing is shown.
    assert listed(client.get(url, {"post": posts[1].pk})) == set()
    far = exported(client.get(reverse(EXPORT), {"valid": "0"}))
    assert len(far) == 2 and "超出打卡范围" in far[1][8] and far[1][9] == 700


def test_it_shows_the_verdict_and_proof_without_inline_script(client_for, checkins):
    html = client_for("officer_a").get(reverse(LIST)).content.decode()
    assert f'data-checkin="{checkins["a_far"].pk}"' in html
    assert "超出打卡范围" in html and 'data-proof="gps"' in html and "上学" in html
    assert_csp_clean(html, LIST)


def test_the_post_list_links_to_it_for_those_who_read_check_ins(client_for, checkins):
    assert (
        'data-testid="checkin-list"'
        in client_for("officer_a").get(reverse("patrols:post_list")).content.decode()
    )
    assert (
        'data-testid="checkin-list"'
        not in client_for("guard").get(reverse("patrols:post_list")).content.decode()
    )


def test_it_costs_the_same_number_of_queries_for_1_and_30_check_ins(client_for, posts, people):
    client = client_for("officer_a")
    record(posts[0], people.guard, 1)
    client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(LIST)).status_code == 200
    for n in range(30):
        # tries from too far, the metres growing (one person has one valid check-in a window)
        record(posts[0], people.officer_a if n % 2 else people.chief, 2 + n, metres=200 + n * 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LIST))
    assert len(many.captured_queries) == len(one.captured_queries)
    assert len(listed(response)) == 31
