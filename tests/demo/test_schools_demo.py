"""Demo step "schools": 81 School records with guards, devices and equipment, deterministic,
idempotent, and with both passing and failing schools for every indicator."""

import datetime as dt
from collections import Counter

from huxiao.core.models import AuditRecord, Organization
from huxiao.core.validators import id_number_problem
from huxiao.demo import data
from huxiao.demo.generator import DEFAULT_PASSWORD, DemoContext, seed_demo
from huxiao.demo.schools import plan_schools
from huxiao.demo.timeline import Timeline
from huxiao.schools import policy, rules
from huxiao.schools.choices import DeviceKind, GuardStatus, Locality, SchoolLevel
from huxiao.schools.compliance import STATUS_FIELDS, with_facts
from huxiao.schools.models import Device, EquipmentStock, Guard, School

CODES_WITH_OUTCOMES = [code for code in rules.RULE_CODES if code != "guard_post"]
ANOTHER_DAY = Timeline(dt.date(2027, 9, 15))


def plan(seed, the_policy=None, timeline=ANOTHER_DAY):
    rng = DemoContext(seed=seed, password=DEFAULT_PASSWORD).rng_for("schools")
    return plan_schools(rng, the_policy or policy.Policy(), timeline)


def test_it_plans_the_same_schools_for_the_same_seed():
    assert plan(2026) == plan(2026)
    first, other = plan(2026), plan(2027)
    assert [p.org_code for p in first] == [p.org_code for p in other]
    assert [p.fields["school_code"] for p in first] == [p.fields["school_code"] for p in other]
    assert [p.fields["students"] for p in first] != [p.fields["students"] for p in other]


def test_it_writes_what_it_planned(demo):
    planned = {p.org_code: p for p in plan(2026, policy.current(), demo.result.timeline)}
    schools = School.objects.select_related("organization")
    assert schools.count() == 81
    for school in schools:
        p = planned[school.organization.code]
        for name in ("school_code", "level", "locality", "students", "staff", "boarders"):
            assert getattr(school, name) == p.fields[name], (school.organization.code, name)
        assert school.principal_phone == p.fields["principal_phone"]
        assert school.term_calendar == p.fields["term_calendar"]
        guards = sorted(Guard.objects.filter(school=school).values_list("id_number", flat=True))
        assert guards == sorted(g.id_number for g in p.guards)
        assert school.devices.count() == len(p.devices)
        assert dict(school.equipment.values_list("item", "quantity")) == p.equipment


def test_it_registers_every_school_organisation_once(demo):
    schools = Organization.objects.filter(kind="school")
    assert schools.count() == 81
    assert School.objects.filter(organization__in=schools).count() == 81
    created = demo.result.created
    assert created["学校档案"] == 81
    assert created["保安员"] == Guard.objects.count() > 81 * 2
    assert created["技防设备"] == Device.objects.count() > 81 * 8
    assert created["防护装备"] == EquipmentStock.objects.count()


def test_it_gives_each_school_a_code_level_and_size_of_its_kind(demo):
    codes = list(School.objects.values_list("school_code", flat=True))
    assert len(set(codes)) == 81 and all(len(c) == 10 and c.isdigit() for c in codes)
    by_name = {"幼儿园": SchoolLevel.KINDERGARTEN, "教学点": SchoolLevel.TEACHING_POINT}
    for school in School.objects.select_related("organization"):
        org = school.organization
        assert school.school_code[:6] == org.division_code
        for word, level in by_name.items():
            if word in org.name:
                assert school.level == level
        if org.name.endswith("小学"):
            assert school.level == SchoolLevel.PRIMARY
        if "高级中学" in org.name:
            assert school.level == SchoolLevel.SENIOR
        low, high = {
            SchoolLevel.KINDERGARTEN: (150, 450),
            SchoolLevel.PRIMARY: (600, 2400),
            SchoolLevel.JUNIOR: (900, 2000),
            SchoolLevel.SENIOR: (1500, 3000),
            SchoolLevel.TEACHING_POINT: (20, 90),
        }.get(school.level, (20, 3200))
        assert low <= school.students <= high
        assert 4 <= school.students / school.staff <= 16 or school.level in (
            SchoolLevel.KINDERGARTEN,
            SchoolLevel.SPECIAL,
        )
        assert school.boarders <= school.students and (school.boarders > 0) == school.is_boarding
        assert school.principal_name and school.security_chief_name
    localities = Counter(School.objects.values_list("locality", flat=True))
    assert (
        localities[Locality.URBAN] > 40 and localities[Locality.TOWN] and localities[Locality.RURAL]
    )
    rural = School.objects.filter(locality=Locality.RURAL)
    assert all(
        s.organization.division_code == "510411" for s in rural.select_related("organization")
    )


def test_it_gives_guards_valid_id_numbers_and_plausible_ages(demo):
    as_of = demo.result.timeline.schools_as_of  # the start of the term, 82 days before today
    assert as_of == demo.result.today - dt.timedelta(days=82)
    guards = list(Guard.objects.all())
    numbers = [g.id_number for g in guards]
    assert len(set(numbers)) == len(numbers)
    for guard in guards:
        assert id_number_problem(guard.id_number) is None, guard.id_number
        assert guard.id_number[:6] in ("510402", "510403", "510411")
        born = guard.birth_date
        age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
        assert 28 <= age <= 63
        assert guard.employer == data.SECURITY_COMPANY.name
    cutoff = rules.age_cutoff(as_of, 60)
    assert 0 < sum(1 for g in guards if g.birth_date <= cutoff) < len(guards) // 10
    expired = [g for g in guards if g.certificate_valid_until and g.certificate_valid_until < as_of]
    missing = [g for g in guards if not g.certificate_number]
    assert expired and missing and len(expired) + len(missing) < len(guards) // 5
    assert Guard.objects.filter(school__organization__code="SCH-01", name="周明").exists()


