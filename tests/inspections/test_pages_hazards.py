"""The hazard pages: list, export, register, detail and every action, for every role.

officer_a (station 01) works school_a's hazards; officer_b (station 02) must get 404 on them
and never see them listed; edu_officer (bureau A) reads them but may act on nothing; chief
(school_a) starts and reports but may not re-check; guard and volunteer may not open the
pages; an anonymous visitor goes to the sign-in page.
"""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import Attachment
from huxiao.inspections import services
from huxiao.inspections.choices import HazardAction, HazardState
from huxiao.inspections.models import Hazard, HazardEvent
from tests.conftest import make_user
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def hazard(ischools, make_hazard):
    return make_hazard(ischools[0])


@pytest.fixture
def hazard_b(ischools, make_hazard, people):
    return make_hazard(ischools[1], title="乙中学围墙破损", actor=people.officer_b)


def fake_jpg(name="photo.jpg"):
    return SimpleUploadedFile(name, b"this is plain text, not a picture", content_type="image/jpeg")


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def act(client, hazard, action, **data):
    hazard.refresh_from_db()
    data.setdefault("version", hazard.version)
    return client.post(reverse("inspections:hazard_action", args=[hazard.pk, action]), data)


def history(hazard):
    return list(
        HazardEvent.objects.filter(hazard=hazard)
        .order_by("at", "id")
        .values_list("action", "actor_name")
    )


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("commander", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("officer_b", 404),
        ("guard", 403),
        ("volunteer", 403),
        ("outsider", 404),
    ],
)
def test_it_answers_each_role_on_a_hazard_page(client_for, hazard, who, status):
    response = client_for(who).get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert response.status_code == status
    if status == 200:
        assert hazard.title in response.content.decode()


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("officer_a", True),
        ("commander", True),
        ("edu_officer", True),
        ("chief", True),
        ("officer_b", False),
        ("outsider", False),
    ],
)
def test_it_lists_and_exports_only_hazards_in_scope(client_for, hazard, hazard_b, who, listed):
    client = client_for(who)
    html = client.get(reverse("inspections:hazard_list")).content.decode()
    assert (f'data-hazard="{hazard.pk}"' in html) is listed
    rows = xlsx_rows(client.get(reverse("inspections:hazard_export")))
    titles = [r[1] for r in rows[1:]]
    assert (hazard.title in titles) is listed
    if who == "officer_b":
        assert titles == [hazard_b.title]


