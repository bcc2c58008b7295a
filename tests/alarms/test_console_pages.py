"""The console page and an alarm's surroundings panel (issue 16 item 2): who may open them, and
the units nearest the school — people checked in at a 护学岗 within the last two hours and
patrols under way at their last checkpoint — nearest first, each with its distance, read in
the user's scope; the school's guards on duty and its cameras."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import selectors, services
from huxiao.alarms.choices import AlarmKind
from huxiao.core.models import Organization
from huxiao.patrols import services as patrol_services
from huxiao.patrols.choices import PatrolStatus, PersonKind, ProofKind
from huxiao.patrols.models import CheckIn, Checkpoint, CheckpointVisit, PatrolLog, PatrolRoute
from huxiao.schools import services as school_services
from huxiao.schools.choices import DeviceKind

SCHOOL = (Decimal("26.580000"), Decimal("101.720000"))
# About 111 m per 0.001 degree of latitude.
NEAR = (Decimal("26.581000"), Decimal("101.720000"))  # ~111 m north
FAR = (Decimal("26.590000"), Decimal("101.720000"))  # ~1.1 km north
OTHER = (Decimal("26.560000"), Decimal("101.700000"))  # station 乙's school

# Who may open the console and the panel of an alarm at school_a (station 甲, bureau 甲).
CONSOLE = {
    "commander": 200,
    "officer_a": 200,
    "officer_b": 200,
    "edu_officer": 200,
    "chief": 200,
    "guard": 200,
    "admin": 200,
    "outsider": 200,
    "volunteer": 403,
    "auditor": 403,
}
PANEL = CONSOLE | {"officer_b": 404, "outsider": 404}


def _surroundings(user, alarm):
    # read as the panel reads it: the alarm through the user's scope, fresh
    return selectors.alarm_surroundings(
        user=user, alarm=selectors.alarm_get(user=user, pk=alarm.pk)
    )


@pytest.fixture
def alarm(devices):
    now = timezone.now()
    return services.alarm_record(
        device=devices[0].device,
        school=devices[0].school,
        event_id="E-PANEL",
        kind=AlarmKind.EMERGENCY,
        place="门卫室",
        occurred_at=now,
        received_at=now,
    )


def _checkin(post, user, kind, at, where):
    return CheckIn.objects.create(
        post=post,
        school=post.school,
        user=user,
        person_kind=kind,
        date=timezone.localdate(at),
        at=at,
        latitude=where[0],
        longitude=where[1],
        proof=ProofKind.GPS,
        is_valid=True,
        idempotency_key=uuid.uuid4().hex,
    )


@pytest.fixture
def on_duty(devices, people, city):
    """Near school_a: officer_a checked in 10 minutes ago ~111 m away, the school's guard at
    its gate, a patrol of station 甲 last seen ~1.1 km away; station 乙's officer checked in at
    his own school (outside officer_a's scope); an hour-old check-in 3 hours ago (gone)."""
    Organization.objects.filter(pk=city.school_a.pk).update(latitude=SCHOOL[0], longitude=SCHOOL[1])
    now = timezone.now()
    school_a, school_b = devices[0].school, devices[1].school
    post_a = patrol_services.post_create(
        school=school_a, name="南门护学岗", latitude=NEAR[0], longitude=NEAR[1]
    )
    post_b = patrol_services.post_create(
        school=school_b, name="正门护学岗", latitude=OTHER[0], longitude=OTHER[1]
    )
    _checkin(post_a, people.officer_a, PersonKind.POLICE, now - dt.timedelta(minutes=10), NEAR)
    _checkin(post_a, people.guard, PersonKind.GUARD, now - dt.timedelta(minutes=5), SCHOOL)
    _checkin(post_b, people.officer_b, PersonKind.POLICE, now - dt.timedelta(minutes=5), OTHER)
    if timezone.localtime(now).hour >= 3:  # still today three hours ago
        _checkin(post_a, people.commander, PersonKind.POLICE, now - dt.timedelta(hours=3), SCHOOL)
    route = PatrolRoute.objects.create(organization=city.station_a, name="一号路线")
    point = Checkpoint.objects.create(
        route=route, name="桥头", latitude=FAR[0], longitude=FAR[1], order=1
    )
    log = PatrolLog.objects.create(
        route=route,
        organization=city.station_a,
        leader=people.officer_a,
        date=timezone.localdate(now),
        started_at=now - dt.timedelta(minutes=30),
        status=PatrolStatus.IN_PROGRESS,
    )
    CheckpointVisit.objects.create(
        log=log,
        checkpoint=point,
        at=now - dt.timedelta(minutes=8),
        latitude=FAR[0],
        longitude=FAR[1],
        proof=ProofKind.GPS,
    )
    school_services.device_create(
        school=school_a,
        kind=DeviceKind.CAMERA,
        name="南门摄像机",
        networked_police=True,
        stream_url="https://video.example.gov.cn/live/nanmen",
    )
    return log


@pytest.mark.parametrize("name", sorted(CONSOLE))
def test_each_user_gets_the_console_and_the_panel_of_their_jurisdiction(name, alarm, client_for):
    client = client_for(name)
    assert client.get(reverse("alarms:console")).status_code == CONSOLE[name]
    panel = client.get(reverse("alarms:alarm_surroundings", args=[alarm.pk]))
    assert panel.status_code == PANEL[name]
    missing = client.get(reverse("alarms:alarm_surroundings", args=[alarm.pk + 1000]))
    assert missing.status_code == (404 if PANEL[name] != 403 else 403)


def test_the_console_page_holds_the_socket_and_the_arm_button(client_for):
    page = client_for("officer_a").get(reverse("alarms:console")).content.decode()
    assert 'data-ws-path="/ws/alarms/"' in page
    assert "启用声音" in page and 'data-respond="1"' in page
    assert 'data-respond="0"' in client_for("chief").get(reverse("alarms:console")).content.decode()


def test_the_units_nearest_the_school_come_first_with_their_distances(alarm, on_duty, people):
    found = _surroundings(people.officer_a, alarm)
    got = [(u.kind, u.label, u.distance_m) for u in found.units]
    assert [kind for kind, _label, _m in got] == ["post", "post", "patrol"]
    guard, officer, patrol = got
    assert guard[2] == 0 and "保安" in guard[1]
    assert 105 <= officer[2] <= 117 and "民警" in officer[1]
    assert 1090 <= patrol[2] <= 1130 and "一号路线" in patrol[1]
    assert found.units[2].patrol_id == on_duty.pk
    # station 乙's officer is outside officer_a's scope; a check-in 3 hours old is not "now"
    labels = " ".join(u.label for u in found.units)
    assert people.officer_b.display_name not in labels
    assert people.commander.display_name not in labels
    assert found.guards_on_duty == [people.guard.display_name]
    assert "南门摄像机" in [c.name for c in found.cameras]  # with the fixture's own camera
    # the city sees station 乙's officer too, farther away
    city_view = _surroundings(people.commander, alarm)
    assert people.officer_b.display_name in " ".join(u.label for u in city_view.units)


def test_the_panel_shows_the_units_and_the_map(alarm, on_duty, client_for):
    page = client_for("officer_a").get(reverse("alarms:alarm_surroundings", args=[alarm.pk]))
    html = page.content.decode()
    assert html.count('data-testid="nearby-unit"') == 3
    assert 'data-hx-map="points"' in html and "报警学校" in html
    assert "南门摄像机" in html and "已联网公安" in html
    assert 'href="https://video.example.gov.cn/live/nanmen"' in html and "实时画面" in html


def test_a_school_without_coordinates_lists_units_without_distance(alarm, people, devices):
    post = patrol_services.post_create(
        school=devices[0].school, name="北门护学岗", latitude=NEAR[0], longitude=NEAR[1]
    )
    _checkin(post, people.officer_a, PersonKind.POLICE, timezone.now(), NEAR)
    found = _surroundings(people.officer_a, alarm)
    assert found.latitude is None
    assert [u.distance_m for u in found.units] == [None]
