"""用户导入: the preview names every bad row and column and nothing is written; a good file
creates every account, each with a one-time password shown once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huxiao.core.models import RoleGrant, User
from tests.system.users_support import Admins, make_admins, signed_in, xlsx


@pytest.fixture
def admins(city, people) -> Admins:
    return make_admins(city, people)


def upload(client, data: bytes):
    return client.post(
        reverse("system:user_import"), {"file": SimpleUploadedFile("用户.xlsx", data)}
    )


def test_it_names_the_bad_row_and_column_and_writes_nothing(city, admins, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [[f"imp{i:02d}", f"导入{i}", "T-STA-A", "门卫/保安", "", ""] for i in range(50)]
    rows[16][2] = "T-EAST-1"  # another sub-bureau's station: row 18 of the sheet
    client = signed_in(admins.unit_admin)
    response = upload(client, xlsx(rows))
    assert response.status_code == 302
    preview = client.get(response.url)
    errors = list(preview.context["page_obj"])
    assert [(e["row"], e["column"]) for e in errors] == [(18, "所属单位代码")]
    assert "不在您的管理范围内" in errors[0]["message"]
    assert "确认导入" not in preview.content.decode()
    commit = client.post(response.url + "commit/")
    assert commit.status_code == 302
    assert not User.objects.filter(username__startswith="imp").exists()


def test_it_names_each_kind_of_bad_cell(people, admins, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [
        ["officer_a", "重名", "T-STA-A", "", "", ""],  # row 2: username taken
        ["ok1", "正常", "T-STA-A", "不存在的角色", "", ""],  # row 3: unknown role
        ["ok2", "", "T-STA-A", "", "12", ""],  # row 4: name missing, bad phone
        ["ok1", "重复", "T-STA-A", "单位管理员", "", ""],  # row 5: duplicate and org_admin
    ]
    client = signed_in(admins.unit_admin)
    preview = client.get(upload(client, xlsx(rows)).url)
    found = {(e["row"], e["column"]) for e in preview.context["page_obj"]}
    assert found == {(2, "用户名"), (3, "角色"), (4, "姓名"), (4, "手机号"), (5, "用户名"),
                     (5, "角色")}  # fmt: skip


def test_it_imports_several_accounts_and_shows_their_passwords_once(
    city, admins, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    rows = [
        ["imp_guard", "门卫甲", "T-SCH-A", "门卫/保安", "13800000002", ""],
        ["imp_help", "志愿者乙", "T-STA-B", "volunteer", "", ""],
        ["imp_cop", "民警丙", "T-STA-B", "民警", "", "012345"],
        ["imp_none", "未分配丁", "T-SUB", "", "", ""],
    ]
    client = signed_in(admins.unit_admin)
    preview_url = upload(client, xlsx(rows)).url
    preview = client.get(preview_url)
    assert preview.context["meta"]["error_count"] == 0 and preview.context["meta"]["creates"] == 4
    result = client.post(preview_url + "commit/")
    assert result.status_code == 200 and result["Cache-Control"] == "no-store"
    passwords = {name: pw for name, _full, pw in result.context["passwords"]}
    assert set(passwords) == {"imp_guard", "imp_help", "imp_cop", "imp_none"}
    made = {u.username: u for u in User.objects.filter(username__startswith="imp_")}
    assert made["imp_help"].role.code == "volunteer"
    assert made["imp_none"].role is None
    # a gate guard matches visitors against the watch list but reads no identity: given at once
    assert made["imp_guard"].role.code == "gate_guard"
    # roles that read police data wait for a security administrator (reads_police_data)
    assert made["imp_cop"].role is None
    grant = RoleGrant.objects.get(user=made["imp_cop"])
    assert grant.state == RoleGrant.State.PENDING and grant.role.code == "officer"
    assert result.context["meta"]["result"]["pending_grants"] == 1
    assert made["imp_cop"].police_number == "012345"
    for name, user in made.items():
        assert user.check_password(passwords[name]) and user.must_change_password
    # the result page does not show them again
    again = client.get(preview_url)
    assert again.status_code == 200
    assert passwords["imp_guard"] not in again.content.decode()
    assert again.context["meta"]["result"]["created"] == 4


def test_it_gives_the_template_and_keeps_uploads_private(
    people, admins, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    template = client_for("admin").get(reverse("system:user_import_template"))
    assert template.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["用户名", "姓名", "所属单位代码"]
    preview_url = upload(
        signed_in(admins.unit_admin), xlsx([["a1", "甲", "T-STA-A", "", "", ""]])
    ).url
    assert client_for("admin").get(preview_url).status_code == 404  # someone else's upload
    assert client_for("officer_a").get(reverse("system:user_import")).status_code == 403


def test_an_upload_is_only_its_owners(city, people, admins, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = signed_in(admins.unit_admin)
    token = upload(owner, xlsx([["b1", "乙", "T-STA-A", "", "", "x" * 40]])).url.split("/")[-2]
    missing = "00000000-0000-4000-8000-000000000000"
    other, officer = signed_in(admins.east_admin), signed_in(people.officer_a)
    for name in ("system:user_import_preview", "system:user_import_errors"):
        assert owner.get(reverse(name, args=[token])).status_code == 200
        assert other.get(reverse(name, args=[token])).status_code == 404
        assert other.get(reverse(name, args=[missing])).status_code == 404
        assert officer.get(reverse(name, args=[token])).status_code == 403
    commit = reverse("system:user_import_commit", args=[token])
    assert other.post(commit).status_code == 404
    assert officer.post(commit).status_code == 403
    assert owner.post(commit).status_code == 302  # back to the preview: the row is bad
    assert not User.objects.filter(username="b1").exists()
