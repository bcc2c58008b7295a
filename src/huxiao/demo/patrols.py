"""Demo step "patrols": a 护学岗 at every school's gate and a month of 护学 and patrols.

Seed 004: “巡警、交警等部门与各区（县）26个城区派出所民警联勤联防，对辖区的81所中小学、幼儿园，
每日安排巡逻警力207人/次，在上放学及早中晚时段开展巡逻”; seed 000: three “警校家” pilot schools
with a 护学通道. What the step writes (docs/demo.md, “Patrols”):

- a post at each of the 81 gates (``post_create``; the school's coordinates plus 15–60 m),
  kindergartens with their own 入园/离园 windows; the pilots (``schools.PILOT_SCHOOLS``) get a
  护学通道 and parent volunteers in their staffing;
- duty accounts (值守账号) for the people who stand at the posts: per station one 社区民警 per
  school and one 带班民警 who leads the patrols, per school its first guard on the register —
  ``is_demo`` accounts with an unusable password (they cannot sign in; the nine demo logins
  stay the documented ones). officer01 and officer02 stand at SCH-01 and SCH-07, guard01 at
  SCH-01; volunteer01 gets nothing (a test deletes that login);
- rosters for the last ``DAYS`` days (more in a vacation, ``history_days``; school days only,
  ``rules.is_school_day``), today and the days ahead (``AHEAD`` from today); check-ins on the
  past days, and today in the windows opened before the seeding moment, judged by
  ``rules.judge_checkin`` with the gaps of a real month: posts without a police shift,
  cancelled and swapped shifts, no-shows, check-ins too far away, too late or with a poor
  fix, a few QR and manual proofs, offline re-syncs;
- a patrol route per station (two where it has four schools or more) through its schools'
  gates (``route_create``), about one patrol a day per station in the 上放学/早中晚 periods,
  some incomplete with a missed checkpoint, one in a while abandoned;
- three video patrols through ``video_patrol_record``, one of which finds offline cameras and
  becomes a hazard.

The month (``patrols_month.py``) is bulk inserts (~19,000 rows) with one audit record per table
(like ``device_create_many``): the per-call services would take a minute. Each day draws from
its own generator (seeded from the step's and the date), so the same date gets the same
figures whichever day the city is seeded. The month is written only when no post existed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import Role, User
from huxiao.demo.patrols_month import (
    AHEAD,
    Crew,
    Month,
    coord,
    history_days,
    offset_m,
    write_routes,
    write_video_patrols,
)
from huxiao.demo.people import person_name
from huxiao.demo.schools import PILOT_SCHOOLS
from huxiao.patrols import rules, services
from huxiao.patrols.choices import PersonKind
from huxiao.patrols.models import GuardPost
from huxiao.schools.choices import GuardStatus, SchoolLevel
from huxiao.schools.models import Guard, School

POST_NAME = "校门护学岗"
KINDERGARTEN_WINDOWS = [
    {"code": "am", "name": "入园", "start": "07:30", "end": "09:00"},
    {"code": "pm", "name": "离园", "start": "16:00", "end": "17:30"},
]
PILOT_STAFFING = {PersonKind.POLICE: 1, PersonKind.GUARD: 1, PersonKind.VOLUNTEER: 2}
# Who stands where among the demo logins (the SPEC 4 journeys start at SCH-01's gate).
POST_LOGINS = {"SCH-01": ("officer01", "guard01"), "SCH-07": ("officer02", None)}


def _corridor(lat: float, lon: float, rng: random.Random) -> list[list[float]]:
    """A 护学通道: a strip 16 m wide and 200–320 m long leading away from the gate."""
    heading = rng.uniform(0, 2 * math.pi)
    length = rng.uniform(200, 320)
    side = heading + math.pi / 2
    far = offset_m(lat, lon, length, heading)
    corners = [
        offset_m(lat, lon, 8, side),
        offset_m(*far, 8, side),
        offset_m(*far, -8, side),
        offset_m(lat, lon, -8, side),
    ]
    return [[round(lo, 6), round(la, 6)] for la, lo in corners]


# ---- the plan of the posts (pure) ------------------------------------------------------------


@dataclass(frozen=True)
class PostPlan:
    org_code: str
    name: str
    latitude: Decimal
    longitude: Decimal
    is_pilot: bool
    windows: list | None = None  # None: the default 上学/放学
    corridor: list | None = None
    staffing: dict | None = None


def plan_posts(rng: random.Random, schools: list[tuple[str, float, float, str]]) -> list[PostPlan]:
    """A post at each school's gate: ``schools`` is (org code, lat, lon, level) in code order."""
    plans = []
    for code, lat, lon, level in schools:
        gate = offset_m(lat, lon, rng.uniform(15, 60), rng.uniform(0, 2 * math.pi))
        corridor = _corridor(*gate, rng)  # drawn for every school: the sequence stays put
        pilot = code in PILOT_SCHOOLS
        plans.append(
            PostPlan(
                code,
                POST_NAME,
                coord(gate[0]),
                coord(gate[1]),
                pilot,
                windows=KINDERGARTEN_WINDOWS if level == SchoolLevel.KINDERGARTEN else None,
                corridor=corridor if pilot else None,
                staffing=dict(PILOT_STAFFING) if pilot else None,
            )
        )
    return plans


