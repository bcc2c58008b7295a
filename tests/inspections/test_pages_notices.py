"""Rectification notice and 督办 pages: issue, list, export, 签收 on opening, .docx download."""

import io
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.inspections import rules, services
from huxiao.inspections.models import Hazard, RectificationNotice
from tests.conftest import make_user
from tests.core.test_pages_csp import assert_csp_clean

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def notice(ischools, make_hazard, people):
    school_a, _ = ischools
    hazards = [
        make_hazard(school_a, title="校门口无防冲撞设施"),
        make_hazard(school_a, title="监控未联网"),
    ]
    return services.notice_issue(
        school=school_a, hazards=hazards, working_days=5, actor=people.officer_a
    )


@pytest.fixture
def notice_b(ischools, make_hazard, people):
    city_b = ischools[1].organization.parent
    city_b.doc_prefix = "测乙公治"
    city_b.save(update_fields=["doc_prefix"])
    hazard = make_hazard(ischools[1], title="乙中学围墙破损", actor=people.officer_b)
    return services.notice_issue(
        school=ischools[1], hazards=[hazard], working_days=5, actor=people.officer_b
    )


@pytest.fixture
def escalation(ischools, make_hazard, people):
    hazard = make_hazard(ischools[0], severity="major", title="重大隐患")
    return services.hazard_escalate(hazard=hazard, reason="逾期未整改", actor=people.officer_a)


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def listed(client, url):
    return re.findall(r'data-(?:notice|escalation)="(\d+)"', client.get(url).content.decode())


# ---- issuing -----------------------------------------------------------------------------------


def test_it_preselects_the_hazard_and_issues_the_notice(client_for, ischools, make_hazard, people):
    school_a, _ = ischools
    first = make_hazard(school_a, title="校门口无防冲撞设施")
    second = make_hazard(school_a, title="监控未联网")
    client = client_for("officer_a")
    url = reverse("inspections:notice_create") + f"?school={school_a.pk}&hazards={first.pk}"
    form = client.get(url).content.decode()
    assert re.search(rf'<input[^>]*value="{first.pk}"[^>]*checked', form)
    assert not re.search(rf'<input[^>]*value="{second.pk}"[^>]*checked', form)
    assert 'data-testid="issue-notice"' in form
    assert f'value="{settings.NOTICE_DEFAULT_WORKDAYS}"' in form  # the default working days

    response = client.post(
        reverse("inspections:notice_create"),
        {
            "school": school_a.pk,
            "hazards": [first.pk, second.pk],
            "working_days": 5,
            "requirements": "立即整改",
        },
    )
    assert response.status_code == 302
    notice = RectificationNotice.objects.get()
    assert response.url == reverse("inspections:notice_detail", args=[notice.pk])
    assert notice.number == f"测甲公治〔{notice.year}〕1号"
    assert notice.deadline == rules.notice_deadline(timezone.localdate(), 5)
    assert (
        notice.issued_by == people.officer_a and notice.title == "关于甲小学安全隐患限期整改的通知"
    )
    assert set(notice.hazards.all()) == {first, second}

    page = client.get(response.url).content.decode()
    assert notice.number in page and f"{notice.deadline:%Y-%m-%d}" in page
    assert "甲小学" in page and "甲区教育局" in page  # 主送 and 抄送
    assert first.title in page and second.title in page
    assert 'data-testid="download-docx"' in page
    assert reverse("inspections:notice_document", args=[notice.pk]) in page
    notice.refresh_from_db()
    assert notice.received_at is None  # the police opening it is no 签收


def test_it_offers_only_open_hazards_without_a_notice(
    client_for, ischools, make_hazard, notice, people
):
    school_a, _ = ischools
    fresh = make_hazard(school_a, title="新隐患")
    waiting = make_hazard(school_a, title="待复查隐患")
    services.hazard_report(hazard=waiting, measures="已整改", actor=people.chief)
    html = (
        client_for("officer_a")
        .get(reverse("inspections:notice_create") + f"?school={school_a.pk}")
        .content.decode()
    )
    assert fresh.title in html
    assert waiting.title not in html
    for hazard in notice.hazards.all():
        assert hazard.title not in html


def test_it_refuses_a_notice_without_hazards_in_chinese(client_for, ischools):
    school_a, _ = ischools
    response = client_for("officer_a").post(
        reverse("inspections:notice_create"), {"school": school_a.pk, "working_days": 5}
    )
    assert response.status_code == 400
    assert "请至少选择一项隐患。" in response.content.decode()
    assert not RectificationNotice.objects.exists()


