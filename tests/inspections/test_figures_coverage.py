"""逐校逐园 and 整改通知书 figures: the schools inspected in a period (the school list's 检查起止日期),
the coverage of the schools in scope, and the notices issued; each equals the rows of the list it
opens for users of two jurisdictions (station 01, station 02) and the city; officer person-times
come from the inspectors recorded on each inspection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.core import modules
from huxiao.core.modules import Period
from huxiao.inspections import services
from huxiao.inspections.models import Inspection, RectificationNotice
from tests.conftest import make_user
from tests.figures_support import export_rows


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def period() -> Period:
    return Period(_days_ago(14), timezone.localdate())


@pytest.fixture
def records(ischools, city, people, make_inspection, make_hazard):
    """School 01: inspected twice in the period (one school), two notices in it, one before.
    School 02: inspected before the period only, a draft in it; one notice in the period."""
    school_a, school_b = ischools
    city.station_b.doc_prefix = "测乙公治"
    city.station_b.save(update_fields=["doc_prefix"])
    make_inspection(school_a, date=_days_ago(2))
    make_inspection(school_a, date=_days_ago(9))
    make_inspection(school_b, officer=people.officer_b, date=_days_ago(30))
    make_inspection(school_b, officer=people.officer_b, date=_days_ago(3), finish=False)

    def notice(school, officer, days_ago):
        return services.notice_issue(
            school=school,
            hazards=[make_hazard(school, actor=officer, title=f"隐患{days_ago}")],
            issue_date=_days_ago(days_ago),
            actor=officer,
        )

    notice(school_a, people.officer_a, 1)
    notice(school_a, people.officer_a, 12)
    notice(school_a, people.officer_a, 40)
    notice(school_b, people.officer_b, 5)
    return school_a, school_b


def _page_rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


EXPECTED = {  # officer_a (station 01), officer_b (station 02), commander (the city)
    "inspections.schools_inspected": (1, 0, 1),
    "inspections.notices": (2, 1, 3),
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_count_is_the_rows_its_list_shows_and_exports(
    records, period, people, client_for, code
):
    figure = modules.figure(code)
    assert figure.measure == "count" and figure.periodic and figure.rows
    url = figure.url(period)
    values = []
    for who in ("officer_a", "officer_b", "commander"):
        user, client = getattr(people, who), client_for(who)
        value = figure.value(user, period)
        assert value == _page_rows(client, url) == export_rows(client, url), (code, who)
        values.append(value)
    assert tuple(values) == EXPECTED[code]


def test_schools_inspected_takes_both_dates_on_the_same_inspection(records, people, client_for):
    """School 02's inspections, a finished one 30 days ago and a draft 3 days ago: neither is a
    finished inspection in the last fortnight, nor in a range ending before the finished one."""
    figure = modules.figure("inspections.schools_inspected")
    earlier = Period(_days_ago(35), _days_ago(25))
    assert figure.value(people.officer_b, earlier) == 1
    assert _page_rows(client_for("officer_b"), figure.url(earlier)) == 1
    assert figure.value(people.officer_a, earlier) == 0
    # Only a start (or only an end) on the list: each bound alone.
    client = client_for("commander")
    assert _page_rows(client, f"/schools/?inspected_from={_days_ago(5).isoformat()}") == 1
    assert _page_rows(client, f"/schools/?inspected_to={_days_ago(20).isoformat()}") == 1
    assert _page_rows(client, f"/schools/?inspected_to={_days_ago(50).isoformat()}") == 0


def test_coverage_is_the_inspected_schools_over_the_schools_in_scope(
    records, period, people, client_for
):
    figure = modules.figure("inspections.coverage")
    assert figure.measure == "rate" and figure.unit == "%"
    assert figure.url(period) == modules.figure("inspections.schools_inspected").url(period)
    assert figure.value(people.officer_a, period) == 100.0
    assert figure.value(people.officer_b, period) == 0.0
    assert figure.value(people.commander, period) == 50.0
    # The rate is the list it opens over the whole school list, for each of them.
    for who in ("officer_a", "officer_b", "commander"):
        client = client_for(who)
        inspected = _page_rows(client, figure.url(period))
        total = _page_rows(client, "/schools/")
        assert figure.value(getattr(people, who), period) == round(inspected / total * 100, 1)


def test_coverage_without_a_school_is_none(people, period):
    # No school registered: no denominator, no rate (not 0%).
    assert modules.figure("inspections.coverage").value(people.commander, period) is None


def test_notices_follow_their_issue_date(records, people):
    figure = modules.figure("inspections.notices")
    before = Period(_days_ago(60), _days_ago(15))
    assert figure.value(people.officer_a, before) == 1
    assert RectificationNotice.objects.count() == 4


def test_officer_person_times_are_the_inspectors_recorded(ischools, people, city, checklist):
    """检查人次: each inspection counts the officers recorded as its inspectors; nothing lets a
    user type the number (the service sets it from the inspectors, the forms have no field)."""
    partner = make_user("officer_a3", city.station_a, "officer")
    inspection = services.inspection_start(
        school=ischools[0],
        date=timezone.localdate(),
        inspectors=[people.officer_a, partner],
        checklist=checklist,
        actor=people.officer_a,
    )
    inspection.refresh_from_db()
    assert inspection.person_times == inspection.inspectors.count() == 2
    from huxiao.inspections import forms_campaigns

    for name in dir(forms_campaigns):
        form = getattr(forms_campaigns, name)
        fields = getattr(form, "base_fields", {})
        assert "person_times" not in fields, name
    assert Inspection._meta.get_field("person_times").default == 0
