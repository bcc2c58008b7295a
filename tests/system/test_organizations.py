"""单位管理 as a tree: who sees which part of it, the tree, its search and its export, children
created under a node (a school always with its school record) and the edit form.

Alice (``admin_a``) is the unit administrator of the harness's 测试分局; Bob (``admin_b``) of a
second sub-bureau, 第二分局, with its station 丙派出所 and school 丙小学. Each must get 404 on
the other's nodes, exactly as on a missing id.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.core.models import AuditRecord, Organization
from huxiao.schools import services as school_services
from huxiao.schools.models import School
from tests.conftest import make_user
from tests.schools.conftest import schools  # noqa: F401  (fixture)


@dataclass
class Second:
    sub: Organization
    station: Organization
    school: Organization
    admin_a: object
    admin_b: object


@pytest.fixture
def second(city) -> Second:
    sub = core_services.organization_create(
        kind=OrgKind.SUB_BUREAU, name="第二分局", code="T-SUB2", division_code="530112",
        parent=city.city, doc_prefix="二公",
    )  # fmt: skip
    station = core_services.organization_create(
        kind=OrgKind.STATION, name="丙派出所", code="T-STA-C", division_code="530112", parent=sub
    )
    school = school_services.school_create(
        name="丙小学", code="T-SCH-C", division_code="530112", station=station,
        education_bureau=city.edu_b, school_code="5301120003", level="primary", locality="urban",
    ).organization  # fmt: skip
    return Second(
        sub=sub,
        station=station,
        school=school,
        admin_a=make_user("admin_a", city.sub_bureau, "org_admin"),
        admin_b=make_user("admin_b", sub, "org_admin"),
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(response) -> set[str]:
    import re

    return set(re.findall(r'data-org-code="([^"]+)"', response.content.decode()))


# ---- who reaches what ------------------------------------------------------------------------


def test_it_shows_the_system_administrator_every_root(client_for, city, second):  # noqa: F811
    response = client_for("admin").get(reverse("system:organization_tree"))
    assert response.status_code == 200
    assert {"T-CITY", "T-EDU", "T-CO"} <= codes(response)


def test_it_shows_a_unit_administrator_only_its_own_subtree(city, second):  # noqa: F811
    client = client_of(second.admin_a)
    response = client.get(reverse("system:organization_tree"))
    assert response.status_code == 200
    assert codes(response) == {"T-SUB"}
    children = client.get(reverse("system:organization_children", args=[city.sub_bureau.pk]))
    assert codes(children) == {"T-STA-A", "T-STA-B"}
    # A search never reaches above or beside the subtree.
    found = client.get(reverse("system:organization_tree"), {"q": "派出所"})
    assert codes(found) == {"T-SUB", "T-STA-A", "T-STA-B"}


@pytest.mark.parametrize("name", ["organization_children", "organization_create",
                                  "organization_edit", "organization_move"])  # fmt: skip
def test_it_answers_404_on_another_sub_bureaus_node_as_on_a_missing_one(name, city, second):  # noqa: F811
    client = client_of(second.admin_a)
    other = client.get(reverse(f"system:{name}", args=[second.station.pk]))
    missing = client.get(reverse(f"system:{name}", args=[999_999]))
    assert other.status_code == missing.status_code == 404
    posted = client.post(
        reverse(f"system:{name}", args=[second.station.pk]),
        {"kind": OrgKind.SCHOOL, "name": "x", "new_parent": city.station_a.pk, "confirm": "1"},
    )
    assert posted.status_code in (404, 405)


def test_it_refuses_users_without_the_permission(client_for, city):
    for who in ("commander", "officer_a", "auditor", "edu_officer"):
        assert client_for(who).get(reverse("system:organization_tree")).status_code == 403
        url = reverse("system:organization_edit", args=[city.station_a.pk])
        assert client_for(who).get(url).status_code == 403


# ---- the tree --------------------------------------------------------------------------------


def test_it_searches_by_name_or_code_and_shows_the_ancestors(client_for, city, second):  # noqa: F811
    client = client_for("admin")
    response = client.get(reverse("system:organization_tree"), {"q": "T-SCH-A"})
    assert codes(response) == {"T-CITY", "T-SUB", "T-STA-A", "T-SCH-A"}
    by_name = client.get(reverse("system:organization_tree"), {"q": "丙小"})
    assert codes(by_name) == {"T-CITY", "T-SUB2", "T-STA-C", "T-SCH-C"}
    by_kind = client.get(reverse("system:organization_tree"), {"kind": OrgKind.EDUCATION_BUREAU})
    assert codes(by_kind) == {"T-EDU", "T-EDU-A", "T-EDU-B"}


def test_it_loads_the_children_of_a_node_when_it_is_expanded(client_for, city):
    response = client_for("admin").get(reverse("system:organization_tree"))
    html = response.content.decode()
    assert reverse("system:organization_children", args=[city.city.pk]) in html
    assert 'hx-trigger="toggle once"' in html
    children = client_for("admin").get(
        reverse("system:organization_children", args=[city.station_a.pk])
    )
    assert codes(children) == {"T-SCH-A"}


def test_it_exports_the_tree_with_parent_codes_that_read_back(client_for, city, second):  # noqa: F811
    response = client_for("admin").get(reverse("system:organization_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("单位代码", "名称", "简称", "类型", "上级单位代码", "上级单位")
    parent_of = {row[0]: row[4] for row in rows[1:]}
    assert parent_of["T-STA-C"] == "T-SUB2"
    assert parent_of["T-SCH-A"] == "T-STA-A"
    assert parent_of["T-CITY"] in ("", None)
    # Depth-first: every parent comes before its children, so a re-import can go row by row.
    seen = set()
    for code, parent in ((row[0], row[4]) for row in rows[1:]):
        assert not parent or parent in seen, code
        seen.add(code)
    assert AuditRecord.objects.filter(action="export", object_type="core.organization").exists()


def test_it_exports_only_the_subtree_of_a_unit_administrator(city, second):  # noqa: F811
    response = client_of(second.admin_b).get(reverse("system:organization_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"T-SUB2", "T-STA-C", "T-SCH-C"}


# ---- create ----------------------------------------------------------------------------------


def test_it_offers_only_the_kinds_a_parent_may_hold(client_for, city):
    response = client_for("admin").get(
        reverse("system:organization_create", args=[city.sub_bureau.pk])
    )
    html = response.content.decode()
    assert "?kind=station" in html and "?kind=police_unit" in html
    assert "?kind=school" not in html
    refused = client_for("admin").post(
        reverse("system:organization_create", args=[city.sub_bureau.pk]),
        {"kind": OrgKind.SCHOOL, "name": "错放的学校", "code": "T-BAD", "division_code": "530111"},
    )
    assert refused.status_code == 400
    assert "学校只能设在派出所之下" in refused.content.decode()
    assert not Organization.objects.filter(code="T-BAD").exists()


def test_a_unit_administrator_adds_a_station_to_its_sub_bureau(city, second):  # noqa: F811
    response = client_of(second.admin_a).post(
        reverse("system:organization_create", args=[city.sub_bureau.pk]) + "?kind=station",
        {"kind": OrgKind.STATION, "name": "丁派出所", "code": "T-STA-D", "division_code": "530111"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Organization.objects.get(code="T-STA-D")
    assert made.parent == city.sub_bureau and made.path.startswith(city.sub_bureau.path)
    assert AuditRecord.objects.filter(
        object_type="core.organization", object_id=str(made.pk)
    ).exists()


SCHOOL_POST = {
    "kind": OrgKind.SCHOOL,
    "name": "新建小学",
    "code": "T-SCH-NEW",
    "division_code": "530111",
    "school_code": "5301110099",
    "level": "primary",
    "ownership": "public",
    "locality": "urban",
    "students": "500",
    "staff": "40",
}


def test_a_school_is_created_with_its_school_record(client_for, city, people):
    response = client_for("admin").post(
        reverse("system:organization_create", args=[city.station_a.pk]),
        {**SCHOOL_POST, "education_bureau": city.edu_a.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organization.objects.get(code="T-SCH-NEW")
    school = School.objects.get(organization=org)
    assert (school.school_code, school.students, org.education_bureau) == (
        "5301110099", 500, city.edu_a
    )  # fmt: skip
    # The school ledger of the station's officer lists it at once.
    assert School.objects.visible_to(people.officer_a).filter(pk=school.pk).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"school_code": "12"},  # not 10 digits: the form refuses
        {"school_code": ""},  # missing
        {"level": "university"},  # not a level
    ],
)
def test_a_school_that_fails_leaves_no_organisation_behind(client_for, city, bad):
    response = client_for("admin").post(
        reverse("system:organization_create", args=[city.station_a.pk]), {**SCHOOL_POST, **bad}
    )
    assert response.status_code == 400
    assert not Organization.objects.filter(code="T-SCH-NEW").exists()


def test_a_school_refused_by_the_schools_service_leaves_no_organisation(client_for, city, schools):  # noqa: F811
    # The school code is already registered (school_a's): the organisation made first is rolled
    # back with the school record that could not be saved.
    response = client_for("admin").post(
        reverse("system:organization_create", args=[city.station_a.pk]),
        {**SCHOOL_POST, "school_code": "5301110001"},
    )
    assert response.status_code == 400
    assert "学校标识码" in response.content.decode()
    assert not Organization.objects.filter(code="T-SCH-NEW").exists()
    assert (
        not Organization.objects.filter(kind=OrgKind.SCHOOL, school__isnull=True)
        .exclude(pk__in=[city.school_a.pk, city.school_b.pk])
        .exists()
    )


def test_a_unit_administrator_cannot_pick_an_education_bureau_out_of_scope(city, second):  # noqa: F811
    response = client_of(second.admin_a).post(
        reverse("system:organization_create", args=[city.station_a.pk]),
        {**SCHOOL_POST, "education_bureau": city.edu_a.pk},
    )
    assert response.status_code == 400
    assert not Organization.objects.filter(code="T-SCH-NEW").exists()


# ---- edit ------------------------------------------------------------------------------------


def test_it_edits_a_node_through_the_service(client_for, city):
    url = reverse("system:organization_edit", args=[city.station_a.pk])
    form = client_for("admin").get(url)
    assert form.status_code == 200 and "甲派出所" in form.content.decode()
    response = client_for("admin").post(
        url,
        {"name": "甲派出所（新）", "code": "T-STA-A", "division_code": "530111",
         "doc_prefix": "甲公", "sort_order": "3", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    city.station_a.refresh_from_db()
    assert (city.station_a.name, city.station_a.doc_prefix) == ("甲派出所（新）", "甲公")


def test_it_refuses_a_bad_edit_with_a_chinese_message_and_writes_nothing(client_for, city):
    response = client_for("admin").post(
        reverse("system:organization_edit", args=[city.station_a.pk]),
        {"name": "甲派出所", "code": "T-STA-B", "division_code": "53011X"},
    )
    assert response.status_code == 400
    city.station_a.refresh_from_db()
    assert city.station_a.code == "T-STA-A"
    assert "行政区划代码" in response.content.decode()


# ---- the Django admin makes no bare school ---------------------------------------------------
# Organisations may leave the Django admin altogether (issue 21, item 8: what has its own page
# goes); while they are there, its form refuses a school. Either way no bare school is made.


def test_the_django_admin_refuses_a_bare_school_organisation(client_for, city):
    response = client_for("admin").post(
        "/admin/core/organization/add/",
        {"kind": "school", "name": "裸学校", "code": "T-SCH-BARE", "division_code": "530111",
         "parent": city.station_a.pk, "sort_order": 0, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code in (200, 404)  # the form again with its error, or no such page
    if response.status_code == 200:
        assert "学校登记" in response.content.decode()
    assert not Organization.objects.filter(code="T-SCH-BARE").exists()


def test_the_django_admin_does_not_turn_an_organisation_into_a_school(client_for, city):
    response = client_for("admin").post(
        f"/admin/core/organization/{city.station_b.pk}/change/",
        {"kind": "school", "name": "乙派出所", "code": "T-STA-B", "division_code": "530111",
         "sort_order": 0, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code in (200, 404)
    city.station_b.refresh_from_db()
    assert city.station_b.kind == OrgKind.STATION


def test_the_tree_and_a_level_of_it_take_a_fixed_number_of_queries(
    client_for,
    city,
    second,
    django_assert_max_num_queries,  # noqa: F811
):
    client = client_for("admin")
    client.get(reverse("system:organization_tree"))  # warm the session and the caches
    # session, user, role, then the nodes and one count of their children (10 today, whatever
    # the size of the tree; a little room for the shell's own reads)
    with django_assert_max_num_queries(12):
        client.get(reverse("system:organization_tree"))
    with django_assert_max_num_queries(12):
        client.get(reverse("system:organization_children", args=[city.city.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("system:organization_tree"), {"q": "派出所"})
