"""The roll-up page and its export: scope, permission, links to the schools behind each number."""

import io

import openpyxl


def test_anonymous_goes_to_login(client, schools):
    response = client.get("/schools/compliance/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_the_four_100_rates_with_links_to_failing_schools(client_for, schools, city):
    response = client_for("commander").get(f"/schools/compliance/?org={city.sub_bureau.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "专职保安员配备达标" in body and "50%" in body
    assert f"/schools/?org={city.sub_bureau.pk}&amp;failing=staffing" in body
    assert "甲派出所" in body and "乙派出所" in body


def test_it_defaults_to_the_users_own_organisation(client_for, schools):
    body = client_for("officer_a").get("/schools/compliance/").content.decode()
    assert "合规汇总：甲派出所" in body


def test_out_of_scope_or_missing_organisation_is_404(client_for, schools, city):
    client = client_for("officer_a")
    assert client.get(f"/schools/compliance/?org={city.station_b.pk}").status_code == 404
    assert client.get("/schools/compliance/?org=999999").status_code == 404
    assert client.get("/schools/compliance/?org=abc").status_code == 404


def test_roles_without_school_access_get_403(client_for, schools):
    assert client_for("auditor").get("/schools/compliance/").status_code == 403
    assert client_for("volunteer").get("/schools/compliance/").status_code == 403


def test_the_export_has_a_row_per_child_and_is_audited(client_for, schools, city):
    from huxiao.core.models import AuditRecord

    response = client_for("commander").get(f"/schools/compliance/export/?org={city.sub_bureau.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [r[0] for r in rows]
    assert "测试分局" in names and "甲派出所" in names and "乙派出所" in names
    assert AuditRecord.objects.filter(
        object_type="schools.compliance_summary", action="export"
    ).exists()


def test_the_school_list_links_to_the_roll_up_and_the_import(client_for, schools):
    body = client_for("officer_a").get("/schools/").content.decode()
    assert 'href="/schools/compliance/"' in body and 'href="/schools/import/"' in body
    guard_body = client_for("guard").get("/schools/").content.decode()
    assert 'href="/schools/import/"' not in guard_body


def test_a_schools_own_staff_get_the_roll_up_of_their_school(client_for, schools, city, people):
    # The school is the node itself: no child path segment (this was a server error).
    from huxiao.schools.compliance import summary

    response = client_for("chief").get("/schools/compliance/")
    assert response.status_code == 200 and "合规汇总：甲小学" in response.content.decode()
    rollup = summary(user=people.chief, org=city.school_a)
    assert rollup.total.schools == 1
    assert [row.organization_id for row in rollup.children] == [city.school_a.pk]
