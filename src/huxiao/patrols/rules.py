"""Rules of 护学岗 and patrols, as pure functions (SPEC 2.4).

Sources: 攀公治〔2013〕41号 (seed 004): “持续推进校园‘护学岗’建设……将校园及周边纳入网格化巡逻的
必巡点……在上放学等重点时段、重点路段见警率、管事率、安全率得到提高”; seed 000: “严格落实‘护学岗’
和高峰勤务机制”, the “警校家” pilot schools with their 护学通道.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from huxiao.core import workcalendar

EARTH_RADIUS_M = 6_371_008.8
# A check-in may come this much before a window opens (people arrive early) and still count.
EARLY_MINUTES = 15
# 护学通道: seed 000 has the pilot schools' corridors planned “在校门前”, marked out “采用路面涂色，
# 使用交通锥桶等方式……形成固定的安全护学区” — a zone in front of the gate along its approach
# roads. No source gives a length: 3,000 m is this platform's bound on what is still in front
# of the gate; a vertex farther from the post is a mis-click or swapped coordinates.
CORRIDOR_REACH_M = 3000


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine on the WGS-84 mean radius; < 0.5% off)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = p2 - p1
    dlmb = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def corridor_reach_m(lat, lon, corridor) -> float:
    """How far from the post at (lat, lon) the corridor's farthest vertex is, in metres
    (``corridor``: a ring of [longitude, latitude] pairs)."""
    return max(distance_m(lat, lon, point[1], point[0]) for point in corridor)


def corridor_shape_problem(corridor) -> str:
    """A corridor is a list of [longitude, latitude] pairs of finite numbers ("" when it is)."""
    import math

    def point(p) -> bool:
        return (
            isinstance(p, list | tuple)
            and len(p) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
            and all(math.isfinite(v) for v in p)
            and -180 <= p[0] <= 180
            and -90 <= p[1] <= 90
        )

    if not isinstance(corridor, list | tuple) or not all(point(p) for p in corridor):
        return str(_("护学通道应为[经度, 纬度]坐标点的列表。"))
    return ""


def corridor_problem(lat, lon, corridor) -> str:
    """Why a 护学通道 does not belong to the post at (lat, lon) (Chinese), or "" when it does
    (or when there is no corridor or no position to measure from)."""
    if not corridor:
        return ""
    shape = corridor_shape_problem(corridor)
    if shape:
        return shape
    if lat is None or lon is None:
        return ""
    far = corridor_reach_m(lat, lon, corridor)
    if far <= CORRIDOR_REACH_M:
        return ""
    return str(_("护学通道有点距岗点 %(d)d 米，超过 %(max)d 米，请检查后重新绘制。")) % {
        "d": round(far),
        "max": CORRIDOR_REACH_M,
    }


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def window_at(windows: list[dict], moment: dt.time, *, early: int = EARLY_MINUTES) -> dict | None:
    """The window a local time falls in (from ``early`` minutes before it opens to its end)."""
    t = moment.hour * 60 + moment.minute
    for w in windows:
        if _minutes(w["start"]) - early <= t <= _minutes(w["end"]):
            return w
    return None


def validate_windows(windows) -> list[str]:
    """Problems of a post's windows (Chinese messages), empty when they are fine."""
    problems = []
    if not isinstance(windows, list) or not windows:
        return [str(_("至少要有一个值守时段。"))]
    codes = set()
    for n, w in enumerate(windows, start=1):
        try:
            start, end = _minutes(w["start"]), _minutes(w["end"])
        except (KeyError, ValueError, TypeError, AttributeError):
            problems.append(str(_("第%(n)d个时段的起止时间应为 HH:MM。")) % {"n": n})
            continue
        if not (0 <= start < end <= 24 * 60):
            problems.append(str(_("第%(n)d个时段的结束时间应晚于开始时间。")) % {"n": n})
        code = w.get("code") or ""
        if not code or code in codes:
            problems.append(str(_("第%(n)d个时段缺少代码或代码重复。")) % {"n": n})
        codes.add(code)
        if not (w.get("name") or "").strip():
            problems.append(str(_("第%(n)d个时段缺少名称。")) % {"n": n})
    return problems


def in_term(term_calendar: list | None, day: dt.date) -> bool:
    """Inside one of the school's terms; a school without a calendar is in term every day."""
    if not term_calendar:
        return True
    for term in term_calendar:
        try:
            start = dt.date.fromisoformat(str(term["start"]))
            end = dt.date.fromisoformat(str(term["end"]))
        except (KeyError, ValueError, TypeError):
            continue
        if start <= day <= end:
            return True
    return False


def is_school_day(term_calendar: list | None, day: dt.date) -> bool:
    """A working day on the official calendar (holidays off, 调休 Saturdays on) in term."""
    return workcalendar.is_workday(day) and in_term(term_calendar, day)


def already_checked_in(first: dt.time, who: str = "") -> str:
    """What a person is told when they check in again at a post in a window where they already
    have a valid check-in (``first``: its local time): nothing more is stored, since a person
    at a post counts once per window — the statistics' person-times are distinct (person, post,
    window), docs/patrols.md, and seed 004 counts “人次” of those who stood there. ``who``: the
    person's name when a supervisor records it for them (补录)."""
    at = f"{first:%H:%M}"
    if who:
        return str(_("%(who)s已在本时段签到（%(time)s），不重复计数。")) % {"who": who, "time": at}
    return str(_("您已在本时段签到（%(time)s），不重复计数。")) % {"time": at}


@dataclass(frozen=True)
class Verdict:
    is_valid: bool
    window: str
    distance_m: int | None
    problem: str


def judge_checkin(
    *,
    post_lat,
    post_lon,
    radius_m: int,
    windows: list[dict],
    local_time: dt.time,
    school_day: bool,
    lat=None,
    lon=None,
    accuracy_m: int | None = None,
    proof: str = "gps",
) -> Verdict:
    """Valid when inside the post's radius and inside a window on a school day.

    A GPS fix counts with its accuracy: the point may be up to ``accuracy`` metres off, but a
    fix worse than the radius itself cannot prove presence. A QR scan proves presence by
    itself; a supervisor's manual entry is taken as given (and shown as the weakest proof).
    """
    window = window_at(windows, local_time)
    distance = None
    if lat is not None and lon is not None:
        distance = round(distance_m(post_lat, post_lon, lat, lon))
    if not school_day:
        return Verdict(
            False, window["code"] if window else "", distance, str(_("今天不是上学日。"))
        )
    if window is None:
        return Verdict(False, "", distance, str(_("不在值守时段内。")))
    if proof == "gps":
        if distance is None:
            return Verdict(False, window["code"], None, str(_("没有定位信息。")))
        if accuracy_m is not None and accuracy_m > radius_m:
            return Verdict(
                False,
                window["code"],
                distance,
                str(_("定位精度 %(acc)d 米，超过打卡半径 %(r)d 米，请到开阔处重试或扫岗点二维码。"))
                % {"acc": accuracy_m, "r": radius_m},
            )
        if distance > radius_m:
            return Verdict(
                False,
                window["code"],
                distance,
                str(_("距岗点 %(d)d 米，超出打卡范围（%(r)d 米）。"))
                % {"d": distance, "r": radius_m},
            )
    return Verdict(True, window["code"], distance, "")
