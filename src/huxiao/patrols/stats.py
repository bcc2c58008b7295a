"""Patrol statistics for a day over a jurisdiction (SPEC 2.4, seed 004's “每日安排巡逻警力
207人/次 … 81所中小学、幼儿园”): person-times per window, peak-window coverage, unstaffed posts,
missed checkpoints and a 见警率 proxy. Every figure is a count of records the user may see,
and school days only: on a national holiday nothing is expected, so nothing is missed.

Definitions (docs/patrols.md):
- police person-times (actual): distinct (person, post, window) with a valid check-in by a
  police officer, plus the police and auxiliary counts of patrol logs of the day;
- police person-times (scheduled, 安排): police shifts planned for the day;
- a post-window is *covered* when it has any valid check-in, *seen by police* when one of
  them is a police officer's; 见警率 = post-windows seen by police / expected post-windows;
- a school is covered in a window when one of its posts is covered in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from huxiao.patrols import rules
from huxiao.patrols.choices import PatrolStatus, PersonKind, ShiftStatus
from huxiao.patrols.models import CheckIn, CheckpointVisit, DutyShift, GuardPost, PatrolLog


@dataclass
class WindowStats:
    code: str
    name: str
    expected_posts: int = 0  # active post-windows on a school day
    covered_posts: int = 0
    police_posts: int = 0  # post-windows with a valid police check-in
    schools_expected: int = 0
    schools_covered: int = 0
    police_person_times: int = 0
    checkins: int = 0
    invalid_checkins: int = 0
    unstaffed: list = field(default_factory=list)  # [(post_id, school_id)]

    @property
    def police_rate(self) -> float | None:
        return self.police_posts / self.expected_posts if self.expected_posts else None

    @property
    def coverage_rate(self) -> float | None:
        return self.schools_covered / self.schools_expected if self.schools_expected else None


@dataclass
class DayStats:
    day: dt.date
    is_workday: bool
    schools_with_posts: int
    schools_in_session: int
    windows: list[WindowStats]
    police_person_times_checkins: int
    police_person_times_patrols: int
    police_person_times_scheduled: int
    patrols: int
    patrols_incomplete: int
    missed_checkpoints: int
    # The post-windows, (post id, window code), with a valid check-in and those with a police
    # officer's: the statistics page colours its map's posts from these, so that the map and
    # its legend read the very check-ins the window table counts (one query, one definition).
    covered_keys: frozenset[tuple[int, str]] = frozenset()
    police_keys: frozenset[tuple[int, str]] = frozenset()

    @property
    def police_person_times(self) -> int:
        return self.police_person_times_checkins + self.police_person_times_patrols

    @property
    def expected_posts(self) -> int:
        return sum(w.expected_posts for w in self.windows)

    @property
    def police_rate(self) -> float | None:
        expected = self.expected_posts
        return sum(w.police_posts for w in self.windows) / expected if expected else None


def _window_names(posts) -> dict[str, str]:
    names: dict[str, str] = {}
    for post in posts:
        for w in post["windows"]:
            names.setdefault(w["code"], w["name"])
    return names


def day_stats(*, user, day: dt.date, schools=None) -> DayStats:
    """The day's figures over the posts ``user`` sees (optionally within ``schools``)."""
    from huxiao.core import workcalendar

    posts_qs = GuardPost.objects.visible_to(user).filter(is_active=True)
    if schools is not None:
        posts_qs = posts_qs.filter(school__in=schools)
    posts = list(posts_qs.values("pk", "school_id", "windows", "school__term_calendar"))
    # One calendar look-up for the day, then each school's terms once (not once per post:
    # is_school_day reads the cached calendar table on every call).
    workday = workcalendar.is_workday(day)
    terms = {p["school_id"]: p["school__term_calendar"] for p in posts}
    in_session = {s for s, term in terms.items() if rules.in_term(term, day)} if workday else set()
    names = _window_names(posts)
    windows = {code: WindowStats(code, name) for code, name in names.items()}

    checkins = CheckIn.objects.visible_to(user).filter(date=day)
    if schools is not None:
        checkins = checkins.filter(school__in=schools)
    # One row per post-window (not per post, window, kind and validity): 4,000 rows for a
    # city of 2,000 posts instead of ~18,000, each a tuple.
    rows = (
        checkins.order_by()
        .values_list("post_id", "window")
        .annotate(
            valid=Count("pk", filter=Q(is_valid=True)),
            invalid=Count("pk", filter=Q(is_valid=False)),
            police=Count(
                "user", distinct=True, filter=Q(is_valid=True, person_kind=PersonKind.POLICE)
            ),
        )
    )
    covered: set[tuple[int, str]] = set()
    police: set[tuple[int, str]] = set()
    for post_id, code, valid, invalid, police_people in rows:
        w = windows.get(code)
        if w is None:
            continue
        w.invalid_checkins += invalid
        w.checkins += valid
        if valid:
            covered.add((post_id, code))
        if police_people:
            police.add((post_id, code))
            w.police_person_times += police_people

    school_windows: dict[str, set[int]] = defaultdict(set)
    school_covered: dict[str, set[int]] = defaultdict(set)
    for p in posts:
        if p["school_id"] not in in_session:
            continue
        for wdef in p["windows"]:
            w = windows[wdef["code"]]
            key = (p["pk"], wdef["code"])
            w.expected_posts += 1
            school_windows[wdef["code"]].add(p["school_id"])
            if key in covered:
                w.covered_posts += 1
                school_covered[wdef["code"]].add(p["school_id"])
            else:
                w.unstaffed.append((p["pk"], p["school_id"]))
            if key in police:
                w.police_posts += 1
    for code, w in windows.items():
        w.schools_expected = len(school_windows[code])
        w.schools_covered = len(school_covered[code])

    logs = PatrolLog.objects.visible_to(user).filter(date=day)
    agg = logs.aggregate(
        people=Sum("police_count") + Sum("auxiliary_count"),
        n=Count("pk"),
        incomplete=Count(
            "pk", filter=Q(status__in=[PatrolStatus.INCOMPLETE, PatrolStatus.ABANDONED])
        ),
    )
    # 漏巡: per finished patrol, its route's 必巡点 less those it ticked.
    finished = logs.exclude(status=PatrolStatus.IN_PROGRESS)
    required = (
        finished.annotate(
            n=Count("route__checkpoints", filter=Q(route__checkpoints__is_mandatory=True))
        ).aggregate(total=Sum("n"))["total"]
        or 0
    )
    ticked = CheckpointVisit.objects.filter(log__in=finished, checkpoint__is_mandatory=True).count()
    missed = required - ticked
    scheduled = (
        DutyShift.objects.visible_to(user)
        .filter(date=day, status__in=[ShiftStatus.PLANNED], person_kind=PersonKind.POLICE)
        .count()
    )
    return DayStats(
        day=day,
        is_workday=workcalendar.is_workday(day),
        schools_with_posts=len({p["school_id"] for p in posts}),
        schools_in_session=len(in_session),
        windows=sorted(windows.values(), key=lambda w: w.code),
        police_person_times_checkins=sum(w.police_person_times for w in windows.values()),
        police_person_times_patrols=agg["people"] or 0,
        police_person_times_scheduled=scheduled,
        patrols=agg["n"],
        patrols_incomplete=agg["incomplete"],
        missed_checkpoints=missed,
        covered_keys=frozenset(covered),
        police_keys=frozenset(police),
    )


