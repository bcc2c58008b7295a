"""CSV ledgers as Excel and WPS save them: UTF-8 with a BOM, plain UTF-8, GBK, tabs."""

from __future__ import annotations

import pytest

from huxiao.schools.imports import ImportFileError, commit, get_ledger, prepare
from huxiao.schools.models import Guard
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    GUARD_HEADERS,
    csv_bytes,
    guard_row,
)

schools_ab = fx.schools_ab  # shared fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("encoding", "shown"), [("utf-8-sig", "UTF-8"), ("utf-8", "UTF-8"), ("gbk", "GBK")]
)
def test_it_reads_a_csv_in_utf8_or_gbk(schools_ab, encoding, shown):
    data = csv_bytes(
        GUARD_HEADERS, [guard_row(i, 姓名=f"张伟{i}") for i in range(3)], encoding=encoding
    )
    outcome = commit(get_ledger("guards"), data, "保安.csv")
    assert outcome.ok, outcome.plan.errors
    assert outcome.plan.table.encoding == shown
    assert sorted(Guard.objects.values_list("name", flat=True)) == ["张伟0", "张伟1", "张伟2"]


def test_it_reads_a_tab_separated_file(schools_ab):
    lines = ["\t".join(GUARD_HEADERS)] + ["\t".join(map(str, guard_row(i))) for i in range(2)]
    plan = prepare(get_ledger("guards"), "\n".join(lines).encode("utf-8"), "g.csv")
    assert plan.errors == [] and len(plan.items) == 2


def test_it_names_gbk_and_utf8_errors_in_chinese(schools_ab):
    data = csv_bytes(GUARD_HEADERS, [guard_row(1, 状态="在职")], encoding="gbk")
    plan = prepare(get_ledger("guards"), data, "g.csv")
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(2, "状态", "在职")]


def test_it_refuses_bytes_that_are_neither_utf8_nor_gbk(schools_ab):
    with pytest.raises(ImportFileError, match="编码"):
        prepare(get_ledger("guards"), b"\xff\xfe\x00\x81\xff\x00\xff", "g.csv")
