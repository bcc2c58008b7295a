"""The live channel of the dashboards (ws/live/): a signed-in user joins the groups of their
scope; a check-in recorded at a school reaches the users whose jurisdiction holds the school
(its station, the city, its education bureau) and nobody else; anonymous sockets and users
without the dashboard permission are closed."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from huxiao.core import realtime
from huxiao.patrols import services
from huxiao.reports.consumers import groups_of
from tests.core.test_realtime import WebsocketCommunicator, _app, connect_as
from tests.patrols import conftest as patrol_fixtures

pschools = patrol_fixtures.pschools
posts = patrol_fixtures.posts

PATH = "/ws/live/"


async def _connect(user):
    return await connect_as(user, PATH)


async def _silent(communicator, seconds=0.3) -> bool:
    # (receive_output's timeout would cancel the consumer: look at its queue instead)
    await asyncio.sleep(seconds)
    return communicator.output_queue.empty()


@pytest.mark.django_db(transaction=True)
def test_a_check_in_reaches_the_jurisdictions_that_hold_the_school(people, posts):
    post_a = posts[0]

    async def scenario():
        sockets = {}
        for name in ("officer_a", "officer_b", "commander", "edu_officer"):
            communicator, connected, _code = await _connect(getattr(people, name))
            assert connected, name
            assert await communicator.receive_json_from() == {"type": "hello"}, name
            sockets[name] = communicator
        checkin, created = await sync_to_async(services.checkin_record)(
            post=post_a,
            user=people.guard,
            latitude=post_a.latitude,
            longitude=post_a.longitude,
            accuracy_m=8,
        )
        assert created, checkin
        for name in ("officer_a", "commander", "edu_officer"):
            message = await sockets[name].receive_json_from()
            assert message == {"type": "changed", "what": "checkin"}, name
        # station 02 holds neither the school nor its bureau: nothing arrives there
        assert await _silent(sockets["officer_b"])
        for communicator in sockets.values():
            await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_socket_is_closed(people):
    async def scenario():
        communicator = WebsocketCommunicator(
            _app(), PATH, headers=[(b"origin", b"http://localhost")]
        )
        connected, code = await communicator.connect()
        assert not connected and code == 4401

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_a_user_without_the_dashboard_is_closed(people):
    async def scenario():
        _communicator, connected, code = await _connect(people.guard)
        assert not connected and code == 4403

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_the_groups_follow_the_data_scope(people, city):
    assert groups_of(people.commander) == [realtime.org_group(city.city.pk)] or groups_of(
        people.commander
    ) == [realtime.ALL_GROUP]
    assert groups_of(people.officer_a) == [realtime.org_group(city.station_a.pk)]
    assert groups_of(people.edu_officer) == [realtime.org_group(city.edu_a.pk)]
    assert groups_of(people.guard) == []
    groups = realtime.org_groups(city.school_a.pk)
    assert realtime.org_group(city.station_a.pk) in groups
    assert realtime.org_group(city.edu_a.pk) in groups
    assert realtime.org_group(city.station_b.pk) not in groups
    assert realtime.ALL_GROUP in groups


class _RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_sub_bureau_and_the_school_hear_it_but_not_of_a_rolled_back_check_in(people, posts):
    from django.db import transaction

    from tests.conftest import make_user

    post_a = posts[0]
    sub_officer = make_user("sub_officer", people.officer_a.organization.parent, "officer")

    def record():
        return services.checkin_record(
            post=post_a,
            user=people.guard,
            latitude=post_a.latitude,
            longitude=post_a.longitude,
            accuracy_m=8,
        )

    def record_and_roll_back():
        try:
            with transaction.atomic():
                record()
                raise _RolledBack
        except _RolledBack:
            pass

    async def scenario():
        sockets = {}
        for name, user in (
            ("sub", sub_officer),
            ("chief", people.chief),
            ("outsider", people.outsider),
        ):
            communicator, connected, _code = await _connect(user)
            assert connected, name
            assert await communicator.receive_json_from() == {"type": "hello"}, name
            sockets[name] = communicator
        # broadcast on commit only: a check-in rolled back tells no one
        await sync_to_async(record_and_roll_back)()
        for name, communicator in sockets.items():
            assert await _silent(communicator), name
        await sync_to_async(record)()
        for name in ("sub", "chief"):
            message = await sockets[name].receive_json_from()
            assert message == {"type": "changed", "what": "checkin"}, name
        # the security company's officer holds neither the school nor its station
        assert await _silent(sockets["outsider"])
        for communicator in sockets.values():
            await communicator.disconnect()

    async_to_sync(scenario)()
