"""Imports respect scope: an officer imports only into their station's schools, school staff
only into their own school; anything else is a row error, never a server error."""

from __future__ import annotations

import pytest

from huxiao.core.models import Organization
from huxiao.schools.imports import commit, get_ledger, prepare
from huxiao.schools.models import Guard, School
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_A,
    CODE_B,
    GUARD_HEADERS,
    SCHOOL_HEADERS,
    guard_row,
    school_row,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db


def _guards(user, rows):
    return commit(get_ledger("guards"), xlsx_bytes(GUARD_HEADERS, rows), "g.xlsx", user=user)


def test_it_lets_an_officer_import_guards_only_into_their_stations_schools(
    schools_ab, import_perms
):
    outcome = _guards(import_perms.officer_a, [guard_row(1), guard_row(2, code=CODE_B)])
    assert not outcome.ok
    assert [(e.row, e.column, e.message) for e in outcome.plan.errors] == [
        (3, "学校标识码", "未知学校或不在您的数据范围内")
    ]
    assert Guard.objects.count() == 0
    assert _guards(import_perms.officer_b, [guard_row(2, code=CODE_B)]).ok


def test_it_lets_school_staff_import_only_into_their_own_school(schools_ab, import_perms):
    chief = import_perms.chief
    outcome = _guards(chief, [guard_row(1, code=CODE_B)])
    assert [e.message for e in outcome.plan.errors] == ["未知学校或不在您的数据范围内"]
    assert _guards(chief, [guard_row(1)]).ok
    assert Guard.objects.get().school == schools_ab.a


def test_it_answers_an_outsider_with_the_same_words_as_an_unknown_school(schools_ab, import_perms):
    plan = prepare(
        get_ledger("devices"),
        xlsx_bytes(["学校标识码", "类型"], [[CODE_A, "门禁"], ["5399999999", "门禁"]]),
        "d.xlsx",
        user=import_perms.outsider,
    )
    assert [e.message for e in plan.errors] == ["未知学校或不在您的数据范围内"] * 2


def test_it_lets_an_officer_create_schools_only_under_their_station(schools_ab, import_perms):
    officer = import_perms.officer_a
    rows = [school_row(1), school_row(2, station="T-STA-B")]
    outcome = commit(
        get_ledger("schools"), xlsx_bytes(SCHOOL_HEADERS, rows), "s.xlsx", user=officer
    )
    assert [(e.row, e.column, e.message) for e in outcome.plan.errors] == [
        (3, "所属派出所", "未知派出所")
    ]
    outcome = commit(
        get_ledger("schools"), xlsx_bytes(SCHOOL_HEADERS, rows[:1]), "s.xlsx", user=officer
    )
    assert outcome.ok
    school = School.objects.get(school_code="5301112001")
    assert school.organization.parent == Organization.objects.get(code="T-STA-A")
    assert School.objects.visible_to(officer).filter(pk=school.pk).exists()


def test_it_refuses_to_update_a_school_outside_the_officers_scope(schools_ab, import_perms):
    row = school_row(1, 学校标识码=CODE_B, 单位代码="T-SCH-B", station="T-STA-A")
    plan = prepare(
        get_ledger("schools"),
        xlsx_bytes(SCHOOL_HEADERS, [row]),
        "s.xlsx",
        user=import_perms.officer_a,
    )
    assert [(e.column, e.message) for e in plan.errors] == [
        ("学校标识码", "该学校标识码已登记，且学校不在您的数据范围内"),
        ("单位代码", "单位代码已被其他单位使用"),
    ]


def test_it_registers_an_existing_school_node_and_moves_it_under_the_named_station(
    city, import_perms
):
    from huxiao.core import services as core_services
    from huxiao.core.choices import OrgKind

    node = core_services.organization_create(
        kind=OrgKind.SCHOOL,
        name="丙小学",
        code="T-SCH-C",
        division_code="530111",
        parent=city.sub_bureau,
    )
    row = school_row(1, 学校名称="丙小学（新名）", 单位代码="T-SCH-C", station="T-STA-A")
    outcome = commit(get_ledger("schools"), xlsx_bytes(SCHOOL_HEADERS, [row]), "s.xlsx")
    assert outcome.ok, outcome.plan.errors
    node.refresh_from_db()
    assert node.school.school_code == "5301112001"
    assert node.name == "丙小学（新名）" and node.parent == city.station_a
    assert node.path.startswith(city.station_a.path)
