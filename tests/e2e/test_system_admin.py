"""System administration in the browser (issue 21's acceptance), without a shell:

the system administrator creates a unit administrator for the sub-bureau; that administrator
signs in with the one-time password, changes it, imports 50 accounts from an .xlsx (a first
file with one bad row is named by row and column and writes nothing), resets one account's
password and adds a station under the sub-bureau in the organisation tree; the security
administrator creates “社区民警（只读）” with a custom scope of three stations (roles stay the
security administrator's, 三权分立); the system administrator changes the rectification
deadline and the next notice form uses it, adds a hazard category, sees who is online and forces
the unit administrator out, runs the daily hazard sweep now and sees its result, and reads
the service health page.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from huxiao.core.models import Organization, Role, TaskRun, User
from huxiao.core.services import user_create
from huxiao.inspections.services import hazards as hazard_services
from tests.conftest import PASSWORD
from tests.e2e.conftest import settle
from tests.e2e.test_inspection_loop import new_page, sign_in
from tests.inspections import conftest as inspection_fixtures

pytestmark = pytest.mark.browser

ischools = inspection_fixtures.ischools

HEADERS = ["用户名", "姓名", "所属单位代码", "角色", "手机号", "警号"]


def workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=name).first.click()
    settle(page)


def test_an_administrator_runs_the_platform_without_a_shell(
    browser, live_server, city, people, ischools, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    secadmin = user_create(
        username="secadmin_e2e", password=PASSWORD, organization=city.city,
        role=Role.objects.get(code="secadmin"), must_change_password=False,
    )  # fmt: skip

    # 1. The system administrator creates the unit administrator of the sub-bureau.
    admin = new_page(browser)
    sign_in(admin, base, "admin")
    admin.goto(f"{base}/system/users/new/")
    admin.fill("input[name=username]", "county01")
    admin.fill("input[name=full_name]", "区县管理员")
    admin.select_option("select[name=organization]", str(city.sub_bureau.pk))
    admin.select_option("select[name=role]", str(Role.objects.get(code="org_admin").pk))
    submit(admin, "保存")
    one_time = admin.get_by_test_id("one-time-password").inner_text().strip()
    county = User.objects.get(username="county01")
    assert county.role.code == "org_admin" and county.must_change_password

    # 2. They sign in with it and must change it first.
    unit = new_page(browser)
    unit.goto(f"{base}/login/")
    unit.fill("input[name=username]", "county01")
    unit.fill("input[name=password]", one_time)
    with unit.expect_navigation():
        unit.locator("form").get_by_role("button", name="登录").click()
    settle(unit)
    assert "/password/" in unit.url
    unit.fill("input[name=old_password]", one_time)
    unit.fill("input[name=new_password1]", "Qx7!county-2026")
    unit.fill("input[name=new_password2]", "Qx7!county-2026")
    submit(unit, "保存")
    assert "/password/" not in unit.url

    # 3. An import of 50 accounts: one bad row is named and nothing is written; then all 50.
    rows = [[f"imp{i:02d}", f"导入{i:02d}", "T-STA-A", "门卫/保安", "", ""] for i in range(50)]
    rows[16][2] = "T-NOPE"  # row 18 of the sheet
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(workbook(rows))
    rows[16][2] = "T-STA-B"
    good.write_bytes(workbook(rows))
    unit.goto(f"{base}/system/users/import/")
    unit.set_input_files("input[name=file]", str(bad))
    submit(unit, "上传并预览")
    preview = unit.locator("main").inner_text()
    assert "18" in preview and "所属单位代码" in preview
    assert unit.get_by_role("button", name="确认导入").count() == 0
    assert not User.objects.filter(username__startswith="imp").exists()
    unit.goto(f"{base}/system/users/import/")
    unit.set_input_files("input[name=file]", str(good))
    submit(unit, "上传并预览")
    submit(unit, "确认导入")
    assert User.objects.filter(username__startswith="imp").count() == 50

    # ... resets one password ...
    target = User.objects.get(username="imp07")
    unit.goto(f"{base}/system/users/{target.pk}/reset-password/")
    submit(unit, "确认重置")
    fresh = unit.get_by_test_id("one-time-password").inner_text().strip()
    target.refresh_from_db()
    assert target.check_password(fresh) and target.must_change_password

    # ... and adds a station under the sub-bureau in the tree.
    unit.goto(f"{base}/system/organizations/{city.sub_bureau.pk}/add/?kind=station")
    settle(unit)
    unit.fill("input[name=name]", "丙派出所")
    unit.fill("input[name=code]", "T-STA-C")
    unit.fill("input[name=division_code]", "530111")
    submit(unit, "保存")
    station_c = Organization.objects.get(code="T-STA-C")
    assert station_c.parent_id == city.sub_bureau.pk

    # 4. The security administrator creates 社区民警（只读） over three stations.
    sec = new_page(browser)
    sign_in(sec, base, secadmin.username)
    sec.goto(f"{base}/system/roles/new/")
    sec.fill("input[name=code]", "community_ro")
    sec.fill("input[name=name]", "社区民警（只读）")
    sec.select_option("select[name=data_scope]", "custom")
    sec.select_option(
        "select[name=scope_organizations]",
        [str(city.station_a.pk), str(city.station_b.pk), str(station_c.pk)],
    )
    sec.get_by_role("button", name="全部展开").click()
    sec.check("input[name=permissions][value='schools.view_school']")
    submit(sec, "保存")
    role = Role.objects.get(code="community_ro")
    assert role.data_scope == "custom" and role.permissions == ["schools.view_school"]
    assert set(role.scope_organizations.values_list("code", flat=True)) == {
        "T-STA-A", "T-STA-B", "T-STA-C",
    }  # fmt: skip

    # 5. A hazard category, and 6. the rectification deadline: 15 working days.
    admin.goto(f"{base}/system/dictionaries/inspections.hazard_category/new/")
    admin.fill("input[name=code]", "food")
    admin.fill("input[name=label]", "食品安全")
    submit(admin, "保存")
    admin.goto(f"{base}/system/dictionaries/inspections.hazard_category/")
    assert "食品安全" in admin.locator("main").inner_text()
    admin.goto(f"{base}/system/parameters/NOTICE_DEFAULT_WORKDAYS/")
    admin.fill("input[name=value]", "15")
    submit(admin, "保存")
    # The next notice: a hazard of the new category, and the notice form's default deadline.
    school_a, _school_b = ischools
    hazard_services.hazard_create(
        school=school_a, source="inspection", category="food", title="食堂留样不全",
        actor=people.officer_a,
    )  # fmt: skip
    officer = new_page(browser)
    sign_in(officer, base, "officer_a")
    officer.goto(f"{base}/inspections/notices/new/?school={school_a.pk}")
    settle(officer)
    assert officer.input_value("input[name=working_days]") == "15"
    assert "食堂留样不全" in officer.locator("main").inner_text()

    # 7. Who is online; the unit administrator is forced out.
    admin.goto(f"{base}/system/sessions/")
    settle(admin)
    row = admin.locator("tr", has_text="county01")
    assert row.count() == 1
    assert "Chrome" in row.inner_text() or "其他" in row.inner_text()  # the browser, parsed
    admin.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("session-end").click()
    admin.wait_for_function("() => !document.body.innerText.includes('county01')")
    unit.goto(f"{base}/system/users/")
    assert "/login/" in unit.url

    # 8. The daily hazard sweep, now.
    admin.goto(f"{base}/system/tasks/")
    settle(admin)
    sweep = admin.locator("tr", has_text="hazard_daily_sweep")
    assert "每天 07:05" in sweep.inner_text()
    admin.once("dialog", lambda dialog: dialog.accept())
    sweep.get_by_test_id("task-run").click()
    admin.wait_for_function("() => document.body.innerText.includes('任务已执行完成')")
    assert "overdue" in admin.get_by_test_id("taskrun-result").first.inner_text()
    run = TaskRun.objects.get(name__endswith="hazard_daily_sweep", triggered_by=people.admin)
    assert run.outcome == TaskRun.Outcome.SUCCESS

    # 9. Service health: each check on one page.
    admin.goto(f"{base}/system/health/")
    settle(admin)
    assert admin.get_by_test_id("health-table").locator("tr[data-check]").count() == 6

    for p in (admin, unit, sec, officer):
        assert not [e for e in p.console_errors if "pageerror" in e], p.console_errors
