"""Demo step "inspections": two campaigns and the rectification loop in every state.

``plan_inspections(rng, timeline, boarding)`` is pure but for the work calendar: which
schools are inspected when and by whom, each checklist item's result, the hazards found,
their severity and how far each has come through the loop (its "fate"). ``step_inspections``
plays the plan through the services of ``huxiao.inspections`` in date order — inspection,
hazard, numbered notice, start, report, re-check — then runs the daily sweep, which marks the
hazards whose deadline has passed as overdue and lists the overdue 重大 ones for 督办 under
their station's sub-bureau.

The dates come from the seeding day's ``Timeline`` (``huxiao.demo.timeline``); as pictured on
its reference day 2026-11-22:

- 2026年春季开学安全大检查 (city bureau, 2026-02-16 … 2026-03-31, finished): every one of the
  81 schools inspected once; most hazards closed, a few still open and overdue.
- 2026年秋季护校安园专项检查 (city bureau, 2026-11-01 … 2026-12-20, running): about 40% of
  the schools inspected so far (2026-11-02 … 2026-11-20); hazards in every state.

Seeded on another day, every date moves by the same number of days (visits back to a working
day) and the names follow the placed dates.

Fixed cases the demo logins rely on (``SHOWCASES``): school01 has a hazard of SCH-01 with
a notice waiting for its report; officer01 has a hazard of SCH-02 to re-check; a 重大 hazard
of SCH-12 is overdue and escalated (挂牌督办) to 东区分局; SCH-03 failed a re-check and has a
new deadline; officer02 asked the city bureau to supervise an overdue hazard of SCH-08, so
commander has an escalation to handle.

The services stamp history times with the clock (``HazardEvent.at``): the history of a
hazard found in March shows the steps at the time the demo was seeded; the business dates
(inspection date, found on, notice issue date, deadlines) are the planned ones. A deadline
given at a re-check that fails counts from today, as the services require.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Q

from huxiao.core import services as core_services
from huxiao.core import workcalendar
from huxiao.demo import data
from huxiao.demo.inspection_texts import ITEM_TEXTS
from huxiao.demo.timeline import (
    CURRENT,
    PREVIOUS,
    REFERENCE_CAMPAIGNS,
    PlacedCampaign,
    Timeline,
    season,
)
from huxiao.inspections import rules
from huxiao.inspections import services as inspection_services
from huxiao.inspections.checklist_data import (
    DEFAULT_CHECKLIST_NAME,
    DEFAULT_ITEMS,
    ensure_default_checklist,
)
from huxiao.inspections.choices import HazardState, ItemResult, Severity
from huxiao.inspections.models import Campaign, ChecklistTemplate, Escalation, Hazard
from huxiao.schools.choices import Locality
from huxiao.schools.models import School

FAIL_RATES = {PREVIOUS: 0.035, CURRENT: 0.045}  # share of checklist items that fail


def description(campaign: PlacedCampaign) -> str:
    if campaign.key == PREVIOUS:
        return (
            "开学前后对全市中小学、幼儿园逐校逐园开展安全大检查，重点检查内部保卫力量、"
            "守卫防护装备、安全管理制度、安全防范设施和应急处置机制；发现的隐患一律下发"
            "整改通知书，限期整改，逐项复查销号。"
        )
    seasons = "秋冬" if season(campaign.start)[1] == "秋季" else "春夏"
    return (
        f"{seasons}季节校园安全专项检查：人防、物防、技防“三防”建设和护学岗、校园周边治安乱点"
        "整治情况；重大隐患实行挂牌督办。"
    )


CURRENT_SHARE = 0.4  # schools inspected so far in the running campaign

# 机关代字 of the stations: 攀公 + one character of the station's name + 治 (攀公炳治〔2026〕1号).
STATION_DOC_CODES = (
    "炳", "渡", "弄", "华", "南", "瓜", "向", "银", "密", "机", "清", "玉", "河",
    "陶", "宝", "格", "摩", "仁", "大河", "前", "金", "同", "福", "布", "平", "田",
)  # fmt: skip

# Items whose failure is often rated 重大.
MAJOR_PRONE = {"WF-02", "WF-03", "JF-03", "ZD-05", "ZB-01", "RF-01"}
# Items the schools module's indicators cover: SCH-01 passes them all there, so it does here.
FACILITY_GROUPS = {"personnel", "physical", "technical"}
ITEM_GROUPS = {code: group for group, code, _text, _guidance in DEFAULT_ITEMS}

# How far a hazard has come through the loop.
PENDING = "pending"  # no notice yet
NOTICE = "notice"  # notice issued, the school has done nothing
RECTIFYING = "rectifying"  # the school started
AWAITING = "awaiting"  # reported, waiting for the re-check
CLOSED = "closed"
CLOSED_AFTER_FAIL = "closed_after_fail"  # failed one re-check, then closed
RECHECK_FAILED = "recheck_failed"  # failed the re-check, rectifying again
FATE_STEPS: dict[str, tuple[str, ...]] = {
    PENDING: (),
    NOTICE: (),
    RECTIFYING: ("start",),
    AWAITING: ("start", "report"),
    CLOSED: ("start", "report", "pass"),
    CLOSED_AFTER_FAIL: ("start", "report", "fail", "report", "pass"),
    RECHECK_FAILED: ("start", "report", "fail"),
}
FATES_PREVIOUS = {
    CLOSED: 78,
    CLOSED_AFTER_FAIL: 8,
    AWAITING: 3,
    RECTIFYING: 4,
    NOTICE: 4,
    RECHECK_FAILED: 3,
}
FATES_CURRENT_OLD = {CLOSED: 30, AWAITING: 25, RECTIFYING: 25, NOTICE: 15, RECHECK_FAILED: 5}
# Visits since ``Timeline.recent_visits_from`` (the last ten days or so).
FATES_CURRENT_RECENT = {AWAITING: 10, RECTIFYING: 30, NOTICE: 60}


@dataclass(frozen=True)
class Showcase:
    key: str
    campaign: str
    org_code: str
    date: dt.date  # the reference date (``Timeline.visit`` places it)
    item: str
    severity: str
    fate: str


SHOWCASES: tuple[Showcase, ...] = (
    # school01's task: a notice waiting for its report (due in the coming days).
    Showcase("school01_rectify", CURRENT, "SCH-01", dt.date(2026, 11, 17), "YJ-02", "ordinary", RECTIFYING),
    # officer01's task: a report to re-check.
    Showcase("officer01_recheck", CURRENT, "SCH-02", dt.date(2026, 11, 9), "WF-02", "major", AWAITING),
    # A 重大 hazard left undone since last term: overdue, 挂牌督办 by 东区分局 (the sweep).
    Showcase("major_overdue", PREVIOUS, "SCH-12", dt.date(2026, 3, 10), "JF-03", "major", NOTICE),
    # A failed re-check with a new deadline (officer01).
    Showcase("recheck_failed", PREVIOUS, "SCH-03", dt.date(2026, 3, 4), "WF-03", "ordinary", RECHECK_FAILED),
    # Overdue, and officer02 asks the city bureau to supervise it (commander's task).
    Showcase("city_escalation", PREVIOUS, "SCH-08", dt.date(2026, 3, 12), "ZD-04", "ordinary", RECTIFYING),
)  # fmt: skip


@dataclass
class HazardPlan:
    item: str
    severity: str
    fate: str
    showcase: str = ""


@dataclass
class InspectionPlan:
    campaign: str
    org_code: str
    station_code: str
    date: dt.date
    inspectors: tuple[str, ...]  # demo usernames, the first one leads
    results: dict[str, str]  # item code -> ItemResult value
    hazards: list[HazardPlan] = field(default_factory=list)
    notice: bool = True
    notice_delay: int = 1  # working days between the visit and the notice
    working_days: int = 10  # the notice's time limit: 5 working days when a hazard is 重大


def station_code(number: int) -> str:
    return f"PZH-PS-{number:02d}"


def station_doc_prefix(number: int) -> str:
    return f"攀公{STATION_DOC_CODES[number - 1]}治"


def _school_stations() -> list[tuple[str, str]]:
    """(school code, station code) in the numbering of ``data.STATIONS``."""
    pairs, n = [], 0
    for number, station in enumerate(data.STATIONS, start=1):
        for _school in station.schools:
            n += 1
            pairs.append((f"SCH-{n:02d}", station_code(number)))
    return pairs


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if workcalendar.is_workday(d)]


def _inspectors(rng: random.Random, station: str) -> tuple[str, ...]:
    """Stations 01 and 02 send their demo officer; elsewhere the city bureau's commander
    leads, joined now and then by the two station officers (联合检查组): 1–3 person-times."""
    lead = {"PZH-PS-01": "officer01", "PZH-PS-02": "officer02"}.get(station, "commander")
    others = [u for u in ("commander", "officer01", "officer02") if u != lead]
    joined = [u for u in others if rng.random() < 0.3]
    return (lead, *joined)


def _pick(weights: dict[str, int], draw: float) -> str:
    """The key whose share of the total weight ``draw`` (0 ≤ draw < 1) falls in."""
    point, total = draw * sum(weights.values()), 0
    for key, weight in weights.items():
        total += weight
        if point < total:
            return key
    return key


def plan_inspections(
    rng: random.Random, timeline: Timeline, boarding: frozenset[str] = frozenset()
) -> list[InspectionPlan]:
    """Every inspection of both campaigns, in date order; deterministic for ``rng`` and the
    timeline's day (visits fall on working days of the official calendar).

    ``boarding`` are the codes of rural boarding schools, the only ones RF-05 applies to.
    """
    pairs = _school_stations()
    showcases = {(s.campaign, s.org_code): s for s in SHOWCASES}
    current_codes = {"SCH-01", "SCH-02"}
    rest = [code for code, _station in pairs if code not in current_codes]
    current_codes |= set(rng.sample(rest, round(len(pairs) * CURRENT_SHARE) - len(current_codes)))
    recent_from = timeline.recent_visits_from
    plans = []
    for campaign in timeline.campaigns:
        days = _working_days(campaign.first_visit, campaign.last_visit)
        for code, station in pairs:
            # Draw the same numbers for every school, inspected or not.
            date = rng.choice(days)
            inspectors = _inspectors(rng, station)
            draws = {c: (rng.random(), rng.random(), rng.random()) for c in ITEM_TEXTS}
            notice_draw, delay_draw = rng.random(), rng.random()
            if campaign.key == CURRENT and code not in current_codes:
                continue
            showcase = showcases.get((campaign.key, code))
            if showcase:
                date = timeline.visit(showcase.date)
            results, hazards = {}, []
            for item, (fail, major, fate) in draws.items():
                if item == "RF-05" and code not in boarding:
                    results[item] = ItemResult.NOT_APPLICABLE
                    continue
                failed = fail < FAIL_RATES[campaign.key]
                if code == "SCH-01" and ITEM_GROUPS.get(item) in FACILITY_GROUPS:
                    failed = False
                if showcase and showcase.item == item:
                    hazards.append(HazardPlan(item, showcase.severity, showcase.fate, showcase.key))
                    results[item] = ItemResult.FAIL
                    continue
                results[item] = ItemResult.FAIL if failed else ItemResult.PASS
                if not failed:
                    continue
                severity = (
                    Severity.MAJOR if item in MAJOR_PRONE and major < 0.35 else Severity.ORDINARY
                )
                recent = date >= recent_from
                hazards.append(HazardPlan(item, severity, _fate_for(campaign.key, recent, fate)))
            plan = InspectionPlan(
                campaign.key, code, station, date, inspectors, results, hazards,
                # A showcase's notice goes out on the day: its task is there whatever the
                # working days between the visit and today.
                notice_delay=0 if delay_draw < 0.3 or showcase else 1,
                working_days=5 if any(h.severity == Severity.MAJOR for h in hazards) else 10,
            )  # fmt: skip
            if campaign.key == CURRENT and date >= recent_from and not showcase:
                # The latest visits: for about a third the notice is still being drafted.
                plan.notice = notice_draw >= 0.35
            if not plan.notice:
                for hazard in plan.hazards:
                    hazard.fate = PENDING
            plans.append(plan)
    plans.sort(key=lambda p: (p.date, p.org_code, p.campaign))
    return plans


def _fate_for(campaign: str, recent: bool, draw: float) -> str:
    if campaign == PREVIOUS:
        weights = FATES_PREVIOUS
    elif not recent:
        weights = FATES_CURRENT_OLD
    else:
        weights = FATES_CURRENT_RECENT
    return _pick(weights, draw)


# ---- writing ------------------------------------------------------------------------------------


def _set_station_prefixes(ctx) -> None:
    for number, station in enumerate(ctx.stations, start=1):
        if not station.doc_prefix:
            core_services.organization_update(org=station, doc_prefix=station_doc_prefix(number))


def _checklist() -> ChecklistTemplate:
    ensure_default_checklist()  # a flushed database has none
    template = ChecklistTemplate.objects.filter(name=DEFAULT_CHECKLIST_NAME).first()
    if template is None:  # renamed by an administrator: add the default one beside it
        template = inspection_services.checklist_create(
            name=DEFAULT_CHECKLIST_NAME,
            items=[
                {"group": g, "code": c, "text": t, "guidance": h} for g, c, t, h in DEFAULT_ITEMS
            ],
        )
    return template


class _Writer:
    def __init__(self, ctx, today: dt.date):
        self.ctx = ctx
        self.today = today
        self.users = ctx.users
        self.skipped = 0
        self.showcase_hazards: dict[str, Hazard] = {}

    def police(self, station: str):
        """Who acts for a station: its demo officer, else the city bureau's commander."""
        name = {"PZH-PS-01": "officer01", "PZH-PS-02": "officer02"}.get(station, "commander")
        return self.users.get(name) or self.users.get("commander")

    def school_actor(self, org_code: str):
        # Only SCH-01 has a demo login (school01); other schools' steps are recorded as 系统.
        return self.users.get("school01") if org_code == "SCH-01" else None

    def inspection(self, plan: InspectionPlan, campaign: Campaign, school: School) -> None:
        if plan.date > self.today:
            self.skipped += 1
            return
        inspectors = [self.users[u] for u in plan.inspectors if u in self.users]
        lead = inspectors[0]
        inspection = inspection_services.inspection_start(
            school=school, date=plan.date, inspectors=inspectors, campaign=campaign, actor=lead
        )
        rows = {r.item.code: r for r in inspection.results.select_related("item")}
        results = {}
        for code, row in rows.items():
            result = plan.results.get(code, ItemResult.PASS)
            note = ITEM_TEXTS[code][1] if result == ItemResult.FAIL and code in ITEM_TEXTS else ""
            results[row.pk] = {"result": result, "note": note}
        inspection_services.inspection_record(inspection=inspection, results=results, actor=lead)
        found = [h for h in plan.hazards if h.item in rows]
        summary = (
            f"检查发现隐患{len(found)}项，已当场向学校反馈，责令限期整改。"
            if found
            else "各项检查合格，未发现安全隐患。"
        )
        inspection_services.inspection_finish(inspection=inspection, summary=summary, actor=lead)
        self.ctx.count_created("检查")
        hazards = []
        for hp in found:
            hazard = inspection_services.hazard_from_result(
                result=rows[hp.item], severity=hp.severity, title=ITEM_TEXTS[hp.item][0], actor=lead
            )
            hazards.append((hp, hazard))
            if hp.showcase:
                self.showcase_hazards[hp.showcase] = hazard
        self.ctx.count_created("隐患", len(hazards))
        on_notice = [(hp, h) for hp, h in hazards if hp.fate != PENDING]
        if not on_notice:
            return
        issue_date = rules.notice_deadline(plan.date, plan.notice_delay)
        if issue_date > self.today:
            return
        police = self.police(plan.station_code)
        inspection_services.notice_issue(
            school=school,
            hazards=[h for _hp, h in on_notice],
            working_days=plan.working_days,
            requirements="请对照所列隐患逐项落实整改措施，整改完成后提交整改报告及佐证材料，"
            "我所将组织复查；逾期未整改的，将报请上级公安机关挂牌督办。",
            issue_date=issue_date,
            issuer=self.ctx.orgs[plan.station_code],
            actor=police,
        )
        self.ctx.count_created("整改通知书")
        for hp, hazard in on_notice:
            self.loop(hp, hazard, plan, police)

    def loop(self, hp: HazardPlan, hazard: Hazard, plan: InspectionPlan, police) -> None:
        school_actor = self.school_actor(plan.org_code)
        _title, finding, measures = ITEM_TEXTS[hp.item]
        for step in FATE_STEPS[hp.fate]:
            if step == "start":
                inspection_services.hazard_start(hazard=hazard, actor=school_actor)
            elif step == "report":
                inspection_services.hazard_report(
                    hazard=hazard, measures=measures, actor=school_actor
                )
            elif step == "pass":
                inspection_services.hazard_recheck(
                    hazard=hazard,
                    passed=True,
                    note="经现场复查，整改到位，予以销号。",
                    actor=police,
                )
            else:
                inspection_services.hazard_recheck(
                    hazard=hazard,
                    passed=False,
                    note="经现场复查，整改尚未到位：" + finding + "请在新的期限内整改完毕。",
                    new_working_days=10,
                    actor=police,
                )


