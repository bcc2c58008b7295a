"""Pinned SQL query counts: a list page costs the same whatever the number of rows.

If a change adds a query, update the pinned number only after checking that it is
not one query per row (select_related missing).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core import services
from huxiao.core.models import Role

# the session, the user with its role and organisation (one statement), the unread badge, then the
# page itself (no Django permission tables; the session is saved at most once a minute)
PINNED = {
    ("core:organization_list", "officer_a"): 6,
    ("core:user_list", "officer_a"): 7,
    ("core:audit_list", "auditor"): 7,
    ("core:notification_list", "officer_a"): 5,
    ("core:home", "officer_a"): 5,
    ("core:home", "auditor"): 5,
    ("core:organization_detail", "officer_a"): 7,
}


def add_rows(city, people, n, start=0):
    officer = Role.objects.get(code="officer")
    for i in range(start, start + n):
        school = services.organization_create(
            kind="school",
            name=f"学校{i:03d}",
            code=f"T-Q-{i:03d}",
            division_code="530111",
            parent=city.station_a,
            education_bureau=city.edu_a,
        )
        services.user_create(
            username=f"q{i:03d}",
            password="Query#Count2026",
            organization=school,
            role=officer,
            phone=f"1390000{i:04d}",
            validate=False,
        )
    services.notify(recipients=[people.officer_a] * n, title="批量通知")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("page", "who"), sorted(PINNED))
def test_it_costs_the_same_number_of_queries_for_few_and_many_rows(
    client_for, city, people, page, who
):
    client = client_for(who)
    url = (
        reverse(page, args=[city.station_a.pk])
        if page == "core:organization_detail"
        else reverse(page)
    )
    add_rows(city, people, 1)
    client.get(url)  # warm caches (content types, session) outside the measurement
    few = count_queries(client, url)
    add_rows(city, people, 60, start=1)
    many = count_queries(client, url)
    assert few == many == PINNED[page, who]
