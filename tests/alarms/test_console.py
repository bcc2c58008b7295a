"""The live alarm console (ws/alarms/, issue 16 item 2) with real WebSocket clients over the
project's ASGI application: an alarm of school_a (station 甲, the 分局 and the city above it,
education bureau 甲) reaches those consoles and the school's own, not station 乙's; the school
and its bureau get it without the police-only details; a 报备 press never rings; every step and
escalation follows; a console that reconnects catches up on what it missed, once."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone

from huxiao.alarms import live, services
from huxiao.alarms.choices import AlarmAction, AlarmKind, AlarmResult
from huxiao.core.realtime import all_group, org_group
from tests.alarms.conftest import press
from tests.conftest import make_user
from tests.core.test_realtime import connect_as

PATH = "/ws/alarms/"
pytestmark = pytest.mark.django_db(transaction=True)


async def _open(user, since=None):
    communicator, connected, code = await connect_as(user, PATH)
    assert connected, (user.username, code)
    assert await communicator.receive_json_from() == {"type": "hello"}
    await _send(communicator, {"type": "catch_up", "since": since})
    first = await communicator.receive_json_from()
    assert first["type"] == "alarms", first
    return communicator, first["alarms"]


async def _send(communicator, content: dict) -> None:
    await communicator.send_input({"type": "websocket.receive", "text": json.dumps(content)})


async def _silent(communicator, seconds=0.3) -> bool:
    await asyncio.sleep(seconds)
    return communicator.output_queue.empty()


def _record(device, event_id="E-1", kind=AlarmKind.EMERGENCY, at=None):
    at = at or timezone.now()
    return services.alarm_record(
        device=device.device,
        school=device.school,
        event_id=event_id,
        kind=kind,
        place="门卫室",
        occurred_at=at,
        received_at=at,
    )


@pytest.fixture
def sub_officer(people):
    return make_user("sub_officer", people.officer_a.organization.parent, "officer")


def test_an_alarm_rings_on_the_consoles_of_its_jurisdictions_only(devices, people, sub_officer):
    school_a = devices[0]

    async def scenario():
        consoles = {}
        for name, user in (
            ("officer_a", people.officer_a),
            ("sub", sub_officer),
            ("commander", people.commander),
            ("edu_officer", people.edu_officer),
            ("chief", people.chief),
            ("officer_b", people.officer_b),
        ):
            consoles[name], found = await _open(user)
            assert found == [], name
        alarm = await sync_to_async(_record)(school_a)
        for name in ("officer_a", "sub", "commander", "edu_officer", "chief"):
            message = await consoles[name].receive_json_from()
            assert message["type"] == "alarm", name
            shown = message["alarm"]
            assert (shown["id"], shown["version"], shown["rings"]) == (alarm.pk, 1, True), name
            assert shown["school_name"] == "甲小学"
        assert await _silent(consoles["officer_b"])
        for communicator in consoles.values():
            await communicator.disconnect()

    async_to_sync(scenario)()


def test_the_school_and_its_bureau_get_no_police_only_details(devices, people):
    school_a = devices[0]

    def acknowledge_and_dispatch(alarm):
        services.alarm_transition(
            alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=people.officer_a
        )
        return services.alarm_transition(
            alarm=alarm, action=AlarmAction.DISPATCH, actor=people.officer_a, unit="甲所巡逻一组"
        )

    async def scenario():
        alarm = await sync_to_async(_record)(school_a)
        police, _ = await _open(people.officer_a)
        chief, _ = await _open(people.chief)
        edu, _ = await _open(people.edu_officer)
        await sync_to_async(acknowledge_and_dispatch)(alarm)
        for step in ("acknowledged", "dispatched"):
            got = {
                n: (await c.receive_json_from())["alarm"]
                for n, c in (("police", police), ("chief", chief), ("edu", edu))
            }
            assert got["police"]["state"] == step
            assert got["police"]["acknowledged_by"] == people.officer_a.display_name
            assert got["police"]["rings"] is False
            for name in ("chief", "edu"):
                assert got[name]["state"] == step
                for key in live.POLICE_ONLY:
                    assert key not in got[name], (name, key)
                assert got[name]["allowed_actions"] == []
        assert got["police"]["dispatch_unit"] == "甲所巡逻一组"
        assert got["police"]["allowed_actions"] == ["on_scene", "close"]
        for c in (police, chief, edu):
            await c.disconnect()

    async_to_sync(scenario)()


def test_a_press_inside_a_reported_test_window_does_not_ring(devices, people):
    school_a = devices[0]
    now = timezone.now()

    def report_and_press():
        services.test_window_create(
            school=school_a.school,
            starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(minutes=30),
            note="月度测试",
            actor=people.chief,
        )
        return _record(school_a, "T-1", at=now)

    async def scenario():
        console, _ = await _open(people.officer_a)
        alarm = await sync_to_async(report_and_press)()
        assert alarm.result == AlarmResult.TEST
        assert await _silent(console)
        # nor does a reconnecting console get it
        again, found = await _open(
            people.officer_a, since=(now - dt.timedelta(hours=1)).isoformat()
        )
        assert found == []
        await console.disconnect()
        await again.disconnect()

    async_to_sync(scenario)()


def test_an_escalation_reaches_the_consoles_with_its_level(devices, people, settings):
    settings.ALARMS_ESCALATION_SECONDS = 60
    school_a = devices[0]
    received = timezone.now() - dt.timedelta(seconds=61)

    async def scenario():
        console, _ = await _open(people.commander)
        alarm = await sync_to_async(_record)(school_a, at=received)
        assert (await console.receive_json_from())["alarm"]["escalation_level"] is None
        await sync_to_async(services.alarm_escalate_due)()
        shown = (await console.receive_json_from())["alarm"]
        assert (shown["id"], shown["version"], shown["escalation_level"]) == (alarm.pk, 2, 1)
        assert shown["rings"] is True
        await console.disconnect()

    async_to_sync(scenario)()


def test_a_console_that_reconnects_gets_what_it_missed_once(devices, people):
    school_a, school_b = devices

    async def scenario():
        console, found = await _open(people.officer_a)
        first = await sync_to_async(_record)(school_a, "E-1")
        message = await console.receive_json_from()
        cursor = message["alarm"]["changed_at"]
        await console.disconnect()
        # while it is away: a second alarm, the first acknowledged, another station's alarm
        second = await sync_to_async(_record)(school_a, "E-2")
        await sync_to_async(services.alarm_transition)(
            alarm=first, action=AlarmAction.ACKNOWLEDGE, actor=people.officer_b
        )
        await sync_to_async(_record)(school_b, "E-3")
        again, found = await _open(people.officer_a, since=cursor)
        latest = {}
        for shown in found:  # the console keeps the highest version of each alarm
            if shown["version"] >= latest.get(shown["id"], {}).get("version", 0):
                latest[shown["id"]] = shown
        assert set(latest) == {first.pk, second.pk}
        assert (latest[first.pk]["version"], latest[first.pk]["state"]) == (2, "acknowledged")
        assert latest[second.pk]["rings"] is True
        assert await _silent(again)
        await again.disconnect()
        # a first load (no cursor) holds the open alarms of the scope
        fresh, found = await _open(people.officer_a)
        assert {a["id"] for a in found} == {first.pk, second.pk}
        await fresh.disconnect()

    async_to_sync(scenario)()


def test_a_bad_cursor_is_refused_in_chinese_and_the_socket_stays(devices, people):
    async def scenario():
        communicator, connected, _ = await connect_as(people.officer_a, PATH)
        assert connected
        await communicator.receive_json_from()
        await _send(communicator, {"type": "catch_up", "since": "yesterday"})
        message = await communicator.receive_json_from()
        assert message["type"] == "error" and "ISO" in message["detail"]
        await _send(communicator, {"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong"}
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_who_may_open_a_console(people, city):
    """Without the alarms permission the socket is closed (a volunteer, the auditor); with it,
    a console joins its data scope's groups only: the school's guard hears its school, the
    security company's officer its company (no school: it hears nothing)."""

    async def scenario():
        for user in (people.volunteer, people.auditor):
            _c, connected, code = await connect_as(user, PATH)
            assert not connected and code == 4403, user.username

    async_to_sync(scenario)()
    assert live.console_groups(people.officer_a) == [org_group(city.station_a.pk, "alarm")]
    assert live.console_groups(people.guard) == [org_group(city.school_a.pk, "alarm")]
    assert live.console_groups(people.outsider) == [org_group(city.company.pk, "alarm")]
    assert live.console_groups(people.commander) in (
        [org_group(city.city.pk, "alarm")],
        [all_group("alarm")],
    )


def test_a_device_post_rings_like_any_alarm(client, devices, people):
    async def scenario():
        console, _ = await _open(people.officer_a)
        response = await sync_to_async(press)(client, devices[0])
        assert response.status_code == 201
        shown = (await console.receive_json_from())["alarm"]
        assert shown["id"] == response.json()["id"] and shown["rings"] is True
        await console.disconnect()

    async_to_sync(scenario)()
