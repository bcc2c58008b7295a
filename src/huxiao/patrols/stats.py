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
    )
