"""Demo step "inspections": a finished and a running campaign, hazards in every state of the
loop (overdue and 挂牌督办 included), gap-free notice numbers, and a task for each demo login
of the loop (school01 rectifies, officer01 re-checks, commander handles a 督办)."""

import datetime as dt
from collections import Counter, defaultdict

from huxiao.core import workcalendar
from huxiao.core.models import AuditRecord
from huxiao.core.worklist import items_for
from huxiao.demo.generator import DEFAULT_PASSWORD, DemoContext, seed_demo
from huxiao.demo.inspections import plan_inspections
from huxiao.demo.timeline import CURRENT, PREVIOUS, Timeline
from huxiao.inspections import selectors
from huxiao.inspections.choices import OPEN_STATES, HazardAction, HazardState, Severity
from huxiao.inspections.models import (
    Campaign,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    Recheck,
    RectificationNotice,
)

ANOTHER_DAY = Timeline(dt.date(2027, 9, 15))


def plan(seed, timeline=ANOTHER_DAY):
    return plan_inspections(
        DemoContext(seed=seed, password=DEFAULT_PASSWORD).rng_for("inspections"), timeline
    )


def campaign(demo, key) -> Campaign:
    return Campaign.objects.get(name=demo.result.timeline.campaign(key).name)


def test_it_plans_the_same_inspections_for_the_same_seed_and_day(db):
    assert plan(2026) == plan(2026)
    assert plan(2026) != plan(2027)
    first = plan(2026)
    assert [p.date for p in first] == sorted(p.date for p in first)
    # The fixed cases the demo logins rely on are there whatever the seed.
    for seed in (2026, 2027):
        showcases = {h.showcase for p in plan(seed) for h in p.hazards if h.showcase}
        assert {"school01_rectify", "officer01_recheck", "major_overdue"} <= showcases
    # Another seeding day: the same picture, moved.
    later = plan(2026, Timeline(ANOTHER_DAY.today + dt.timedelta(days=7)))
    assert len(later) == len(first) and later != first
    assert all(p.date <= ANOTHER_DAY.today - dt.timedelta(days=2) for p in first)


def test_it_builds_a_finished_and_a_running_campaign_of_the_city_bureau(demo):
    today = demo.result.today
    previous, current = campaign(demo, PREVIOUS), campaign(demo, CURRENT)
    assert previous.end_date < today and current.start_date <= today <= current.end_date
    # Started three weeks ago (or the working day before), ends in four.
    assert 21 <= (today - current.start_date).days <= 30
    assert (current.end_date - today).days == 28
    assert previous.name.endswith("开学安全大检查") and current.name.endswith("护校安园专项检查")
    commander = demo.user("commander")
    for c in (previous, current):
        assert c.issuer.code == "PZH-PSB" and c.created_by == commander
        assert c.targets.count() == 81
    previous_progress = selectors.campaign_progress(campaign=previous, user=commander)
    assert previous_progress["inspected"] == previous_progress["inspections"] == 81
    current_progress = selectors.campaign_progress(campaign=current, user=commander)
    assert 0.3 <= current_progress["coverage"] <= 0.5
    for inspection in Inspection.objects.prefetch_related("inspectors"):
        assert inspection.status == "finished"
        assert 1 <= inspection.person_times == inspection.inspectors.count() <= 3
        assert inspection.campaign.start_date <= inspection.date <= inspection.campaign.end_date
        assert not inspection.results.filter(result="").exists()
        assert workcalendar.is_workday(inspection.date) and inspection.date < today
    assert previous_progress["person_times"] > 81


def test_it_closes_most_hazards_of_the_previous_campaign_and_leaves_a_few_open(demo):
    spring = Hazard.objects.filter(inspection_result__inspection__campaign=campaign(demo, PREVIOUS))
    closed = spring.filter(state=HazardState.CLOSED)
    assert spring.count() >= 30 and 0.7 <= closed.count() / spring.count() < 1
    for hazard in closed[:10]:
        actions = list(hazard.events.values_list("action", flat=True))
        assert actions[:2] == [HazardAction.CREATED, HazardAction.NOTICE_ISSUED]
        assert HazardAction.REPORTED in actions and actions[-1] == HazardAction.RECHECK_PASSED
        assert hazard.notice is not None and hazard.reports.exists()


