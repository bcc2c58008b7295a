"""Demo step "schools": a School record and its "三防" for each of the 81 school organisations.

``plan_schools(rng, policy, timeline)`` is pure (no database): for every school of
``data.STATIONS`` it draws the 学校标识码, level, locality, size, contacts, guards (valid
GB 11643 ID numbers), devices and equipment. ``step_schools`` writes the schools that have no School
record yet through ``huxiao.schools.services`` and leaves the others alone.

The city is meant to be inspected, so it is neither all green nor all red: about one school
in seven is understaffed, some guards hold expired or no certificates or are over 60,
some alarms and cameras are not networked to the police, some cameras keep 15 days, some
equipment is short. Every indicator of ``rules.RULE_CODES`` (护学岗 aside, which the
patrols module reports) has passing and failing schools whatever the seed: one school per
indicator is made to fail on purpose, and SCH-01 (the school of the demo logins school01
and guard01, a "警校家" pilot) passes everything. Station 01 (officer01) always has an
understaffed school, SCH-04.

Dates are drawn relative to ``timeline.schools_as_of`` (the start of the autumn term as
pictured on the reference day, 82 days before the seeding day), never the clock, so a seed
writes the same city for the same seeding day. Guards normally are 28–58 on that date and
certificates run at least a year past it, so the picture holds for a good while. Every school
gets the demo's term calendar (``timeline.terms``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from huxiao.core.models import Organization
from huxiao.demo import data
from huxiao.demo.people import id_number, person_name, phone
from huxiao.demo.timeline import Timeline
from huxiao.schools import policy as school_policy
from huxiao.schools import rules
from huxiao.schools import services as school_services
from huxiao.schools.choices import (
    AntiCollisionKind,
    DeviceKind,
    EquipmentItem,
    GuardStatus,
    Locality,
    Ownership,
    SchoolLevel,
)
from huxiao.schools.models import School

LEVELS = {  # data.SCHOOL_LEVELS key -> SchoolLevel
    "kindergarten": SchoolLevel.KINDERGARTEN,
    "primary": SchoolLevel.PRIMARY,
    "junior": SchoolLevel.JUNIOR,
    "senior": SchoolLevel.SENIOR,
    "nine_year": SchoolLevel.NINE_YEAR,
    "complete": SchoolLevel.COMPLETE_SECONDARY,
    "vocational": SchoolLevel.VOCATIONAL,
    "special": SchoolLevel.SPECIAL,
    "teaching_point": SchoolLevel.TEACHING_POINT,
}
# Students by level (urban and town; rural schools draw from the lower third).
STUDENTS = {
    "kindergarten": (150, 450),
    "primary": (600, 2400),
    "junior": (900, 2000),
    "senior": (1500, 3000),
    "nine_year": (1200, 2800),
    "complete": (1800, 3200),
    "vocational": (1000, 2800),
    "special": (60, 220),
    "teaching_point": (20, 90),
}
# Students per member of staff: ~13 in schools, fewer in kindergartens and special schools.
STAFF_RATIO = {"kindergarten": (6.0, 9.0), "special": (2.5, 4.0), "teaching_point": (8.0, 12.0)}
DEFAULT_STAFF_RATIO = (11.5, 14.5)

# Locality by station: 仁和区's southern towns are rural, the edge towns are 镇区.
TOWN_STATIONS = {"银江派出所", "大宝鼎派出所", "格里坪派出所", "金江派出所"}
RURAL_STATIONS = {"同德派出所", "福田派出所", "布德派出所", "平地派出所", "大田派出所"}
PILOT_SCHOOLS = ("SCH-01", "SCH-07", "SCH-28")  # three "警校家" pilots, as in seeds/000
MODEL_SCHOOL = "SCH-01"  # school01 and guard01 work here; it passes every rule
UNDERSTAFFED_IN_STATION_01 = "SCH-04"  # so officer01's station shows a failing school
ALARM_SCHOOL = "SCH-05"  # SPEC 4: officer01 answers school 05's one-key alarm

GUARD_REGIONS = ("510402", "510403", "510411")
CAMERA_AREAS = (
    "校门口",
    "门卫室",
    "围墙周界",
    "操场",
    "教学楼走廊",
    "楼梯口",
    "食堂",
    "停车场",
    "实验楼",
    "图书馆",
    "体育馆",
    "校园主干道",
)
DORM_AREAS = ("学生宿舍", "宿舍楼道")


def _birth_date(rng: random.Random, age: int, as_of: dt.date) -> dt.date:
    """Someone who is ``age`` on ``as_of`` (birthday 15–350 days before it, never on the edge)."""
    birthday = as_of.replace(year=as_of.year - age, day=min(as_of.day, 28))
    return birthday - dt.timedelta(days=rng.randint(15, 350))


@dataclass
class GuardPlan:
    name: str
    id_number: str
    phone: str
    certificate_number: str
    certificate_valid_until: dt.date | None
    training_date: dt.date
    employer: str
    status: str = GuardStatus.ON_DUTY


@dataclass
class DevicePlan:
    kind: str
    name: str
    area: str
    retention_days: int | None = None
    networked_police: bool = False
    networked_education: bool = False
    is_online: bool = True


@dataclass
class Flaws:
    """What is wrong at one school, drawn first so that a showcase can force a flaw."""

    understaffed: bool = False
    bad_certificate: bool = False
    over_age: bool = False
    open_campus: bool = False  # not under closed management
    alarm: str = "networked"  # networked | not_networked | none
    video_not_networked: bool = False
    no_anti_collision: bool = False
    short_retention: bool = False
    kit_short: bool = False
    no_duty_24h: bool = False


@dataclass
class SchoolPlan:
    org_code: str
    name: str
    district: str  # data.DISTRICT_BY_KEY key
    level_key: str  # data.SCHOOL_LEVELS key
    fields: dict
    flaws: Flaws
    guards: list[GuardPlan] = field(default_factory=list)
    devices: list[DevicePlan] = field(default_factory=list)
    equipment: dict[str, int] = field(default_factory=dict)

    def facts(self, policy: school_policy.Policy, today: dt.date) -> rules.SchoolFacts:
        """The facts the rules see once this plan is written (tests and showcases use it)."""
        f = self.fields
        active = [g for g in self.guards if g.status != GuardStatus.LEFT]
        cutoff = rules.age_cutoff(today, policy.guard_max_age)
        cameras = [d for d in self.devices if d.kind == DeviceKind.CAMERA]
        alarms = [d for d in self.devices if d.kind == DeviceKind.ONE_KEY_ALARM]
        return rules.SchoolFacts(
            students=f["students"],
            staff=f["staff"],
            boarders=f["boarders"],
            is_boarding=f["is_boarding"],
            locality=f["locality"],
            closed_management=f["closed_management"],
            has_anti_collision=bool(f["anti_collision"]),
            duty_24h=f["duty_24h"],
            guards_active=len(active),
            guards_bad_certificate=sum(
                1
                for g in active
                if not g.certificate_number
                or g.certificate_valid_until is None
                or g.certificate_valid_until < today
            ),
            guards_over_age=sum(1 for g in active if _born(g) <= cutoff),
            alarms=len(alarms),
            alarms_networked=sum(1 for d in alarms if d.networked_police),
            cameras=len(cameras),
            cameras_networked=sum(1 for d in cameras if d.networked_police),
            cameras_short_retention=sum(
                1
                for d in cameras
                if d.retention_days is not None and d.retention_days < policy.camera_retention_days
            ),
            cameras_unknown_retention=sum(1 for d in cameras if d.retention_days is None),
            kit=dict(self.equipment),
        )


def _born(guard: GuardPlan) -> dt.date:
    n = guard.id_number
    return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def _school_places() -> list[tuple[str, data.StationPlace, data.SchoolPlace]]:
    """(org code, station, school) in the order of the organisations step: SCH-01 … SCH-81."""
    places, number = [], 0
    for station in data.STATIONS:
        for school in station.schools:
            number += 1
            places.append((f"SCH-{number:02d}", station, school))
    return places


def _locality(station: data.StationPlace, level_key: str) -> str:
    if station.name in RURAL_STATIONS or level_key == "teaching_point":
        return Locality.RURAL
    if station.name in TOWN_STATIONS:
        return Locality.TOWN
    return Locality.URBAN


def _draw_school(rng, code, station, school, district, sequence, terms) -> tuple[dict, Flaws]:
    key = school.level
    locality = _locality(station, key)
    low, high = STUDENTS[key]
    if locality == Locality.RURAL and key != "teaching_point":
        high = low + (high - low) // 3
    students = rng.randint(low, high)
    ratio = STAFF_RATIO.get(key, DEFAULT_STAFF_RATIO)
    staff = max(2, round(students / rng.uniform(*ratio)))

    boarding_chance = 0.0
    if locality == Locality.RURAL and key != "kindergarten":
        boarding_chance, share = 0.6, (0.3, 0.75)
    elif key in ("senior", "complete"):
        boarding_chance, share = 0.7, (0.25, 0.55)
    elif key in ("vocational", "special"):
        boarding_chance, share = 0.5, (0.3, 0.6)
    is_boarding = rng.random() < boarding_chance
    boarders = round(students * rng.uniform(*share)) if is_boarding else 0

    private = "外国语" in school.name or (
        key == "kindergarten" and "机关" not in school.name and rng.random() < 0.3
    )
    anti_collision_chance = {Locality.URBAN: 0.88, Locality.TOWN: 0.7, Locality.RURAL: 0.3}
    kinds = list(AntiCollisionKind.values)
    anti_collision = sorted(rng.sample(kinds, rng.randint(1, len(kinds))))
    networking = {Locality.URBAN: 0.9, Locality.TOWN: 0.75, Locality.RURAL: 0.5}[locality]
    fields = {
        "school_code": f"{district.division_code}{sequence:04d}",
        "level": LEVELS[key],
        "ownership": Ownership.PRIVATE if private else Ownership.PUBLIC,
        "locality": locality,
        "is_boarding": is_boarding,
        "boarders": boarders,
        "students": students,
        "staff": staff,
        "principal_name": person_name(rng),
        "principal_phone": phone(rng),
        "security_chief_name": person_name(rng),
        "security_chief_phone": phone(rng),
        "legal_vice_principal": person_name(rng),
        "is_pilot": code in PILOT_SCHOOLS,
        "term_calendar": [dict(term) for term in terms],
        "closed_management": True,
        "wall_compliant": rng.random() < 0.92,
        "gate_compliant": rng.random() < 0.94,
        "anti_collision": anti_collision,
        "duty_24h": is_boarding,
    }
    roll = rng.random()
    flaws = Flaws(
        understaffed=rng.random() < 0.15,
        no_anti_collision=rng.random() > anti_collision_chance[locality],
        open_campus=rng.random() < 0.08,
        alarm="none" if roll < 0.04 else "not_networked" if roll < 0.16 else "networked",
        video_not_networked=rng.random() > networking,
        short_retention=rng.random() < 0.08,
        kit_short=rng.random() < 0.15,
        no_duty_24h=rng.random() < 0.3,
    )
    return fields, flaws


def _force_showcases(rng: random.Random, plans: list[SchoolPlan]) -> None:
    """One school per indicator fails on purpose, so every indicator shows both outcomes."""
    by_code = {p.org_code: p for p in plans}
    by_code[UNDERSTAFFED_IN_STATION_01].flaws.understaffed = True
    others = [p for p in plans if p.org_code != MODEL_SCHOOL]
    staffed = [p for p in others if not p.flaws.understaffed]  # guards to find fault with

    def pick(candidates):
        return rng.choice(candidates)  # one draw per showcase, whatever the flaws drawn before

    pick(staffed).flaws.bad_certificate = True
    pick(staffed).flaws.over_age = True
    pick(others).flaws.open_campus = True
    pick([p for p in others if p.org_code != ALARM_SCHOOL]).flaws.alarm = "not_networked"
    pick(others).flaws.video_not_networked = True
    pick(others).flaws.short_retention = True
    pick(others).flaws.kit_short = True
    pick(
        [p for p in others if p.fields["locality"] != Locality.RURAL]
    ).flaws.no_anti_collision = True
    # Two rural boarding schools, one keeping 24-hour duty and one not.
    rural = [p for p in others if p.fields["locality"] == Locality.RURAL]
    on_duty, off_duty = rng.sample(rural, 2)
    for plan in (on_duty, off_duty):
        if not plan.fields["is_boarding"]:
            plan.fields["is_boarding"] = True
            plan.fields["boarders"] = round(plan.fields["students"] * 0.5)
    on_duty.flaws.no_duty_24h = False
    off_duty.flaws.no_duty_24h = True
    by_code[MODEL_SCHOOL].flaws = Flaws()
    by_code[ALARM_SCHOOL].flaws.alarm = "networked"


def _guards(rng, plan: SchoolPlan, policy, ids: set[str], as_of: dt.date) -> list[GuardPlan]:
    f = plan.fields
    required = rules.required_guards(
        rules.SchoolFacts(
            students=f["students"],
            staff=f["staff"],
            boarders=f["boarders"],
            is_boarding=f["is_boarding"],
            locality=f["locality"],
        ),
        policy,
    )
    shortfall = rng.randint(1, max(1, required // 3))
    spare = 1 if rng.random() < 0.15 else 0
    count = max(required - shortfall, 0) if plan.flaws.understaffed else required + spare
    district = data.DISTRICT_BY_KEY[plan.district]
    model = plan.org_code == MODEL_SCHOOL  # draws the same numbers, keeps none of the flaws
    guards = []
    for _ in range(count + (1 if rng.random() < 0.08 else 0)):  # sometimes one who left
        age_roll, cert_roll = rng.random(), rng.random()
        age = rng.randint(61, 63) if age_roll < 0.03 and not model else rng.randint(28, 58)
        born = _birth_date(rng, age, as_of)
        region = district.division_code if rng.random() < 0.7 else rng.choice(GUARD_REGIONS)
        male = rng.random() < 0.9
        cert_number = f"川攀保{rng.randint(2012, 2025)}{rng.randint(0, 999999):06d}"
        valid_until = as_of + dt.timedelta(days=rng.randint(400, 1800))
        expired = as_of - dt.timedelta(days=rng.randint(20, 500))
        if not model and cert_roll < 0.02:
            cert_number, valid_until = "", None
        elif not model and cert_roll < 0.05:
            valid_until = expired
        guards.append(
            GuardPlan(
                name=person_name(rng),
                id_number=_unique_id(
                    region, born, ids, first=rng.randrange(1 if male else 2, 1000, 2)
                ),
                phone=phone(rng),
                certificate_number=cert_number,
                certificate_valid_until=valid_until,
                training_date=as_of - dt.timedelta(days=rng.randint(30, 700)),
                employer=data.SECURITY_COMPANY.name,
                status=GuardStatus.LEAVE if rng.random() < 0.04 else GuardStatus.ON_DUTY,
            )
        )
    if len(guards) > count:
        guards[-1].status = GuardStatus.LEFT
    active = guards[:count]
    if model and active:  # the demo login guard01 (周明) is on the register of his school
        active[0].name = next(d.full_name for d in data.DEMO_LOGINS if d.username == "guard01")
    if plan.flaws.bad_certificate and active:
        rng.choice(active).certificate_valid_until = as_of - dt.timedelta(days=rng.randint(20, 500))
    if plan.flaws.over_age and active:
        guard = rng.choice(active)
        guard.id_number = _unique_id(
            guard.id_number[:6], _birth_date(rng, rng.randint(61, 63), as_of), ids, first=11
        )
    return guards


def _unique_id(region: str, born: dt.date, ids: set[str], *, first: int) -> str:
    """An ID number not used by another demo guard (same parity of the sequence: same sex)."""
    sequence = first
    while (number := id_number(region, born, sequence)) in ids:
        sequence = sequence + 2 if sequence < 998 else 2 - sequence % 2
    ids.add(number)
    return number


def _devices(rng, plan: SchoolPlan) -> list[DevicePlan]:
    f, flaws = plan.fields, plan.flaws
    cameras = max(8, min(60, round(8 + f["students"] / 55 + rng.randint(-3, 6))))
    base_retention = rng.choices((30, 60, 90), weights=(5, 3, 2))[0]
    education = rng.random() < 0.75
    areas = list(CAMERA_AREAS) + (list(DORM_AREAS) if f["is_boarding"] else [])
    short = set(rng.sample(range(cameras), rng.randint(1, 3))) if flaws.short_retention else set()
    devices = []
    for i in range(cameras):
        area = areas[i] if i < len(areas) else rng.choice(areas)
        devices.append(
            DevicePlan(
                DeviceKind.CAMERA,
                f"{area}摄像机{i + 1:02d}",
                area,
                retention_days=15 if i in short else base_retention,
                networked_police=not flaws.video_not_networked and (i == 0 or rng.random() < 0.92),
                networked_education=education,
                is_online=i == 0 or rng.random() > 0.03,
            )
        )
    if flaws.alarm != "none":
        alarms = 2 if f["students"] > 1800 else 1
        for i in range(alarms):
            area = ("门卫室", "行政楼值班室")[i]
            devices.append(
                DevicePlan(
                    DeviceKind.ONE_KEY_ALARM,
                    f"{area}一键式紧急报警",
                    area,
                    networked_police=flaws.alarm == "networked",
                    networked_education=rng.random() < 0.5,
                    is_online=rng.random() > 0.03 or plan.org_code in (MODEL_SCHOOL, ALARM_SCHOOL),
                )
            )
    if rng.random() < 0.5:
        for i in range(rng.randint(1, 4)):
            devices.append(
                DevicePlan(DeviceKind.INTRUSION_ALARM, f"周界入侵报警{i + 1:02d}", "围墙周界")
            )
    if rng.random() < 0.6:
        devices.append(DevicePlan(DeviceKind.ACCESS_CONTROL, "校门人脸识别门禁", "校门口"))
    if rng.random() < 0.7:
        devices.append(DevicePlan(DeviceKind.PUBLIC_ADDRESS, "校园广播", "全校"))
    return devices


def _equipment(rng, plan: SchoolPlan, policy, guards: int) -> dict[str, int]:
    kit = {
        item: need + rng.randint(0, max(1, guards // 2)) for item, need in policy.min_kit.items()
    }
    if plan.flaws.kit_short and kit:
        for item in rng.sample(sorted(kit), min(len(kit), rng.randint(1, 2))):
            kit[item] = rng.randint(0, policy.min_kit[item] - 1)
    if EquipmentItem.PEPPER_SPRAY not in kit and rng.random() < 0.6:
        kit[EquipmentItem.PEPPER_SPRAY] = rng.randint(1, max(1, guards))
    return kit


def plan_schools(
    rng: random.Random, policy: school_policy.Policy, timeline: Timeline
) -> list[SchoolPlan]:
    """Every school's record, guards, devices and equipment; deterministic for ``rng`` and
    the timeline's day."""
    as_of, terms = timeline.schools_as_of, timeline.terms
    plans, sequences = [], {}
    for code, station, school in _school_places():
        district = data.DISTRICT_BY_KEY[station.district]
        sequences[district.key] = sequences.get(district.key, 0) + 1
        fields, flaws = _draw_school(
            rng, code, station, school, district, sequences[district.key], terms
        )
        plans.append(SchoolPlan(code, school.name, station.district, school.level, fields, flaws))
    _force_showcases(rng, plans)
    ids: set[str] = set()
    for plan in plans:
        flaws = plan.flaws
        plan.fields["closed_management"] = not flaws.open_campus
        if flaws.no_anti_collision:
            plan.fields["anti_collision"] = []
        if plan.fields["locality"] == Locality.RURAL and plan.fields["is_boarding"]:
            plan.fields["duty_24h"] = not flaws.no_duty_24h
        plan.guards = _guards(rng, plan, policy, ids, as_of)
        plan.devices = _devices(rng, plan)
        active = sum(1 for g in plan.guards if g.status != GuardStatus.LEFT)
        plan.equipment = _equipment(rng, plan, policy, active)
    return plans


