"""Pure rules of the alarms module: how a device signs a post, when a signed post is fresh,
the response clock's one transition table, and to whom and when an alarm nobody acknowledges
escalates.

Sources: SPEC 2.6 ("devices post signed events; each event is stored before it is
acknowledged … followed through received → acknowledged → dispatched → on scene → closed";
"tests are reported in advance (报备) and never count as false alarms") and issue 16 (HMAC-SHA256
over timestamp, nonce and body with a per-device secret, a replay window, a rotation window;
item 4, escalation of an alarm nobody acknowledges).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.alarms.choices import AlarmAction, AlarmResult, AlarmState
from huxiao.core.choices import OrgKind

S = AlarmState

# The headers a device sends with every post.
HEADER_DEVICE = "X-Huxiao-Device"
HEADER_TIMESTAMP = "X-Huxiao-Timestamp"
HEADER_NONCE = "X-Huxiao-Nonce"
HEADER_SIGNATURE = "X-Huxiao-Signature"
NONCE_MIN, NONCE_MAX = 8, 64


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, hex (what the device is configured with)."""
    return secrets.token_hex(32)


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    """What is signed: ``<timestamp>\\n<nonce>\\n<body bytes>`` (the body exactly as sent)."""
    return timestamp.encode("ascii") + b"\n" + nonce.encode("ascii") + b"\n" + body


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """HMAC-SHA256 of the signed message under the device's secret, lower-case hex."""
    return hmac.new(
        secret.encode("utf-8"), signed_message(timestamp, nonce, body), hashlib.sha256
    ).hexdigest()


def signature_matches(
    secrets_in_force: list[str], timestamp: str, nonce: str, body: bytes, given: str
) -> bool:
    """Whether ``given`` is the signature under one of the secrets in force (constant time)."""
    given = given.strip().lower()
    if not given.isascii():
        return False  # a header may carry any Latin-1 text; compare_digest takes ASCII only
    ok = False
    for secret in secrets_in_force:
        ok |= hmac.compare_digest(signature(secret, timestamp, nonce, body), given)
    return ok


def secrets_in_force(
    secret: str, previous: str, previous_valid_until, now: dt.datetime
) -> list[str]:
    """The current secret, and during a rotation window the previous one too."""
    found = [secret] if secret else []
    if previous and previous_valid_until is not None and now < previous_valid_until:
        found.append(previous)
    return found


def parse_timestamp(raw: str) -> dt.datetime | None:
    """A Unix time in whole seconds (what the device signs) as an aware UTC time, or None."""
    raw = (raw or "").strip()
    if not raw.isdigit() or len(raw) > 12:
        return None
    return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)


def is_fresh(sent: dt.datetime, now: dt.datetime, window_seconds: int) -> bool:
    """Within the replay window either side of now (a device clock a little ahead is fine);
    the boundary itself is still fresh."""
    return abs((now - sent).total_seconds()) <= window_seconds


def nonce_problem(nonce: str) -> bool:
    return not (
        NONCE_MIN <= len(nonce) <= NONCE_MAX
        and nonce.isascii()
        and nonce.isprintable()
        and " " not in nonce
    )


# ---- the response clock ----------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step of the response clock: from which states, to which, what the button says, and
    which of the service's arguments it needs (with the message when one is missing)."""

    action: str
    sources: tuple[str, ...]
    target: str
    label: object
    time_field: str
    actor_field: str
    required: tuple[tuple[str, object], ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            AlarmAction.ACKNOWLEDGE,
            (S.RECEIVED,),
            S.ACKNOWLEDGED,
            gettext_lazy("签收"),
            "acknowledged_at",
            "acknowledged_by",
        ),
        Transition(
            AlarmAction.DISPATCH,
            (S.ACKNOWLEDGED,),
            S.DISPATCHED,
            gettext_lazy("派警"),
            "dispatched_at",
            "dispatched_by",
            required=(("unit", gettext_lazy("请填写出警单位，或选择一条巡逻记录。")),),
        ),
        Transition(
            AlarmAction.ON_SCENE,
            (S.DISPATCHED,),
            S.ON_SCENE,
            gettext_lazy("到场"),
            "on_scene_at",
            "on_scene_by",
        ),
        # A false press found at 签收 is closed without sending anyone.
        Transition(
            AlarmAction.CLOSE,
            (S.ACKNOWLEDGED, S.DISPATCHED, S.ON_SCENE),
            S.CLOSED,
            gettext_lazy("处置完毕"),
            "closed_at",
            "closed_by",
            required=(("result", gettext_lazy("请选择处置结果。")),),
        ),
    )
}


