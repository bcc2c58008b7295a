"""The live alarm consoles (issue 16 item 2): what a console is sent and who is sent it.

Each change of an alarm (its arrival, a step of the response clock, an escalation) bumps the
alarm's ``version`` and ``changed_at`` (``touched``) and, once the transaction commits, is sent
on the "alarm" channel (``core.realtime``) to the groups of the school's organisation: the
school, its station, the sub-bureau and the city above it, its education bureau and the whole-
scope group. A console joins the groups of its user's data scope (``console_groups``), so the
same jurisdictions that may read the alarm hear of it. The message carries the alarm with its
police-only details; the consumer strips them for a user who may not see them
(``shown``), as the API does (``api.alarm_out`` is ``shown`` of ``alarm_data``).

No alarm is lost or shown twice: a console that (re)connects sends the latest ``changed_at`` it
has; ``catch_up`` answers every alarm in scope changed since then (less a grace of
``CATCH_UP_GRACE``, for a change whose transaction committed after a later one), and the
console keeps, per alarm, the highest version it has seen.

A press inside a 报备 window or a device's self-test is stored closed as a test (services): it
is not sent, so it never rings.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from huxiao.alarms import rules, selectors
from huxiao.alarms.choices import AlarmResult, AlarmState
from huxiao.alarms.models import AlarmEscalation, AlarmEvent
from huxiao.core import realtime
from huxiao.core.apikit.fields import display_name
from huxiao.core.prepared import PreparedValues
from huxiao.core.rowloader import JoinedRowLoader

PREFIX = "alarm"
VIEW = "alarms.view_alarmevent"
# A change committed this long after a later one is still caught up (transactions are short).
CATCH_UP_GRACE = dt.timedelta(seconds=30)
# The first load of a console: its open alarms, and those closed within this time.
RECENT = dt.timedelta(hours=12)
CATCH_UP_LIMIT = 200

POLICE_ONLY = (
    "dispatch_unit",
    "dispatch_patrol_id",
    "acknowledged_by",
    "dispatched_by",
    "on_scene_by",
    "closed_by",
    "close_note",
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _detail_url(alarm_id: int) -> str:
    try:
        return reverse("alarms:alarm_detail", args=[alarm_id])
    except NoReverseMatch:  # pages not mounted (an API-only deployment)
        return ""


def alarm_data(alarm: AlarmEvent, *, escalation_level: int | None = None) -> dict:
    """An alarm as the API and the consoles show it, police-only details included (``shown``
    strips them). Times are datetimes; ``live_data`` gives them as ISO text for a socket."""
    return {
        "id": alarm.pk,
        "version": alarm.version,
        "school_id": alarm.school_id,
        "school_name": alarm.school.organization.name,
        "kind": alarm.kind,
        "kind_label": alarm.get_kind_display(),
        "place": alarm.place,
        "state": alarm.state,
        "state_label": alarm.get_state_display(),
        "occurred_at": alarm.occurred_at,
        "received_at": alarm.received_at,
        "acknowledged_at": alarm.acknowledged_at,
        "dispatched_at": alarm.dispatched_at,
        "on_scene_at": alarm.on_scene_at,
        "closed_at": alarm.closed_at,
        "changed_at": alarm.changed_at,
        "result": alarm.result,
        "result_label": alarm.get_result_display() if alarm.result else "",
        "escalation_level": escalation_level,
        "dispatch_unit": alarm.dispatch_unit,
        "dispatch_patrol_id": alarm.dispatch_patrol_id,
        "acknowledged_by": display_name(alarm.acknowledged_by),
        "dispatched_by": display_name(alarm.dispatched_by),
        "on_scene_by": display_name(alarm.on_scene_by),
        "closed_by": display_name(alarm.closed_by),
        "close_note": alarm.close_note,
    }


def shown(data: dict, *, police: bool, respond: bool) -> dict:
    """``data`` as one user sees it: without the police-only details unless ``police``, with the
    steps this user may take now (none unless ``respond``)."""
    out = data if police else {k: v for k, v in data.items() if k not in POLICE_ONLY}
    return out | {"allowed_actions": rules.allowed_actions(data["state"]) if respond else []}


def live_data(alarm: AlarmEvent, escalation_level: int | None = None) -> dict:
    """``alarm_data`` for a socket: ISO times, whether it rings, its page's address."""
    data = alarm_data(alarm, escalation_level=escalation_level)
    out = {k: _iso(v) if isinstance(v, dt.datetime) else v for k, v in data.items()}
    return out | {"rings": rings(alarm.state), "url": _detail_url(alarm.pk)}