# ---- people --------------------------------------------------------------------------------------


def _guard_username(org_code: str) -> str:
    return org_code.lower().replace("-", "") + "-guard"  # SCH-12 -> sch12-guard


def _accounts(ctx, rng, stations: list[tuple[object, list[School]]], guard_names: dict):
    """(crew by station id, guard account by school id), creating the accounts not there yet;
    None when a real account holds one of their usernames.

    The names are drawn for every account whether it exists or not (the sequence stays put).
    """
    roles = {r.code: r for r in Role.objects.all()}
    wanted: dict[str, User] = {}

    def want(username, **fields):
        wanted[username] = User(username=username, full_name=person_name(rng), **fields)

    for number, (station, schools) in enumerate(stations, start=1):
        want(
            f"ps{number:02d}-leader",
            police_number=f"51{number:02d}00",
            organization=station,
            role=roles.get("officer"),
        )
        for k in range(1, len(schools) + 1):
            want(
                f"ps{number:02d}-police{k}",
                police_number=f"51{number:02d}{k:02d}",
                organization=station,
                role=roles.get("community_officer"),
            )
        for school in schools:
            username = _guard_username(school.organization.code)
            want(username, organization=school.organization, role=roles.get("gate_guard"))
            if guard_names.get(school.pk):  # the first guard on the school's register
                wanted[username].full_name = guard_names[school.pk]
    logins = {
        code: (ctx.users.get(p or ""), ctx.users.get(g or ""))
        for code, (p, g) in POST_LOGINS.items()
    }
    for code, (_police, guard) in logins.items():
        if guard is not None:  # guard01 stands at SCH-01: no second account for that post
            wanted.pop(_guard_username(code), None)
    existing = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
    taken = sorted(name for name, u in existing.items() if not u.is_demo)
    if taken:  # a real account with a duty account's name is never touched, nor used
        ctx.note(f"账号 {'、'.join(taken)} 已存在且不是演示账号，未生成护学岗排班与打卡演示数据。")
        return None
    missing = [u for name, u in wanted.items() if name not in existing]
    now = ctx.timeline.moment
    for user in missing:
        user.is_demo = True
        user.set_unusable_password()  # people who check in at a post, not demo logins
        user.password_changed_at = now
    if missing:
        User.objects.bulk_create(missing)
        audit.append(
            kind=AuditKind.CHANGE,
            action=AuditAction.CREATE,
            object_type="core.user",
            object_repr=f"演示数据：批量新增值守账号 {len(missing)} 个（不能登录）",
            after={"count": len(missing), "usernames": [u.username for u in missing]},
        )
        ctx.count_created("值守账号", len(missing))
    if existing:
        ctx.count_existing("值守账号", len(existing))
    accounts = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
    crews, guards = {}, {}
    for number, (station, schools) in enumerate(stations, start=1):
        crew = Crew(accounts[f"ps{number:02d}-leader"])
        for k, school in enumerate(schools, start=1):
            officer = accounts[f"ps{number:02d}-police{k}"]
            login = logins.get(school.organization.code, (None, None))[0]
            crew.police[school.pk] = login or officer
            crew.spare.append(officer)
            code = school.organization.code
            guards[school.pk] = logins.get(code, (None, None))[1] or accounts[_guard_username(code)]
        crews[station.pk] = crew
    return crews, guards