def demo_campaigns(ctx):
    """The demo's campaigns in the database, whichever day they were seeded on: the city
    bureau's "<year>年<season><kind>" (the names follow the seeding day)."""
    kinds = "|".join(c.kind for c in REFERENCE_CAMPAIGNS)
    names = [c.name for c in ctx.timeline.campaigns]
    return Campaign.objects.filter(
        Q(name__in=names) | Q(issuer=ctx.city, name__regex=rf"^[0-9]{{4}}年[春秋]季({kinds})$")
    )


def step_inspections(ctx) -> None:
    """Write the two campaigns and their loop unless a campaign of the demo exists."""
    timeline = ctx.timeline
    plans = plan_inspections(ctx.rng, timeline, _boarding_codes(ctx))
    _set_station_prefixes(ctx)
    existing = demo_campaigns(ctx).count()
    if existing:
        ctx.count_existing("专项行动", existing)
        return
    today = ctx.today
    commander = ctx.users.get("commander")
    if commander is None or "officer01" not in ctx.users or "officer02" not in ctx.users:
        ctx.note("演示账号 commander、officer01、officer02 不全，未生成检查与隐患演示数据。")
        return
    template = _checklist()
    schools = {
        s.organization.code: s
        for s in School.objects.filter(organization__in=ctx.schools).select_related(
            "organization__parent", "organization__education_bureau"
        )
    }
    campaigns = {}
    for place in timeline.campaigns:
        campaigns[place.key] = inspection_services.campaign_create(
            name=place.name,
            issuer=ctx.city,
            start_date=place.start,
            end_date=place.end,
            checklist=template,
            targets=list(schools.values()),
            description=description(place),
            actor=commander,
        )
        ctx.count_created("专项行动")
    writer = _Writer(ctx, today)
    for plan in plans:
        school = schools.get(plan.org_code)
        if school is not None:
            writer.inspection(plan, campaigns[plan.campaign], school)
    if writer.skipped:
        ctx.note(f"今天（{today:%Y-%m-%d}）早于部分计划检查日期，{writer.skipped} 次检查未生成。")
    inspection_services.hazard_sweep(today=today)
    _escalate_to_city(ctx, writer, today)
    ctx.count_created(
        "挂牌督办", Escalation.objects.filter(hazard__school__in=schools.values()).count()
    )


def _escalate_to_city(ctx, writer: _Writer, today: dt.date) -> None:
    hazard = writer.showcase_hazards.get("city_escalation")
    if hazard is None:
        return
    hazard = Hazard.objects.get(pk=hazard.pk)
    if hazard.state == HazardState.CLOSED or hazard.is_escalated:
        return
    inspection_services.hazard_escalate(
        hazard=hazard,
        reason="逾期未整改，经派出所多次督促仍未落实，报请市公安局挂牌督办。",
        supervisor=ctx.city,
        deadline=rules.notice_deadline(today, 10),
        actor=ctx.users["officer02"],
    )


def _boarding_codes(ctx) -> frozenset[str]:
    """Rural boarding schools: the only ones the 24-hour duty item (RF-05) applies to."""
    return frozenset(
        School.objects.filter(
            organization__in=ctx.schools, is_boarding=True, locality=Locality.RURAL
        ).values_list("organization__code", flat=True)
    )