def test_it_has_hazards_in_every_state_overdue_and_escalated(demo):
    today = demo.result.today
    states = Counter(Hazard.objects.values_list("state", flat=True))
    assert set(states) == set(HazardState.values) and min(states.values()) >= 2
    overdue = Hazard.objects.filter(is_overdue=True)
    assert overdue.exists()
    assert all(h.state in OPEN_STATES and h.deadline < today for h in overdue)
    assert Hazard.objects.filter(state=HazardState.PENDING, notice=None).exists()
    # A 重大 hazard, overdue, listed for 督办 by its station's sub-bureau (the daily sweep).
    major = Escalation.objects.filter(
        hazard__severity=Severity.MAJOR, hazard__is_overdue=True, created_by=None
    ).select_related("hazard__school__organization__parent", "supervisor")
    assert major.exists()
    for escalation in major:
        assert escalation.hazard.is_escalated
        assert escalation.supervisor == escalation.hazard.school.organization.parent.parent
        assert escalation.supervisor.kind == "sub_bureau"
        assert escalation.number.startswith(escalation.supervisor.doc_prefix + "督〔")


def test_it_has_a_failed_recheck_with_a_new_deadline(demo):
    failed = Recheck.objects.filter(passed=False).select_related("hazard", "officer")
    assert failed.exists()
    officer01 = demo.user("officer01")
    mine = [r for r in failed if r.officer == officer01]
    assert mine and all(r.new_deadline >= demo.result.today for r in mine)
    hazard = mine[0].hazard
    assert hazard.state == HazardState.RECTIFYING and hazard.deadline == mine[0].new_deadline
    assert hazard.school.organization.parent.code == "PZH-PS-01"


def test_it_numbers_notices_from_one_per_station_and_year_without_gaps(demo):
    serials = defaultdict(list)
    for notice in RectificationNotice.objects.select_related("issuer"):
        assert notice.issuer.kind == "station"
        assert notice.issuer == notice.school.organization.parent
        assert notice.number == f"{notice.issuer.doc_prefix}〔{notice.year}〕{notice.serial}号"
        assert notice.copy_to == notice.school.organization.education_bureau
        serials[(notice.issuer.code, notice.year)].append(notice.serial)
    assert len(serials) >= 10
    for key, numbers in serials.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
    station = demo.org("PZH-PS-01")
    assert station.doc_prefix == "攀公炳治"
    # The station's first notice of the previous campaign opens its year's numbering.
    first = RectificationNotice.objects.filter(issuer=station).order_by("issue_date", "pk")[0]
    assert first.year == first.issue_date.year
    assert first.number == f"攀公炳治〔{first.year}〕1号"


def test_it_gives_each_demo_login_of_the_loop_a_task(demo):
    school01 = demo.user("school01")
    rectify = [i for i in items_for(school01) if i.kind == "hazard_rectify"]
    assert rectify
    hazards = Hazard.objects.filter(pk__in=[i.object_id for i in rectify])
    assert {h.school.organization.code for h in hazards} == {"SCH-01"}
    # The one school01 started (the showcase), on a notice due in the coming days.
    today = demo.result.today
    started = hazards.filter(state=HazardState.RECTIFYING, deadline__gte=today)
    hazard = started.order_by("deadline").first()
    assert hazard is not None and hazard.notice is not None
    assert hazard.deadline <= today + dt.timedelta(days=21)
    started = hazard.events.get(action=HazardAction.STARTED)
    assert started.actor == school01 and started.actor_name == "赵建华"

    recheck = [i for i in items_for(demo.user("officer01")) if i.kind == "hazard_recheck"]
    assert recheck
    hazard = Hazard.objects.get(pk=recheck[0].object_id)
    assert hazard.state == HazardState.AWAITING_RECHECK
    assert hazard.school.organization.parent.code == "PZH-PS-01"

    escalations = [i for i in items_for(demo.user("commander")) if i.kind == "escalation_handle"]
    assert escalations
    escalation = Escalation.objects.get(pk=escalations[0].object_id)
    assert escalation.supervisor.code == "PZH-PSB" and escalation.created_by == demo.user(
        "officer02"
    )
    assert escalation.hazard.is_overdue


def test_it_attributes_the_police_steps_to_the_stations_officer(demo):
    officer01 = demo.user("officer01")
    events = HazardEvent.objects.filter(
        hazard__school__organization__parent__code="PZH-PS-01",
        action__in=[HazardAction.CREATED, HazardAction.NOTICE_ISSUED, HazardAction.RECHECK_PASSED],
    )
    assert events.exists() and {e.actor for e in events} <= {officer01, demo.user("commander")}
    notices = RectificationNotice.objects.filter(issuer__code="PZH-PS-02")
    assert notices.exists() and {n.issued_by for n in notices} == {demo.user("officer02")}


def test_it_creates_nothing_on_a_second_run(demo):
    counts = [
        model.objects.count()
        for model in (Campaign, Inspection, Hazard, HazardEvent, RectificationNotice, AuditRecord)
    ]
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    assert result.created_total == 0 and result.existing["专项行动"] == 2
    assert [
        model.objects.count()
        for model in (Campaign, Inspection, Hazard, HazardEvent, RectificationNotice, AuditRecord)
    ] == counts