def transition_problem(action: str, state: str) -> str | None:
    """A Chinese message saying why ``action`` is not allowed in ``state``, or None."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("未知的操作：%(a)s") % {"a": action}
    if state not in transition.sources:
        return _("报警当前状态为“%(state)s”，不能执行“%(action)s”。") % {
            "state": S(state).label,
            "action": transition.label,
        }
    return None


def allowed_actions(state: str) -> list[str]:
    return [a for a, t in TRANSITIONS.items() if state in t.sources]


def counts_as_false(result: str) -> bool:
    """Only 误报/误触 is a false alarm; a press inside a 报备 window is a test (SPEC 2.6)."""
    return result == AlarmResult.FALSE


def in_window(at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """Inside a test window: from its start up to and including its end."""
    return starts_at <= at <= ends_at


def percentile(values: list[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100), rounded to one decimal; None when there is nothing to
    take it of. Linear interpolation between the two nearest ranks (Excel's PERCENTILE.INC,
    numpy's default): rank ``p/100 × (n − 1)`` counted from 0, so p50 is the median (the mean
    of the two middle values when n is even) and p90 of 1…10 is 9.1. Source: issue 16 item 7,
    "time to 签收, to 派警, to 到场 (median, p90)"."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return round(value, 1)


def median(values: list[float]) -> float | None:
    """The median, rounded to one decimal; None when there is nothing to take it of."""
    return percentile(values, 50)


# The readings of a response time the figures and the statistics page give (issue 16 item 7).
STATISTICS = {"median": 50, "p90": 90}


def false_press_rate(false_presses: int, presses: int) -> float | None:
    """误报/误触 as a per cent of the presses that were not tests (one decimal; None without
    presses): a press inside a 报备 window or a self-test is a test and counts in neither
    (SPEC 2.6 "tests … never count as false alarms"; issue 16 item 7 "false-press rate per
    school (alert fatigue)")."""
    if not presses:
        return None
    return round(100 * false_presses / presses, 1)


# ---- escalation (issue 16 item 4) ---------------------------------------------------------------
#
# Source: issue 16 item 4, "an alarm not acknowledged within N seconds (setting, default 60)
# escalates to the sub-bureau, then to the city command centre, each with an urgent
# notification; every escalation recorded on the alarm", and SPEC 2.6 "unacknowledged alarms
# escalate (sub-bureau, then city) after a set time".


def escalates(state: str) -> bool:
    """Only an alarm still waiting for 签收 escalates: an acknowledged one has stopped, and a
    test (报备 window, self-test) is stored already closed, so it never does."""
    return state == S.RECEIVED


def escalation_targets(police_above: list) -> list:
    """The organisations an alarm escalates to, level 1 first, from the police organisations
    above the school's station (each with ``kind``), nearest first: the nearest sub-bureau,
    then the top police organisation above it (the city's command centre). A station directly
    under the city has one level, the city; a school with no police above it has none."""
    if not police_above:
        return []
    top = police_above[-1]
    sub = next((o for o in police_above if o.kind == OrgKind.SUB_BUREAU), None)
    if sub is None or sub is top:
        return [top]
    return [sub, top]


def escalation_due_at(
    received_at: dt.datetime, last_escalated_at: dt.datetime | None, seconds: int
) -> dt.datetime:
    """When the next level is due: N seconds after receipt, then another N seconds after the
    previous escalation (each level gets its full N seconds to answer, even after a late run)."""
    return (last_escalated_at or received_at) + dt.timedelta(seconds=seconds)


def escalation_due(
    *,
    state: str,
    received_at: dt.datetime,
    last_escalated_at: dt.datetime | None,
    levels_done: int,
    levels_possible: int,
    seconds: int,
    now: dt.datetime,
) -> bool:
    """Whether the next level is due now; the due instant itself is due."""
    if not escalates(state) or levels_done >= levels_possible:
        return False
    return now >= escalation_due_at(received_at, last_escalated_at, seconds)


# ---- device supervision (issue 16 item 6) -----------------------------------------------------
# "Device supervision: heartbeats (signed like events); a device silent longer than its interval
# (setting) goes offline and raises a hazard (source: device offline) for the school".


def heartbeat_interval(own: int | None, default: int) -> int:
    """A device's interval: its own when set, else the parameter."""
    return int(own) if own else int(default)


def offline_since(last_heartbeat_at: dt.datetime, interval: int) -> dt.datetime:
    """When a silent device went offline: the moment its interval ran out after its last
    heartbeat (a device is allowed its interval; from then on it is missing)."""
    return last_heartbeat_at + dt.timedelta(seconds=interval)


def is_silent(last_heartbeat_at: dt.datetime | None, interval: int, now: dt.datetime) -> bool:
    """Silent *longer* than its interval: at exactly the interval it is still online. A device
    that never sent a heartbeat is not supervised, so never silent."""
    if last_heartbeat_at is None:
        return False
    return now > offline_since(last_heartbeat_at, interval)


def hours_within(
    start: dt.datetime, end: dt.datetime | None, lo: dt.datetime, hi: dt.datetime
) -> float:
    """Hours of the outage [start, end) inside [lo, hi) (``end`` None: still open, counted to
    ``hi``); 0 when they do not meet."""
    end = hi if end is None else min(end, hi)
    seconds = (end - max(start, lo)).total_seconds()
    return max(seconds, 0.0) / 3600
