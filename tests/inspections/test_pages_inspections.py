"""Inspection pages: the list and its export, starting an inspection, recording and finishing
it, and one step from a failed item to a hazard (with photos).

Alice (officer_a) inspects school 01; Bob (officer_b, another station) must get 404 on it;
the education officer over school 01 reads it but may not start or record one; the school's
security chief reads it too, and may not start one either.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import Attachment
from huxiao.inspections import services
from huxiao.inspections.choices import InspectionStatus, ItemResult, PhotoPurpose
from huxiao.inspections.models import Hazard, Inspection

from .conftest import photo

TODAY = timezone.localdate()


@pytest.fixture
def campaign(ischools, people, checklist, city):
    return services.campaign_create(
        name="春季开学安全大检查",
        issuer=city.city,
        start_date=TODAY - dt.timedelta(days=10),
        end_date=TODAY + dt.timedelta(days=10),
        checklist=checklist,
        targets=list(ischools),
        actor=people.commander,
    )


@pytest.fixture
def draft(ischools, people, checklist):
    """An inspection of school 01 just started by officer_a: no result yet."""
    return services.inspection_start(
        school=ischools[0],
        date=TODAY,
        inspectors=[people.officer_a],
        checklist=checklist,
        actor=people.officer_a,
    )


def detail(inspection):
    return reverse("inspections:inspection_detail", args=[inspection.pk])


def all_results(inspection, value=ItemResult.PASS, **overrides):
    """The POST body of the results form: every item ``value`` unless overridden by code."""
    data = {}
    for row in inspection.results.select_related("item"):
        data[f"result-{row.pk}"] = overrides.get(row.item.code, value)
        data[f"note-{row.pk}"] = "现场未配齐" if row.item.code in overrides else ""
    return data


# ---- access ----------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(client, draft):
    result = draft.results.first()
    for target in [
        reverse("inspections:inspection_list"),
        reverse("inspections:inspection_export"),
        reverse("inspections:inspection_create"),
        detail(draft),
    ]:
        response = client.get(target)
        assert response.status_code == 302, target
        assert response.url == f"{reverse('core:login')}?next={target}"
    hazard_url = reverse("inspections:inspection_result_hazard", args=[draft.pk, result.pk])
    response = client.post(hazard_url, {"title": "x", "severity": "ordinary"})
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))
    response = client.post(detail(draft), {f"result-{result.pk}": "pass"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.result == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("commander", 200),
        ("admin", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("officer_b", 404),
        ("outsider", 404),
        ("volunteer", 403),
        ("auditor", 403),
        ("guard", 403),
    ],
)
def test_it_shows_school_01s_inspection_to_whoever_may_see_it(client_for, draft, who, status):
    assert client_for(who).get(detail(draft)).status_code == status


def test_it_answers_404_for_a_missing_inspection_and_a_result_of_another_one(
    client_for, draft, ischools, make_inspection
):
    other = make_inspection(ischools[0])
    client = client_for("officer_a")
    assert (
        client.get(reverse("inspections:inspection_detail", args=[draft.pk + 999])).status_code
        == 404
    )
    foreign = other.results.get(item__code="RF-01")
    url = reverse("inspections:inspection_result_hazard", args=[draft.pk, foreign.pk])
    assert client.post(url, {"title": "x", "severity": "ordinary"}).status_code == 404
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("who", ["edu_officer", "chief", "guard"])
def test_it_refuses_to_start_an_inspection_without_the_permission(
    client_for, ischools, checklist, people, who
):
    client = client_for(who)
    assert client.get(reverse("inspections:inspection_create")).status_code == 403
    data = {
        "school": ischools[0].pk,
        "date": TODAY.isoformat(),
        "checklist": checklist.pk,
        "inspectors": [people.officer_a.pk],
    }
    assert client.post(reverse("inspections:inspection_create"), data).status_code == 403
    assert not Inspection.objects.exists()


def test_it_shows_the_education_officer_a_read_only_page(client_for, draft):
    response = client_for("edu_officer").get(detail(draft))
    html = response.content.decode()
    assert response.context["editable"] is False
    assert 'data-testid="inspection-form"' not in html
    assert 'type="radio"' not in html
    row = draft.results.first()
    response = client_for("edu_officer").post(detail(draft), {f"result-{row.pk}": "fail"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.result == ""


# ---- the list and its export -----------------------------------------------------------------


def test_it_lists_inspections_in_scope_with_their_numbers(
    client_for, ischools, make_inspection, people, campaign
):
    a, b = ischools
    make_inspection(a, fail=("RF-01", "WF-02"), campaign=campaign)
    make_inspection(b, officer=people.officer_b, fail=())

    rows = client_for("officer_a").get(reverse("inspections:inspection_list")).context["page_obj"]
    (row,) = list(rows)
    assert row.school == a and row.failed == 2 and row.person_times == 1
    assert (
        len(client_for("commander").get(reverse("inspections:inspection_list")).context["page_obj"])
        == 2
    )
    edu = client_for("edu_officer").get(reverse("inspections:inspection_list"))
    assert [i.school for i in edu.context["page_obj"]] == [a]
    assert client_for("volunteer").get(reverse("inspections:inspection_list")).status_code == 403
    assert client_for("volunteer").get(reverse("inspections:inspection_export")).status_code == 403


def test_it_filters_inspections(client_for, ischools, make_inspection, people, campaign):
    a, b = ischools
    in_campaign = make_inspection(a, campaign=campaign)
    old = make_inspection(a, date=TODAY - dt.timedelta(days=40))
    open_one = make_inspection(b, officer=people.officer_b, finish=False)
    client = client_for("commander")

    def ids(**params):
        response = client.get(reverse("inspections:inspection_list"), params)
        assert response.status_code == 200
        return {i.pk for i in response.context["page_obj"]}

    assert ids(campaign=campaign.pk) == {in_campaign.pk}
    assert ids(school=b.pk) == {open_one.pk}
    assert ids(status="draft") == {open_one.pk}
    assert ids(date_to=(TODAY - dt.timedelta(days=1)).isoformat()) == {old.pk}
    assert ids(date_from=TODAY.isoformat()) == {in_campaign.pk, open_one.pk}
    # officer_a may not name school 02: an invalid filter shows nothing.
    response = client_for("officer_a").get(reverse("inspections:inspection_list"), {"school": b.pk})
    assert list(response.context["page_obj"]) == []


def test_it_exports_the_inspections_as_a_real_xlsx(
    client_for, ischools, make_inspection, people, campaign
):
    a, b = ischools
    make_inspection(a, fail=("RF-01",), campaign=campaign)
    make_inspection(b, officer=people.officer_b)
    response = client_for("officer_a").get(reverse("inspections:inspection_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:9] == [
        "检查日期",
        "学校",
        "专项行动",
        "检查表",
        "检查民警",
        "出动警力（人次）",
        "不合格项",
        "状态",
        "完成时间",
    ]
    assert len(rows) == 2  # school 02 is not officer_a's
    assert rows[1][1] == "甲小学"
    assert rows[1][2] == "春季开学安全大检查"
    assert rows[1][4] == "officer_a"
    assert rows[1][5:8] == [1, 1, "已完成"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The shell's own (session, user, role, scope organisation, unread
# badge, session save with its savepoint) plus: the count, the page, its inspectors, the
# school and campaign choices of the filter.
PINNED_LIST = 8


def test_it_reads_the_inspection_list_in_a_fixed_number_of_queries(
    client_for, ischools, make_inspection, people, django_assert_max_num_queries
):
    a, b = ischools
    make_inspection(a)
    client = client_for("commander")
    url = reverse("inspections:inspection_list")
    client.get(url)
    few = count_queries(client, url)
    for i in range(12):
        make_inspection(b if i % 2 else a, officer=people.officer_b if i % 2 else None)
    assert count_queries(client, url) == few == PINNED_LIST
    with django_assert_max_num_queries(PINNED_LIST):
        client.get(url)


def test_it_reads_an_inspection_in_a_fixed_number_of_queries(
    client_for, ischools, make_inspection, people
):
    a, _ = ischools
    few = make_inspection(a, fail=("RF-01",))
    many = make_inspection(a, fail=("RF-01", "RF-02", "WF-01", "JF-01", "ZD-01"))
    for code in ("RF-01", "RF-02"):
        services.hazard_from_result(
            result=many.results.get(item__code=code), actor=people.officer_a
        )
    client = client_for("officer_a")
    client.get(detail(few))
    assert count_queries(client, detail(few)) == count_queries(client, detail(many))


# ---- starting an inspection ------------------------------------------------------------------


def test_it_prefills_the_start_form_from_the_campaign_page(client_for, campaign, ischools, people):
    a, _ = ischools
    response = client_for("officer_a").get(
        reverse("inspections:inspection_create"), {"campaign": campaign.pk, "school": a.pk}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["campaign"] == campaign.pk and form.initial["school"] == a.pk
    assert form.initial["date"] == TODAY
    assert form.initial["inspectors"] == [people.officer_a.pk]
    # Only visible schools and police officers are offered: officer_a's station.
    assert list(form.fields["school"].queryset) == [a]
    assert list(form.fields["inspectors"].queryset) == [people.officer_a]
    html = response.content.decode()
    assert f'<option value="{campaign.pk}" selected>' in html
    assert f'type="date" name="date" value="{TODAY.isoformat()}"' in html


def test_it_starts_an_inspection_and_opens_it(client_for, campaign, ischools, people, city):
    from tests.conftest import make_user

    partner = make_user("officer_a2", city.station_a, "officer")
    a, _ = ischools
    data = {
        "school": a.pk,
        "date": TODAY.isoformat(),
        "campaign": campaign.pk,
        "inspectors": [people.officer_a.pk, partner.pk],
    }
    response = client_for("officer_a").post(reverse("inspections:inspection_create"), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == detail(inspection)
    assert inspection.campaign == campaign and inspection.person_times == 2
    assert inspection.checklist_version == campaign.checklist.current_version
    assert inspection.results.count() == inspection.checklist_version.items.count()
    assert inspection.created_by == people.officer_a


def test_it_refuses_a_bad_start_with_chinese_messages(
    client_for, campaign, ischools, checklist, people
):
    a, b = ischools
    client = client_for("officer_a")
    base = {"school": a.pk, "date": TODAY.isoformat(), "inspectors": [people.officer_a.pk]}

    response = client.post(reverse("inspections:inspection_create"), base)
    assert response.status_code == 400
    assert "不属于专项行动的检查请选择检查表" in response.content.decode()

    tomorrow = {**base, "checklist": checklist.pk, "date": (TODAY + dt.timedelta(days=1))}
    response = client.post(reverse("inspections:inspection_create"), tomorrow)
    assert response.status_code == 400
    assert "检查日期不能晚于今天" in response.content.decode()

    outside = {**base, "campaign": campaign.pk, "date": TODAY - dt.timedelta(days=30)}
    response = client.post(reverse("inspections:inspection_create"), outside)
    assert response.status_code == 400
    assert "检查日期不在专项行动期间内" in response.content.decode()

    # Another station's school, and another station's officer, are not choices.
    for wrong in ({"school": b.pk}, {"inspectors": [people.officer_b.pk]}):
        response = client.post(
            reverse("inspections:inspection_create"), {**base, "checklist": checklist.pk, **wrong}
        )
        assert response.status_code == 400
    assert not Inspection.objects.exists()


# ---- recording and finishing -----------------------------------------------------------------


def test_it_gives_the_results_form_stable_names_for_a_browser(client_for, draft):
    html = client_for("officer_a").get(detail(draft)).content.decode()
    row = draft.results.get(item__code="RF-01")
    assert f'data-code="RF-01" data-result-id="{row.pk}"' in html
    for value in ("pass", "fail", "na"):
        assert f'name="result-{row.pk}" id="result-{row.pk}-{value}" value="{value}"' in html
        assert f'data-testid="result-RF-01-{value}"' in html
    assert f'name="note-{row.pk}"' in html
    assert 'data-testid="inspection-save"' in html and 'data-testid="inspection-finish"' in html


def test_it_saves_results_and_shows_them_again(client_for, draft):
    client = client_for("officer_a")
    rf01 = draft.results.get(item__code="RF-01")
    wf01 = draft.results.get(item__code="WF-01")
    data = {
        f"result-{rf01.pk}": "fail",
        f"note-{rf01.pk}": "只有1名保安",
        f"result-{wf01.pk}": "pass",
        "action": "save",
    }
    response = client.post(detail(draft), data)
    assert response.status_code == 302 and response.url == detail(draft)
    rf01.refresh_from_db()
    wf01.refresh_from_db()
    assert (rf01.result, rf01.note, wf01.result) == ("fail", "只有1名保安", "pass")
    draft.refresh_from_db()
    assert draft.status == InspectionStatus.DRAFT

    html = client.get(detail(draft)).content.decode()
    assert f'id="result-{rf01.pk}-fail" value="fail" checked' in html
    assert 'value="只有1名保安"' in html
    # The failed item now offers its hazard form below the results.
    assert 'data-testid="create-hazard-RF-01"' in html
    assert 'enctype="multipart/form-data"' in html


def test_it_refuses_to_finish_with_items_left_and_keeps_what_was_entered(client_for, draft):
    client = client_for("officer_a")
    rf01 = draft.results.get(item__code="RF-01")
    data = {f"result-{rf01.pk}": "pass", "action": "finish", "summary": "检查完毕"}
    response = client.post(detail(draft), data)
    assert response.status_code == 400
    assert "没有结果" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == InspectionStatus.DRAFT
    rf01.refresh_from_db()
    assert rf01.result == "pass"  # saved on the way
    assert "检查完毕" in response.content.decode()  # the summary is still in the form


def test_it_refuses_a_bad_result_value_with_a_message(client_for, draft):
    rf01 = draft.results.get(item__code="RF-01")
    response = client_for("officer_a").post(detail(draft), {f"result-{rf01.pk}": "maybe"})
    assert response.status_code == 400
    assert "RF-01：结果“maybe”不正确" in response.content.decode()
    rf01.refresh_from_db()
    assert rf01.result == ""


def test_it_finishes_an_inspection_and_then_shows_it_read_only(client_for, draft):
    client = client_for("officer_a")
    data = {**all_results(draft, **{"RF-01": "fail", "ZD-05": "na"}), "action": "finish"}
    data["summary"] = "总体良好，保安力量不足"
    response = client.post(detail(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == InspectionStatus.FINISHED and draft.finished_at is not None
    assert draft.summary == "总体良好，保安力量不足"

    page = client.get(detail(draft))
    html = page.content.decode()
    assert page.context["editable"] is False
    assert 'type="radio" name="result-' not in html
    assert page.context["counts"] == {"pass": draft.results.count() - 2, "fail": 1, "na": 1}
    # Still one step to a hazard from the failed item.
    assert 'data-testid="create-hazard-RF-01"' in html

    again = client.post(detail(draft), {**all_results(draft), "action": "save"})
    assert again.status_code == 400
    assert "检查已完成，结果不能再修改" in again.content.decode()
    assert draft.results.filter(result="fail").count() == 1


# ---- a failed item → a hazard ----------------------------------------------------------------


def failed(inspection, code="RF-01"):
    return inspection.results.select_related("item").get(item__code=code)


def hazard_url(inspection, result):
    return reverse("inspections:inspection_result_hazard", args=[inspection.pk, result.pk])


def test_it_registers_a_hazard_from_a_failed_item_with_photos(
    client_for, ischools, make_inspection, people
):
    inspection = make_inspection(ischools[0], fail=("RF-01",))
    result = failed(inspection)
    page = client_for("officer_a").get(detail(inspection))
    form = next(r for r in page.context["failed_rows"] if r.pk == result.pk).hazard_form
    assert form.initial == {"title": result.item.text, "description": "不符合要求"}

    data = {
        "severity": "major",
        "title": "保安力量不足",
        "description": "应配2名，实有1名",
        "deadline": (TODAY + dt.timedelta(days=15)).isoformat(),
        "photos": [photo("gate1.png"), photo("gate2.png")],
    }
    response = client_for("officer_a").post(hazard_url(inspection, result), data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inspections:hazard_detail", args=[hazard.pk])
    assert hazard.inspection_result == result and hazard.school == ischools[0]
    assert (hazard.severity, hazard.title, hazard.category) == (
        "major",
        "保安力量不足",
        "personnel",
    )
    assert hazard.deadline == TODAY + dt.timedelta(days=15)
    assert hazard.reported_by == people.officer_a
    photos = Attachment.objects.filter(object_id=hazard.pk, purpose=PhotoPurpose.BEFORE)
    assert sorted(photos.values_list("original_name", flat=True)) == ["gate1.png", "gate2.png"]
    assert all(p.file.size > 0 for p in photos)

    # Now the item links to its hazard instead of offering the form again.
    html = client_for("officer_a").get(detail(inspection)).content.decode()
    assert f'href="{reverse("inspections:hazard_detail", args=[hazard.pk])}"' in html
    assert 'data-testid="hazard-link-RF-01"' in html
    assert 'data-testid="create-hazard-RF-01"' not in html
    # The education officer sees the link too, but no form.
    edu = client_for("edu_officer").get(detail(inspection)).content.decode()
    assert 'data-testid="hazard-link-RF-01"' in edu


def test_it_refuses_a_photo_that_is_not_an_image_and_writes_nothing(
    client_for, ischools, make_inspection
):
    inspection = make_inspection(ischools[0])
    result = failed(inspection)
    fake = SimpleUploadedFile("gate.png", b"MZ\x90\x00 not an image", content_type="image/png")
    data = {"severity": "ordinary", "title": "保安力量不足", "photos": [photo(), fake]}
    response = client_for("officer_a").post(hazard_url(inspection, result), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件“gate.png”的类型不受支持，请上传 JPG、PNG、WebP 文件。" in html
    assert not Hazard.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_a_pdf_as_a_hazard_photo(client_for, ischools, make_inspection):
    inspection = make_inspection(ischools[0])
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    response = client_for("officer_a").post(
        hazard_url(inspection, failed(inspection)),
        {"severity": "ordinary", "title": "x", "photos": [pdf]},
    )
    assert response.status_code == 400
    assert "类型不受支持" in response.content.decode()
    assert not Hazard.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_a_second_hazard_and_a_passed_item(
    client_for, ischools, make_inspection, people
):
    inspection = make_inspection(ischools[0], fail=("RF-01",))
    result = failed(inspection)
    services.hazard_from_result(result=result, actor=people.officer_a)
    client = client_for("officer_a")
    response = client.post(hazard_url(inspection, result), {"severity": "ordinary", "title": "x"})
    assert response.status_code == 400
    assert "该检查项已登记隐患" in response.content.decode()

    passed = failed(inspection, "WF-01")
    response = client.post(hazard_url(inspection, passed), {"severity": "ordinary", "title": "x"})
    assert response.status_code == 400
    assert "只有“不合格”的检查项才能登记为隐患" in response.content.decode()
    assert Hazard.objects.count() == 1


def test_it_refuses_a_past_deadline(client_for, ischools, make_inspection):
    inspection = make_inspection(ischools[0])
    data = {
        "severity": "ordinary",
        "title": "x",
        "deadline": (TODAY - dt.timedelta(days=1)).isoformat(),
    }
    response = client_for("officer_a").post(hazard_url(inspection, failed(inspection)), data)
    assert response.status_code == 400
    assert "整改期限不能早于今天" in response.content.decode()
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("officer_b", 404), ("edu_officer", 403), ("chief", 403)]
)
def test_it_lets_only_the_inspecting_side_register_a_hazard(
    client_for, ischools, make_inspection, who, status
):
    inspection = make_inspection(ischools[0])
    data = {"severity": "ordinary", "title": "保安力量不足", "photos": [photo()]}
    response = client_for(who).post(hazard_url(inspection, failed(inspection)), data)
    assert response.status_code == status
    assert not Hazard.objects.exists() and not Attachment.objects.exists()
    if who == "chief":
        html = client_for("chief").get(detail(inspection)).content.decode()
        assert 'data-testid="create-hazard-RF-01"' not in html


def test_it_answers_get_on_the_hazard_endpoint_with_405(client_for, ischools, make_inspection):
    inspection = make_inspection(ischools[0])
    response = client_for("officer_a").get(hazard_url(inspection, failed(inspection)))
    assert response.status_code == 405


def test_it_renders_every_page_without_inline_script_or_style(
    client_for, campaign, ischools, make_inspection, checklist
):
    from tests.core.test_pages_csp import assert_csp_clean

    a, _ = ischools
    open_one = make_inspection(a, campaign=campaign, finish=False)
    finished = make_inspection(a, campaign=campaign)
    urls = [
        reverse("inspections:campaign_list"),
        reverse("inspections:campaign_create"),
        reverse("inspections:campaign_detail", args=[campaign.pk]),
        reverse("inspections:campaign_edit", args=[campaign.pk]),
        reverse("inspections:checklist_list"),
        reverse("inspections:checklist_create"),
        reverse("inspections:checklist_detail", args=[checklist.pk]),
        reverse("inspections:checklist_edit", args=[checklist.pk]),
        reverse("inspections:inspection_list"),
        reverse("inspections:inspection_create"),
        detail(open_one),
        detail(finished),
    ]
    client = client_for("commander")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode(), url)
