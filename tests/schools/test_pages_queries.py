"""Pinned SQL query counts of a school's pages: the same for one guard or device and for sixty.

If a change adds a query, update the pinned number only after checking that it is not one
query per row. Each count includes the shell's own (session, user, permissions, role, scope
organisation, unread badge, session save).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.schools import services
from huxiao.schools.models import Device, Guard
from tests.schools.test_pages_support import grant_school_permissions

PINNED = {
    # the school, its facts (one statement), its kit, its devices by kind
    "schools:school_detail": 7,
    # the school, the count, the page of rows
    "schools:school_guard_list": 6,
    "schools:school_device_list": 6,
    # the school, its stock
    "schools:school_equipment": 5,
}


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def add_rows(school, n, start):
    for i in range(start, start + n):
        services.guard_create(school=school, name=f"查询保安{i:03d}", phone=f"1390000{i:04d}")
        services.device_create(school=school, kind="camera", name=f"摄像机{i:03d}")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PINNED))
def test_it_costs_the_same_number_of_queries_for_1_and_60_rows(pages, schools, page):
    a, _ = schools
    Guard.objects.filter(school=a).delete()
    Device.objects.filter(school=a).delete()
    add_rows(a, 1, 0)
    client = pages("officer_a")
    url = reverse(page, args=[a.pk])
    client.get(url)  # warm caches (content types, session) outside the measurement
    few = count_queries(client, url)
    add_rows(a, 59, 1)
    many = count_queries(client, url)
    assert few == many == PINNED[page]
