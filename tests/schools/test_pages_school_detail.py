"""A school's page: the 三防 card in three blocks and the rule results with their sources."""

import pytest
from django.urls import reverse

from huxiao.schools import services
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def detail(client, school):
    response = client.get(reverse("schools:school_detail", args=[school.pk]))
    assert response.status_code == 200
    return response


def test_it_shows_the_header_with_code_level_station_and_bureau(pages, schools):
    a, _ = schools
    html = detail(pages("officer_a"), a).content.decode()
    for text in ("<h1>甲小学</h1>", "5301110001", "小学", "甲派出所", "甲区教育局"):
        assert text in html


def test_it_shows_the_three_defences(pages, schools):
    a, _ = schools
    response = detail(pages("officer_a"), a)
    html = response.content.decode()
    for block in ("人防", "物防", "技防"):
        assert f"</i>{block}</h2>" in html
    assert '<span class="hx-big text-danger">2</span> / 应配 3 名' in html
    assert "拒马" in html  # anti-collision facilities
    devices = {d["kind"]: d for d in response.context["devices"]}
    assert (devices["camera"]["total"], devices["camera"]["police"]) == (1, 1)
    assert devices["one_key_alarm"]["total"] == 1 and devices["access_control"]["total"] == 0


def test_it_shows_every_rule_result_with_numbers_source_and_reading(pages, schools):
    a, _ = schools
    response = detail(pages("officer_a"), a)
    results = {r["code"]: r for r in response.context["results"]}
    staffing = results["staffing"]
    assert (staffing["status"], staffing["required"], staffing["actual"]) == ("fail", "3", "2")
    assert "GB/T 29315-2022" in staffing["source"]
    html = response.content.decode()
    assert "口径：" + staffing["reading"] in html
    # No 护学岗 at school_a yet: the second failing rule (test_rules_guard_post covers a post).
    assert results["guard_post"]["status_label"] == "未达标"
    assert results["guard_post"]["detail"] == "未设护学岗"
    assert results["duty_24h"]["status_label"] == "不适用"
    assert results["closed_management"]["actual"] == "是"
    assert "《保安服务管理条例》" in html and "2项未达标" in html


def test_it_turns_green_when_the_missing_guard_arrives(pages, schools):
    a, _ = schools
    services.guard_create(school=a, name="新保安", certificate_number="C-NEW", birth_date=None)
    results = {r["code"]: r for r in detail(pages("chief"), a).context["results"]}
    assert results["staffing"]["status"] == "pass"


def test_it_masks_the_contacts_phones(pages, schools):
    a, _ = schools
    services.school_update(school=a, principal_name="王校长", principal_phone="13912345678")
    html = detail(pages("edu_officer"), a).content.decode()
    assert "王校长" in html and "139****5678" in html and "13912345678" not in html


def test_it_shows_the_tabs_and_buttons_the_role_may_use(pages, schools):
    a, _ = schools
    chief = detail(pages("chief"), a).content.decode()
    assert reverse("schools:school_edit", args=[a.pk]) in chief
    assert reverse("schools:school_guard_list", args=[a.pk]) in chief
    guard = detail(pages("guard"), a).content.decode()
    assert reverse("schools:school_edit", args=[a.pk]) not in guard
    assert reverse("schools:school_guard_list", args=[a.pk]) not in guard
    commander = detail(pages("commander"), a).content.decode()
    assert reverse("schools:school_edit", args=[a.pk]) not in commander
    assert reverse("schools:school_equipment", args=[a.pk]) in commander
