"""The inspections module's figures: each counts, for the user who looks, exactly the rows that
its records page shows and exports (station 01's officer, station 02's, the city commander,
school 01's education officer and security chief)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core import modules
from huxiao.core.modules import Period
from huxiao.inspections import services
from huxiao.inspections.models import Escalation, Hazard, HazardEvent
from tests.conftest import make_user

CODES = (
    "inspections.inspections",
    "inspections.person_times",
    "inspections.hazards_found",
    "inspections.hazards_closed",
    "inspections.hazards_overdue",
    "inspections.hazards_chased",
    "inspections.escalations",
    "inspections.schools_inspected",
    "inspections.coverage",
    "inspections.notices",
)
# Counted against the records built below (the others: tests/inspections/test_figures_coverage.py).
COUNTED = CODES[:7]
WHO = ("officer_a", "officer_b", "commander", "edu_officer", "chief")
MARKERS = {
    "inspections:inspection_list": "data-inspection-id",
    "inspections:hazard_list": "data-hazard",
    "inspections:escalation_list": "data-escalation",
}


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def period() -> Period:
    return Period(_days_ago(14), timezone.localdate())


@pytest.fixture
def records(ischools, city, people, checklist, make_inspection):
    """Records of both schools in and out of the period; the expected counts for station 01
    (school_a) and station 02 (school_b)."""
    school_a, school_b = ischools
    partner = make_user("officer_a2", city.station_a, "officer")

    # Inspections: finished in the period (one by two officers), a draft, finished before it.
    make_inspection(school_a, date=_days_ago(3))
    make_inspection(school_a, date=_days_ago(30))
    two = services.inspection_start(
        school=school_a,
        date=_days_ago(10),
        inspectors=[people.officer_a, partner],
        checklist=checklist,
        actor=people.officer_a,
    )
    services.inspection_record(
        inspection=two,
        results={r.pk: {"result": "pass"} for r in two.results.all()},
        actor=people.officer_a,
    )
    services.inspection_finish(inspection=two, summary="", actor=people.officer_a)
    make_inspection(school_a, finish=False)
    make_inspection(school_b, officer=people.officer_b, date=_days_ago(5))
    make_inspection(school_b, officer=people.officer_b, date=_days_ago(40))

    def hazard(school, title, found_days_ago=0, **kw):
        officer = people.officer_a if school == school_a else people.officer_b
        return services.hazard_create(
            school=school,
            source="patrol",
            category="physical",
            title=title,
            found_on=_days_ago(found_days_ago),
            actor=officer,
            **kw,
        )

    def close(h, officer, days_ago=0):
        services.hazard_report(hazard=h, measures="已整改", actor=people.chief)
        services.hazard_recheck(hazard=h, passed=True, note="整改到位", actor=officer)
        if days_ago:
            closed = timezone.now() - dt.timedelta(days=days_ago)
            Hazard.objects.filter(pk=h.pk).update(closed_at=closed)

    # Hazards of school 01: four found in the period, three before it; two closed in the period,
    # one closed before it; two overdue now (one past its deadline before the sweep, one
    # marked overdue and since reported); two escalated in the period, one before it.
    a_late = hazard(school_a, "围墙破损", deadline=timezone.localdate())
    Hazard.objects.filter(pk=a_late.pk).update(deadline=_days_ago(2))
    a_reported = hazard(school_a, "监控离线", found_days_ago=20)
    Hazard.objects.filter(pk=a_reported.pk).update(is_overdue=True, overdue_count=1)
    services.hazard_report(hazard=a_reported, measures="已更换摄像机", actor=people.chief)
    close(hazard(school_a, "校门无防冲撞设施", found_days_ago=1), people.officer_a)
    close(hazard(school_a, "保安未持证", found_days_ago=2), people.officer_a)
    close(hazard(school_a, "消防通道堵塞", found_days_ago=35), people.officer_a, days_ago=30)
    for h in (a_late, hazard(school_a, "一键报警故障")):
        services.hazard_escalate(hazard=h, reason="久拖不改", actor=people.officer_a)
    old = services.hazard_escalate(
        hazard=hazard(school_a, "护栏缺失", found_days_ago=60), reason="逾期", actor=None
    )
    Escalation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=45))

    # Hazards of school 02: two found in the period, one closed, one overdue and escalated.
    b_late = hazard(school_b, "乙校围墙", deadline=timezone.localdate())
    Hazard.objects.filter(pk=b_late.pk).update(deadline=_days_ago(1))
    services.hazard_escalate(hazard=b_late, reason="久拖不改", actor=people.officer_b)
    b_done = hazard(school_b, "乙校监控")
    services.hazard_report(
        hazard=b_done,
        measures="已修复",
        actor=make_user("chief_b", city.school_b, "school_security_chief"),
    )
    services.hazard_recheck(hazard=b_done, passed=True, note="到位", actor=people.officer_b)

    # 催办: school 01's overdue hazard by the bureau and by the station (one hazard); school
    # 02's by its station, and again 30 days ago (before the period).
    services.hazard_chase(hazard=a_late, actor=people.edu_officer)
    services.hazard_chase(hazard=a_late, actor=people.officer_a, note="请尽快整改")
    services.hazard_chase(hazard=b_late, actor=people.officer_b)
    HazardEvent.objects.filter(hazard=b_late, action="chased").update(
        at=timezone.now() - dt.timedelta(days=30)
    )
    services.hazard_chase(hazard=b_late, actor=people.officer_b)

    a = {
        "inspections.inspections": 2,
        "inspections.person_times": 3,
        "inspections.hazards_found": 4,
        "inspections.hazards_closed": 2,
        "inspections.hazards_overdue": 2,
        "inspections.hazards_chased": 1,
        "inspections.escalations": 2,
    }
    b = {
        "inspections.inspections": 1,
        "inspections.person_times": 1,
        "inspections.hazards_found": 2,
        "inspections.hazards_closed": 1,
        "inspections.hazards_overdue": 1,
        "inspections.hazards_chased": 1,
        "inspections.escalations": 1,
    }
    return a, b


def _page_rows(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    marker = MARKERS[resolve(url.partition("?")[0]).view_name]
    return len(re.findall(rf'<tr {marker}="\d+"', response.content.decode()))


def _export(client, url) -> list[dict]:
    path, _, query = url.partition("?")
    export = reverse(resolve(path).view_name.replace("_list", "_export"))
    response = client.get(f"{export}?{query}")
    assert response.status_code == 200, export
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_module_declares_its_figures_with_a_chinese_definition_and_source():
    figures = [f for f in modules.figures() if f.code.startswith("inspections.")]
    assert tuple(f.code for f in figures) == CODES
    for figure in figures:
        definition = str(figure.definition)
        assert definition.endswith("。") and definition.count("。") == 1, figure.code
        assert "SPEC 2.2" in definition and "种子004" in definition, figure.code
    assert [f.code for f in figures if not f.periodic] == ["inspections.hazards_overdue"]


@pytest.mark.parametrize("code", COUNTED)
def test_each_figure_equals_the_rows_its_records_page_shows_and_exports(
    records, period, client_for, people, code
):
    figure = modules.figure(code)
    expected_a, expected_b = records
    url = figure.url(period)
    values = {}
    for who in WHO:
        user = getattr(people, who)
        if not figure.visible_to(user):
            assert who == "chief" and code == "inspections.escalations"
            assert client_for(who).get(url).status_code == 403
            continue
        client = client_for(who)
        value = values[who] = figure.value(user, period)
        exported = _export(client, url)
        if code == "inspections.person_times":
            assert value == sum(row["出动警力（人次）"] for row in exported), who
        else:
            assert value == _page_rows(client, url) == len(exported), who
    # Different jurisdictions, different numbers: each sees its own schools' records.
    assert values["officer_a"] == expected_a[code]
    assert values["officer_b"] == expected_b[code]
    assert values["commander"] == expected_a[code] + expected_b[code]
    assert values["edu_officer"] == expected_a[code]
    if "chief" in values:
        assert values["chief"] == expected_a[code]


def test_a_figure_follows_its_period(records, client_for, people):
    figure = modules.figure("inspections.hazards_found")
    before = Period(_days_ago(90), _days_ago(15))
    assert figure.value(people.officer_a, before) == 3  # found 20, 35 and 60 days ago
    assert _page_rows(client_for("officer_a"), figure.url(before)) == 3
    overdue = modules.figure("inspections.hazards_overdue")
    assert overdue.value(people.officer_a, before) == overdue.value(
        people.officer_a, Period(_days_ago(3), _days_ago(1))
    )


def test_a_day_range_on_a_time_takes_whole_days_in_the_platforms_time_zone(
    ischools, client_for, make_hazard, people
):
    day = _days_ago(3)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    times = {
        "前一天深夜": start - dt.timedelta(minutes=1),
        "当天零点": start,
        "当天深夜": start + dt.timedelta(hours=23, minutes=59),
        "次日零点": start + dt.timedelta(days=1),
    }
    for title, closed_at in times.items():
        h = make_hazard(ischools[0], title=title)
        services.hazard_report(hazard=h, measures="已整改", actor=people.chief)
        services.hazard_recheck(hazard=h, passed=True, actor=people.officer_a)
        Hazard.objects.filter(pk=h.pk).update(closed_at=closed_at)
    figure = modules.figure("inspections.hazards_closed")
    one_day = Period(day, day)
    exported = _export(client_for("officer_a"), figure.url(one_day))
    assert {row["隐患"] for row in exported} == {"当天零点", "当天深夜"}
    assert figure.value(people.officer_a, one_day) == 2
