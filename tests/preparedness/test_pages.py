"""The pages as users send them: lists by permission, records by scope (404 out of scope, like
missing), create pages storing through the services or answering 400 in Chinese with nothing
stored, filters, and exports read back."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from huxiao.core.files import attachments_of
from huxiao.preparedness.choices import DrillState
from huxiao.preparedness.models import Drill, EmergencyPlan
from tests.preparedness.conftest import today

pytestmark = pytest.mark.django_db

LISTS = ("/preparedness/plans/", "/preparedness/drills/", "/preparedness/compliance/")


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 130, 30)).save(out, "PNG")
    return SimpleUploadedFile("演练.png", out.getvalue(), content_type="image/png")


def sheet(response) -> list[tuple]:
    assert response.status_code == 200
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [r for r in rows.iter_rows(values_only=True) if any(r)]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("commander", 200),
        ("officer_a", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("guard", 403),
        ("volunteer", 403),
        ("auditor", 403),
    ],
)
def test_the_lists_answer_by_permission(world, client_for, who, status):
    client = client_for(who)
    for url in LISTS:
        assert client.get(url).status_code == status, url
        assert client.get(url + "export/").status_code == status, url


def test_a_record_out_of_scope_answers_as_a_missing_one(world, client_for):
    officer_b = client_for("officer_b")
    a, b = world["held"]["a"].pk, world["held"]["b"].pk
    assert officer_b.get(f"/preparedness/drills/{b}/").status_code == 200
    assert officer_b.get(f"/preparedness/drills/{a}/").status_code == 404
    assert officer_b.get("/preparedness/drills/999999/").status_code == 404
    plan_a = world["plan"]["a"].pk
    assert client_for("edu_officer").get(f"/preparedness/plans/{plan_a}/").status_code == 200
    assert officer_b.get(f"/preparedness/plans/{plan_a}/").status_code == 404


def test_the_police_read_but_do_not_write(world, client_for):
    officer = client_for("officer_a")
    for url in (
        "/preparedness/plans/new/",
        "/preparedness/drills/new/",
        "/preparedness/drills/bulk/",
    ):
        assert officer.get(url).status_code == 403, url
    drill = world["planned"]["a"].pk
    assert officer.post(f"/preparedness/drills/{drill}/cancel/", {"reason": "x"}).status_code == 403
    page = officer.get(f"/preparedness/drills/{drill}/").content.decode()
    assert 'data-testid="hold"' not in page and 'data-testid="cancel"' not in page


def test_the_school_records_a_plan_with_its_document(schools, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chief = client_for("chief")
    form = {
        "school": schools[0].pk,
        "kind": "fire",
        "title": "消防安全应急预案（2026年修订）",
        "version": "V2.0",
        "approved_on": (today() - dt.timedelta(days=3)).isoformat(),
        "approved_by": "校务会",
        "document": SimpleUploadedFile("预案.png", png().read(), content_type="image/png"),
    }
    response = chief.post("/preparedness/plans/new/", form)
    plan = EmergencyPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{plan.pk}/")
    assert attachments_of(plan, "plan").count() == 1
    page = chief.get(response["Location"]).content.decode()
    assert "消防安全应急预案（2026年修订）" in page and 'data-testid="review"' in page
    bad = chief.post(
        "/preparedness/plans/new/",
        {**form, "approved_on": (today() + dt.timedelta(days=1)).isoformat(), "document": ""},
    )
    assert bad.status_code == 400 and "批准日期不能晚于今天" in bad.content.decode()
    assert EmergencyPlan.objects.count() == 1
    review = chief.post(
        f"/preparedness/plans/{plan.pk}/review/",
        {"reviewed_on": today().isoformat()},
    )
    assert review.status_code == 302
    plan.refresh_from_db()
    assert plan.last_reviewed_on == today()


def test_the_bureau_plans_its_schools_drills_in_one_form(schools, client_for):
    edu = client_for("edu_officer")
    page = edu.get("/preparedness/drills/bulk/").content.decode()
    assert f'value="{schools[0].pk}"' in page and f'value="{schools[1].pk}"' not in page
    form = {
        "kind": "fire_evacuation",
        "planned_from": today().isoformat(),
        "planned_until": (today() + dt.timedelta(days=14)).isoformat(),
        "schools": [schools[0].pk],
    }
    assert edu.post("/preparedness/drills/bulk/", form).status_code == 302
    assert list(Drill.objects.values_list("school_id", flat=True)) == [schools[0].pk]
    outside = edu.post("/preparedness/drills/bulk/", {**form, "schools": [schools[1].pk]})
    assert outside.status_code == 400 and Drill.objects.count() == 1
    empty = edu.post("/preparedness/drills/bulk/", {**form, "schools": []})
    assert empty.status_code == 400 and "请至少选择一所学校" in empty.content.decode()
    assert client_for("chief").get("/preparedness/drills/bulk/").status_code == 403


def test_the_school_holds_and_cancels_its_drills(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chief = client_for("chief")
    drill = world["planned"]["a"]
    form = {
        "held_on": today().isoformat(),
        "students": "800",
        "staff": "60",
        "police": "2",
        "duration_minutes": "35",
        "evacuation_seconds": "170",
        "evaluation": "疏散有序",
        "photo": png(),
    }
    bad = chief.post(f"/preparedness/drills/{drill.pk}/hold/", {**form, "evacuation_seconds": "0"})
    assert bad.status_code == 400
    response = chief.post(f"/preparedness/drills/{drill.pk}/hold/", {**form, "photo": png()})
    assert response.status_code == 302
    drill.refresh_from_db()
    assert drill.state == DrillState.HELD and drill.met_target is True
    assert attachments_of(drill, "photo").count() == 1
    page = chief.get(f"/preparedness/drills/{drill.pk}/").content.decode()
    assert "170秒（目标180秒）" in page
    other = world["missed"]
    assert (
        chief.post(f"/preparedness/drills/{other.pk}/cancel/", {"reason": "停课"}).status_code
        == 302
    )
    other.refresh_from_db()
    assert other.state == DrillState.CANCELLED
    assert (
        chief.post(
            f"/preparedness/drills/{world['planned']['b'].pk}/cancel/", {"reason": "x"}
        ).status_code
        == 404
    )


def test_the_drill_list_filters_and_exports_the_same_rows(world, client_for):
    commander = client_for("commander")
    page = commander.get("/preparedness/drills/", {"missed": "1"}).content.decode()
    assert f'data-drill="{world["missed"].pk}"' in page
    assert f'data-drill="{world["held"]["a"].pk}"' not in page
    rows = sheet(commander.get("/preparedness/drills/export/", {"state": "held"}))
    assert rows[0][0] == "学校" and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"甲小学", "乙中学"}
    chief_rows = sheet(client_for("chief").get("/preparedness/drills/export/"))
    assert {r[0] for r in chief_rows[1:]} == {"甲小学"}
    plans = sheet(
        commander.get("/preparedness/plans/export/", {"school": world["plan"]["b"].school_id})
    )
    assert len(plans) == 2 and plans[1][0] == "乙中学"
    # a school outside the user's scope is a bad filter: nothing shown, never everything
    none = sheet(
        client_for("chief").get(
            "/preparedness/drills/export/", {"school": world["plan"]["b"].school_id}
        )
    )
    assert len(none) == 1


def test_compliance_reads_held_drills_against_the_required(world, client_for):
    commander = client_for("commander")
    start = today().replace(day=1)
    query = {"date_from": start.isoformat(), "date_to": today().isoformat()}
    page = commander.get("/preparedness/compliance/", query)
    assert page.status_code == 200
    rows = sheet(commander.get("/preparedness/compliance/export/", query))
    assert rows[0] == ("学校", "学段", "已举行演练", "应举行演练", "达标")
    assert {r[0]: r[2] for r in rows[1:]} == {"甲小学": 1, "乙中学": 1}
    undrilled = sheet(commander.get("/preparedness/compliance/export/", {**query, "drilled": "0"}))
    assert len(undrilled) == 1


def test_writes_on_records_out_of_scope_answer_as_missing(world, client_for):
    """school_a's chief at school_b's records, the education officer of bureau A likewise:
    every write answers 404, exactly as for a missing id, and changes nothing."""
    chief = client_for("chief")
    plan_b, drill_b = world["plan"]["b"].pk, world["planned"]["b"].pk
    for url, body in (
        (f"/preparedness/plans/{plan_b}/review/", {"reviewed_on": today().isoformat()}),
        (
            f"/preparedness/drills/{drill_b}/hold/",
            {"held_on": today().isoformat(), "students": "5"},
        ),
        (f"/preparedness/drills/{drill_b}/cancel/", {"reason": "x"}),
        ("/preparedness/plans/999999/review/", {"reviewed_on": today().isoformat()}),
        ("/preparedness/drills/999999/hold/", {"held_on": today().isoformat()}),
        ("/preparedness/drills/999999/cancel/", {"reason": "x"}),
    ):
        assert chief.post(url, body).status_code == 404, url
    edu = client_for("edu_officer")
    assert edu.post(f"/preparedness/drills/{drill_b}/cancel/", {"reason": "x"}).status_code == 404
    assert edu.post(f"/preparedness/drills/{world['held']['a'].pk}/hold/", {}).status_code == 403
    a = world["planned"]["a"].pk
    assert edu.post(f"/preparedness/drills/{a}/cancel/", {"reason": "统一改期"}).status_code == 302
    assert Drill.objects.get(pk=drill_b).state == DrillState.PLANNED
    assert Drill.objects.get(pk=a).state == DrillState.CANCELLED
