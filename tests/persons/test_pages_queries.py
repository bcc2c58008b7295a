"""Pinned SQL query counts of the registry's pages: the same for two rows and for sixty.

If a change adds a query, update the pinned number only after checking that it is not one
query per row. Each count includes the shell's own (session, user, permissions, role, scope
organisation, unread badge, session save) and, on a person's page, the access-log record.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from huxiao.persons import services
from tests.persons.conftest import TODAY, id_number

PINNED = {
    # counts by status, the station and school filter choices, the count, the page of rows
    "persons:key_person_list": 8,
    # the school and station filter choices, the count, the page of rows
    "persons:dispute_list": 7,
    # the filter choices, counts by status, then one query per column that has cards
    "persons:dispute_board": 8,
    # the campaign and organisation filter choices, the totals, the count, the page of rows
    "persons:screening_list": 8,
    # the access log (chain head and record), links, follow-ups, disputes
    "persons:key_person_detail": 13,
    # the mediations
    "persons:dispute_detail": 5,
}


def add_people(station, officer, start, n):
    services.key_person_create_many(
        station=station,
        actor=officer,
        people=[
            {
                "name": f"查询人员{i:03d}",
                "id_number": id_number("510402", dt.date(1980, 1, 1) + dt.timedelta(days=i), i),
                "phone": f"1390000{i:04d}",
                "categories": ["drug", "idle"],
                "risk_level": "medium",
                "officer": officer,
            }
            for i in range(start, start + n)
        ],
    )


def add_disputes(school, officer, start, n, person):
    for i in range(start, start + n):
        dispute = services.dispute_create(
            school=school,
            kind="students",
            parties=f"学生{i}",
            summary=f"查询纠纷{i:03d}",
            responsible_kind="school",
            threat_of_revenge=True,
            key_person=person,
            actor=officer,
            registered_on=TODAY,
        )
        if i % 2:
            services.dispute_transition(dispute=dispute, to="mediating", actor=officer)


def add_batches(station, start, n):
    for i in range(start, start + n):
        services.screening_batch_create(
            organization=station,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
            imported=True,
            screened=10 + i,
        )


def add_follow_ups(person, officer, n):
    today = timezone.localdate()
    for i in range(n):
        services.follow_up_create(
            person=person,
            actor=officer,
            date=today - dt.timedelta(days=n - i),
            method="visit",
            observations=f"走访{i}",
        )
        person.refresh_from_db()


def add_mediations(dispute, officer, n):
    for i in range(n):
        services.mediation_create(
            dispute=dispute, actor=officer, date=timezone.localdate(), content=f"调解{i}"
        )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def grow(city, people, schools, person_a):
    """Adds rows to every list and to person_a's and one dispute's page; returns the URLs."""
    state = {"dispute": None}

    def _grow(start, n):
        add_people(city.station_a, people.officer_a, start, n)
        add_disputes(schools[0], people.officer_a, start, n, person_a)
        add_batches(city.station_a, start, n)
        person_a.refresh_from_db()
        add_follow_ups(person_a, people.officer_a, n)
        if state["dispute"] is None:
            from huxiao.persons.models import Dispute

            state["dispute"] = Dispute.objects.get(status="mediating")
        add_mediations(state["dispute"], people.officer_a, n)
        return {
            "persons:key_person_list": reverse("persons:key_person_list"),
            "persons:dispute_list": reverse("persons:dispute_list"),
            "persons:dispute_board": reverse("persons:dispute_board"),
            "persons:screening_list": reverse("persons:screening_list"),
            "persons:key_person_detail": reverse("persons:key_person_detail", args=[person_a.pk]),
            "persons:dispute_detail": reverse("persons:dispute_detail", args=[state["dispute"].pk]),
        }

    return _grow


def test_it_costs_the_same_number_of_queries_for_2_and_60_rows(
    client_for, grow, django_assert_max_num_queries
):
    client = client_for("officer_a")
    urls = grow(0, 2)  # two disputes: one registered, one mediating (a column each)
    for url in urls.values():
        client.get(url)  # warm caches (content types, session) outside the measurement
    few = {page: count(client, url) for page, url in urls.items()}
    grow(2, 58)
    many = {page: count(client, url) for page, url in urls.items()}
    assert few == many == PINNED
    for page, url in urls.items():
        with django_assert_max_num_queries(PINNED[page]):
            client.get(url)
