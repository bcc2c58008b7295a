"""Demo step "persons": synthetic key persons, disputes and the screening rounds.

Everyone here is invented: names are drawn like the rest of the demo city's people
(``people.person_name``, each from its own seed so the other draws do not move), ID numbers
carry Panzhihua's region codes (5104xx) with a valid GB 11643 check character and sequence
9xx, phones are 1380000xxxx, addresses are on "演示路", notes say 演示数据. A name alone
identifies no one; the ID numbers, phones and addresses are those no real person has. ``plan_persons(rng)`` is pure; the
review dates are placed relative to the day the demo is seeded (the services count the
next review from the last one, recorded as a follow-up through the service like any other),
so officer01 always has one review due within days and one overdue in "my tasks", and
officer02 one due.

Fixed cases the demo relies on (``SHOWCASE``): 侯振国 (``SHOWCASE_NAME``) of station 01 (mental-disorder
level 3 who threatened revenge against SCH-01, high risk, in control) is the person a
visitor at guard01's gate matches — ID number ``SHOWCASE_ID`` — and is linked to a
threat-of-revenge dispute of SCH-01 being mediated.

Rolling screening: the previous campaign (开学安全大检查, its placed period) has one batch
per station that lists every key person of the station — the city's key persons number the
seeds' "已排查重点人员318人", so the figure ``persons.screened`` reads 318 for the campaign,
counted from the persons recorded, not typed. In each batch a few persons are newly listed
(新增列管: listed through the batch, their listing date within it) and one or two removed
(撤销列管: revoked through the key-person service); everyone else was listed a month before
the campaign. Every date counts from ``ctx.today`` (the seeding day).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from huxiao.core import crypto
from huxiao.core.models import Organization
from huxiao.demo import data
from huxiao.demo.people import id_number, person_name
from huxiao.demo.timeline import PREVIOUS, season
from huxiao.persons import services
from huxiao.persons.choices import (
    Category,
    DisputeKind,
    DisputeStatus,
    FollowUpMethod,
    PersonStatus,
    ResponsibleKind,
    ScreeningOutcome,
)
from huxiao.persons.models import KeyPerson
from huxiao.schools.models import School

SCREENED_TOTAL = 318  # seeds: "已排查重点人员318人"
MIN_SHARE = 8  # a station's persons: up to five planned ones and three new listings
REGIONS = {"DQ": "510402", "XQ": "510403", "RH": "510411"}
SHOWCASE_ID = id_number("510402", dt.date(1979, 5, 12), 901)
SHOWCASE_NAME = "侯振国"
SHOWCASE_NAMES = (SHOWCASE_NAME, "邹志强", "熊桂英")

# (categories, mental level, overall risk, measures): the mix drawn for ordinary persons.
PROFILES = (
    (["mental"], 0, "low", ["guardianship", "listed"]),
    (["mental"], 1, "medium", ["guardianship", "treatment"]),
    (["mental"], 2, "medium", ["guardianship"]),
    (["drug"], None, "medium", ["talk", "listed"]),
    (["released"], None, "low", ["talk"]),
    (["correction"], None, "low", ["talk", "listed"]),
    (["grievance"], None, "medium", ["talk", "stabilise"]),
    (["destitute", "grievance"], None, "medium", ["stabilise"]),
    (["idle"], None, "low", ["talk"]),
    (["dispute_party"], None, "medium", ["stabilise"]),
)


@dataclass
class PersonPlan:
    station: str  # organisation code PZH-PS-nn
    fields: dict
    days_since_review: int | None  # None: never reviewed in the system
    school_codes: list[str] = field(default_factory=list)
    offset: tuple[float, float] = (0.0, 0.0)  # home, in degrees from the first school
    screening: str = "checked"  # what the station's batch records: checked, listed, removed


@dataclass
class ScreeningPlan:
    station: str
    screened: int  # every key person of the station
    newly_listed: int  # of them, listed through the batch
    removed: int  # of them, revoked through the batch


def _name(n: int, used: set[str]) -> str:
    """The n-th person's name: drawn from a seed of its own, unique in the demo (a station's
    removals are named in its screening batch)."""
    draw = random.Random(f"key-person-{n}")
    while True:
        name = person_name(draw)
        if len(name) == 3 and name not in used:
            used.add(name)
            return name


def _showcases() -> list[PersonPlan]:
    return [
        PersonPlan(
            "PZH-PS-01",
            {
                "name": SHOWCASE_NAMES[0],
                "id_number": SHOWCASE_ID,
                "categories": [Category.MENTAL, Category.REVENGE],
                "mental_risk_level": 3,
                "risk_level": "high",
                "control_measures": ["stabilise", "guardianship", "listed"],
                "notes": "曾因子女入学问题扬言报复学校（演示数据）",
            },
            days_since_review=5,  # revenge → weekly: due in two days
            school_codes=["SCH-01"],
            offset=(0.004, 0.003),
        ),
        PersonPlan(
            "PZH-PS-01",
            {
                "name": SHOWCASE_NAMES[1],
                "id_number": id_number("510402", dt.date(1988, 11, 3), 902),
                "categories": [Category.DRUG],
                "risk_level": "medium",
                "control_measures": ["talk", "listed"],
            },
            days_since_review=34,  # monthly → overdue by four days
            school_codes=["SCH-02"],
            offset=(-0.003, 0.002),
        ),
        PersonPlan(
            "PZH-PS-02",
            {
                "name": SHOWCASE_NAMES[2],
                "id_number": id_number("510402", dt.date(1975, 2, 21), 903),
                "categories": [Category.MENTAL],
                "mental_risk_level": 4,
                "risk_level": "high",
                "control_measures": ["treatment", "guardianship"],
            },
            days_since_review=12,  # level 4 → two weeks: due in two days
            offset=(0.002, -0.004),
        ),
    ]


def plan_persons(rng: random.Random) -> tuple[list[PersonPlan], list[ScreeningPlan]]:
    """Key persons (2–3 described per station besides the showcases, then as many ordinary ones
    as the station's share of the 318 screened) and one screening batch per station."""
    persons = _showcases()
    n = len(persons)
    names = set(SHOWCASE_NAMES)
    used = {p.fields["id_number"] for p in persons}
    for s, station in enumerate(data.STATIONS, start=1):
        code = f"PZH-PS-{s:02d}"
        region = REGIONS.get(station.district, "510421")
        for _k in range(rng.choice((2, 2, 3))):
            n += 1
            cats, level, risk, measures = rng.choice(PROFILES)
            while True:
                born = dt.date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28))
                ident = id_number(region, born, 900 + n % 100)
                if ident not in used:
                    used.add(ident)
                    break
            status = "in_control"
            if n % 23 == 0:
                status = "lost"
            persons.append(
                PersonPlan(
                    code,
                    {
                        "name": _name(n, names),
                        "id_number": ident,
                        "phone": f"1380000{n:04d}",
                        "address": f"{data.DISTRICT_BY_KEY[station.district].name}演示路{n}号",
                        "categories": list(cats),
                        "mental_risk_level": level,
                        "risk_level": risk,
                        "control_measures": list(measures),
                        "status": status,
                    },
                    days_since_review=rng.choice((3, 8, 15, 20, 26, 40)),
                    offset=(rng.uniform(-0.008, 0.008), rng.uniform(-0.008, 0.008)),
                )
            )
    shares = [rng.randint(6, 18) for _ in data.STATIONS]
    # Scale the draws to the seeds' total, then settle the rounding on the largest share; each
    # station keeps room for its planned persons and three new listings.
    scaled = [max(MIN_SHARE, round(x * SCREENED_TOTAL / sum(shares))) for x in shares]
    scaled[scaled.index(max(scaled))] += SCREENED_TOTAL - sum(scaled)
    screening = []
    for s, count in enumerate(scaled, start=1):
        code = f"PZH-PS-{s:02d}"
        station = data.STATIONS[s - 1]
        region = REGIONS.get(station.district, "510421")
        planned = sum(1 for p in persons if p.station == code)
        extra = count - planned
        new = min(rng.randint(0, 3), extra)
        removed = min(rng.randint(0, 2), extra - new)
        for k in range(extra):
            n += 1
            cats, level, risk, measures = rng.choice(PROFILES)
            while True:
                born = dt.date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28))
                ident = id_number(region, born, 900 + n % 100)
                if ident not in used:
                    used.add(ident)
                    break
            persons.append(
                PersonPlan(
                    code,
                    {
                        "name": _name(n, names),
                        "id_number": ident,
                        "phone": f"1380000{n:04d}",
                        "address": f"{data.DISTRICT_BY_KEY[station.district].name}演示路{n}号",
                        "categories": list(cats),
                        "mental_risk_level": level,
                        "risk_level": risk,
                        "control_measures": list(measures),
                    },
                    # Reviewed within the last three weeks: none is due or overdue.
                    days_since_review=rng.randint(1, 20),
                    offset=(rng.uniform(-0.008, 0.008), rng.uniform(-0.008, 0.008)),
                    screening="listed"
                    if k < new
                    else "removed"
                    if k < new + removed
                    else "checked",
                )
            )
        screening.append(ScreeningPlan(code, screened=count, newly_listed=new, removed=removed))
    return persons, screening


