"""护学岗 in place: a school passes with at least one active GuardPost of the patrols module,
in Python (detail page), in SQL (lists, filter) and in the roll-up (四个100%)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from huxiao.patrols import services as patrol_services
from huxiao.schools import compliance, rules
from huxiao.schools.models import School
from huxiao.schools.policy import current
from tests.schools.conftest import TODAY
from tests.schools.test_pages_support import grant_school_permissions


def post_at(school, name="南门护学岗", **fields):
    return patrol_services.post_create(
        school=school, name=name, latitude=Decimal("26.58"), longitude=Decimal("101.72"), **fields
    )


def sql_status(school) -> tuple[int, str]:
    row = (
        compliance.with_facts(School.objects.filter(pk=school.pk), today=TODAY)
        .values("active_guard_posts", "guard_post_status")
        .get()
    )
    return row["active_guard_posts"], row["guard_post_status"]


def python_result(school) -> rules.RuleResult:
    return next(r for r in compliance.results_for(school, today=TODAY) if r.code == "guard_post")


def test_it_passes_from_one_post_and_says_how_many():
    policy = current()
    none = rules.rule_guard_post(rules.SchoolFacts(guard_posts=0), policy)
    one = rules.rule_guard_post(rules.SchoolFacts(guard_posts=1), policy)
    two = rules.rule_guard_post(rules.SchoolFacts(guard_posts=2), policy)
    assert (none.status, none.required, none.actual, none.detail) == (
        rules.FAIL,
        1,
        0,
        "未设护学岗",
    )
    assert (one.status, one.actual, one.detail) == (rules.PASS, 1, "已设护学岗1个")
    assert (two.status, two.detail) == (rules.PASS, "已设护学岗2个")
    assert none.source == one.source == rules.SRC_168


def test_it_is_unknown_when_the_facts_do_not_count_posts():
    result = rules.rule_guard_post(rules.SchoolFacts(), current())
    assert result.status == rules.UNKNOWN and result.actual is None


def test_python_and_sql_agree_as_posts_come_and_go(schools):
    a, _ = schools
    assert sql_status(a) == (0, rules.FAIL) and python_result(a).status == rules.FAIL
    first = post_at(a)
    assert sql_status(a) == (1, rules.PASS) and python_result(a).actual == 1
    post_at(a, name="北门护学岗", kind="peak")
    assert sql_status(a) == (2, rules.PASS) and python_result(a).actual == 2
    patrol_services.post_update(post=first, is_active=False)
    assert sql_status(a) == (1, rules.PASS) and python_result(a).actual == 1
    patrol_services.post_update(post=a.guard_posts.get(name="北门护学岗"), is_active=False)
    assert sql_status(a) == (0, rules.FAIL) and python_result(a).status == rules.FAIL


def test_the_roll_up_counts_schools_with_a_post(schools, city, people):
    a, b = schools
    post_at(a)
    summary = compliance.summary(user=people.commander, org=city.sub_bureau, today=TODAY)
    indicator = summary.total.indicators["guard_post"]
    assert indicator.four_100
    assert (indicator.applicable, indicator.passing, indicator.failing, indicator.unknown) == (
        2,
        1,
        1,
        0,
    )
    assert indicator.rate == 0.5
    rows = {row.organization_id: row.indicators["guard_post"] for row in summary.children}
    assert rows[city.station_a.pk].rate == 1.0 and rows[city.station_b.pk].rate == 0.0


def test_the_detail_page_shows_the_number_and_the_source(schools, client_for):
    grant_school_permissions()
    a, _ = schools
    post_at(a)
    response = client_for("officer_a").get(reverse("schools:school_detail", args=[a.pk]))
    result = next(r for r in response.context["results"] if r["code"] == "guard_post")
    assert (result["status_label"], result["required"], result["actual"]) == ("达标", "1", "1")
    html = response.content.decode()
    assert "已设护学岗1个" in html and rules.SRC_168 in html


def test_the_failing_filter_lists_schools_without_a_post(schools, client_for):
    a, b = schools
    post_at(a)
    data = client_for("commander").get("/api/v1/schools?failing=guard_post").json()
    assert [s["id"] for s in data["items"]] == [b.pk]


@pytest.mark.parametrize("kind", ["fixed", "mobile", "peak"])
def test_every_kind_of_post_counts(schools, kind):
    a, _ = schools
    post_at(a, kind=kind)
    assert sql_status(a) == (1, rules.PASS)
