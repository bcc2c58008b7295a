"""``huxiao import LEDGER FILE``: a preview that exits 1 on errors, --commit to write."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huxiao.core.models import AuditRecord
from huxiao.schools.models import Guard, School
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_B,
    GUARD_HEADERS,
    SCHOOL_HEADERS,
    csv_bytes,
    guard_row,
    school_row,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "保安员.xlsx"
    path.write_bytes(xlsx_bytes(GUARD_HEADERS, [guard_row(1), guard_row(2, 身份证号="123")]))
    return path


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "保安员.csv"
    path.write_bytes(csv_bytes(GUARD_HEADERS, [guard_row(1), guard_row(2, code=CODE_B)]))
    return path


def test_it_previews_and_exits_1_listing_each_error(schools_ab, bad_file, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("import", "guards", str(bad_file))
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "第3行\t身份证号\t身份证号应为18位" in out and "错误 1 处" in out
    assert Guard.objects.count() == 0


def test_it_does_not_write_with_commit_while_errors_remain(schools_ab, bad_file):
    with pytest.raises(CommandError):
        call_command("import", "guards", str(bad_file), "--commit")
    assert Guard.objects.count() == 0


def test_it_previews_a_good_file_without_writing(schools_ab, good_file, capsys):
    call_command("import", "guards", str(good_file))
    assert "检查通过，未写入数据库" in capsys.readouterr().out
    assert Guard.objects.count() == 0


def test_it_imports_with_commit_as_a_system_import_from_the_console(schools_ab, good_file, capsys):
    call_command("import", "guards", str(good_file), "--commit")
    assert Guard.objects.count() == 2
    assert "系统导入" in capsys.readouterr().out
    record = AuditRecord.objects.filter(object_type="schools.guard").latest("seq")
    assert record.source == "cli" and record.actor is None


def test_it_imports_as_a_user_within_their_scope(import_perms, schools_ab, good_file, capsys):
    with pytest.raises(CommandError):
        call_command("import", "guards", str(good_file), "--user", "officer_a", "--commit")
    assert "未知学校或不在您的数据范围内" in capsys.readouterr().out
    assert Guard.objects.count() == 0
    path = good_file.with_name("a.csv")
    path.write_bytes(csv_bytes(GUARD_HEADERS, [guard_row(1)]))
    call_command("import", "guards", str(path), "--user", "officer_a", "--commit")
    record = AuditRecord.objects.filter(object_type="schools.guard").latest("seq")
    assert record.actor == import_perms.officer_a and record.source == "cli"


def test_it_refuses_a_user_without_the_permission_or_unknown(import_perms, schools_ab, good_file):
    with pytest.raises(CommandError, match="没有导入"):
        call_command("import", "guards", str(good_file), "--user", "volunteer")
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("import", "guards", str(good_file), "--user", "ghost")


def test_it_reports_a_bad_file_and_converts_gcj02(schools_ab, tmp_path, capsys):
    path = tmp_path / "学校.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="只接受 .xlsx 或 .csv"):
        call_command("import", "schools", str(path))
    path = tmp_path / "学校.xlsx"
    path.write_bytes(xlsx_bytes(SCHOOL_HEADERS, [school_row(1, 经度=102.714, 纬度=25.04)]))
    call_command("import", "schools", str(path), "--commit", "--gcj02")
    org = School.objects.get(school_code="5301112001").organization
    assert float(org.longitude) != 102.714  # converted from GCJ-02
    assert "坐标按GCJ-02转换" in capsys.readouterr().out
