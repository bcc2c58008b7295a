"""Campaign and checklist pages: who may open them, what they count, what they write.

Alice (officer_a, station 01) works on school 01, Bob (officer_b, station 02) on school 02;
the city bureau's campaign targets both. The education officer and the school's security
chief read; volunteers and auditors see no inspection page; the outsider (a security
company) sees no campaign.
"""

import datetime as dt
import io

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.inspections import selectors, services
from huxiao.inspections.choices import HazardState, InspectionStatus
from huxiao.inspections.models import Campaign, ChecklistTemplate, ChecklistVersion, Inspection
from huxiao.inspections.views_campaigns import campaign_rows

TODAY = timezone.localdate()


@pytest.fixture
def campaign(ischools, people, checklist, city):
    a, b = ischools
    return services.campaign_create(
        name="2026年春季开学安全大检查",
        issuer=city.city,
        start_date=TODAY - dt.timedelta(days=10),
        end_date=TODAY + dt.timedelta(days=20),
        checklist=checklist,
        targets=[a, b],
        actor=people.commander,
    )


def station_campaign(people, city, checklist, targets, name="甲所专项检查"):
    return services.campaign_create(
        name=name,
        issuer=city.station_a,
        start_date=TODAY - dt.timedelta(days=3),
        end_date=TODAY + dt.timedelta(days=3),
        checklist=checklist,
        targets=targets,
        actor=people.officer_a,
    )


def rows_of(response):
    return list(response.context["page_obj"].object_list)


# ---- access ----------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login_page(client, campaign, checklist):
    for target in [
        reverse("inspections:campaign_list"),
        reverse("inspections:campaign_export"),
        reverse("inspections:campaign_create"),
        reverse("inspections:campaign_detail", args=[campaign.pk]),
        reverse("inspections:campaign_edit", args=[campaign.pk]),
        reverse("inspections:checklist_list"),
        reverse("inspections:checklist_create"),
        reverse("inspections:checklist_detail", args=[checklist.pk]),
        reverse("inspections:checklist_edit", args=[checklist.pk]),
    ]:
        response = client.get(target)
        assert response.status_code == 302, target
        assert response.url == f"{reverse('core:login')}?next={target}"


@pytest.mark.parametrize(
    ("who", "status", "rows"),
    [
        ("admin", 200, 1),
        ("commander", 200, 1),
        ("officer_a", 200, 1),
        ("officer_b", 200, 1),
        ("edu_officer", 200, 1),
        ("chief", 200, 1),
        ("outsider", 200, 0),
        ("volunteer", 403, None),
        ("auditor", 403, None),
        ("guard", 403, None),
    ],
)
def test_it_lists_the_campaigns_each_role_may_see(client_for, campaign, who, status, rows):
    response = client_for(who).get(reverse("inspections:campaign_list"))
    assert response.status_code == status
    if rows is not None:
        assert len(rows_of(response)) == rows
    export = client_for(who).get(reverse("inspections:campaign_export"))
    assert export.status_code == status


def test_it_answers_404_for_a_campaign_out_of_scope(client_for, people, city, checklist, ischools):
    a, _ = ischools
    mine = station_campaign(people, city, checklist, [a])
    assert (
        client_for("officer_a")
        .get(reverse("inspections:campaign_detail", args=[mine.pk]))
        .status_code
        == 200
    )
    assert (
        client_for("edu_officer")
        .get(reverse("inspections:campaign_detail", args=[mine.pk]))
        .status_code
        == 200
    )
    for who in ("officer_b", "outsider"):
        assert (
            client_for(who).get(reverse("inspections:campaign_detail", args=[mine.pk])).status_code
            == 404
        )
        assert (
            client_for(who).get(reverse("inspections:campaign_edit", args=[mine.pk])).status_code
            == 404
        )
    missing = reverse("inspections:campaign_detail", args=[mine.pk + 1000])
    assert client_for("officer_a").get(missing).status_code == 404


