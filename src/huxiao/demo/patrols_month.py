"""The month of the demo step "patrols" (``huxiao.demo.patrols``): rosters and check-ins of
each school day with their gaps, the stations' patrol routes and logs, and video patrols.

The days come from the seeding day (``history_days``, ``AHEAD``): the month before it (in the
holidays reaching back to the last weeks of term), today — whose windows opened before the
seeding moment have their check-ins, the later ones only their shifts — and the days ahead.

Rosters, check-ins and patrol logs are built in memory day by day, each day from its own
generator (the step's seed and the date), and written with ``bulk_create``: ~19,000 rows, one
audit record per table (like ``device_create_many``). Each check-in is judged by
``rules.judge_checkin`` as the service would; routes and video patrols go through the services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F
from django.utils import timezone

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import User
from huxiao.demo import data
from huxiao.demo.people import person_name
from huxiao.patrols import rules, services
from huxiao.patrols.choices import PatrolStatus, PersonKind, ProofKind, ShiftStatus
from huxiao.patrols.models import (
    CheckIn,
    CheckpointVisit,
    DutyShift,
    GuardPost,
    PatrolLog,
    PatrolRoute,
)
from huxiao.schools.choices import DeviceKind
from huxiao.schools.models import Device

DAYS = 30  # days of history, ending yesterday …
MIN_SCHOOL_DAYS = 15  # … reaching further back (in a vacation) until it holds this many
MAX_DAYS = 120
AHEAD = 14  # days of rosters planned from today (today included)
# A month's gaps, per post-window (police) or per guard shift.
P_NO_POLICE = 0.05  # no police shift on the roster at all
P_CANCELLED = 0.02  # rostered, then called away (cancelled)
P_SWAPPED = 0.02  # 调班: another officer of the station stands in
P_POLICE_ABSENT = 0.05
P_GUARD_ABSENT = 0.03
P_INVALID = 0.06  # a first check-in that does not count (too far, too late, poor fix) …
P_RETRY = 0.5  # … followed by a valid one
P_OFFLINE = 0.03
P_QR, P_QR_PILOT = 0.08, 0.4
P_MANUAL = 0.02  # guards only: recorded by the school's chief or the station's officer
# Patrols per station and school day, and their people.
PATROLS_PER_DAY = ((0, 0.1), (1, 0.82), (2, 0.08))
PATROL_PERIODS = (  # (window code, start range HH:MM)
    ("am", ("06:50", "07:30")),
    ("pm", ("16:00", "16:50")),
    ("", ("11:30", "12:10")),  # 午间
    ("", ("19:30", "20:30")),  # 晚间
)
P_PATROL_MISSED = 0.08
P_PATROL_ABANDONED = 0.01


# ---- geometry -----------------------------------------------------------------------------------


def offset_m(lat: float, lon: float, metres: float, bearing: float) -> tuple[float, float]:
    dlat = metres * math.cos(bearing) / 111_195
    dlon = metres * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


@dataclass
class Crew:
    """The police of one station at the posts: a 社区民警 per school, the 带班民警 of patrols."""

    leader: User
    police: dict[int, User] = field(default_factory=dict)  # school id -> the post's officer
    spare: list[User] = field(default_factory=list)  # who may stand in for a swapped shift


# ---- the month -----------------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _aware(day: dt.date, minutes: int, seconds: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60, seconds))
    return timezone.make_aware(moment)


def history_days(timeline) -> list[dt.date]:
    """The days before the seeding day that have their rosters and check-ins, oldest first:
    the last ``DAYS``, or more in a vacation, until they hold ``MIN_SCHOOL_DAYS`` school days
    of the demo's terms (so the statistics of the last school weeks are there in August)."""
    days, school_days = [], 0
    for n in range(1, MAX_DAYS + 1):
        if n > DAYS and school_days >= MIN_SCHOOL_DAYS:
            break
        day = timeline.today - dt.timedelta(days=n)
        days.append(day)
        school_days += timeline.is_school_day(day)
    return days[::-1]


