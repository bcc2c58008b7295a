"""The preparedness part of the demo city: for every school, its emergency plans (a few due for
review) and a term of drills — planned month by month by each district education bureau in bulk
(kindergartens every quarter), most held with evacuation times around the target of the school's
level, one or two cancelled, a few missed. Dates are placed relative to the seeding day
(``ctx.today``), never the clock; everything is written through ``preparedness.services``.
Written once: a later run keeps what is there."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from huxiao.core.models import User
from huxiao.preparedness import parameters as params
from huxiao.preparedness import rules, services
from huxiao.preparedness.choices import DrillKind, PlanKind
from huxiao.preparedness.models import Drill, EmergencyPlan
from huxiao.schools.models import School

PLANS = (
    (PlanKind.CAMPUS_VIOLENCE, "防范校园侵害应急预案"),
    (PlanKind.FIRE, "消防安全应急预案"),
    (PlanKind.FOOD_SAFETY, "食品安全事故应急预案"),
    (PlanKind.DISASTER, "地震等自然灾害应急预案"),
)
KINDS = (
    DrillKind.FIRE_EVACUATION,
    DrillKind.CAMPUS_VIOLENCE,
    DrillKind.EARTHQUAKE,
    DrillKind.TERRORISM,
    DrillKind.FIRE_EVACUATION,
)
MONTHS_BACK = 3  # the term so far: three months before the seeding month, and the next one


def step(ctx) -> None:
    if EmergencyPlan.objects.exists() or Drill.objects.exists():
        ctx.count_existing("应急预案", EmergencyPlan.objects.count())
        ctx.count_existing("应急演练", Drill.objects.count())
        return
    rng = ctx.rng_for("preparedness")
    today = ctx.today
    schools = list(
        School.objects.select_related("organization__education_bureau").order_by(
            "organization__code"
        )
    )
    users = {u.username: u for u in User.objects.filter(username__in=("edu01", "school01"))}
    chief = users.get("school01")
    staff_of = {chief.organization_id: chief} if chief else {}

    made = 0
    for school in schools:
        kinds = PLANS[:3]
        for kind, title in kinds:
            months_ago = rng.randint(1, 11)
            if rng.random() < 0.06:  # a few past their yearly review
                months_ago = 12 + rng.randint(0, 2)
            approved = rules.add_months(today, -months_ago) - dt.timedelta(days=rng.randint(0, 20))
            services.plan_create(
                school=school,
                actor=staff_of.get(school.organization_id),
                kind=kind,
                title=f"{school.organization.name}{title}",
                version=f"V{rng.randint(1, 3)}.0",
                approved_on=approved,
                approved_by=f"{school.organization.name}校务会",
            )
            made += 1
    ctx.count_created("应急预案", made)

    by_bureau: dict = defaultdict(list)
    for school in schools:
        if school.organization.education_bureau_id:
            by_bureau[school.organization.education_bureau].append(school)
    edu = users.get("edu01")
    drills = []
    first = rules.add_months(today.replace(day=1), -MONTHS_BACK)
    for i in range(MONTHS_BACK + 2):
        start = rules.add_months(first, i)
        end = rules.add_months(start, 1) - dt.timedelta(days=1)
        quarter = i % 3 == 0
        for bureau, members in sorted(by_bureau.items(), key=lambda kv: kv[0].code):
            chosen = [s for s in members if quarter or s.level != "kindergarten"]
            if not chosen:
                continue
            actor = edu if edu is not None and edu.organization_id == bureau.pk else None
            drills += services.drill_plan_bulk(
                bureau=bureau,
                actor=actor,
                schools=chosen,
                kind=KINDS[i % len(KINDS)],
                planned_from=start,
                planned_until=end,
                as_of=start - dt.timedelta(days=14),
            )
    ctx.count_created("应急演练", len(drills))

    held = cancelled = 0
    for index, drill in enumerate(drills):
        closed = drill.planned_until < today
        chance = rng.random()
        if closed and chance > 0.93:
            continue  # missed: the periodic task tells the school and its bureau
        if not closed and (drill.planned_from > today or chance > 0.5):
            continue  # this month's, not held yet
        if closed and index % 60 == 7:  # a few, whatever the day
            services.drill_cancel(
                drill=drill,
                actor=staff_of.get(drill.school.organization_id),
                reason="恰逢区统一考试，改期至下月举行",
            )
            cancelled += 1
            continue
        last = min(drill.planned_until, today)
        span = (last - drill.planned_from).days
        held_on = drill.planned_from + dt.timedelta(days=rng.randint(0, max(span, 0)))
        school = drill.school
        target = params.evacuation_target(school.level)
        timed = drill.kind in (DrillKind.FIRE_EVACUATION, DrillKind.EARTHQUAKE)
        services.drill_hold(
            drill=drill,
            actor=staff_of.get(school.organization_id),
            held_on=held_on,
            students=max(1, int(school.students * rng.uniform(0.9, 1.0))),
            staff=max(1, school.staff),
            police=rng.choice((0, 1, 1, 2, 3)),
            duration_minutes=rng.randint(20, 50),
            evacuation_seconds=int(target * rng.uniform(0.7, 1.15)) if timed else None,
            evaluation="组织有序，各班按预定路线疏散，清点人数无误。",
            lessons="个别楼梯口拥堵，下次演练前调整班级疏散顺序。",
        )
        held += 1
    ctx.count_created("已举行演练", held)
    if cancelled:
        ctx.count_created("已取消演练", cancelled)