# ---- the step ------------------------------------------------------------------------------------


def step_patrols(ctx) -> None:
    """Posts at the schools that have none; the month of activity when no post existed."""
    orgs = ctx.schools
    plans = plan_posts(
        ctx.rng,
        [
            (
                o.code,
                float(o.latitude or 0),
                float(o.longitude or 0),
                ctx.school_levels.get(o.code, ""),
            )
            for o in orgs
        ],
    )
    base = ctx.rng.getrandbits(64)
    people_rng = random.Random(f"{base}:people")
    schools = {
        s.organization.code: s
        for s in School.objects.filter(organization__in=orgs).select_related("organization")
    }
    existing = set(
        GuardPost.objects.filter(school__in=schools.values()).values_list("school_id", flat=True)
    )
    if existing:
        ctx.count_existing("护学岗", len(existing))
    for plan in plans:
        school = schools.get(plan.org_code)
        if school is None or school.pk in existing:
            continue
        if school.organization.latitude is None:
            ctx.note(f"{school.organization.name} 没有坐标，未设护学岗。")
            continue
        extra = {k: v for k in ("windows", "corridor", "staffing") if (v := getattr(plan, k))}
        services.post_create(
            school=school,
            name=plan.name,
            latitude=plan.latitude,
            longitude=plan.longitude,
            is_pilot=plan.is_pilot,
            **extra,
        )
        ctx.count_created("护学岗")
    if existing or not schools:
        return  # the month is written once, with the posts
    posts = list(
        GuardPost.objects.filter(school__in=schools.values())
        .select_related("school__organization")
        .order_by("school__organization__code", "pk")
    )
    by_station: dict[int, list[School]] = {}
    for post in posts:
        by_station.setdefault(post.school.organization.parent_id, []).append(post.school)
    stations = [(station, by_station.get(station.pk, [])) for station in ctx.stations]
    guard_names = {}
    on_duty = Guard.objects.filter(school__in=schools.values(), status=GuardStatus.ON_DUTY)
    for school_id, name in on_duty.order_by("school_id", "pk").values_list("school_id", "name"):
        guard_names.setdefault(school_id, name)
    accounts = _accounts(ctx, people_rng, stations, guard_names)
    if accounts is None:
        return
    crews, guards = accounts
    routes = write_routes(ctx, stations, {p.school_id: p for p in posts})
    month = Month(ctx, base, posts, stations, crews, guards, routes)
    today, moment = ctx.today, ctx.timeline.moment
    past = history_days(ctx.timeline)
    for day in past:
        month.roster(day, past=True)
        month.patrols(day)
    # Today on purpose: the windows opened before the seeding moment have begun (their gaps
    # and check-ins up to it), the later ones are only on the roster.
    month.roster(today, past=moment is not None, until=moment)
    if moment is not None:
        month.patrols(today, until=moment)
    for n in range(1, AHEAD):
        month.roster(today + dt.timedelta(days=n), past=False)
    month.write()
    school_days = [d for d in past if rules.is_school_day(posts[0].school.term_calendar, d)]
    if school_days:  # the last school day before today
        write_video_patrols(ctx, school_days[-1], stations, crews)