def step_persons(ctx) -> None:
    """Write the plan unless the showcase person is already listed."""
    persons, screening = plan_persons(ctx.rng)
    if KeyPerson.objects.filter(
        id_number_index__in=crypto.blind_index_candidates(SHOWCASE_ID)
    ).exists():
        ctx.count_existing("重点人员", KeyPerson.objects.count())
        return
    today = ctx.today
    screened_in = ctx.timeline.campaign(PREVIOUS)
    stations = {
        o.code: o
        for o in Organization.objects.filter(code__in={p.station for p in persons}, kind="station")
    }
    schools = {
        s.organization.code: s
        for s in School.objects.select_related("organization__parent").filter(
            organization__parent__in=stations.values()
        )
    }
    by_station = {}
    for s in schools.values():
        by_station.setdefault(s.organization.parent_id, []).append(s)
    officers = {"PZH-PS-01": ctx.users.get("officer01"), "PZH-PS-02": ctx.users.get("officer02")}
    batches: dict[str, list[dict]] = {}
    new_listings: dict[str, list[dict]] = {}
    removals: dict[str, set[str]] = {}
    reviews: dict[str, tuple[dt.date, object]] = {}  # id number → (last review, by whom)
    for i, plan in enumerate(persons):
        station = stations.get(plan.station)
        if station is None:
            continue
        near = sorted(by_station.get(station.pk, []), key=lambda x: x.school_code)
        links = [(schools[c], "targeted") for c in plan.school_codes if c in schools]
        if not links and near:
            links = [(near[0], "nearby")]
        fields = dict(plan.fields)
        anchor = links[0][0].organization if links else station
        if anchor.latitude is not None:
            fields["home_latitude"] = round(float(anchor.latitude) + plan.offset[0], 6)
            fields["home_longitude"] = round(float(anchor.longitude) + plan.offset[1], 6)
        if plan.days_since_review is not None:
            reviews[fields["id_number"].upper()] = (
                today - dt.timedelta(days=plan.days_since_review),
                officers.get(plan.station) or ctx.users.get("commander"),
            )
        # Listed a month before the campaign, or (新增列管) during its screening.
        fields["listed_on"] = screened_in.start - dt.timedelta(days=30)
        fields["officer"] = officers.get(plan.station)
        fields.setdefault("phone", "13800000" + fields["id_number"][-3:])
        fields.setdefault("address", f"演示路{fields['id_number'][-3:]}号")
        fields["schools"] = links
        if plan.screening == "listed":
            span = max((min(today, screened_in.end) - screened_in.start).days, 0)
            fields["listed_on"] = screened_in.start + dt.timedelta(days=(i * 7) % (span + 1))
            new_listings.setdefault(plan.station, []).append({"station": station, **fields})
            continue
        if plan.screening == "removed":
            removals.setdefault(plan.station, set()).add(fields["name"])
        batches.setdefault(plan.station, []).append(fields)
    total = 0
    listed: dict[str, list[KeyPerson]] = {}
    for code, people in batches.items():
        listed[code] = services.key_person_create_many(
            station=stations[code], people=people, today=today
        )
        total += len(listed[code])
    ctx.count_created("重点人员", total)
    # Their last reviews are follow-ups (before the screening revokes some of them) …
    _reviews(ctx, [p for people in listed.values() for p in people], reviews)
    _disputes(ctx, schools, stations, today)
    _screening(ctx, screening, stations, screened_in, listed, removals, new_listings)
    # … and those of the persons newly listed by the screening.
    new = [
        index
        for fields in (f for fs in new_listings.values() for f in fs)
        for index in crypto.blind_index_candidates(fields["id_number"].upper())
    ]
    _reviews(ctx, list(KeyPerson.objects.filter(id_number_index__in=new)), reviews)