@pytest.mark.parametrize("who", ["edu_officer", "chief", "guard", "volunteer"])
def test_it_refuses_campaign_forms_to_roles_without_the_permission(client_for, campaign, who):
    assert client_for(who).get(reverse("inspections:campaign_create")).status_code == 403
    assert (
        client_for(who).post(reverse("inspections:campaign_create"), {"name": "x"}).status_code
        == 403
    )
    assert (
        client_for(who).get(reverse("inspections:campaign_edit", args=[campaign.pk])).status_code
        == 403
    )
    assert Campaign.objects.count() == 1


def test_it_lets_a_station_read_but_not_rewrite_the_city_campaign(client_for, campaign):
    officer = client_for("officer_a")
    assert (
        officer.get(reverse("inspections:campaign_detail", args=[campaign.pk])).status_code == 200
    )
    assert officer.get(reverse("inspections:campaign_edit", args=[campaign.pk])).status_code == 403
    response = officer.post(
        reverse("inspections:campaign_edit", args=[campaign.pk]), {"name": "改名"}
    )
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "2026年春季开学安全大检查"
    detail = officer.get(reverse("inspections:campaign_detail", args=[campaign.pk]))
    assert reverse("inspections:campaign_edit", args=[campaign.pk]) not in detail.content.decode()


# ---- counts ----------------------------------------------------------------------------------


def test_it_counts_targets_inspections_and_person_times_within_the_users_scope(
    client_for, campaign, ischools, make_inspection, people
):
    a, b = ischools
    make_inspection(a, campaign=campaign)
    make_inspection(a, campaign=campaign)  # a second visit: still one school
    make_inspection(b, campaign=campaign, officer=people.officer_b, finish=False)  # a draft

    (row,) = rows_of(client_for("commander").get(reverse("inspections:campaign_list")))
    assert (row.target_count, row.inspected_count, row.person_times) == (2, 1, 2)
    assert row.coverage == "50%"

    (row,) = rows_of(client_for("officer_b").get(reverse("inspections:campaign_list")))
    assert (row.target_count, row.inspected_count, row.person_times) == (1, 0, 0)
    assert row.coverage == "0%"


def test_it_filters_campaigns_by_name_status_and_issuer(
    client_for, campaign, people, city, checklist, ischools
):
    a, _ = ischools
    services.campaign_create(
        name="暑期前安全检查",
        issuer=city.city,
        start_date=TODAY + dt.timedelta(days=30),
        end_date=TODAY + dt.timedelta(days=40),
        checklist=checklist,
        targets=[a],
        actor=people.commander,
    )
    services.campaign_create(
        name="寒假安全检查",
        issuer=city.station_a,
        start_date=TODAY - dt.timedelta(days=40),
        end_date=TODAY - dt.timedelta(days=30),
        checklist=checklist,
        targets=[a],
        actor=people.officer_a,
    )
    client = client_for("officer_a")

    def names(**params):
        response = client.get(reverse("inspections:campaign_list"), params)
        assert response.status_code == 200
        return sorted(c.name for c in rows_of(response))

    assert names(status="ongoing") == ["2026年春季开学安全大检查"]
    assert names(status="upcoming") == ["暑期前安全检查"]
    assert names(status="finished") == ["寒假安全检查"]
    assert names(q="暑期") == ["暑期前安全检查"]
    assert names(issuer=city.station_a.pk) == ["寒假安全检查"]
    # The city bureau is not in officer_a's organisation tree, but it issued a campaign they see.
    assert names(issuer=city.city.pk) == ["2026年春季开学安全大检查", "暑期前安全检查"]
    # An issuer of no visible campaign is not a valid choice: nothing, never everything.
    assert names(issuer=city.station_b.pk) == []