def test_it_networks_most_but_not_all_devices(demo):
    cameras = Device.objects.filter(kind=DeviceKind.CAMERA)
    per_school = Counter(cameras.values_list("school_id", flat=True))
    assert len(per_school) == 81 and 8 <= min(per_school.values()) <= max(per_school.values()) <= 60
    assert set(cameras.values_list("retention_days", flat=True)) == {15, 30, 60, 90}
    alarms = Device.objects.filter(kind=DeviceKind.ONE_KEY_ALARM)
    schools_with_alarm = alarms.values("school").distinct().count()
    assert 70 <= schools_with_alarm < 81
    networked = alarms.filter(networked_police=True).values("school").distinct().count()
    assert 0.75 * 81 <= networked <= 0.95 * 81
    assert Device.objects.filter(is_online=False).exists()


def test_it_shows_passing_and_failing_schools_for_every_indicator(demo):
    rows = list(with_facts(School.objects.all()).values(*STATUS_FIELDS))
    for code in CODES_WITH_OUTCOMES:
        outcomes = Counter(row[f"{code}_status"] for row in rows)
        assert outcomes[rules.PASS] and outcomes[rules.FAIL], (code, outcomes)
    # The patrols step puts a 护学岗 at every gate (tests/demo/test_demo_patrols.py).
    assert {row["guard_post_status"] for row in rows} == {rules.PASS}


def test_it_keeps_both_outcomes_whatever_the_seed():
    today = ANOTHER_DAY.today
    for seed in (1, 7, 2027):
        the_policy = policy.Policy()
        plans = plan(seed, the_policy)
        results = [rules.evaluate(p.facts(the_policy, today), the_policy) for p in plans]
        for code in CODES_WITH_OUTCOMES:
            outcomes = Counter(r.status for school in results for r in school if r.code == code)
            assert outcomes[rules.PASS] and outcomes[rules.FAIL], (seed, code, outcomes)
        by_code = dict(zip([p.org_code for p in plans], results, strict=True))
        station_01 = [by_code[f"SCH-{n:02d}"][0].status for n in range(1, 7)]
        assert rules.PASS in station_01 and rules.FAIL in station_01, seed


def test_it_gives_officer01s_station_a_passing_and_a_failing_school(demo):
    station = demo.org("PZH-PS-01")
    rows = with_facts(School.objects.filter(organization__parent=station)).values_list(
        "organization__code", "staffing_status"
    )
    statuses = dict(rows)
    assert statuses["SCH-01"] == rules.PASS and statuses["SCH-04"] == rules.FAIL
    # SPEC 4: officer01 answers school 05's one-key alarm.
    alarm = Device.objects.get(
        school__organization__code="SCH-05", kind=DeviceKind.ONE_KEY_ALARM, area="门卫室"
    )
    assert alarm.networked_police and alarm.is_online


def test_it_understaffs_about_one_school_in_seven(demo):
    rows = with_facts(School.objects.all()).values_list("staffing_status", flat=True)
    failing = sum(1 for s in rows if s == rules.FAIL)
    assert 4 <= failing <= 20


def test_it_leaves_registered_schools_alone_on_a_second_run(demo):
    before = (
        School.objects.count(),
        Guard.objects.count(),
        Device.objects.count(),
        EquipmentStock.objects.count(),
        AuditRecord.objects.count(),
    )
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    assert result.created_total == 0 and result.existing["学校档案"] == 81
    after = (
        School.objects.count(),
        Guard.objects.count(),
        Device.objects.count(),
        EquipmentStock.objects.count(),
        AuditRecord.objects.count(),
    )
    assert after == before


def test_it_completes_a_school_that_lost_its_record(demo):
    school = School.objects.get(organization__code="SCH-30")
    code, guards = school.school_code, school.guards.count()
    # The rectification loop's records protect the school; a school that lost its record
    # lost them too in this scenario.
    from huxiao.inspections.models import Hazard, Inspection, Recheck, RectificationNotice

    Recheck.objects.filter(hazard__school=school).delete()
    Hazard.objects.filter(school=school).delete()
    RectificationNotice.objects.filter(school=school).delete()
    Inspection.objects.filter(school=school).delete()
    from huxiao.patrols.models import CheckIn, GuardPost, VideoPatrol

    CheckIn.objects.filter(school=school).delete()
    GuardPost.objects.filter(school=school).delete()  # cascades to its rosters
    VideoPatrol.objects.filter(school=school).delete()
    school.delete()  # cascades to its guards, devices and equipment
    result = seed_demo(seed=2026, password=DEFAULT_PASSWORD)
    assert result.created["学校档案"] == 1 and result.existing["学校档案"] == 80
    again = School.objects.get(organization__code="SCH-30")
    assert again.school_code == code and again.guards.count() == guards
    assert again.guards.exclude(status=GuardStatus.LEFT).exists()