class Month:
    """Rosters, check-ins and patrols of ``days`` (school days of each school), drawn day by day."""

    def __init__(self, ctx, base: int, posts: list[GuardPost], stations, crews, guards, routes):
        self.ctx, self.base = ctx, base
        self.stations = {station.pk: schools for station, schools in stations}
        self.posts, self.crews, self.guards, self.routes = posts, crews, guards, routes
        self.chief = ctx.users.get("school01")
        self.shifts: list[DutyShift] = []
        self.swaps: list[DutyShift] = []
        self.checkins: list[CheckIn] = []
        self.offline: dict[int, list[CheckIn]] = {}
        self.logs: list[tuple[PatrolLog, list]] = []
        self.until: dt.datetime | None = None  # today: nothing is recorded after the moment
        self.parents = {
            post.pk: [
                person_name(random.Random(f"{base}:parents:{post.school.organization.code}:{n}"))
                for n in range(6)
            ]
            for post in posts
            if post.is_pilot
        }

    def rng(self, day: dt.date, what: str) -> random.Random:
        return random.Random(f"{self.base}:{what}:{day.isoformat()}")

    # rosters and check-ins

    def roster(self, day: dt.date, *, past: bool, until: dt.datetime | None = None) -> None:
        """The day's shifts; on a day that has begun (``past``) with their gaps and check-ins.
        ``until`` (today: the seeding moment): only the windows open by then have begun, and
        no check-in after it is recorded."""
        r = self.rng(day, "posts")
        self.until = until
        for post in self.posts:
            if not rules.is_school_day(post.school.term_calendar, day):
                continue
            crew = self.crews[post.school.organization.parent_id]
            for window in post.windows:
                opened = _aware(day, _minutes(window["start"]))
                begun = past and (until is None or opened <= until)
                self._police(r, post, day, window, crew, begun)
                guard = self.guards[post.school_id]
                shift = self._shift(post, day, window, guard, PersonKind.GUARD)
                if begun:
                    self._attend(r, post, day, window, guard, shift, PersonKind.GUARD, crew)
                if post.pk in self.parents:  # 家长志愿者: on the roster, no account
                    for name in r.sample(self.parents[post.pk], 2):
                        shift = self._shift(post, day, window, None, PersonKind.VOLUNTEER)
                        shift.person_name, shift.note = name, "家长志愿者（纸质签到）"

    def _shift(self, post, day, window, person, kind) -> DutyShift:
        shift = DutyShift(
            post=post,
            date=day,
            window=window["code"],
            person=person,
            person_name=person.display_name if person else "",
            person_kind=kind,
        )
        self.shifts.append(shift)
        return shift

    def _police(self, r, post, day, window, crew: Crew, begun: bool) -> None:
        gap, roll = r.random(), r.random()
        if begun and gap < P_NO_POLICE:
            return  # nobody from the station on the roster for this post and window
        person = crew.police[post.school_id]
        shift = self._shift(post, day, window, person, PersonKind.POLICE)
        if not begun:
            return
        if roll < P_CANCELLED:
            shift.status, shift.note = ShiftStatus.CANCELLED, "临时调派处置警情"
            return
        if roll < P_CANCELLED + P_SWAPPED:
            others = [p for p in (*crew.spare, crew.leader) if p.pk != person.pk]
            person = r.choice(others)
            shift.status = ShiftStatus.SWAPPED
            swap = DutyShift(
                post=post,
                date=day,
                window=window["code"],
                person=person,
                person_name=person.display_name,
                person_kind=PersonKind.POLICE,
                swapped_from=shift,
                note="原值班民警参加培训，调班",
            )
            self.swaps.append(swap)
            shift = swap
        self._attend(r, post, day, window, person, shift, PersonKind.POLICE, crew)

    def _attend(self, r, post, day, window, person, shift, kind, crew) -> None:
        absent = P_POLICE_ABSENT if kind == PersonKind.POLICE else P_GUARD_ABSENT
        if r.random() < absent:
            return
        if r.random() < P_INVALID:
            problem = r.choice(("far", "far", "late", "fix"))
            first = self._checkin(r, post, day, window, person, shift, kind, problem, crew)
            if problem != "late" and r.random() < P_RETRY:
                self._checkin(r, post, day, window, person, shift, kind, "ok", crew, after=first)
        else:
            self._checkin(r, post, day, window, person, shift, kind, "ok", crew)

    def _checkin(self, r, post, day, window, person, shift, kind, how, crew, after=None):
        start, end = _minutes(window["start"]), _minutes(window["end"])
        if how == "late":
            minute = end + r.randint(5, 40)
        elif after is not None:  # a second try a few minutes after the refused one
            minute = after + r.randint(3, 10)
        else:
            minute = start + r.randint(-14, 25)
        manual = kind == PersonKind.GUARD and how == "ok" and r.random() < P_MANUAL
        qr = r.random() < (P_QR_PILOT if post.is_pilot else P_QR) and how == "ok"
        proof = ProofKind.MANUAL if manual else ProofKind.QR if qr else ProofKind.GPS
        lat = lon = accuracy = None
        if proof != ProofKind.MANUAL:
            metres = r.uniform(150, 600) if how == "far" else r.uniform(3, 60)
            accuracy = r.randint(post.radius_m + 20, 400) if how == "fix" else r.randint(5, 35)
            point = offset_m(
                float(post.latitude), float(post.longitude), metres, r.uniform(0, 6.283)
            )
            lat, lon = coord(point[0]), coord(point[1])
        at = _aware(day, minute, r.randint(0, 59))
        if self.until is not None and at > self.until:
            return minute  # later than the seeding moment: not there yet
        verdict = rules.judge_checkin(
            post_lat=post.latitude,
            post_lon=post.longitude,
            radius_m=post.radius_m,
            windows=post.windows,
            local_time=timezone.localtime(at).time(),
            school_day=True,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy,
            proof=proof,
        )
        recorder = None
        if manual:
            recorder = self.chief if post.school.organization.code == "SCH-01" else crew.leader
        checkin = CheckIn(
            post=post,
            school_id=post.school_id,
            shift=shift if verdict.window == shift.window else None,
            user=person,
            person_kind=kind,
            date=day,
            window=verdict.window,
            at=at,
            latitude=lat,
            longitude=lon,
            accuracy_m=accuracy,
            distance_m=verdict.distance_m,
            proof=proof,
            is_valid=verdict.is_valid,
            problem=verdict.problem,
            was_offline=r.random() < P_OFFLINE,
            recorded_by=recorder,
            idempotency_key=f"demo-{post.pk}-{day:%Y%m%d}-{window['code']}-{person.pk}-{minute}",
        )
        if checkin.was_offline:  # re-sent when the phone was back online, 1–8 hours later
            hours = r.choice((1, 2, 3, 5, 8))
            if self.until is not None and at + dt.timedelta(hours=hours) > self.until:
                return minute  # today: still waiting on the phone, not on the server yet
            self.offline.setdefault(hours, []).append(checkin)
        self.checkins.append(checkin)
        return minute

    # patrols

    def patrols(self, day: dt.date, *, until: dt.datetime | None = None) -> None:
        """The stations' patrols of a school day; ``until`` (today) keeps those ended by then."""
        r = self.rng(day, "patrols")
        self.until = until
        for station_id, crew in self.crews.items():
            routes = self.routes.get(station_id)
            schools = self.stations.get(station_id, [])
            if not routes or not any(rules.is_school_day(s.term_calendar, day) for s in schools):
                continue
            n = r.choices([k for k, _ in PATROLS_PER_DAY], [w for _, w in PATROLS_PER_DAY])[0]
            for window, (low, high) in r.sample(PATROL_PERIODS, n):
                route, checkpoints = r.choice(routes)
                self._patrol(r, day, route, checkpoints, crew, window, low, high)

    def _patrol(self, r, day, route, checkpoints, crew, window, low, high) -> None:
        start = r.randint(_minutes(low), _minutes(high))
        duration = r.randint(40, 90)
        started = _aware(day, start)
        log = PatrolLog(
            route=route,
            organization_id=route.organization_id,
            leader=crew.leader,
            police_count=r.choice((1, 2, 2, 3)),
            auxiliary_count=r.choice((0, 0, 1, 1, 2)),
            vehicles=r.choice((1, 1, 2)),
            window=window,
            date=day,
            started_at=started,
            status=PatrolStatus.COMPLETED,
            note="沿线各校门口秩序正常，未发现异常情况。",
        )
        roll = r.random()
        visited = list(checkpoints)
        if roll < P_PATROL_ABANDONED:
            visited = visited[: max(1, len(visited) // 2)]
            log.status = PatrolStatus.ABANDONED
            log.note = "途中接110指令处置警情，巡逻中止。"
            duration = r.randint(15, 30)
        elif roll < P_PATROL_ABANDONED + P_PATROL_MISSED:
            mandatory = [cp for cp in visited if cp.is_mandatory]
            missed = r.choice(mandatory)
            visited.remove(missed)
            log.status = PatrolStatus.INCOMPLETE
            log.note = f"途中处置交通纠纷，未到{missed.name}。"
        log.ended_at = started + dt.timedelta(minutes=duration)
        if self.until is not None and log.ended_at > self.until:
            return  # today's patrol still under way or ahead: not in the log yet
        step = duration / (len(checkpoints) + 1)
        visits = []
        for i, cp in enumerate(visited, start=1):
            metres = r.uniform(5, 100)
            point = offset_m(float(cp.latitude), float(cp.longitude), metres, r.uniform(0, 6.283))
            visits.append(
                CheckpointVisit(
                    checkpoint=cp,
                    at=started + dt.timedelta(minutes=step * i),
                    latitude=coord(point[0]),
                    longitude=coord(point[1]),
                    distance_m=round(metres),
                    proof=ProofKind.GPS,
                )
            )
        self.logs.append((log, visits))

    # writing

    def write(self) -> None:
        DutyShift.objects.bulk_create(self.shifts, batch_size=2000)
        DutyShift.objects.bulk_create(self.swaps, batch_size=2000)  # they point at the above
        CheckIn.objects.bulk_create(self.checkins, batch_size=2000)
        # received_at is stamped on insert: a check-in reaches the server at once, an offline
        # one when the phone is back online.
        posts = [p.pk for p in self.posts]
        CheckIn.objects.filter(post__in=posts, was_offline=False).update(received_at=F("at"))
        for hours, rows in self.offline.items():
            CheckIn.objects.filter(idempotency_key__in=[c.idempotency_key for c in rows]).update(
                received_at=F("at") + dt.timedelta(hours=hours)
            )
        PatrolLog.objects.bulk_create([log for log, _ in self.logs], batch_size=2000)
        visits = []
        for log, rows in self.logs:
            for visit in rows:
                visit.log = log
                visits.append(visit)
        CheckpointVisit.objects.bulk_create(visits, batch_size=2000)
        shifts = len(self.shifts) + len(self.swaps)
        audit.append(
            kind=AuditKind.CHANGE,
            action=AuditAction.CREATE,
            object_type="patrols.dutyshift",
            object_repr=f"演示数据：批量排班 {shifts} 班、打卡 {len(self.checkins)} 条",
            after={"shifts": shifts, "checkins": len(self.checkins), "posts": len(posts)},
        )
        audit.append(
            kind=AuditKind.CHANGE,
            action=AuditAction.CREATE,
            object_type="patrols.patrollog",
            object_repr=f"演示数据：批量巡逻记录 {len(self.logs)} 条",
            after={"logs": len(self.logs), "visits": len(visits)},
        )
        self.ctx.count_created("排班", shifts)
        self.ctx.count_created("打卡", len(self.checkins))
        self.ctx.count_created("巡逻记录", len(self.logs))


# ---- routes and video patrols --------------------------------------------------------------------


def write_routes(ctx, stations, gates: dict[int, GuardPost]) -> dict[int, list]:
    """A route per station through its schools' gates (two where it has four or more)."""
    routes = {}
    for number, (station, schools) in enumerate(stations, start=1):
        place = data.STATIONS[number - 1]
        short = place.name.removesuffix("派出所")
        groups = [schools] if len(schools) < 4 else [schools[::2], schools[1::2]]
        for n, group in enumerate(groups, start=1):
            name = f"{short}护校巡逻{n}号线"
            route = PatrolRoute.objects.filter(organization=station, name=name).first()
            if route is None:
                checkpoints = [
                    {
                        "name": f"{school.organization.short_name or school.organization.name}校门",
                        "school": school,
                        "latitude": gates[school.pk].latitude,
                        "longitude": gates[school.pk].longitude,
                    }
                    for school in group
                    if school.pk in gates
                ]
                if station.latitude is not None:
                    checkpoints.append(
                        {
                            "name": f"{place.streets[0]}路口",
                            "latitude": station.latitude,
                            "longitude": station.longitude,
                            "is_mandatory": False,
                        }
                    )
                route = services.route_create(
                    organization=station,
                    name=name,
                    grid=f"{short}第{n}网格",
                    checkpoints=checkpoints,
                )
                ctx.count_created("巡逻路线")
            routes.setdefault(station.pk, []).append((route, list(route.checkpoints.all())))
    return routes


def write_video_patrols(ctx, day: dt.date, stations, crews) -> None:
    """Three video patrols on ``day``: two find nothing, one finds offline cameras (a hazard)."""
    station_of = {
        s.pk: (number, station)
        for number, (station, schools) in enumerate(stations, 1)
        for s in schools
    }
    schools = [s for _station, group in stations for s in group]
    cameras = Device.objects.filter(school__in=schools, kind=DeviceKind.CAMERA)
    offline: dict[int, list[str]] = {}
    for school_id, area in cameras.filter(is_online=False).values_list("school_id", "area"):
        offline.setdefault(school_id, []).append(area)
    counts = dict(
        cameras.values_list("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    )

    def officer_for(school):
        number, station = station_of[school.pk]
        login = {1: "officer01", 2: "officer02"}.get(number)
        return ctx.users.get(login or "") or crews[station.pk].leader

    quiet = [s for s in schools if s.pk not in offline and counts.get(s.pk)]
    broken = [s for s in schools if s.pk in offline]
    fine = [next((s for s in quiet if station_of[s.pk][0] == n), None) for n in (1, 2)]
    for minute, school in zip((600, 900), fine, strict=True):
        if school is None:
            continue
        services.video_patrol_record(
            school=school,
            officer=officer_for(school),
            at=_aware(day, minute),
            cameras_checked=counts[school.pk],
            gate_closed=True,
            guard_on_duty=True,
            equipment_present=True,
            observations="校门关闭，门卫室保安在岗，防护装备在位，校园周边秩序正常。",
        )
        ctx.count_created("视频巡查")
    if broken:
        school = next((s for s in broken if station_of[s.pk][0] <= 2), broken[0])
        areas = offline[school.pk]
        services.video_patrol_record(
            school=school,
            officer=officer_for(school),
            at=_aware(day, 630),
            cameras_checked=counts[school.pk],
            cameras_offline=len(areas),
            gate_closed=True,
            guard_on_duty=True,
            equipment_present=True,
            observations=f"{'、'.join(areas)}摄像头离线，画面无法调阅，已电话通知学校报修。",
        )
        ctx.count_created("视频巡查")