# ---- over a period (the module's figures) ------------------------------------------------------
# The figures read a period, not a day: a few grouped queries over the period, the school-day
# calendar and the posts' windows in Python (no query per day). Days after today are not
# counted (nothing can have happened yet), nor today's windows that have not ended (as the
# statistics page leaves them out of its 漏岗清单 until they end).


DAY_END = 24 * 60


def _hhmm(value: str | None, default: int) -> int:
    try:
        hh, mm = str(value).split(":")[:2]
        return int(hh) * 60 + int(mm)
    except (TypeError, ValueError):
        return default


def _span(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    last = min(end, today)
    return [start + dt.timedelta(days=n) for n in range((last - start).days + 1)]


def school_days(terms, start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """The days of [start, end], up to today, that are working days (holidays off, 调休 on)
    on which at least one of the schools whose term calendars ``terms`` lists is in term."""
    from huxiao.core import workcalendar

    calendars = list({repr(t): t for t in terms}.values())
    if not calendars:
        return []
    return [
        day
        for day in _span(start, end, today)
        if workcalendar.is_workday(day) and any(rules.in_term(t, day) for t in calendars)
    ]


def per_school_day(terms, counts: dict[dt.date, int], start, end, today) -> list[int]:
    """``counts`` (by day) on each school day of the period, 0 on a school day without any."""
    return [counts.get(day, 0) for day in school_days(terms, start, end, today)]


def missed_post_windows(posts, covered, start: dt.date, end: dt.date, now: dt.datetime) -> int:
    """Post-windows nobody validly checked in at, on the school days of [start, end] up to now.

    ``posts``: the active posts, dicts of ``pk``, ``windows`` and ``school__term_calendar``;
    ``covered``: (date, post id, window code) with a valid check-in. Each day, a post whose
    school is in session expects each of its windows (``day_stats``: expected post-windows,
    the 漏岗清单 its page lists once the window has ended).
    """
    from huxiao.core import workcalendar

    today = now.date()
    now_minutes = now.hour * 60 + now.minute
    # Posts by term calendar: a city's posts share a handful of calendars.
    groups: dict[str, tuple[list, dict[int, dict[str, int]]]] = {}
    for p in posts:
        term = p["school__term_calendar"]
        _term, windows = groups.setdefault(repr(term), (term, {}))
        windows[p["pk"]] = {
            w["code"]: _hhmm(w.get("end"), 23 * 60 + 59) for w in p["windows"] or [] if "code" in w
        }
    by_day: dict[dt.date, set] = defaultdict(set)
    for day, post_id, code in covered:
        by_day[day].add((post_id, code))
    missed = 0
    for day in _span(start, end, today):
        if not workcalendar.is_workday(day):
            continue
        # Windows not ended yet today are not missed yet; earlier days are judged whole.
        cutoff = now_minutes if day == today else DAY_END
        seen = by_day.get(day, set())
        for term, windows in groups.values():
            if not rules.in_term(term, day):
                continue
            if cutoff == DAY_END:
                expected = sum(len(ends) for ends in windows.values())
                covered_here = sum(1 for post_id, code in seen if code in windows.get(post_id, ()))
            else:
                due = {
                    (post_id, code)
                    for post_id, ends in windows.items()
                    for code, ends_at in ends.items()
                    if ends_at <= cutoff
                }
                expected = len(due)
                covered_here = len(due & seen)
            missed += expected - covered_here
    return missed


def peak_school_windows(
    posts, covered, start: dt.date, end: dt.date, now: dt.datetime
) -> tuple[int, int]:
    """(schools covered, schools expected) summed over the windows of the school days of
    [start, end] up to now: 高峰时段学校覆盖（校次）, ``day_stats``' ``schools_covered`` and
    ``schools_expected`` added up over the windows and the days.

    ``posts``: the active posts, dicts of ``pk``, ``school_id``, ``windows`` and
    ``school__term_calendar``; ``covered``: (date, post id, window code) with a valid
    check-in. A school is expected in a window on a day it is in session when one of its
    posts has the window, and covered when one of those posts is covered in it. Today, a
    school's window counts once it has ended at all its posts (as ``missed_post_windows``
    leaves today's windows out until they end); earlier days are judged whole.
    """
    from huxiao.core import workcalendar

    today = now.date()
    now_minutes = now.hour * 60 + now.minute
    # By term calendar, each school's windows: (school, code) -> (its posts, latest end).
    groups: dict[str, tuple[object, dict[tuple[int, str], tuple[set, int]]]] = {}
    for p in posts:
        term = p["school__term_calendar"]
        _term, school_windows = groups.setdefault(repr(term), (term, {}))
        for w in p["windows"] or []:
            if "code" not in w:
                continue
            key = (p["school_id"], w["code"])
            ids, ends_at = school_windows.get(key, (set(), 0))
            ids.add(p["pk"])
            school_windows[key] = (ids, max(ends_at, _hhmm(w.get("end"), 23 * 60 + 59)))
    by_day: dict[dt.date, set] = defaultdict(set)
    for day, post_id, code in covered:
        by_day[day].add((post_id, code))
    schools_covered = schools_expected = 0
    for day in _span(start, end, today):
        if not workcalendar.is_workday(day):
            continue
        cutoff = now_minutes if day == today else DAY_END
        seen = by_day.get(day, set())
        for term, school_windows in groups.values():
            if not rules.in_term(term, day):
                continue
            for (_school, code), (ids, ends_at) in school_windows.items():
                if ends_at > cutoff:
                    continue
                schools_expected += 1
                if any((post_id, code) in seen for post_id in ids):
                    schools_covered += 1
    return schools_covered, schools_expected
