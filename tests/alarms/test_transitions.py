"""The response clock: received → 签收 → 派警 → 到场 → 处置完毕, each step timestamped and
attributed through the one transition table; every step out of order is refused with a Chinese
message and nothing written, by the service, the page and the API alike."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import rules, services
from huxiao.alarms.choices import AlarmAction, AlarmResult, AlarmState
from huxiao.alarms.models import AlarmEvent

pytestmark = pytest.mark.django_db

A = AlarmAction
S = AlarmState

# For each state, the actions the table allows, and so every other one is illegal.
ALLOWED = {
    S.RECEIVED: {A.ACKNOWLEDGE},
    S.ACKNOWLEDGED: {A.DISPATCH, A.CLOSE},
    S.DISPATCHED: {A.ON_SCENE, A.CLOSE},
    S.ON_SCENE: {A.CLOSE},
    S.CLOSED: set(),
}
ARGS = {
    A.DISPATCH: {"unit": "甲派出所巡逻组"},
    A.CLOSE: {"result": AlarmResult.REAL, "note": "已处置"},
}
PATH = {
    S.RECEIVED: [],
    S.ACKNOWLEDGED: [A.ACKNOWLEDGE],
    S.DISPATCHED: [A.ACKNOWLEDGE, A.DISPATCH],
    S.ON_SCENE: [A.ACKNOWLEDGE, A.DISPATCH, A.ON_SCENE],
    S.CLOSED: [A.ACKNOWLEDGE, A.CLOSE],
}


def _bring(alarm, state, actor):
    for action in PATH[state]:
        alarm = services.alarm_transition(
            alarm=alarm, action=action, actor=actor, **ARGS.get(action, {})
        )
    return alarm


def test_the_table_allows_exactly_these_steps():
    assert {s: set(rules.allowed_actions(s)) for s in S.values} == ALLOWED


def test_it_runs_the_whole_clock_timestamped_and_attributed(alarms, people):
    alarm, officer = alarms[0], people.officer_a
    before = timezone.now()
    alarm = _bring(alarm, S.ON_SCENE, officer)
    alarm = services.alarm_transition(
        alarm=alarm, action=A.CLOSE, actor=officer, result=AlarmResult.FALSE, note="学生误触"
    )
    alarm.refresh_from_db()
    assert alarm.state == S.CLOSED
    for field in ("acknowledged", "dispatched", "on_scene", "closed"):
        assert getattr(alarm, f"{field}_at") >= before
        assert getattr(alarm, f"{field}_by") == officer
    assert alarm.acknowledged_at <= alarm.dispatched_at <= alarm.on_scene_at <= alarm.closed_at
    assert (alarm.dispatch_unit, alarm.result, alarm.close_note) == (
        "甲派出所巡逻组",
        AlarmResult.FALSE,
        "学生误触",
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s in S.values for a in A.values if a not in ALLOWED[s]],
)
def test_it_refuses_each_illegal_step_and_writes_nothing(alarms, people, state, action):
    alarm = _bring(alarms[0], state, people.officer_a)
    before = AlarmEvent.objects.filter(pk=alarm.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.alarm_transition(
            alarm=alarm, action=action, actor=people.officer_a, **ARGS.get(action, {})
        )
    assert "不能执行" in refused.value.messages[0]
    assert AlarmEvent.objects.filter(pk=alarm.pk).values().get() == before


def test_it_needs_a_unit_to_dispatch_and_a_result_to_close(alarms, people):
    alarm = _bring(alarms[0], S.ACKNOWLEDGED, people.officer_a)
    with pytest.raises(ValidationError) as refused:
        services.alarm_transition(alarm=alarm, action=A.DISPATCH, actor=people.officer_a, unit=" ")
    assert "出警单位" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.alarm_transition(alarm=alarm, action=A.CLOSE, actor=people.officer_a)
    assert "处置结果" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.alarm_transition(alarm=alarm, action=A.CLOSE, actor=people.officer_a, result="x")
    alarm.refresh_from_db()
    assert alarm.state == S.ACKNOWLEDGED


def test_a_step_cannot_be_dated_before_the_previous_one(alarms, people):
    alarm = alarms[0]
    with pytest.raises(ValidationError):
        services.alarm_transition(
            alarm=alarm,
            action=A.ACKNOWLEDGE,
            actor=people.officer_a,
            at=alarm.received_at - dt.timedelta(seconds=1),
        )


def test_the_page_runs_each_step_and_refuses_one_out_of_order(alarms, client_for):
    alarm = alarms[0]
    client = client_for("officer_a")

    def step(action, data=None):
        return client.post(reverse("alarms:alarm_step", args=[alarm.pk, action]), data or {})

    refused = step("on_scene")
    assert refused.status_code == 400
    assert "报警当前状态为“待签收”，不能执行“到场”" in refused.content.decode()
    assert step("acknowledge").status_code == 302
    missing = step("dispatch", {"unit": ""})
    assert missing.status_code == 400
    assert "请填写出警单位" in missing.content.decode()
    assert step("dispatch", {"unit": "甲派出所巡逻组"}).status_code == 302
    assert step("on_scene").status_code == 302
    assert step("close", {"result": "", "note": ""}).status_code == 400
    assert step("close", {"result": "false", "note": "误触"}).status_code == 302
    assert step("nonsense").status_code == 404
    alarm.refresh_from_db()
    assert (alarm.state, alarm.result) == (S.CLOSED, AlarmResult.FALSE)
    page = client.get(reverse("alarms:alarm_detail", args=[alarm.pk])).content.decode()
    assert "甲派出所巡逻组" in page and "误触" in page


def test_the_api_runs_each_step_and_refuses_one_out_of_order(alarms, client_for):
    alarm = alarms[0]
    client = client_for("officer_a")
    url = f"/api/v1/alarms/{alarm.pk}/transitions"

    def step(body):
        return client.post(url, body, content_type="application/json")

    refused = step({"action": "close", "result": "real"})
    assert refused.status_code == 400
    assert "不能执行" in refused.json()["detail"]
    assert step({"action": "unknown"}).status_code == 400
    ack = step({"action": "acknowledge"})
    assert ack.status_code == 200
    assert ack.json()["state"] == "acknowledged"
    assert ack.json()["acknowledged_by"]
    assert set(ack.json()["allowed_actions"]) == {"dispatch", "close"}
    assert step({"action": "dispatch"}).status_code == 400
    assert step({"action": "dispatch", "patrol_id": 999999}).status_code == 400
    done = step({"action": "close", "result": "false", "note": "误触"})
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["result"]) == ("closed", "false")
    assert done.json()["allowed_actions"] == []


def test_a_running_patrol_of_the_scope_can_be_sent(alarms, people, city, client_for):
    from decimal import Decimal

    from huxiao.patrols import services as patrols

    def running(org, leader):
        route = patrols.route_create(
            organization=org,
            name=f"{org.name}巡逻线",
            checkpoints=[
                {"name": "路口", "latitude": Decimal("26.5"), "longitude": Decimal("101.7")}
            ],
        )
        return patrols.patrol_start(route=route, leader=leader)

    mine, theirs = (
        running(city.station_a, people.officer_a),
        running(city.station_b, people.officer_b),
    )
    alarm = alarms[0]
    client = client_for("officer_a")
    assert (
        client.post(reverse("alarms:alarm_step", args=[alarm.pk, "acknowledge"])).status_code == 302
    )
    page = client.get(reverse("alarms:alarm_detail", args=[alarm.pk])).content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{theirs.pk}"' not in page
    url = f"/api/v1/alarms/{alarm.pk}/transitions"
    other = client.post(
        url, {"action": "dispatch", "patrol_id": theirs.pk}, content_type="application/json"
    )
    assert other.status_code == 400
    sent = client.post(
        reverse("alarms:alarm_step", args=[alarm.pk, "dispatch"]), {"unit": "", "patrol": mine.pk}
    )
    assert sent.status_code == 302
    alarm.refresh_from_db()
    assert (alarm.state, alarm.dispatch_patrol) == (S.DISPATCHED, mine)
    shown = client.get(f"/api/v1/alarms/{alarm.pk}").json()
    assert shown["dispatch_patrol_id"] == mine.pk
