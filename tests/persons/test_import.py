"""The key-person ledger: checks with row/column errors, all or nothing, masked export."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from huxiao.persons.imports.ledger import LEDGER
from huxiao.persons.models import KeyPerson
from huxiao.schools.imports import ImportFileError, commit, prepare
from huxiao.schools.imports.base import Scope
from huxiao.schools.imports.workbook import ledger_workbook
from tests.persons.conftest import ID_A
from tests.schools.conftest import id_number

HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "住址",
    "类别",
    "精神障碍风险等级",
    "总体风险",
    "责任派出所",
    "责任民警",
    "管控措施",
    "状态",
    "关联学校",
]
ID_1 = id_number("510402", dt.date(1981, 1, 1), 11)
ID_2 = id_number("510403", dt.date(1982, 2, 2), 22)


def xlsx(*rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def good_rows():
    return [
        [
            "测试导入一",
            ID_1,
            "13800000011",
            "攀枝花市东区一号",
            "严重精神障碍患者、扬言报复",
            4,
            "高",
            "甲派出所",
            "officer_a",
            "稳控、监护落实",
            "在控",
            "5301110001",
        ],
        ["测试导入二", ID_2, "", "", "吸毒人员", None, "中", "T-STA-A", "", "", "", "甲小学"],
    ]


def test_a_clean_file_imports_everything(people, schools):
    outcome = commit(LEDGER, xlsx(*good_rows()), "ledger.xlsx", user=people.officer_a)
    assert outcome.ok, outcome.plan.sorted_errors()
    assert outcome.result["created"] == 2
    one = KeyPerson.objects.get(name="测试导入一")
    assert one.mental_risk_level == 4 and one.officer == people.officer_a
    assert one.categories == ["mental", "revenge"] and one.review_rule == "revenge"
    assert one.school_links.get().school == schools[0]
    assert KeyPerson.objects.get(name="测试导入二").school_links.get().school == schools[0]


def test_errors_name_row_and_column_and_nothing_is_written(people, schools, person_b):
    rows = good_rows()
    rows[1][1] = ID_1  # duplicate within the file
    rows.append(
        [
            "测试导入三",
            ID_2[:-1] + ("0" if ID_2[-1] != "0" else "1"),
            "",
            "",
            "吸毒人员",
            None,
            "",
            "甲派出所",
            "",
            "",
            "",
            "",
        ]
    )
    rows.append(
        [
            "测试导入四",
            id_number("510411", dt.date(1983, 3, 3), 33),
            "",
            "",
            "严重精神障碍患者",
            None,
            "",
            "甲派出所",
            "officer_b",
            "",
            "",
            "9999999999",
        ]
    )
    rows.append(
        [
            "测试导入五",
            person_b.id_number,
            "",
            "",
            "吸毒人员",
            None,
            "",
            "乙派出所",
            "",
            "",
            "撤销",
            "",
        ]
    )
    outcome = commit(LEDGER, xlsx(*rows), "ledger.xlsx", user=people.officer_a)
    assert not outcome.ok
    errors = {(e.row, e.column) for e in outcome.plan.errors}
    assert (3, "身份证号") in errors  # duplicate of row 2
    assert (4, "身份证号") in errors  # checksum
    assert {(5, "精神障碍风险等级"), (5, "责任民警"), (5, "关联学校")} <= errors
    assert {(6, "责任派出所"), (6, "状态")} <= errors  # station 02 is out of officer_a's scope
    assert KeyPerson.objects.count() == 1  # only person_b, from the fixture
    # Identity values are never echoed back in the error list.
    assert all(e.value == "" for e in outcome.plan.errors if e.column == "身份证号")


def test_a_person_of_another_station_cannot_be_taken_over(people, schools, person_b):
    rows = [
        ["测试导入五", person_b.id_number, "", "", "吸毒人员", None, "", "甲派出所", "", "", "", ""]
    ]
    plan = prepare(LEDGER, xlsx(*rows), "ledger.xlsx", user=people.officer_a)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "身份证号")]
    assert "其他单位" in plan.errors[0].message


def test_an_existing_person_in_scope_is_updated(people, schools, person_a):
    rows = [
        [
            "测试甲某",
            ID_A,
            "",
            "",
            "严重精神障碍患者",
            1,
            "低",
            "甲派出所",
            "officer_a",
            "稳控",
            "在控",
            "",
        ]
    ]
    outcome = commit(LEDGER, xlsx(*rows), "ledger.xlsx", user=people.officer_a)
    assert outcome.ok and outcome.result == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "bulk": False,
        "rows": 1,
    }
    person_a.refresh_from_db()
    assert person_a.categories == ["mental"] and person_a.mental_risk_level == 1


def test_the_bulk_path_writes_the_same(people, schools):
    outcome = commit(LEDGER, xlsx(*good_rows()), "ledger.xlsx", user=people.officer_a, bulk=True)
    assert outcome.ok and outcome.result["created"] == 2
    assert KeyPerson.objects.get(name="测试导入一").school_links.count() == 1


@pytest.mark.parametrize("who", ["edu_officer", "chief", "guard", "outsider"])
def test_non_police_cannot_import(who, people, schools):
    with pytest.raises(ImportFileError):
        prepare(LEDGER, xlsx(*good_rows()), "ledger.xlsx", user=getattr(people, who))


def test_the_export_is_masked(people, person_a, person_b):
    content, count = ledger_workbook(
        LEDGER, LEDGER.export_rows(Scope(people.officer_a)), export=True
    )
    assert count == 1
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    row = [c.value for c in sheet[2]]
    assert row[0] == "测试甲某"
    assert row[1] == "510402********" + ID_A[-4:] and row[2] == "138****1234"
    text = " ".join(str(c.value) for r in sheet.iter_rows() for c in r)
    assert ID_A not in text and "13800001234" not in text and "测试路" not in text
    assert person_b.name not in text
    assert list(LEDGER.export_rows(Scope(people.edu_officer))) == []


def test_the_cli_offers_the_ledger(people, schools, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(xlsx(*good_rows()))
    out = io.StringIO()
    call_command("import", "key_persons", str(path), "--user", "officer_a", "--commit", stdout=out)
    assert "新增 2" in out.getvalue()
    assert KeyPerson.objects.count() == 2
