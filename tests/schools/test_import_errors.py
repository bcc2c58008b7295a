"""Every kind of import error names its row (as the spreadsheet numbers it), its column and
what is wrong, in Chinese; nothing is written while any error remains."""

from __future__ import annotations

import datetime as dt

import pytest

from huxiao.schools.imports import ImportFileError, commit, get_ledger, prepare
from huxiao.schools.models import Guard, School
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_A,
    CODE_B,
    GUARD_HEADERS,
    SCHOOL_HEADERS,
    csv_bytes,
    guard_row,
    make_id_number,
    school_row,
    wrong_check_digit,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db


def errors_of(plan):
    return [(e.row, e.column, e.message) for e in plan.sorted_errors()]


def guards(rows, headers=GUARD_HEADERS, user=None, **kw):
    return prepare(get_ledger("guards"), xlsx_bytes(headers, rows), "保安.xlsx", user=user, **kw)


def schools(rows, headers=SCHOOL_HEADERS, user=None, **kw):
    return prepare(get_ledger("schools"), xlsx_bytes(headers, rows), "学校.xlsx", user=user, **kw)


def test_it_names_the_row_and_column_of_a_bad_id_checksum(schools_ab):
    bad = wrong_check_digit(make_id_number(2))
    plan = guards([guard_row(1), guard_row(2, 身份证号=bad), guard_row(3)])
    assert errors_of(plan) == [(3, "身份证号", "身份证号校验位错误（GB 11643）。")]
    assert plan.errors[0].value == bad
    assert plan.total == 3 and len(plan.items) == 2


def test_it_rejects_an_id_number_typed_as_a_number_because_digits_are_lost(schools_ab):
    plan = guards([guard_row(1, 身份证号=530111198001010011)])
    assert errors_of(plan)[0][:2] == (2, "身份证号")
    assert "文本格式" in plan.errors[0].message


def test_it_reports_a_short_id_number_and_a_birth_date_that_disagrees(schools_ab):
    headers = [*GUARD_HEADERS, "出生日期"]
    plan = guards(
        [
            [*guard_row(1, 身份证号="53011119800101"), ""],
            [*guard_row(2), dt.date(1990, 5, 5)],
            [*guard_row(3), dt.date(1980, 1, 1)],
        ],
        headers=headers,
    )
    assert errors_of(plan) == [
        (2, "身份证号", "身份证号应为18位，前17位为数字，末位为数字或X。"),
        (3, "出生日期", "出生日期与身份证号不一致"),
    ]


def test_it_reports_an_unknown_school_code_in_the_guard_ledger(schools_ab):
    plan = guards([guard_row(1, code="5399999999"), guard_row(2, code="12345")])
    assert errors_of(plan) == [
        (2, "学校标识码", "未知学校或不在您的数据范围内"),
        (3, "学校标识码", "学校标识码应为10位数字"),
    ]


def test_it_reports_the_same_guard_twice_in_one_file(schools_ab):
    plan = guards([guard_row(1), guard_row(2), guard_row(1, 姓名="又一个")])
    assert errors_of(plan) == [(4, "身份证号", "与第2行重复（同一学校、同一身份证号）")]


def test_it_lists_every_bad_cell_of_a_row_not_just_the_first(schools_ab):
    plan = guards(
        [guard_row(1, 姓名="", 手机号="abc", 证件有效期至="明年", 专职="也许", 状态="请假")]
    )
    assert errors_of(plan) == [
        (2, "姓名", "必填项不能为空"),
        (2, "手机号", "电话号码格式不正确"),
        (2, "证件有效期至", "日期格式应为 2026-03-01"),
        (2, "专职", "应填“是”或“否”"),
        (2, "状态", "应为以下之一：在岗、休假、离职"),
    ]


def test_it_accepts_the_date_forms_people_type_and_excel_date_cells(schools_ab):
    forms = ["2028-12-31", "2028/12/31", "2028.12.31", "2028年12月31日", "20281231"]
    rows = [guard_row(i, 证件有效期至=f) for i, f in enumerate(forms, start=1)]
    rows.append(guard_row(9, 证件有效期至=dt.date(2028, 12, 31)))
    rows.append(guard_row(10, 证件有效期至=dt.datetime(2028, 12, 31, 8, 0)))
    plan = guards(rows)
    assert plan.errors == []
    assert {item.values["certificate_valid_until"] for item in plan.items} == {
        dt.date(2028, 12, 31)
    }


def test_it_reports_a_missing_required_column_for_the_whole_file(schools_ab):
    headers = [h for h in GUARD_HEADERS if h not in ("身份证号", "姓名")]
    rows = [[c for h, c in zip(GUARD_HEADERS, guard_row(1), strict=True) if h in headers]]
    with pytest.raises(ImportFileError, match="缺少必填列：姓名、身份证号"):
        guards(rows, headers=headers)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("保安.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("保安.txt", b"hello", "只接受 .xlsx 或 .csv"),
        ("保安.xlsx", b"this is not a zip", "不是有效的 .xlsx 工作簿"),
        ("保安.xlsx", b"PK\x03\x04broken", "无法读取 .xlsx 文件"),
        ("保安.csv", b"", "文件是空的"),
    ],
)
def test_it_refuses_a_wrong_file_type_with_a_clear_message(schools_ab, filename, data, message):
    with pytest.raises(ImportFileError, match=message):
        prepare(get_ledger("guards"), data, filename)


def test_it_refuses_a_file_with_a_header_and_no_data(schools_ab):
    with pytest.raises(ImportFileError, match="没有数据行"):
        prepare(get_ledger("guards"), xlsx_bytes(GUARD_HEADERS, []), "g.xlsx")


