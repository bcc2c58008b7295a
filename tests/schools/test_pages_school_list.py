"""The school list: scope, every filter, the compliance badges, the export and its query count."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import AuditRecord
from huxiao.schools import compliance, rules, services
from huxiao.schools.models import School
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def names(response):
    assert response.status_code == 200
    return sorted(s.organization.name for s in response.context["page_obj"].object_list)


def read_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_lists_only_the_schools_in_scope(pages):
    assert names(pages("officer_a").get(reverse("schools:school_list"))) == ["甲小学"]
    assert names(pages("officer_b").get(reverse("schools:school_list"))) == ["乙中学"]
    assert names(pages("commander").get(reverse("schools:school_list"))) == ["乙中学", "甲小学"]
    assert names(pages("edu_officer").get(reverse("schools:school_list"))) == ["甲小学"]
    assert names(pages("chief").get(reverse("schools:school_list"))) == ["甲小学"]
    assert names(pages("outsider").get(reverse("schools:school_list"))) == []


def test_it_shows_the_columns_and_a_badge_per_rule(pages):
    html = pages("officer_a").get(reverse("schools:school_list")).content.decode()
    for header in ("学校名称", "学段", "城乡", "学生", "保安(实有/应配)", "派出所"):
        assert header in html
    assert "甲派出所" in html and "1200" in html
    # 2 guards on duty, 3 required for 1,200 students (GB/T 29315-2022)
    assert '<span class="text-danger fw-semibold">2</span> / 3' in html
    assert html.count('class="hx-rule hx-rule-') >= len(rules.RULE_CODES)
    assert 'class="hx-rule hx-rule-fail" title="专职保安员配备：未达标"' in html


@pytest.mark.parametrize("code", rules.RULE_CODES)
def test_it_lists_exactly_the_schools_failing_a_rule(pages, schools, city, code):
    extra = services.school_create(
        name="丙小学",
        code="T-SCH-C",
        division_code="530111",
        station=city.station_a,
        education_bureau=city.edu_a,
        school_code="5301110003",
        level="primary",
        locality="rural",
        is_boarding=True,
        boarders=20,
        students=80,
    )
    expected = sorted(
        s.organization.name
        for s in (*schools, extra)
        if {r.code: r.status for r in compliance.results_for(s)}[code] == rules.FAIL
    )
    assert names(pages("admin").get(reverse("schools:school_list"), {"failing": code})) == expected


def test_it_offers_the_rule_titles_as_the_failing_choices(pages):
    form = pages("commander").get(reverse("schools:school_list")).context["filter"].form
    choices = dict(form.fields["failing"].choices)
    assert choices["staffing"] == "专职保安员配备"
    assert choices["guard_age"] == "保安员年龄不超过60岁"
    assert set(rules.RULE_CODES) <= set(choices)


def test_it_answers_an_unknown_rule_with_nothing(pages):
    response = pages("commander").get(reverse("schools:school_list"), {"failing": "nonsense"})
    assert names(response) == []
    assert response.context["filter"].errors


def test_it_filters_by_level_locality_boarding_and_text(pages, schools, city):
    services.school_update(school=schools[1], is_boarding=True, boarders=100)
    client = pages("commander")
    url = reverse("schools:school_list")
    assert names(client.get(url, {"level": "junior"})) == ["乙中学"]
    assert names(client.get(url, {"locality": "urban"})) == ["甲小学"]
    assert names(client.get(url, {"boarding": "1"})) == ["乙中学"]
    assert names(client.get(url, {"boarding": "0"})) == ["甲小学"]
    assert names(client.get(url, {"q": "甲"})) == ["甲小学"]
    assert names(client.get(url, {"q": "5301110002"})) == ["乙中学"]


def test_it_filters_by_station_and_sub_bureau_within_the_scope(pages, city):
    other_sub = core_services.organization_create(
        kind=OrgKind.SUB_BUREAU,
        name="另一分局",
        code="T-SUB-2",
        division_code="530111",
        parent=city.city,
    )
    station = core_services.organization_create(
        kind=OrgKind.STATION,
        name="丙派出所",
        code="T-STA-C",
        division_code="530111",
        parent=other_sub,
    )
    services.school_create(
        name="丙中学",
        code="T-SCH-C",
        division_code="530111",
        station=station,
        education_bureau=None,
        school_code="5301110003",
        level="senior",
        locality="town",
    )
    client = pages("commander")
    url = reverse("schools:school_list")
    assert names(client.get(url, {"station": city.station_a.pk})) == ["甲小学"]
    assert names(client.get(url, {"sub_bureau": city.sub_bureau.pk})) == ["乙中学", "甲小学"]
    assert names(client.get(url, {"sub_bureau": other_sub.pk})) == ["丙中学"]
    # another station's id is not a choice for officer_a: the filter shows nothing
    assert names(pages("officer_a").get(url, {"station": city.station_b.pk})) == []
    offered = pages("officer_a").get(url).context["filter"].form.fields["station"].queryset
    assert list(offered) == [city.station_a]


def test_it_filters_by_any_organisation_in_scope_and_names_it(pages, city):
    url = reverse("schools:school_list")
    admin = pages("admin")
    assert names(admin.get(url, {"org": city.sub_bureau.pk})) == ["乙中学", "甲小学"]
    assert names(admin.get(url, {"org": city.edu_a.pk})) == ["甲小学"]
    assert names(admin.get(url, {"org": city.edu_city.pk})) == ["乙中学", "甲小学"]
    assert names(admin.get(url, {"org": city.station_b.pk})) == ["乙中学"]
    response = admin.get(url, {"org": city.edu_a.pk, "failing": "staffing"})
    assert names(response) == ["甲小学"]
    assert "辖区：甲区教育局" in response.content.decode()


def test_it_shows_nothing_for_an_organisation_outside_the_scope(pages, city):
    response = pages("officer_a").get(reverse("schools:school_list"), {"org": city.station_b.pk})
    assert names(response) == []
    html = response.content.decode()
    assert "单位不存在或不在您的数据范围内" in html and "乙派出所" not in html
    # the commander's scope is the police tree: the education bureaus are not in it
    assert (
        names(pages("commander").get(reverse("schools:school_list"), {"org": city.edu_city.pk}))
        == []
    )


def test_it_follows_the_roll_up_s_failing_link(pages, city, people):
    summary = compliance.summary(user=people.commander, org=city.sub_bureau)
    response = pages("commander").get(summary.failing_url("staffing"))
    assert names(response) == ["甲小学"]


# ---- export ---------------------------------------------------------------------------------


def test_it_exports_the_filtered_schools_in_scope_masked(pages, schools):
    a, _ = schools
    services.school_update(
        school=a,
        principal_name="王校长",
        principal_phone="13912345678",
        security_chief_phone="0871-63012345",
    )
    rows = read_rows(pages("officer_a").get(reverse("schools:school_export"), {"page": "2"}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["学校名称", "学校标识码", "学段"]
    assert "专职保安员配备" in header and "保安员年龄不超过60岁" in header
    assert [r[0] for r in body] == ["甲小学"]
    row = dict(zip(header, body[0], strict=True))
    assert row["校长电话"] == "139****5678"
    assert row["安保负责人电话"] == "087******2345"
    assert (row["保安实有"], row["保安应配"]) == (2, 3)
    assert row["专职保安员配备"] == "未达标" and row["护学岗设置"] == "未达标"  # no GuardPost
    assert all("13912345678" not in str(c) and "63012345" not in str(c) for r in rows for c in r)


def test_it_exports_what_the_filters_select_and_records_the_export(pages, people):
    rows = read_rows(
        pages("commander").get(reverse("schools:school_export"), {"failing": "equipment_kit"})
    )
    assert [r[0] for r in rows[1:]] == ["乙中学"]
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.actor_id == people.commander.pk and record.object_type == "schools.school"
    assert record.after == {"count": 1, "filters": {"failing": "equipment_kit"}}


# ---- query count ----------------------------------------------------------------------------


def add_schools(city, n, start):
    for i in range(start, start + n):
        school = services.school_create(
            name=f"查询学校{i:03d}",
            code=f"T-QS-{i:03d}",
            division_code="530111",
            station=city.station_a,
            education_bureau=city.edu_a,
            school_code=f"53019{i:05d}",
            level="primary",
            locality="urban",
            students=500 + i,
        )
        services.device_create(school=school, kind="camera", networked_police=True)
        services.equipment_set(school=school, item="helmet", quantity=1)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page_obj"].object_list)


# session, user, role, organisation (scope), count, the page of rows
# (facts and statuses are subqueries of that one statement), unread badge, the sub-bureau and
# station selects, and the session's save (savepoint, update, release). An ``org`` filter adds
# the lookup of that organisation in the scope.
PINNED_LIST = 7


@pytest.mark.parametrize(
    "query",
    ["", "?failing=staffing&level=primary&locality=urban", "?org={org}&failing=staffing&q=学"],
)
def test_it_costs_the_same_number_of_queries_for_1_and_60_schools(pages, city, query):
    School.objects.exclude(organization=city.school_a).delete()
    client = pages("officer_a")
    url = reverse("schools:school_list") + query.format(org=city.station_a.pk)
    client.get(url)  # warm caches (content types, session) outside the measurement
    few, shown_few = count_queries(client, url)
    add_schools(city, 59, 1)
    many, shown_many = count_queries(client, url)
    assert shown_few == 1 and shown_many == 50
    assert few == many == PINNED_LIST + (1 if "org=" in query else 0)