def test_it_refuses_a_hazard_already_on_a_notice(client_for, ischools, notice):
    school_a, _ = ischools
    taken = notice.hazards.first()
    response = client_for("officer_a").post(
        reverse("inspections:notice_create"),
        {"school": school_a.pk, "hazards": [taken.pk], "working_days": 5},
    )
    assert response.status_code == 400
    assert RectificationNotice.objects.count() == 1


def test_it_answers_404_for_a_school_outside_the_scope(client_for, ischools):
    _, school_b = ischools
    client = client_for("officer_a")
    assert (
        client.get(reverse("inspections:notice_create") + f"?school={school_b.pk}").status_code
        == 404
    )
    response = client.post(
        reverse("inspections:notice_create"), {"school": school_b.pk, "working_days": 5}
    )
    assert response.status_code == 404
    assert not RectificationNotice.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("edu_officer", 403), ("chief", 403), ("guard", 403)])
def test_it_refuses_issuing_to_roles_without_the_permission(client_for, ischools, who, status):
    assert client_for(who).get(reverse("inspections:notice_create")).status_code == status


# ---- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("commander", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("officer_b", 404),
        ("outsider", 404),
        ("guard", 403),
        ("volunteer", 403),
    ],
)
def test_it_answers_each_role_on_a_notice(client_for, notice, who, status):
    for url in (reverse("inspections:notice_detail", args=[notice.pk]),):
        assert client_for(who).get(url).status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client, notice):
    for url in (
        reverse("inspections:notice_list"),
        reverse("inspections:notice_export"),
        reverse("inspections:notice_create"),
        reverse("inspections:notice_detail", args=[notice.pk]),
        reverse("inspections:notice_document", args=[notice.pk]),
        reverse("inspections:escalation_list"),
        reverse("inspections:escalation_export"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("core:login")), url


def test_it_records_the_receipt_when_the_school_opens_the_notice(client_for, notice, people):
    assert (
        client_for("edu_officer")
        .get(reverse("inspections:notice_detail", args=[notice.pk]))
        .status_code
        == 200
    )
    notice.refresh_from_db()
    assert notice.received_at is None  # 抄送 is not 签收
    html = (
        client_for("chief")
        .get(reverse("inspections:notice_detail", args=[notice.pk]))
        .content.decode()
    )
    notice.refresh_from_db()
    assert notice.received_by == people.chief and notice.received_at is not None
    local = timezone.localtime(notice.received_at)
    assert f"{local:%Y-%m-%d %H:%M}" in html
    first = notice.received_at
    client_for("chief").get(reverse("inspections:notice_detail", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.received_at == first  # the first opening counts


def test_it_lists_and_exports_notices_in_scope(client_for, notice, notice_b):
    assert listed(client_for("officer_a"), reverse("inspections:notice_list")) == [str(notice.pk)]
    assert listed(client_for("officer_b"), reverse("inspections:notice_list")) == [str(notice_b.pk)]
    assert listed(client_for("chief"), reverse("inspections:notice_list")) == [str(notice.pk)]
    assert sorted(listed(client_for("commander"), reverse("inspections:notice_list"))) == sorted(
        [str(notice.pk), str(notice_b.pk)]
    )
    rows = xlsx_rows(client_for("officer_a").get(reverse("inspections:notice_export")))
    assert rows[0][:3] == ["发文字号", "标题", "主送学校"]
    assert [r[0] for r in rows[1:]] == [notice.number]
    assert rows[1][2:5] == ["甲小学", "甲区教育局", "甲派出所"]
    assert rows[1][8] == 2  # hazards on it
    assert AuditRecord.objects.filter(
        object_type="inspections.rectificationnotice", action="export"
    ).exists()


def test_it_filters_notices_by_receipt_year_school_and_issuer(client_for, notice, city, people):
    services.notice_receive(notice=notice, actor=people.chief)
    client = client_for("commander")
    assert listed(client, reverse("inspections:notice_list") + "?received=1") == [str(notice.pk)]
    assert listed(client, reverse("inspections:notice_list") + "?received=0") == []
    assert listed(client, reverse("inspections:notice_list") + f"?year={notice.year}") == [
        str(notice.pk)
    ]
    assert listed(client, reverse("inspections:notice_list") + f"?year={notice.year - 1}") == []
    assert listed(client, reverse("inspections:notice_list") + f"?issuer={city.station_a.pk}") == [
        str(notice.pk)
    ]
    assert listed(client, reverse("inspections:notice_list") + f"?issuer={city.station_b.pk}") == []
    assert listed(client, reverse("inspections:notice_list") + f"?school={notice.school_id}") == [
        str(notice.pk)
    ]
    # The chief filters by the station that issued, though the station is above its scope.
    chief = client_for("chief")
    assert listed(chief, reverse("inspections:notice_list") + f"?issuer={city.station_a.pk}") == [
        str(notice.pk)
    ]
    rows = xlsx_rows(client.get(reverse("inspections:notice_export") + "?received=0"))
    assert len(rows) == 1


def test_it_downloads_the_notice_as_docx(client_for, notice):
    from huxiao.inspections import documents

    client = client_for("chief")
    response = client.get(reverse("inspections:notice_document", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(documents.notice_filename(notice))}" in disposition
    assert response.content[:2] == b"PK"  # a zip container, as every .docx is
    assert AuditRecord.objects.filter(
        object_type="inspections.rectificationnotice", action="export", actor_name="chief"
    ).exists()
    assert (
        client_for("officer_b")
        .get(reverse("inspections:notice_document", args=[notice.pk]))
        .status_code
        == 404
    )
    assert (
        client_for("guard")
        .get(reverse("inspections:notice_document", args=[notice.pk]))
        .status_code
        == 403
    )


# ---- 督办 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("officer_a", True),
        ("commander", True),
        ("edu_officer", True),
        ("officer_b", False),
        ("outsider", False),
    ],
)
def test_it_lists_and_exports_escalations_in_scope(client_for, escalation, who, seen):
    client = client_for(who)
    assert (listed(client, reverse("inspections:escalation_list")) == [str(escalation.pk)]) is seen
    rows = xlsx_rows(client.get(reverse("inspections:escalation_export")))
    assert rows[0][:5] == ["督办文号", "隐患", "学校", "督办单位", "督办原因"]
    assert ([r[0] for r in rows[1:]] == [escalation.number]) is seen


@pytest.mark.parametrize("who", ["chief", "guard", "volunteer"])
def test_it_refuses_the_escalation_pages_to_roles_without_them(client_for, escalation, who):
    client = client_for(who)
    assert client.get(reverse("inspections:escalation_list")).status_code == 403
    assert client.get(reverse("inspections:escalation_export")).status_code == 403
    assert (
        client.get(reverse("inspections:escalation_document", args=[escalation.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("inspections:escalation_handle", args=[escalation.pk]), {"note": "x"}
    )
    assert response.status_code == 403


def test_it_filters_escalations_by_handling(client_for, escalation, city):
    supervisor = make_user("sub_officer", city.sub_bureau, "commander")
    services.escalation_handle(escalation=escalation, note="已督促", actor=supervisor)
    client = client_for("commander")
    assert listed(client, reverse("inspections:escalation_list") + "?handled=1") == [
        str(escalation.pk)
    ]
    assert listed(client, reverse("inspections:escalation_list") + "?handled=0") == []
    rows = xlsx_rows(client.get(reverse("inspections:escalation_export")))
    assert rows[1][7] == "是" and rows[1][9] == "已督促"


def test_it_downloads_the_escalation_as_docx(client_for, escalation):
    from huxiao.inspections import documents

    response = client_for("commander").get(
        reverse("inspections:escalation_document", args=[escalation.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    name = quote(documents.escalation_filename(escalation))
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    assert (
        client_for("officer_b")
        .get(reverse("inspections:escalation_document", args=[escalation.pk]))
        .status_code
        == 404
    )


# ---- query counts and CSP ----------------------------------------------------------------------

PINNED = {"inspections:notice_list": 7, "inspections:escalation_list": 6}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_30_notices(client_for, ischools, people):
    school_a, _ = ischools

    def add(n, start):
        for i in range(start, start + n):
            hazard = services.hazard_create(
                school=school_a,
                source="patrol",
                category="physical",
                title=f"隐患{i:03d}",
                actor=people.officer_a,
            )
            services.notice_issue(
                school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
            )
            services.hazard_escalate(hazard=hazard, reason="督办", actor=people.officer_a)

    add(1, 0)
    client = client_for("commander")
    counts = {}
    for page in PINNED:
        client.get(reverse(page))
        counts[page] = count_queries(client, reverse(page))
    add(29, 1)
    for page in PINNED:
        assert counts[page] == count_queries(client, reverse(page)) == PINNED[page], page


def test_it_renders_the_notice_pages_without_inline_script_or_style(
    client_for, notice, escalation, ischools
):
    urls = [
        reverse("inspections:notice_list"),
        reverse("inspections:notice_create"),
        reverse("inspections:notice_create") + f"?school={ischools[0].pk}",
        reverse("inspections:notice_detail", args=[notice.pk]),
        reverse("inspections:escalation_list"),
    ]
    client = client_for("officer_a")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode(), url)
    refused = client.post(
        reverse("inspections:notice_create"), {"school": ischools[0].pk, "working_days": 0}
    )
    assert refused.status_code == 400
    assert_csp_clean(refused.content.decode(), "notice (refused)")
    assert Hazard.objects.filter(notice__isnull=True).exists()