def test_it_counts_rows_as_the_sheet_does_when_a_title_sits_above_the_header(schools_ab):
    data = xlsx_bytes(
        GUARD_HEADERS,
        [guard_row(1), [], guard_row(2, 身份证号="X")],
        title_rows=[["某区保安员台账"], []],
    )
    plan = prepare(get_ledger("guards"), data, "g.xlsx")
    # title in row 1, blank row 2, header row 3, data rows 4 and 6 (row 5 is blank)
    assert errors_of(plan) == [(6, "身份证号", "身份证号应为18位，前17位为数字，末位为数字或X。")]


def test_it_reports_an_unknown_station_and_education_bureau(schools_ab):
    plan = schools([school_row(1, station="NO-SUCH"), school_row(2, 主管教育局="NO-EDU")])
    assert errors_of(plan) == [(2, "所属派出所", "未知派出所"), (3, "主管教育局", "未知教育局")]


def test_it_refuses_a_school_under_an_organisation_that_is_not_a_station(schools_ab):
    plan = schools([school_row(1, station="T-SUB")])
    assert errors_of(plan) == [(2, "所属派出所", "未知派出所")]


def test_it_reports_duplicate_school_codes_within_the_file_and_taken_organisation_codes(
    schools_ab,
):
    plan = schools(
        [
            school_row(1),
            school_row(2, 学校标识码="5301112001"),
            school_row(3, 单位代码="T-STA-B"),
            school_row(4, 单位代码="T-NEW-01"),
        ]
    )
    assert errors_of(plan) == [
        (3, "学校标识码", "学校标识码与第2行重复"),
        (4, "单位代码", "单位代码已被其他单位使用"),
        (5, "单位代码", "单位代码与第2行重复"),
    ]


@pytest.mark.parametrize(
    ("lng", "lat", "column", "message"),
    [
        (202.7, 25.04, "经度", "经度应在73至136之间（中国境内，十进制度）"),
        (102.7, 95, "纬度", "纬度应在3至54之间（中国境内，十进制度）"),
        (25.04, 102.7, "经度", "经度应在73至136之间（中国境内，十进制度）"),
        ("东经102度", 25.04, "经度", "应为数字（十进制度，如 102.712345）"),
        (102.7, "", "纬度", "经度和纬度须同时填写"),
    ],
)
def test_it_reports_invalid_coordinates(schools_ab, lng, lat, column, message):
    plan = schools([school_row(1, 经度=lng, 纬度=lat)])
    assert errors_of(plan)[0] == (2, column, message)


def test_it_applies_the_school_services_rules_boarders_and_counts(schools_ab):
    headers = [*SCHOOL_HEADERS, "寄宿制", "寄宿生人数"]
    plan = schools(
        [
            [*school_row(1), "否", 30],
            [*school_row(2), "是", 9999],
            [*school_row(3, 学生人数=1200.5), "否", 0],
            [*school_row(4, 学生人数=1200.0), "否", 0],
        ],
        headers=headers,
    )
    assert errors_of(plan) == [
        (2, "寄宿生人数", "非寄宿制学校的寄宿生人数应为0。"),
        (3, "寄宿生人数", "寄宿生人数不能超过学生人数。"),
        (4, "学生人数", "应为整数"),
    ]
    assert plan.items[-1].values["students"] == 1200


def test_it_reports_unknown_labels_in_choice_and_list_columns(schools_ab):
    headers = [*SCHOOL_HEADERS, "防冲撞设施"]
    plan = schools(
        [[*school_row(1, 学段="大学"), "拒马、铁栅栏"]],
        headers=headers,
    )
    assert [e[:2] for e in errors_of(plan)] == [(2, "学段"), (2, "防冲撞设施")]
    assert "拒马、隔离墩、升降柱" in plan.sorted_errors()[1].message


def test_it_reports_duplicate_equipment_rows(schools_ab):
    rows = [[CODE_A, "头盔", 2], [CODE_A, "对讲机", 1], [CODE_A, "头盔", 3], [CODE_B, "头盔", -1]]
    plan = prepare(
        get_ledger("equipment"), xlsx_bytes(["学校标识码", "装备", "数量"], rows), "e.xlsx"
    )
    assert errors_of(plan) == [
        (4, "装备", "与第2行重复（同一学校的同一装备只能填一行）"),
        (5, "数量", "不能小于0"),
    ]


def test_it_writes_nothing_when_any_row_is_bad(schools_ab):
    data = xlsx_bytes(GUARD_HEADERS, [guard_row(1), guard_row(2, 身份证号="1")])
    outcome = commit(get_ledger("guards"), data, "g.xlsx")
    assert not outcome.ok and outcome.result is None
    assert Guard.objects.count() == 0
    data = xlsx_bytes(SCHOOL_HEADERS, [school_row(1), school_row(2, station="NO")])
    assert not commit(get_ledger("schools"), data, "s.xlsx").ok
    assert School.objects.count() == 2


def test_it_reads_a_csv_with_the_same_errors(schools_ab):
    data = csv_bytes(GUARD_HEADERS, [guard_row(1), guard_row(2, 身份证号="1")])
    plan = prepare(get_ledger("guards"), data, "g.csv")
    assert [e[:2] for e in errors_of(plan)] == [(3, "身份证号")]


def test_it_reports_a_conflicting_concurrent_write_instead_of_failing(schools_ab, monkeypatch):
    from django.db import IntegrityError

    from huxiao.schools import services

    def clash(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(services, "guard_create", clash)
    outcome = commit(get_ledger("guards"), xlsx_bytes(GUARD_HEADERS, [guard_row(1)]), "g.xlsx")
    assert not outcome.ok and "冲突" in outcome.plan.errors[0].message
    assert Guard.objects.count() == 0
