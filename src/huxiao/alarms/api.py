"""Alarms API: the devices' signed posts (``POST /alarm-events``, no session or token: the
device's HMAC signature is its credential), the alarms with their response clock, and test
windows (报备). Reads go through ``alarms.selectors`` (404 out of scope, 403 without the
permission); refusals are 4xx with a Chinese ``detail``.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from huxiao.alarms import live, rules, selectors, services, services_supervision
from huxiao.alarms.api_schemas import (
    AlarmAccepted,
    AlarmDetailOut,
    AlarmFilters,
    AlarmOut,
    HeartbeatAccepted,
    OutageFilters,
    OutageOut,
    TestWindowFilters,
    TestWindowIn,
    TestWindowOut,
    TransitionIn,
)
from huxiao.alarms.filtersets import AlarmFilterSet, OutageFilterSet, TestWindowFilterSet
from huxiao.alarms.models import AlarmEvent
from huxiao.core import context
from huxiao.core.apikit.errors import require_perm
from huxiao.core.apikit.fields import Shown, filtered, one

router = Router(tags=["alarms"])

VIEW = "alarms.view_alarmevent"

_SIGNED = {
    "description": (
        "设备或厂商平台上报报警。请求头：X-Huxiao-Device（设备编码）、X-Huxiao-Timestamp（Unix秒）、"
        "X-Huxiao-Nonce（8–64个字符，不得重复）、X-Huxiao-Signature（HMAC-SHA256，密钥为设备密钥，"
        "内容为“时间戳\\n随机数\\n请求体原文”，十六进制）。请求体：{event_id, kind, occurred_at?, "
        "place?}。同一 event_id 重复上报返回 200 且不新建。"
    ),
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["event_id", "kind"],
                    "properties": {
                        "event_id": {"type": "string", "maxLength": 64},
                        "kind": {
                            "type": "string",
                            "enum": ["emergency", "intrusion", "duress", "fire", "self_test"],
                        },
                        "occurred_at": {"type": "string", "format": "date-time"},
                        "place": {"type": "string", "maxLength": 64},
                    },
                }
            }
        },
    },
}


def _ingest_signed(request, ingest):
    """Call ``ingest`` with the device's signed post (its four headers and the raw body); a
    refusal answers its 4xx with the Chinese reason."""
    headers = request.headers
    try:
        return ingest(
            code=headers.get(rules.HEADER_DEVICE, ""),
            timestamp=headers.get(rules.HEADER_TIMESTAMP, ""),
            nonce=headers.get(rules.HEADER_NONCE, ""),
            signature=headers.get(rules.HEADER_SIGNATURE, ""),
            body=request.body,
            ip=context.current().ip,
        )
    except services.IngestRefused as refused:
        raise HttpError(refused.status, refused.message) from None


@router.post(
    "/alarm-events",
    auth=None,
    response={200: AlarmAccepted, 201: AlarmAccepted},
    summary="设备上报报警（HMAC-SHA256签名）",
    openapi_extra=_SIGNED,
)
def alarm_event_post(request):
    alarm, created = _ingest_signed(request, services.alarm_ingest)
    answer = {
        "id": alarm.pk,
        "state": alarm.state,
        "result": alarm.result,
        "duplicate": not created,
    }
    return Status(201 if created else 200, answer)


_HEARTBEAT = {
    "description": (
        "设备心跳，签名方式与报警上报完全相同（同样的四个请求头、重放窗口和随机数）。请求体可为空或"
        "任意JSON对象。超过心跳间隔无心跳的设备判为离线；离线设备的心跳结束离线记录。"
    ),
}


@router.post(
    "/alarm-heartbeats",
    auth=None,
    response={200: HeartbeatAccepted},
    summary="设备心跳（HMAC-SHA256签名，同报警上报）",
    openapi_extra=_HEARTBEAT,
)
def alarm_heartbeat_post(request):
    beat = _ingest_signed(request, services_supervision.heartbeat_ingest)
    credential = beat.credential
    return {
        "device": credential.code,
        "last_heartbeat_at": credential.last_heartbeat_at,
        "interval_seconds": services_supervision.interval_of(credential),
        "back_online": beat.ended is not None,
    }


@router.get("/alarm-outages", response=list[OutageOut], summary="报警设备离线记录")
@paginate(LimitOffsetPagination)
def outage_list(request, filters: Query[OutageFilters]):
    require_perm(request, "alarms.view_deviceoutage")
    rows = selectors.outage_list(user=request.user)
    return filtered(request, OutageFilterSet, rows, filters)


def alarm_out(alarm: AlarmEvent, user, police: bool) -> dict:
    """The alarm as the consoles show it (alarms.live), without its police-only details unless
    ``police``, with the steps ``user`` may take now."""
    return live.shown(live.alarm_data(alarm), police=police, respond=selectors.may_respond(user))


@router.get("/alarms", response=list[AlarmOut], summary="报警事件列表")
@paginate(LimitOffsetPagination)
def alarm_list(request, filters: Query[AlarmFilters]):
    require_perm(request, VIEW)
    user = request.user
    rows = filtered(request, AlarmFilterSet, selectors.alarm_list(user=user), filters)
    police = selectors.shows_police_details(user)
    rows = rows.select_related("acknowledged_by", "dispatched_by", "on_scene_by", "closed_by")
    return Shown(rows, lambda a: alarm_out(a, user, police))


def escalation_out(escalation, police: bool) -> dict:
    out = {
        "level": escalation.level,
        "level_label": escalation.get_level_display(),
        "escalated_at": escalation.escalated_at,
    }
    if police:
        out |= {
            "organization_id": escalation.organization_id,
            "organization_name": escalation.organization.name,
            "notified": escalation.notified,
        }
    return out


def _detail(request, alarm_id: int) -> dict:
    user = request.user
    alarm = selectors.alarm_get(user=user, pk=alarm_id)
    police = selectors.shows_police_details(user)
    return alarm_out(alarm, user, police) | {
        "escalations": [escalation_out(e, police) for e in selectors.alarm_escalations(alarm=alarm)]
    }


@router.get(
    "/alarms/{alarm_id}",
    response=AlarmDetailOut,
    summary="报警事件详情，含升级记录（学校、教育局不含公安处置细节）",
)
def alarm_detail(request, alarm_id: int):
    require_perm(request, VIEW)
    return _detail(request, alarm_id)


@router.post(
    "/alarms/{alarm_id}/transitions",
    response=AlarmDetailOut,
    summary="报警处置：签收、派警、到场、处置完毕（不允许的步骤返回400）",
)
def alarm_transition(request, alarm_id: int, payload: TransitionIn):
    require_perm(request, VIEW)
    require_perm(request, selectors.RESPOND)
    user = request.user
    if not selectors.may_respond(user):
        raise HttpError(403, _("没有权限执行此操作。"))
    alarm = selectors.alarm_get(user=user, pk=alarm_id)
    patrol = one(
        selectors.dispatchable_patrols(user=user),
        payload.patrol_id,
        field="patrol_id",
        label=_("巡逻记录"),
    )
    services.alarm_transition(
        alarm=alarm,
        action=payload.action,
        actor=user,
        unit=payload.unit,
        patrol=patrol,
        result=payload.result,
        note=payload.note,
    )
    return _detail(request, alarm_id)


@router.get("/alarm-test-windows", response=list[TestWindowOut], summary="测试报备列表")
@paginate(LimitOffsetPagination)
def test_window_list(request, filters: Query[TestWindowFilters]):
    require_perm(request, "alarms.view_testwindow")
    rows = selectors.test_window_list(user=request.user)
    return filtered(request, TestWindowFilterSet, rows, filters)


@router.post("/alarm-test-windows", response={201: TestWindowOut}, summary="登记测试报备")
def test_window_create(request, payload: TestWindowIn):
    require_perm(request, "alarms.add_testwindow")
    user = request.user
    school = one(
        selectors.schools_for(user=user), payload.school_id, field="school_id", label=_("学校")
    )
    window = services.test_window_create(
        school=school,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        note=payload.note,
        actor=user,
    )
    return Status(201, selectors.test_window_list(user=user).get(pk=window.pk))
