"""The import pages: permissions, upload → preview → commit, bad uploads answer 400."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huxiao.schools.imports import get_ledger, prepare, reader
from huxiao.schools.models import Guard
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    CODE_B,
    GUARD_HEADERS,
    guard_row,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms  # shared fixtures

pytestmark = pytest.mark.django_db

START = "/schools/import/"


def upload(client, data, name="保安员台账.xlsx", ledger="guards", **extra):
    return client.post(START, {"ledger": ledger, "file": SimpleUploadedFile(name, data), **extra})


def test_it_sends_anonymous_visitors_to_the_login_page(db):
    response = Client().get(START)
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("name", ["volunteer", "guard", "edu_officer", "auditor", "commander"])
def test_it_refuses_users_without_an_import_permission(import_perms, client_for, name):
    client = client_for(name)
    assert client.get(START).status_code == 403
    assert client.get(START + "template/guards/").status_code == 403
    assert client.get(START + "export/guards/").status_code == 403


def test_it_offers_school_staff_only_their_ledgers(import_perms, client_for, schools_ab):
    client = client_for("chief")
    page = client.get(START).content.decode()
    assert 'value="guards"' in page and 'value="schools"' not in page
    assert client.get(START + "template/schools/").status_code == 403
    response = upload(client, b"x", ledger="schools")
    assert response.status_code == 400


def test_it_previews_then_commits_a_good_file(import_perms, client_for, schools_ab):
    client = client_for("officer_a")
    response = upload(client, xlsx_bytes(GUARD_HEADERS, [guard_row(i) for i in range(3)]))
    assert response.status_code == 302
    preview = response["Location"]
    page = client.get(preview).content.decode()
    assert "确认导入" in page and 'data-count="creates">3<' in page
    assert Guard.objects.count() == 0  # the preview writes nothing
    token = preview.rstrip("/").split("/")[-1]
    response = client.post(f"{START}{token}/commit/")
    assert response.status_code == 302
    assert Guard.objects.count() == 3
    page = client.get(preview).content.decode()
    assert "data-import-done" in page and "新增 3 条" in page
    # a second press of the button imports nothing twice
    client.post(f"{START}{token}/commit/")
    assert Guard.objects.count() == 3


def test_it_lists_every_error_by_row_and_column_and_refuses_to_commit(
    import_perms, client_for, schools_ab
):
    client = client_for("officer_a")
    rows = [guard_row(1), guard_row(2, code=CODE_B), guard_row(3, 身份证号="110")]
    preview = upload(client, xlsx_bytes(GUARD_HEADERS, rows))["Location"]
    page = client.get(preview).content.decode()
    table = page[page.index("data-import-errors") :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    assert cells[:4] == ["3", "学校标识码", CODE_B, "未知学校或不在您的数据范围内"]
    assert cells[4:6] == ["4", "身份证号"]
    assert "确认导入" not in page
    token = preview.rstrip("/").split("/")[-1]
    client.post(f"{START}{token}/commit/")
    assert Guard.objects.count() == 0
    errors = client.get(f"{START}{token}/errors/")
    sheet = openpyxl.load_workbook(io.BytesIO(errors.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "学校标识码"]


def test_it_keeps_an_upload_private_to_the_user_who_made_it(import_perms, client_for, schools_ab):
    preview = upload(client_for("officer_a"), xlsx_bytes(GUARD_HEADERS, [guard_row(1)]))["Location"]
    other = client_for("officer_b")
    assert other.get(preview).status_code == 404
    assert other.post(preview + "commit/").status_code == 404
    assert Guard.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名单.xls", b"\xd0\xcf\x11\xe0....", "另存为 .xlsx"),
        ("名单.pdf", b"%PDF-1.4", "只接受 .xlsx 或 .csv"),
        ("名单.xlsx", b"not really a workbook", "不是有效的 .xlsx"),
        ("名单.csv", b"", "文件是空的"),
        ("名单.csv", "学校标识码,姓名\n5301110001,张三\n".encode(), "缺少必填列：身份证号"),
    ],
)
def test_it_answers_a_bad_upload_with_400_and_a_chinese_message(
    import_perms, client_for, schools_ab, name, data, message
):
    response = upload(client_for("officer_a"), data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_refuses_a_file_over_the_size_limit(import_perms, client_for, schools_ab, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    data = xlsx_bytes(GUARD_HEADERS, [guard_row(i) for i in range(50)])
    response = upload(client_for("officer_a"), data)
    assert response.status_code == 400 and "文件超过" in response.content.decode()


def test_it_needs_a_csrf_token_to_upload(import_perms, people, schools_ab):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.officer_a)
    response = upload(client, xlsx_bytes(GUARD_HEADERS, [guard_row(1)]))
    assert response.status_code == 403


def test_it_serves_a_template_that_imports_as_it_is(import_perms, client_for, schools_ab):
    client = client_for("admin")
    for key in ("guards", "devices", "equipment"):
        response = client.get(f"{START}template/{key}/")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[1] == "说明"
        assert [c.value for c in book.worksheets[0][1]] == get_ledger(key).headers
        plan = prepare(get_ledger(key), response.content, "模板.xlsx")
        assert plan.errors == [] and len(plan.items) == 1, plan.errors
    response = client.get(f"{START}template/schools/")
    plan = prepare(get_ledger("schools"), response.content, "模板.xlsx")
    # the example names the harness's stations but a school code the city already has
    assert {e.column for e in plan.errors} <= {"学校标识码", "单位代码"}


def test_it_converts_coordinates_when_the_gcj02_box_is_ticked(import_perms, client_for, schools_ab):
    from huxiao.schools.geo import wgs84_to_gcj02
    from huxiao.schools.models import School
    from tests.schools.test_import_fixtures import SCHOOL_HEADERS, school_row

    lng, lat = wgs84_to_gcj02(102.712345, 25.041234)
    data = xlsx_bytes(SCHOOL_HEADERS, [school_row(1, 经度=lng, 纬度=lat)])
    client = client_for("officer_a")
    preview = upload(client, data, name="学校.xlsx", ledger="schools", gcj02="on")["Location"]
    assert "坐标按GCJ-02转换" in client.get(preview).content.decode()
    client.post(preview + "commit/")
    org = School.objects.get(school_code="5301112001").organization
    assert (str(org.longitude), str(org.latitude)) == ("102.712345", "25.041234")


def test_it_pages_have_no_inline_script_or_style(import_perms, client_for, schools_ab):
    client = client_for("officer_a")
    pages = [client.get(START).content.decode()]
    preview = upload(client, xlsx_bytes(GUARD_HEADERS, [guard_row(1, 身份证号="1")]))["Location"]
    pages.append(client.get(preview).content.decode())
    for page in pages:
        assert "style=" not in page and "<style" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert not re.search(r"\son[a-z]+=", page)