def _reviews(ctx, persons, reviews) -> None:
    """Each person's last review as a follow-up recorded through the service, which alone
    sets the date the pages show as 最近核查 (and the next review counts from it)."""
    rows = []
    for person in persons:
        date, officer = reviews.get(person.id_number.upper(), (None, None))
        if date is None or officer is None:
            continue
        lost = person.status == PersonStatus.LOST
        rows.append(
            {
                "person": person,
                "date": date,
                "method": FollowUpMethod.VISIT,
                "observations": "走访未见本人，继续查找（演示数据）"
                if lost
                else "走访核查，本人在家，情况稳定（演示数据）",
                "officer": officer,
            }
        )
    if rows:
        services.follow_ups_create_many(follow_ups=rows, today=ctx.today)
        ctx.count_created("走访核查", len(rows))


def _parent_name(i: int) -> str:
    return person_name(random.Random(f"dispute-parent-{i}"))


def _disputes(ctx, schools, stations, today) -> None:
    """One dispute for every third school of the city, in each status; the showcase's threat."""
    by_station = {"PZH-PS-01": ctx.users.get("officer01"), "PZH-PS-02": ctx.users.get("officer02")}
    showcase = KeyPerson.objects.filter(
        id_number_index__in=crypto.blind_index_candidates(SHOWCASE_ID)
    ).first()
    kinds = list(DisputeKind.values)
    responsible = [
        ResponsibleKind.SCHOOL,
        ResponsibleKind.EDUCATION_BUREAU,
        ResponsibleKind.STATION,
    ]
    count = 0
    for i, code in enumerate(sorted(schools)):
        if i % 3:
            continue
        school = schools[code]
        officer = by_station.get(school.organization.parent.code) or ctx.users.get("commander")
        threat = code == "SCH-01" and showcase is not None
        dispute = services.dispute_create(
            school=school,
            kind=DisputeKind.HOME_SCHOOL if threat else kinds[i % len(kinds)],
            parties=f"学生家长{_parent_name(i)}与学校（演示）",
            summary="家长对学校处理学生受伤事件不满，多次到校交涉（演示数据）"
            if threat
            else "因校园管理事项产生争议（演示数据）",
            responsible_kind=responsible[i % 3],
            threat_of_revenge=threat,
            key_person=showcase if threat else None,
            registered_on=today - dt.timedelta(days=10 + i % 20),
            due_date=today + dt.timedelta(days=(i % 5) * 7 - 7),
            actor=officer,
        )
        count += 1
        fate = (i % 4 if not threat else 1) if officer is not None else 0
        if fate >= 1:
            services.mediation_create(
                dispute=dispute,
                actor=officer,
                date=today - dt.timedelta(days=3),
                content="派出所、学校与家长三方座谈，说明处理经过（演示数据）",
                participants="派出所、学校、家长",
            )
        if fate == 2:
            services.dispute_transition(
                dispute=dispute, to=DisputeStatus.RESOLVED, note="双方达成谅解", actor=officer
            )
        elif fate == 3:
            services.dispute_transition(
                dispute=dispute, to=DisputeStatus.TRANSFERRED, note="移交区信访部门", actor=officer
            )
    ctx.count_created("矛盾纠纷", count)