@pytest.mark.parametrize("who", ["guard", "volunteer"])
def test_it_refuses_the_hazard_pages_to_roles_without_them(client_for, hazard, who):
    client = client_for(who)
    for url in (
        reverse("inspections:hazard_list"),
        reverse("inspections:hazard_export"),
        reverse("inspections:hazard_create"),
        reverse("inspections:hazard_detail", args=[hazard.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert act(client, hazard, "start").status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, hazard):
    for url in (
        reverse("inspections:hazard_list"),
        reverse("inspections:hazard_export"),
        reverse("inspections:hazard_create"),
        reverse("inspections:hazard_detail", args=[hazard.pk]),
        reverse("inspections:hazard_action", args=[hazard.pk, "start"]),
    ):
        response = client.get(url) if "start" not in url else client.post(url, {"version": 1})
        assert response.status_code == 302 and response.url.startswith(reverse("core:login")), url


def test_it_shows_the_education_officer_no_action_and_refuses_them_all(client_for, hazard):
    client = client_for("edu_officer")
    html = client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="action-' not in html
    for action in ("start", "report", "recheck", "deadline", "escalate"):
        assert act(client, hazard, action, measures="x", passed="1").status_code == 403, action
    hazard.refresh_from_db()
    assert hazard.state == HazardState.PENDING and hazard.version == 1


def test_it_lets_the_chief_start_and_report_but_not_recheck(client_for, hazard):
    client = client_for("chief")
    html = client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="action-start"' in html and 'data-testid="action-report"' in html
    assert 'data-testid="action-recheck"' not in html
    assert act(client, hazard, "start").status_code == 302
    assert act(client, hazard, "report", measures="已加装防冲撞桩").status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.AWAITING_RECHECK
    assert act(client, hazard, "recheck", passed="1").status_code == 403
    assert act(client, hazard, "deadline", deadline="2099-01-01", reason="x").status_code == 403
    hazard.refresh_from_db()
    assert hazard.state == HazardState.AWAITING_RECHECK


def test_it_refuses_the_police_the_school_side_actions(client_for, hazard):
    # rectify_hazard belongs to the school's own users: a police officer has no such panel.
    client = client_for("officer_a")
    html = client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="action-start"' not in html
    assert act(client, hazard, "start").status_code == 403


def test_it_answers_404_to_other_jurisdictions_and_unknown_actions(client_for, hazard):
    assert act(client_for("officer_b"), hazard, "recheck", passed="1").status_code == 404
    assert act(client_for("officer_a"), hazard, "delete").status_code == 404
    get = client_for("officer_a").get(
        reverse("inspections:hazard_action", args=[hazard.pk, "start"])
    )
    assert get.status_code == 405


# ---- the loop through the pages ----------------------------------------------------------------


def test_it_runs_the_whole_loop_through_the_pages(client_for, ischools, people, media):
    school_a, _ = ischools
    officer, chief = client_for("officer_a"), client_for("chief")

    created = officer.post(
        reverse("inspections:hazard_create"),
        {
            "school": school_a.pk,
            "source": "patrol",
            "category": "physical",
            "severity": "major",
            "title": "校门口无防冲撞设施",
            "photos": [photo("before.png")],
        },
    )
    assert created.status_code == 302
    hazard = Hazard.objects.get(title="校门口无防冲撞设施")
    assert created.url == reverse("inspections:hazard_detail", args=[hazard.pk])
    assert hazard.source == "patrol" and hazard.reported_by == people.officer_a

    detail = officer.get(created.url).content.decode()
    before = Attachment.objects.get(object_id=hazard.pk, purpose="before")
    assert reverse("core:file_download", args=[before.pk]) in detail
    notice_link = (
        f"{reverse('inspections:notice_create')}?school={school_a.pk}&amp;hazards={hazard.pk}"
    )
    assert notice_link in detail

    issued = officer.post(
        reverse("inspections:notice_create"),
        {
            "school": school_a.pk,
            "hazards": [hazard.pk],
            "working_days": 5,
            "requirements": "限期整改",
        },
    )
    assert issued.status_code == 302
    hazard.refresh_from_db()
    assert hazard.notice is not None and hazard.deadline == hazard.notice.deadline

    # The school sees it in its tasks, opens the notice (签收) and reports with a photo.
    tasks = chief.get(reverse("core:my_tasks")).content.decode()
    assert reverse("inspections:hazard_detail", args=[hazard.pk]) in tasks
    chief.get(reverse("inspections:notice_detail", args=[hazard.notice_id]))
    hazard.notice.refresh_from_db()
    assert hazard.notice.received_by == people.chief

    assert act(chief, hazard, "start", note="已联系施工队").status_code == 302
    reported = act(
        chief, hazard, "report", measures="已安装防冲撞桩4根", evidence=[photo("after.png")]
    )
    assert reported.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.AWAITING_RECHECK
    report = hazard.reports.get()
    evidence = Attachment.objects.get(object_id=report.pk, purpose="after")  # 整改后
    assert evidence.original_name == "after.png"
    assert len(stored_files(media)) == 2

    # A failed re-check sends it back with a deadline in working days, then it passes.
    failed = act(officer, hazard, "recheck", passed="0", note="桩间距过大", new_working_days=3)
    assert failed.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING and hazard.deadline > timezone.localdate()
    assert act(chief, hazard, "report", measures="已加密至1.5米间距").status_code == 302
    passed = act(officer, hazard, "recheck", passed="1", note="现场核实，整改到位")
    assert passed.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED and hazard.closed_at is not None

    assert history(hazard) == [
        (HazardAction.CREATED, "officer_a"),
        (HazardAction.NOTICE_ISSUED, "officer_a"),
        (HazardAction.STARTED, "chief"),
        (HazardAction.REPORTED, "chief"),
        (HazardAction.RECHECK_FAILED, "officer_a"),
        (HazardAction.REPORTED, "chief"),
        (HazardAction.RECHECK_PASSED, "officer_a"),
    ]
    # The history on the page: each step with its actor, time and state change.
    html = chief.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    table = html[
        html.index('id="hazard-history"') : html.index(
            "</table>", html.index('id="hazard-history"')
        )
    ]
    steps = re.findall(
        r'<tr data-action="([a-z_]+)">\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>', table
    )
    assert [(a, who) for a, _at, who in steps] == history(hazard)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", at) for _a, at, _w in steps)
    assert "待复查" in table and "已销号" in table
    assert "已安装防冲撞桩4根" in html and "桩间距过大" in html
    assert reverse("core:file_download", args=[evidence.pk]) in html
    assert 'data-testid="action-' not in html  # closed: nothing left to do
    assert chief.get(reverse("core:file_download", args=[evidence.pk])).status_code == 200


def test_it_answers_409_with_the_current_state_for_a_stale_version(client_for, hazard):
    client = client_for("chief")
    seen = hazard.version
    assert act(client, hazard, "start").status_code == 302
    response = client.post(
        reverse("inspections:hazard_action", args=[hazard.pk, "report"]),
        {"version": seen, "measures": "已整改"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "该隐患已被他人修改" in html and "请刷新页面后重新操作" in html
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING and not hazard.reports.exists()
    # The page shows the hazard as it is now, with forms carrying the current version.
    assert "整改中" in html
    assert f'name="version" value="{hazard.version}"' in html


def test_it_answers_400_for_an_illegal_transition_and_changes_nothing(client_for, hazard):
    response = act(client_for("officer_a"), hazard, "recheck", passed="1", note="直接销号")
    assert response.status_code == 400
    assert "隐患当前状态为“待整改”，不能执行“复查通过”。" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == HazardState.PENDING and hazard.version == 1
    assert not hazard.rechecks.exists()
    assert history(hazard) == [(HazardAction.CREATED, "officer_a")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"passed": "0", "note": "未整改"}, "复查不通过时必须给出新的整改期限。"),
        ({"passed": "0", "new_working_days": 5}, "复查不通过时请写明复查意见。"),
    ],
)
def test_it_refuses_a_failed_recheck_without_deadline_or_note(
    client_for, hazard, people, data, message
):
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    response = act(client_for("officer_a"), hazard, "recheck", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == HazardState.AWAITING_RECHECK


def test_it_refuses_an_empty_report_in_chinese(client_for, hazard):
    response = act(client_for("chief"), hazard, "report", measures="  ")
    assert response.status_code == 400
    assert "请填写整改措施。" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == HazardState.PENDING


def test_it_refuses_a_text_file_named_jpg_and_writes_nothing(client_for, ischools, hazard, media):
    school_a, _ = ischools
    client = client_for("officer_a")
    count = Hazard.objects.count()
    response = client.post(
        reverse("inspections:hazard_create"),
        {
            "school": school_a.pk,
            "source": "patrol",
            "category": "physical",
            "title": "假照片",
            "photos": [photo(), fake_jpg()],
        },
    )
    assert response.status_code == 400
    assert (
        "文件“photo.jpg”的类型不受支持，请上传 JPG、PNG、WebP 文件。" in response.content.decode()
    )
    assert Hazard.objects.count() == count

    chief = client_for("chief")
    report = act(chief, hazard, "report", measures="已整改", evidence=[fake_jpg("验收单.jpg")])
    assert report.status_code == 400
    assert "文件“验收单.jpg”的类型不受支持" in report.content.decode()
    photos = act(client, hazard, "photos", purpose="before", photos=[fake_jpg()])
    assert photos.status_code == 400
    hazard.refresh_from_db()
    assert hazard.state == HazardState.PENDING and not hazard.reports.exists()
    assert Attachment.objects.count() == 0 and stored_files(media) == []


# ---- registering ------------------------------------------------------------------------------


def test_it_lets_the_chief_report_a_hazard_at_the_own_school_only(client_for, ischools):
    school_a, school_b = ischools
    client = client_for("chief")
    form = client.get(reverse("inspections:hazard_create")).content.decode()
    assert 'name="source"' not in form and "学校自查" in form
    assert school_b.organization.name not in form
    data = {"category": "rules", "title": "门卫登记制度未落实", "source": "patrol"}
    refused = client.post(reverse("inspections:hazard_create"), {**data, "school": school_b.pk})
    assert refused.status_code == 400 and not Hazard.objects.filter(school=school_b).exists()
    assert (
        client.post(
            reverse("inspections:hazard_create"), {**data, "school": school_a.pk}
        ).status_code
        == 302
    )
    hazard = Hazard.objects.get(title="门卫登记制度未落实")
    assert hazard.school == school_a and hazard.source == "self_report"


def test_it_refuses_registering_to_roles_without_add_hazard(client_for, ischools):
    assert client_for("edu_officer").get(reverse("inspections:hazard_create")).status_code == 403
    response = client_for("edu_officer").post(
        reverse("inspections:hazard_create"),
        {"school": ischools[0].pk, "category": "rules", "title": "x", "source": "patrol"},
    )
    assert response.status_code == 403 and not Hazard.objects.exists()


def test_it_refuses_a_deadline_in_the_past_in_chinese(client_for, ischools):
    response = client_for("officer_a").post(
        reverse("inspections:hazard_create"),
        {
            "school": ischools[0].pk,
            "source": "tip",
            "category": "surroundings",
            "title": "校门口占道经营",
            "deadline": "2000-01-01",
        },
    )
    assert response.status_code == 400
    assert "整改期限不能早于今天。" in response.content.decode()
    assert not Hazard.objects.exists()


# ---- police actions --------------------------------------------------------------------------


def test_it_changes_the_deadline_and_records_why(client_for, hazard):
    new = timezone.localdate() + dt.timedelta(days=30)
    response = act(
        client_for("officer_a"), hazard, "deadline", deadline=new.isoformat(), reason="需采购设备"
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.deadline == new
    event = hazard.events.get(action=HazardAction.DEADLINE_CHANGED)
    assert event.note == "需采购设备" and event.actor_name == "officer_a"


def test_it_escalates_and_only_the_supervising_organisation_handles_it(client_for, city, hazard):
    officer = client_for("officer_a")
    assert act(officer, hazard, "escalate", reason="重大隐患久拖不改").status_code == 302
    hazard.refresh_from_db()
    escalation = hazard.escalations.get()
    assert hazard.is_escalated and escalation.supervisor == city.sub_bureau
    html = officer.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert escalation.number in html and 'data-testid="action-escalate"' not in html
    assert 'data-testid="action-escalation-handle"' not in html

    url = reverse("inspections:escalation_handle", args=[escalation.pk])
    refused = officer.post(url, {"note": "请抓紧"})
    assert refused.status_code == 403
    assert "只有督办单位（测试分局）的用户可以处理该督办事项。" in refused.content.decode()
    assert client_for("officer_b").post(url, {"note": "x"}).status_code == 404
    assert client_for("edu_officer").post(url, {"note": "x"}).status_code == 403

    make_user("sub_officer", city.sub_bureau, "officer")
    from django.test import Client

    sub = Client()
    sub.force_login(type(hazard.reported_by).objects.get(username="sub_officer"))
    page = sub.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="action-escalation-handle"' in page
    empty = sub.post(url, {"note": " "})
    assert empty.status_code == 400 and "请填写督办意见。" in empty.content.decode()
    assert sub.post(url, {"note": "责成甲派出所五日内督促整改到位"}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.handled_at is not None and escalation.handled_by.username == "sub_officer"
    again = sub.post(url, {"note": "再次"})
    assert again.status_code == 400 and "该督办事项已处理。" in again.content.decode()


def test_it_shows_what_the_system_did_without_a_user(client_for, ischools):
    # The daily sweep escalates without an actor; a device going offline reports without one.
    hazard = services.hazard_create(
        school=ischools[0], source="device_offline", category="technical", title="摄像机离线"
    )
    services.hazard_escalate(hazard=hazard, reason="逾期 2 次，自动挂牌督办。")
    response = client_for("officer_a").get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "发起：系统" in html and "自动挂牌督办" in html
    assert [who for _a, who in history(hazard)] == ["系统", "系统"]


def test_it_adds_photos_to_an_open_hazard(client_for, hazard, media):
    response = act(
        client_for("chief"),
        hazard,
        "photos",
        purpose="after",
        photos=[photo("a.png"), photo("b.png")],
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(object_id=hazard.pk, purpose="after").count() == 2
    html = (
        client_for("officer_a")
        .get(reverse("inspections:hazard_detail", args=[hazard.pk]))
        .content.decode()
    )
    assert html.count('class="hx-thumb"') == 2


# ---- list filters and export -------------------------------------------------------------------


def test_it_filters_the_list_and_exports_the_same_rows(client_for, ischools, make_hazard, people):
    school_a, _ = ischools
    today = timezone.localdate()
    late = make_hazard(school_a, title="逾期隐患")
    Hazard.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=3))
    major = make_hazard(
        school_a, title="重大隐患", severity="major", deadline=today + dt.timedelta(days=20)
    )
    services.hazard_escalate(hazard=major, reason="重大", actor=people.officer_a)
    make_hazard(school_a, title="普通隐患", deadline=today + dt.timedelta(days=5))
    client = client_for("officer_a")

    def listed(query):
        html = client.get(reverse("inspections:hazard_list") + query).content.decode()
        return sorted(re.findall(r'data-hazard="(\d+)"', html))

    assert listed("?overdue=1") == [str(late.pk)]
    assert str(late.pk) not in listed("?overdue=0")
    assert listed("?escalated=1") == [str(major.pk)]
    assert listed("?severity=major") == [str(major.pk)]
    assert listed("?q=普通") == [str(Hazard.objects.get(title="普通隐患").pk)]
    before = (today + dt.timedelta(days=6)).isoformat()
    assert len(listed(f"?deadline_before={before}")) == 2
    assert listed(f"?school={ischools[1].pk}") == []  # outside the scope: shows nothing

    html = client.get(reverse("inspections:hazard_list") + "?overdue=1").content.decode()
    assert 'class="hx-row-overdue"' in html and "text-danger fw-semibold" in html

    rows = xlsx_rows(client.get(reverse("inspections:hazard_export") + "?overdue=1"))
    assert rows[0][:10] == [
        "学校",
        "隐患",
        "类别",
        "等级",
        "来源",
        "状态",
        "发现日期",
        "整改期限",
        "逾期",
        "逾期次数",
    ]
    assert len(rows) == 2
    school, title, category, severity, source, state, _found, deadline, overdue = rows[1][:9]
    assert (school, title, category, severity, source, state, overdue) == (
        "甲小学",
        "逾期隐患",
        "物防",
        "一般",
        "检查发现",
        "待整改",
        "是",
    )
    assert deadline.date() == today - dt.timedelta(days=3)


def test_it_filters_by_campaign(client_for, ischools, make_inspection, people, checklist):
    school_a, _ = ischools
    today = timezone.localdate()
    campaign = services.campaign_create(
        name="春季开学大检查",
        issuer=people.officer_a.organization,
        start_date=today,
        end_date=today + dt.timedelta(days=30),
        checklist=checklist,
        targets=[school_a],
        actor=people.officer_a,
    )
    inspection = make_inspection(school_a, campaign=campaign)
    result = inspection.results.get(item__code="RF-01")
    in_campaign = services.hazard_from_result(result=result, actor=people.officer_a)
    services.hazard_create(
        school=school_a,
        source="patrol",
        category="physical",
        title="巡逻发现",
        actor=people.officer_a,
    )
    html = (
        client_for("officer_a")
        .get(reverse("inspections:hazard_list") + f"?campaign={campaign.pk}")
        .content.decode()
    )
    assert re.findall(r'data-hazard="(\d+)"', html) == [str(in_campaign.pk)]


def test_it_offers_the_station_filter_to_the_police_only(client_for, hazard):
    assert (
        'name="station"'
        in client_for("officer_a").get(reverse("inspections:hazard_list")).content.decode()
    )
    assert (
        'name="station"'
        not in client_for("chief").get(reverse("inspections:hazard_list")).content.decode()
    )


# ---- query counts and CSP ----------------------------------------------------------------------

# session, the user with its role and scope organisation, unread badge and the page's own reads
# (the files of the hazard and of its reports in one, filed by purpose: issue 14).
PINNED = {"inspections:hazard_list": 8, "inspections:hazard_detail": 9}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_60_hazards(client_for, ischools, people):
    school_a, _ = ischools

    def add(n, start):
        for i in range(start, start + n):
            h = services.hazard_create(
                school=school_a,
                source="patrol",
                category="physical",
                title=f"隐患{i:03d}",
                actor=people.officer_a,
            )
            if i % 2:
                services.notice_issue(
                    school=school_a, hazards=[h], working_days=5, actor=people.officer_a
                )

    add(1, 0)
    client = client_for("officer_a")
    url = reverse("inspections:hazard_list")
    client.get(url)
    few = count_queries(client, url)
    add(59, 1)
    many = count_queries(client, url)
    assert few == many == PINNED["inspections:hazard_list"]


def test_it_costs_a_fixed_number_of_queries_for_a_busy_hazard(client_for, hazard, people):
    def round_trip(n):
        for i in range(n):
            services.hazard_report(
                hazard=hazard, measures=f"第{i}次", evidence=[photo()], actor=people.chief
            )
            services.hazard_recheck(
                hazard=hazard,
                passed=False,
                note="不到位",
                new_working_days=3,
                actor=people.officer_a,
            )

    client = client_for("officer_a")
    url = reverse("inspections:hazard_detail", args=[hazard.pk])
    round_trip(1)
    client.get(url)
    few = count_queries(client, url)
    services.hazard_add_photos(
        hazard=hazard, uploads=[photo(), photo("b.png")], actor=people.officer_a
    )
    services.hazard_escalate(hazard=hazard, reason="屡改不到位", actor=people.officer_a)
    round_trip(3)
    many = count_queries(client, url)
    assert few == many == PINNED["inspections:hazard_detail"]


def test_it_renders_every_hazard_page_without_inline_script_or_style(client_for, hazard, people):
    services.hazard_report(hazard=hazard, measures="已整改", evidence=[photo()], actor=people.chief)
    urls = [
        reverse("inspections:hazard_list"),
        reverse("inspections:hazard_list") + "?overdue=1&state=pending",
        reverse("inspections:hazard_create"),
        reverse("inspections:hazard_detail", args=[hazard.pk]),
    ]
    for who in ("officer_a", "chief", "edu_officer"):
        client = client_for(who)
        for url in urls if who != "edu_officer" else urls[:2]:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert_csp_clean(response.content.decode(), url)
    refused = act(client_for("officer_a"), hazard, "recheck", passed="0")
    assert refused.status_code == 400
    assert_csp_clean(refused.content.decode(), "recheck (refused)")