def test_it_exports_the_same_rows_as_a_real_xlsx(client_for, campaign, ischools, make_inspection):
    a, _ = ischools
    make_inspection(a, campaign=campaign)
    response = client_for("commander").get(
        reverse("inspections:campaign_export"), {"status": "ongoing"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "名称",
        "发起单位",
        "期间",
        "状态",
        "检查表",
        "目标学校数",
        "已检查学校数",
        "覆盖率",
        "出动警力人次",
    ]
    assert rows[1][0] == "2026年春季开学安全大检查"
    assert rows[1][1] == "测试市公安局"
    assert rows[1][3] == "进行中"
    assert rows[1][5:] == [2, 1, "50%", 1]
    assert len(rows) == 2


def test_it_reads_the_campaign_list_in_a_fixed_number_of_queries(
    client_for, campaign, ischools, checklist, city, people, django_assert_max_num_queries
):
    client = client_for("officer_a")
    url = reverse("inspections:campaign_list")
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(30):
        services.campaign_create(
            name=f"专项{i}",
            issuer=city.city,
            start_date=TODAY,
            end_date=TODAY,
            checklist=checklist,
            targets=list(ischools),
            actor=people.commander,
        )
    # The shell's own eight (session, user, role, scope organisation,
    # unread badge, the session save between a savepoint pair) plus the count, the page of
    # rows with every number as a subquery, and the issuer choices of the filter.
    assert count() == few == 6
    with django_assert_max_num_queries(11):
        client.get(url)


# ---- the progress page -----------------------------------------------------------------------


def test_it_shows_progress_numbers_equal_to_a_direct_count(
    client_for, campaign, ischools, make_inspection, people
):
    a, b = ischools
    first = make_inspection(a, campaign=campaign, fail=("RF-01", "WF-03"))
    make_inspection(b, campaign=campaign, officer=people.officer_b, fail=())
    make_inspection(b, campaign=campaign, officer=people.officer_b, finish=False)
    for code in ("RF-01", "WF-03"):
        services.hazard_from_result(
            result=first.results.get(item__code=code), actor=people.officer_a
        )
    hazard = first.results.get(item__code="WF-03").hazard
    services.hazard_start(hazard=hazard, actor=people.chief)

    response = client_for("commander").get(
        reverse("inspections:campaign_detail", args=[campaign.pk])
    )
    assert response.status_code == 200
    progress = response.context["progress"]
    finished = Inspection.objects.filter(campaign=campaign, status=InspectionStatus.FINISHED)
    assert progress["targets"] == campaign.targets.count() == 2
    assert progress["inspected"] == finished.values("school").distinct().count() == 2
    assert progress["person_times"] == finished.aggregate(n=Sum("person_times"))["n"] == 2
    assert progress["hazards_by_state"][HazardState.PENDING] == 1
    assert progress["hazards_by_state"][HazardState.RECTIFYING] == 1
    assert response.context["coverage"] == "100%"

    html = response.content.decode()
    assert 'data-testid="coverage">100%<' in html
    assert 'data-testid="person-times">2<' in html
    hazards = reverse("inspections:hazard_list")
    assert f'href="{hazards}?campaign={campaign.pk}&amp;state=pending"' in html
    assert f'href="{hazards}?campaign={campaign.pk}&amp;state=rectifying"' in html


def test_it_lists_target_schools_with_their_status_and_a_start_button(
    client_for, campaign, ischools, make_inspection
):
    a, b = ischools
    make_inspection(a, campaign=campaign)

    response = client_for("commander").get(
        reverse("inspections:campaign_detail", args=[campaign.pk])
    )
    rows = {s.pk: s for s in rows_of(response)}
    assert rows[a.pk].inspected_on == TODAY and rows[b.pk].inspected_on is None
    html = response.content.decode()
    start = f"{reverse('inspections:inspection_create')}?campaign={campaign.pk}&amp;school={b.pk}"
    assert start in html
    assert f"school={a.pk}" not in html  # inspected: no start button

    pending = client_for("commander").get(
        reverse("inspections:campaign_detail", args=[campaign.pk]), {"pending": "1"}
    )
    assert [s.pk for s in rows_of(pending)] == [b.pk]

    # officer_b sees their own school only; the education officer reads without a button.
    assert [
        s.pk
        for s in rows_of(
            client_for("officer_b").get(reverse("inspections:campaign_detail", args=[campaign.pk]))
        )
    ] == [b.pk]
    edu = client_for("edu_officer").get(reverse("inspections:campaign_detail", args=[campaign.pk]))
    assert [s.pk for s in rows_of(edu)] == [a.pk]
    assert "开始检查" not in edu.content.decode()


# ---- creating and editing --------------------------------------------------------------------


def campaign_post(checklist, **overrides):
    data = {
        "name": "甲所校园周边专项检查",
        "start_date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "end_date": (TODAY + dt.timedelta(days=6)).isoformat(),
        "checklist": checklist.pk,
        "description": "重点检查校门口防冲撞设施",
    }
    data.update(overrides)
    return data


def test_it_creates_a_campaign_issued_by_the_users_organisation(
    client_for, ischools, checklist, city
):
    a, _ = ischools
    response = client_for("officer_a").post(
        reverse("inspections:campaign_create"), campaign_post(checklist, targets=[a.pk])
    )
    created = Campaign.objects.get(name="甲所校园周边专项检查")
    assert response.status_code == 302
    assert response.url == reverse("inspections:campaign_detail", args=[created.pk])
    assert created.issuer == city.station_a
    assert list(created.targets.all()) == [a]
    assert created.description == "重点检查校门口防冲撞设施"


def test_it_selects_every_school_in_scope_on_request(client_for, ischools, checklist):
    response = client_for("commander").post(
        reverse("inspections:campaign_create"), campaign_post(checklist, all_schools="on")
    )
    assert response.status_code == 302
    created = Campaign.objects.get(name="甲所校园周边专项检查")
    assert set(created.targets.all()) == set(ischools)


def test_it_refuses_a_bad_campaign_with_chinese_messages(client_for, ischools, checklist):
    a, b = ischools
    client = client_for("officer_a")
    bad_dates = campaign_post(
        checklist,
        targets=[a.pk],
        start_date=TODAY.isoformat(),
        end_date=(TODAY - dt.timedelta(days=1)).isoformat(),
    )
    response = client.post(reverse("inspections:campaign_create"), bad_dates)
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()

    response = client.post(reverse("inspections:campaign_create"), campaign_post(checklist))
    assert response.status_code == 400
    assert "请至少选择一所目标学校" in response.content.decode()

    response = client.post(reverse("inspections:campaign_create"), {})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()

    # Another station's school is not a choice.
    response = client.post(
        reverse("inspections:campaign_create"), campaign_post(checklist, targets=[b.pk])
    )
    assert response.status_code == 400
    assert Campaign.objects.count() == 0


def test_it_offers_only_visible_schools_and_active_checklists(client_for, ischools, checklist):
    a, b = ischools
    ChecklistTemplate.objects.create(name="草稿检查表（未发布）")
    response = client_for("officer_a").get(reverse("inspections:campaign_create"))
    form = response.context["form"]
    assert list(form.fields["targets"].queryset) == [a]
    assert list(form.fields["checklist"].queryset) == [checklist]


def test_it_edits_a_campaign_and_keeps_targets_outside_the_users_scope(
    client_for, people, city, checklist, ischools
):
    a, b = ischools
    mine = station_campaign(people, city, checklist, [a, b])
    data = campaign_post(checklist, name="甲所专项检查（调整）", targets=[a.pk])
    response = client_for("officer_a").post(
        reverse("inspections:campaign_edit", args=[mine.pk]), data
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "甲所专项检查（调整）"
    assert set(mine.targets.all()) == {a, b}

    page = client_for("officer_a").get(reverse("inspections:campaign_edit", args=[mine.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["name"] == "甲所专项检查（调整）"
    assert f'name="start_date" value="{mine.start_date.isoformat()}"' in page.content.decode()


def test_it_shows_the_services_refusal_on_the_edit_form(client_for, campaign, checklist, ischools):
    a, _ = ischools
    data = campaign_post(
        checklist,
        targets=[a.pk],
        start_date=TODAY.isoformat(),
        end_date=(TODAY - dt.timedelta(days=5)).isoformat(),
    )
    response = client_for("commander").post(
        reverse("inspections:campaign_edit", args=[campaign.pk]), data
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.end_date == TODAY + dt.timedelta(days=20)


# ---- checklists ------------------------------------------------------------------------------


def items_text(*lines):
    return "\n".join(lines)


def test_it_lists_checklists_with_their_current_version(
    client_for, checklist, people, django_assert_max_num_queries
):
    client = client_for("officer_a")
    url = reverse("inspections:checklist_list")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    (row,) = rows_of(response)
    assert row.current_number == 1
    assert row.item_count == checklist.current_version.items.count() > 10
    # More checklists, more versions: the same number of queries.
    for i in range(5):
        extra = services.checklist_create(
            name=f"检查表{i}", items=[{"group": "rules", "text": "x"}]
        )
        services.checklist_publish(
            template=extra, items=[{"group": "rules", "text": "x"}, {"group": "rules", "text": "y"}]
        )
    with django_assert_max_num_queries(12):
        response = client.get(url)
    rows = {t.name: t for t in rows_of(response)}
    assert (rows["检查表0"].current_number, rows["检查表0"].item_count) == (2, 2)
    assert client_for("volunteer").get(url).status_code == 403


def test_it_shows_the_items_by_group_and_the_version_history(client_for, checklist):
    response = client_for("edu_officer").get(
        reverse("inspections:checklist_detail", args=[checklist.pk])
    )
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["label"] for g in groups][:3] == ["人防", "物防", "技防"]
    assert groups[0]["rows"][0].code == "RF-01"
    html = response.content.decode()
    assert 'data-code="RF-01"' in html
    assert "已完成的检查保留其使用的版本" in html
    assert reverse("inspections:checklist_edit", args=[checklist.pk]) not in html  # read only
    url = reverse("inspections:checklist_detail", args=[checklist.pk])
    assert client_for("edu_officer").get(url, {"version": "9"}).status_code == 404
    assert client_for("edu_officer").get(url, {"version": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["officer_a", "edu_officer", "chief"])
def test_it_refuses_checklist_forms_without_the_permission(client_for, checklist, who):
    assert client_for(who).get(reverse("inspections:checklist_create")).status_code == 403
    assert (
        client_for(who).get(reverse("inspections:checklist_edit", args=[checklist.pk])).status_code
        == 403
    )
    post = client_for(who).post(
        reverse("inspections:checklist_edit", args=[checklist.pk]),
        {"name": "x", "items": "人防|A|x"},
    )
    assert post.status_code == 403
    assert checklist.versions.count() == 1


def test_it_creates_a_checklist_from_lines(client_for):
    data = {
        "name": "幼儿园安全检查表",
        "description": "适用于幼儿园",
        "items": items_text(
            "人防|YE-01|保安员持证上岗|保安员证在有效期内",
            "",
            "物防||校门设置防冲撞设施",
            "technical|YE-03|视频监控覆盖重点部位",
        ),
    }
    response = client_for("commander").post(reverse("inspections:checklist_create"), data)
    template = ChecklistTemplate.objects.get(name="幼儿园安全检查表")
    assert response.status_code == 302
    assert response.url == reverse("inspections:checklist_detail", args=[template.pk])
    items = list(template.current_version.items.order_by("order"))
    assert [(i.group, i.code, i.text, i.guidance) for i in items] == [
        ("personnel", "YE-01", "保安员持证上岗", "保安员证在有效期内"),
        ("physical", "02", "校门设置防冲撞设施", ""),
        ("technical", "YE-03", "视频监控覆盖重点部位", ""),
    ]


def test_it_names_the_line_of_every_bad_item(client_for, checklist):
    data = {
        "name": "坏检查表",
        "items": items_text(
            "人防|A-01|保安员持证上岗",
            "门卫|A-02|门卫登记",
            "物防|A-01|围墙完好",
            "只有一列",
            "技防|A-05|",
        ),
    }
    response = client_for("commander").post(reverse("inspections:checklist_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "第2行：类别“门卫”不正确" in html
    assert "第3行：编号“A-01”与第1行重复" in html
    assert "第4行：应为“类别|编号|检查内容|检查要点”" in html
    assert "第5行：检查内容不能为空" in html
    assert not ChecklistTemplate.objects.filter(name="坏检查表").exists()


def test_it_publishes_a_new_version_and_old_inspections_keep_theirs(
    client_for, checklist, ischools, make_inspection
):
    a, _ = ischools
    old = make_inspection(a)
    old_version = old.checklist_version
    client = client_for("commander")
    form = client.get(reverse("inspections:checklist_edit", args=[checklist.pk])).context["form"]
    lines = form.initial["items"].splitlines()
    assert lines[0].startswith("人防|RF-01|")
    data = {
        "name": checklist.name,
        "description": checklist.description,
        "is_active": "on",
        "items": "\n".join([*lines[1:], "周边|ZB-99|校园周边200米内无网吧"]),
        "note": "删除RF-01，增加ZB-99",
    }
    response = client.post(reverse("inspections:checklist_edit", args=[checklist.pk]), data)
    assert response.status_code == 302
    current = checklist.current_version
    assert current.number == 2 and current.note == "删除RF-01，增加ZB-99"
    assert not current.items.filter(code="RF-01").exists()
    assert current.items.filter(code="ZB-99", group="surroundings").exists()

    old.refresh_from_db()
    assert old.checklist_version == old_version
    assert old_version.items.filter(code="RF-01").exists()
    page = client.get(
        reverse("inspections:checklist_detail", args=[checklist.pk]), {"version": "1"}
    )
    assert [r.code for r in page.context["groups"][0]["rows"]][0] == "RF-01"
    assert page.context["is_current"] is False
    assert len(page.context["versions"]) == 2
    # A new inspection uses the new version.
    new = make_inspection(a, fail=())
    assert new.checklist_version == current


def test_it_saves_without_a_new_version_when_the_items_are_unchanged(client_for, checklist):
    client = client_for("commander")
    form = client.get(reverse("inspections:checklist_edit", args=[checklist.pk])).context["form"]
    data = {"name": "通用检查表（改名）", "items": form.initial["items"], "note": ""}
    response = client.post(reverse("inspections:checklist_edit", args=[checklist.pk]), data)
    assert response.status_code == 302
    checklist.refresh_from_db()
    assert checklist.name == "通用检查表（改名）"
    assert checklist.is_active is False  # the switch was left off
    assert ChecklistVersion.objects.filter(template=checklist).count() == 1


def test_it_refuses_a_duplicate_checklist_name(client_for, checklist):
    data = {"name": checklist.name, "items": "人防|A|保安"}
    response = client_for("commander").post(reverse("inspections:checklist_create"), data)
    assert response.status_code == 400
    assert "已有同名的检查表" in response.content.decode()


def test_selectors_agree_with_the_list(campaign, people):
    # The list's per-row counts and the progress page's counts are the same numbers.
    progress = selectors.campaign_progress(campaign=campaign, user=people.officer_a)
    row = campaign_rows(people.officer_a).get(pk=campaign.pk)
    assert (row.target_count, row.inspected_count, row.person_times) == (
        progress["targets"],
        progress["inspected"],
        progress["person_times"],
    )