def _levels(alarm_ids: list[int]) -> dict[int, int]:
    """The highest escalation level of each alarm escalated."""
    levels: dict[int, int] = {}
    rows = AlarmEscalation.objects.filter(alarm_id__in=alarm_ids).values_list("alarm_id", "level")
    for alarm_id, level in rows:
        levels[alarm_id] = max(level, levels.get(alarm_id, 0))
    return levels


def rings(state: str) -> bool:
    """A console rings for an alarm nobody has acknowledged yet (tests are stored closed)."""
    return state == AlarmState.RECEIVED


# ---- writes' side ------------------------------------------------------------------------------


def touched(alarm: AlarmEvent, at: dt.datetime | None = None) -> list[str]:
    """Mark a change of ``alarm`` (the caller saves it): a new version, changed now. Returns the
    fields to save with ``update_fields``."""
    alarm.version = (alarm.version or 0) + 1
    alarm.changed_at = at or timezone.now()
    return ["version", "changed_at"]


def push(alarm_id: int) -> None:
    """Send the alarm to the consoles of its jurisdictions once the transaction commits (its
    state then is what the consoles get). Nothing is sent for a test stored closed."""
    transaction.on_commit(lambda: _send(alarm_id))


# Each change of an alarm is read back once for its push: statements built once (core.rowloader,
# core.prepared), not compiled on every post of a busy morning.
_ALARM_FOR_PUSH = JoinedRowLoader(
    AlarmEvent,
    [
        "school",
        "school__organization",
        "acknowledged_by",
        "dispatched_by",
        "on_scene_by",
        "closed_by",
    ],
    by="id",
)
_TOP_LEVEL = PreparedValues(
    lambda alarm_id: (
        AlarmEscalation.objects.filter(alarm_id=alarm_id)
        .order_by("-level")
        .values_list("level")[:1]
    ),
    alarm_id=int,
)


def _send(alarm_id: int) -> None:
    alarm = _ALARM_FOR_PUSH.get(alarm_id)
    if alarm is None:
        return
    level = _TOP_LEVEL.first(alarm_id=alarm.pk)
    data = live_data(alarm, level[0] if level else None)
    # Each console is sent one of four texts, serialised once here rather than once per socket.
    texts = {
        viewer_key(police, respond): json.dumps(
            {"type": "alarm", "alarm": shown(data, police=police, respond=respond)},
            ensure_ascii=False,
        )
        for police in (False, True)
        for respond in (False, True)
    }
    message = {"type": "alarm.changed", "texts": texts}
    realtime.send_to_org(alarm.school.organization_id, message, PREFIX)


def viewer_key(police: bool, respond: bool) -> str:
    """Which of a message's texts a console is sent (``police``: sees police-only details;
    ``respond``: may take the steps of the response clock)."""
    return f"{int(police)}{int(respond)}"


# ---- consoles' side ----------------------------------------------------------------------------


def console_groups(user) -> list[str]:
    """The groups a user's console joins: their data scope's, when they may read alarms."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if not user.has_perm(VIEW):
        return []
    return realtime.scope_groups(user, PREFIX)


def catch_up(*, user, since: dt.datetime | None, now: dt.datetime | None = None) -> list[dict]:
    """What a console (re)connecting should have, oldest change first, each as ``live_data``
    (not yet ``shown``): every alarm in the user's scope changed since ``since`` less the grace,
    or on a first load (``since`` None) the open alarms and those closed recently. Tests stored
    closed are left out (they never ring and were never sent)."""
    now = now or timezone.now()
    rows = selectors.alarm_list(user=user).select_related(
        "acknowledged_by", "dispatched_by", "on_scene_by", "closed_by"
    )
    if since is None:
        rows = rows.exclude(state=AlarmState.CLOSED) | rows.filter(
            state=AlarmState.CLOSED, changed_at__gte=now - RECENT
        )
    else:
        rows = rows.filter(changed_at__gte=since - CATCH_UP_GRACE)
    # Tests stored closed on arrival (version 1) were never sent.
    rows = rows.exclude(result=AlarmResult.TEST, version=1)
    found = list(rows.order_by("-changed_at", "-id")[:CATCH_UP_LIMIT])
    levels = _levels([a.pk for a in found])
    return [live_data(alarm, levels.get(alarm.pk)) for alarm in reversed(found)]
