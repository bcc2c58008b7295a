"""The issue's acceptance: an .xlsx with one bad row among 500 imports nothing and lists
that row's error; fixed, it imports all 500."""

from __future__ import annotations

import pytest

from huxiao.core.models import AuditRecord
from huxiao.schools.imports import commit, get_ledger
from huxiao.schools.models import Guard
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_A,
    CODE_B,
    GUARD_HEADERS,
    guard_row,
    make_id_number,
    wrong_check_digit,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db


def _rows(bad_at=None):
    rows = []
    for i in range(500):
        code = CODE_A if i % 2 else CODE_B
        row = guard_row(i, code=code)
        if i == bad_at:
            row[GUARD_HEADERS.index("身份证号")] = wrong_check_digit(make_id_number(i))
        rows.append(row)
    return rows


def test_it_imports_nothing_from_500_rows_with_one_bad_row_then_all_500_once_fixed(
    schools_ab, import_perms
):
    admin = import_perms.admin  # the rows name both schools
    bad = xlsx_bytes(GUARD_HEADERS, _rows(bad_at=321))
    outcome = commit(get_ledger("guards"), bad, "保安员台账.xlsx", user=admin)
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.plan.errors] == [(323, "身份证号")]
    assert "校验位" in outcome.plan.errors[0].message
    assert Guard.objects.count() == 0

    fixed = xlsx_bytes(GUARD_HEADERS, _rows())
    outcome = commit(get_ledger("guards"), fixed, "保安员台账.xlsx", user=admin)
    assert outcome.ok and outcome.result["created"] == 500
    assert Guard.objects.count() == 500


def test_it_audits_each_row_through_the_services_below_the_bulk_threshold(schools_ab):
    before = AuditRecord.objects.filter(object_type="schools.guard").count()
    data = xlsx_bytes(GUARD_HEADERS, [guard_row(i) for i in range(20)])
    outcome = commit(get_ledger("guards"), data, "g.xlsx")
    assert outcome.ok and not outcome.result["bulk"]
    assert AuditRecord.objects.filter(object_type="schools.guard").count() - before == 20