def step_schools(ctx) -> None:
    """Register the schools that have no School record yet; leave the others untouched."""
    plans = plan_schools(ctx.rng, school_policy.current(), ctx.timeline)
    orgs = {p.org_code: ctx.orgs.get(p.org_code) for p in plans}
    missing = [code for code, org in orgs.items() if org is None]
    if missing:  # the organisations step makes them; someone may have deleted one since
        orgs.update(
            {o.code: o for o in Organization.objects.filter(code__in=missing, kind="school")}
        )
    registered = set(
        School.objects.filter(organization__in=[o for o in orgs.values() if o]).values_list(
            "organization_id", flat=True
        )
    )
    taken_codes = set(
        School.objects.filter(school_code__in=[p.fields["school_code"] for p in plans])
        .exclude(organization_id__in=registered)
        .values_list("school_code", flat=True)
    )
    chief = ctx.users.get("school01")
    for plan in plans:
        org = orgs.get(plan.org_code)
        if org is None:
            ctx.note(f"单位 {plan.org_code} 不存在，未登记其学校档案。")
            continue
        if org.pk in registered:
            ctx.count_existing("学校档案")
            continue
        if plan.fields["school_code"] in taken_codes:
            ctx.note(
                f"学校标识码 {plan.fields['school_code']} 已被其他学校使用，未登记 {org.name}。"
            )
            continue
        fields = dict(plan.fields)
        if plan.org_code == MODEL_SCHOOL and chief is not None:
            # The demo login school01 is this school's security chief.
            fields["security_chief_name"] = chief.full_name or fields["security_chief_name"]
            fields["security_chief_phone"] = chief.phone or fields["security_chief_phone"]
        school = school_services.school_register(organization=org, **fields)
        for guard in plan.guards:
            school_services.guard_create(
                school=school,
                name=guard.name,
                id_number=guard.id_number,
                phone=guard.phone,
                certificate_number=guard.certificate_number,
                certificate_valid_until=guard.certificate_valid_until,
                training_date=guard.training_date,
                employer=guard.employer,
                status=guard.status,
            )
        school_services.device_create_many(
            school=school,
            devices=[
                {
                    "kind": device.kind,
                    "name": device.name,
                    "area": device.area,
                    "retention_days": device.retention_days,
                    "networked_police": device.networked_police,
                    "networked_education": device.networked_education,
                    "is_online": device.is_online,
                }
                for device in plan.devices
            ],
        )
        if plan.equipment:
            school_services.equipment_set_many(school=school, quantities=dict(plan.equipment))
        ctx.count_created("学校档案")
        ctx.count_created("保安员", len(plan.guards))
        ctx.count_created("技防设备", len(plan.devices))
        ctx.count_created("防护装备", len(plan.equipment))