def _screening(ctx, screening, stations, placed, listed, removals, new_listings) -> None:
    """One batch per station listing every key person of it: checked, removed (revoked
    through the key-person service) or newly listed through the batch."""
    from huxiao.inspections.models import Campaign

    campaign = Campaign.objects.filter(name=placed.name).first()
    note = f"{season(placed.start)[1]}开学滚动排查（演示）"
    batches = entries = 0
    for plan in screening:
        station = stations.get(plan.station)
        if station is None:
            continue
        batch = services.screening_batch_create(
            organization=station,
            campaign=campaign,
            period_start=placed.start,
            period_end=placed.end,
            note=note,
        )
        batches += 1
        people = listed.get(plan.station, [])
        gone = removals.get(plan.station, set())
        checked = [p for p in people if p.name not in gone]
        if checked:
            entries += len(
                services.screening_entries_add(
                    batch=batch, actor=None, persons=checked, today=ctx.today
                )
            )
        for person in (p for p in people if p.name in gone):
            entries += len(
                services.screening_entries_add(
                    batch=batch,
                    actor=None,
                    persons=[person],
                    outcome=ScreeningOutcome.REMOVED,
                    note="经滚动排查，已迁出辖区、不再列管（演示）",
                    today=ctx.today,
                )
            )
        for fields in new_listings.get(plan.station, []):
            entries += len(
                services.screening_entries_add(
                    batch=batch,
                    actor=None,
                    outcome=ScreeningOutcome.LISTED,
                    note="滚动排查新发现（演示）",
                    new_person=fields,
                    today=ctx.today,
                )
            )
    ctx.count_created("滚动排查批次", batches)
    ctx.count_created("排查人员", entries)
