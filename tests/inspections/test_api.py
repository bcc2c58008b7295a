"""Inspections API: the rectification loop end to end, filters, conflicts and documents."""

import datetime as dt
import io

from django.test import Client
from django.utils import timezone

from huxiao.core import services as core_services
from huxiao.inspections import services
from huxiao.inspections.models import Hazard
from tests.conftest import make_user

from .conftest import photo

API = "/api/v1"


def post(client, path, data, method="post"):
    return getattr(client, method)(f"{API}{path}", data, content_type="application/json")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {i["id"] for i in response.json()["items"]}


def test_it_runs_the_whole_loop_through_the_api(ischools, people, client_for, checklist):
    school_a, _ = ischools
    officer, chief = client_for("officer_a"), client_for("chief")
    today = timezone.localdate()

    created = post(
        officer,
        "/inspections",
        {
            "school_id": school_a.pk,
            "date": str(today),
            "inspector_ids": [people.officer_a.pk],
            "checklist_id": checklist.pk,
        },
    )
    assert created.status_code == 201, created.content
    inspection = created.json()
    assert inspection["status"] == "draft" and inspection["person_times"] == 1
    assert inspection["inspectors"] == [{"id": people.officer_a.pk, "name": "officer_a"}]
    assert inspection["results"] and all(r["result"] == "" for r in inspection["results"])
    failed = next(r for r in inspection["results"] if r["item_code"] == "RF-01")
    assert failed["group"] == "personnel" and failed["group_label"] == "人防"

    base = f"/inspections/{inspection['id']}"
    unfinished = post(officer, f"{base}/finish", {})
    assert unfinished.status_code == 400 and "没有结果" in unfinished.json()["detail"]
    rows = [
        {"result_id": r["id"], "result": "fail" if r["id"] == failed["id"] else "pass"}
        for r in inspection["results"]
    ]
    rows[0 if rows[0]["result_id"] == failed["id"] else 1]["note"] = "只有1名保安"
    recorded = post(officer, f"{base}/results", rows, method="put")
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["failed"] == 1
    finished = post(officer, f"{base}/finish", {"summary": "检查完毕"})
    assert finished.status_code == 200 and finished.json()["status"] == "finished"
    again = post(officer, f"{base}/results", rows[:1], method="put")
    assert again.status_code == 400 and "检查已完成" in again.json()["detail"]

    hazard = post(officer, f"{base}/results/{failed['id']}/hazard", {"severity": "major"})
    assert hazard.status_code == 201, hazard.content
    hazard = hazard.json()
    assert (hazard["state"], hazard["source"], hazard["severity_label"]) == (
        "pending",
        "inspection",
        "重大",
    )
    assert hazard["inspection_id"] == inspection["id"] and hazard["category"] == "personnel"
    twice = post(officer, f"{base}/results/{failed['id']}/hazard", {})
    assert twice.status_code == 400 and "已登记隐患" in twice.json()["detail"]
    linked = officer.get(f"{API}{base}").json()["results"]
    assert next(r for r in linked if r["id"] == failed["id"])["hazard_id"] == hazard["id"]

    notice = post(
        officer,
        "/notices",
        {"school_id": school_a.pk, "hazard_ids": [hazard["id"]], "working_days": 5},
    )
    assert notice.status_code == 201, notice.content
    notice = notice.json()
    assert notice["number"] == f"测甲公治〔{today.year}〕1号"
    assert notice["copy_to_id"] == school_a.organization.education_bureau_id
    assert [h["id"] for h in notice["hazards"]] == [hazard["id"]]
    assert notice["received_at"] is None

    # The school opens the notice (签收) and sees what it may do.
    assert chief.get(f"{API}/notices/{notice['id']}").json()["received_at"] is not None
    seen = chief.get(f"{API}/hazards/{hazard['id']}").json()
    assert seen["deadline"] == notice["deadline"] and seen["notice_number"] == notice["number"]
    assert seen["allowed_actions"] == ["started", "reported"]
    reported = post(
        chief,
        f"/hazards/{hazard['id']}/transitions",
        {"action": "reported", "version": seen["version"], "measures": "已增配保安1名"},
    )
    assert reported.status_code == 200, reported.content
    assert reported.json()["state"] == "awaiting_recheck"
    assert reported.json()["allowed_actions"] == []

    police_view = officer.get(f"{API}/hazards/{hazard['id']}").json()
    assert set(police_view["allowed_actions"]) == {
        "recheck_passed",
        "recheck_failed",
        "deadline_changed",
        "escalated",
    }
    closed = post(
        officer,
        f"/hazards/{hazard['id']}/transitions",
        {"action": "recheck_passed", "version": police_view["version"], "note": "现场核实"},
    )
    assert closed.status_code == 200, closed.content
    detail = closed.json()
    assert detail["state"] == "closed" and detail["state_label"] == "已销号"
    assert detail["closed_at"] and detail["allowed_actions"] == []
    assert [r["measures"] for r in detail["reports"]] == ["已增配保安1名"]
    assert [(r["passed"], r["officer_name"]) for r in detail["rechecks"]] == [(True, "officer_a")]

    history = officer.get(f"{API}/hazards/{hazard['id']}/transitions").json()
    assert [(e["action"], e["actor_name"]) for e in history] == [
        ("created", "officer_a"),
        ("notice_issued", "officer_a"),
        ("reported", "chief"),
        ("recheck_passed", "officer_a"),
    ]
    assert history[2]["action_label"] == "提交整改报告"
    assert (history[2]["from_state"], history[2]["to_state"]) == ("pending", "awaiting_recheck")
    assert history[3]["to_state_label"] == "已销号" and history[3]["note"] == "现场核实"
    assert dt.datetime.fromisoformat(history[0]["at"]).tzinfo is not None
    assert detail["history"] == history


def test_it_filters_hazards(ischools, people, client_for, make_hazard):
    school_a, school_b = ischools
    today = timezone.localdate()
    major = make_hazard(school_a, severity="major", deadline=today, title="重大隐患")
    late = make_hazard(school_a, deadline=today, title="围墙破损")
    started = make_hazard(school_a, deadline=today + dt.timedelta(days=30), title="监控离线")
    services.hazard_start(hazard=started, actor=people.chief)
    other = make_hazard(school_b, actor=people.officer_b, title="乙校隐患")
    services.hazard_sweep(today=today + dt.timedelta(days=1))  # both due today become overdue

    client = client_for("commander")
    hazards = f"{API}/hazards"
    assert ids(client.get(hazards)) == {major.pk, late.pk, started.pk, other.pk}
    assert ids(client.get(hazards, {"state": "rectifying"})) == {started.pk}
    assert ids(client.get(hazards, {"overdue": "true"})) == {major.pk, late.pk}
    assert ids(client.get(hazards, {"overdue": "false"})) == {started.pk, other.pk}
    assert ids(client.get(hazards, {"escalated": "true"})) == {major.pk}
    assert ids(client.get(hazards, {"escalated": "false"})) == {late.pk, started.pk, other.pk}
    assert ids(client.get(hazards, {"school": school_b.pk})) == {other.pk}
    assert ids(client.get(hazards, {"severity": "major"})) == {major.pk}
    assert ids(client.get(hazards, {"q": "围墙"})) == {late.pk}
    assert ids(client.get(hazards, {"q": "乙中学"})) == {other.pk}
    before = str(today + dt.timedelta(days=1))
    assert ids(client.get(hazards, {"deadline_before": before})) == {major.pk, late.pk}
    item = client.get(hazards, {"escalated": "true"}).json()["items"][0]
    assert item["is_overdue"] and item["overdue_count"] == 1 and item["school_name"] == "甲小学"
    bad = client.get(hazards, {"state": "lost"})
    assert bad.status_code == 400 and "筛选条件不正确" in bad.json()["detail"]


def test_a_stale_version_answers_409_in_chinese(ischools, client_for, make_hazard):
    hazard = make_hazard(ischools[0])
    chief = client_for("chief")
    path = f"/hazards/{hazard.pk}/transitions"
    assert post(chief, path, {"action": "started", "version": hazard.version}).status_code == 200
    stale = post(chief, path, {"action": "reported", "version": hazard.version, "measures": "x"})
    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["detail"]
    hazard.refresh_from_db()
    assert hazard.state == "rectifying"


def test_an_illegal_transition_answers_400_with_the_reason(ischools, client_for, make_hazard):
    hazard = make_hazard(ischools[0])
    path = f"/hazards/{hazard.pk}/transitions"
    officer = client_for("officer_a")
    illegal = post(officer, path, {"action": "recheck_passed"})
    assert illegal.status_code == 400
    assert "待整改" in illegal.json()["detail"] and "复查通过" in illegal.json()["detail"]
    unknown = post(officer, path, {"action": "deleted"})
    assert unknown.status_code == 400 and "未知的操作" in unknown.json()["detail"]
    no_measures = post(client_for("chief"), path, {"action": "reported"})
    assert no_measures.status_code == 400 and "整改措施" in no_measures.json()["detail"]
    assert Hazard.objects.get(pk=hazard.pk).state == "pending"


def test_a_failed_recheck_sends_the_hazard_back_with_a_new_deadline(
    ischools, people, client_for, make_hazard
):
    hazard = make_hazard(ischools[0])
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    officer = client_for("officer_a")
    path = f"/hazards/{hazard.pk}/transitions"
    no_deadline = post(officer, path, {"action": "recheck_failed", "note": "未到位"})
    assert no_deadline.status_code == 400 and "新的整改期限" in no_deadline.json()["detail"]
    failed = post(
        officer, path, {"action": "recheck_failed", "note": "未到位", "new_working_days": 3}
    )
    assert failed.status_code == 200, failed.content
    data = failed.json()
    assert data["state"] == "rectifying" and data["deadline"] > str(timezone.localdate())
    undated = post(officer, path, {"action": "deadline_changed", "note": "需采购设备"})
    assert undated.status_code == 400 and "整改期限" in undated.json()["detail"]
    assert Hazard.objects.get(pk=hazard.pk).deadline is not None
    later = str(timezone.localdate() + dt.timedelta(days=60))
    moved = post(
        officer, path, {"action": "deadline_changed", "deadline": later, "note": "需采购设备"}
    )
    assert moved.status_code == 200 and moved.json()["deadline"] == later


def test_escalation_is_handled_only_by_the_supervising_organisation(
    ischools, city, client_for, make_hazard
):
    hazard = make_hazard(ischools[0])
    escalated = post(
        client_for("officer_a"),
        f"/hazards/{hazard.pk}/transitions",
        {"action": "escalated", "note": "久拖不改"},
    )
    assert escalated.status_code == 200, escalated.content
    detail = escalated.json()
    assert detail["is_escalated"] and "escalated" not in detail["allowed_actions"]
    [escalation] = detail["escalations"]
    assert escalation["supervisor_id"] == city.sub_bureau.pk and escalation["reason"] == "久拖不改"

    officer = client_for("officer_a")
    listed = officer.get(f"{API}/escalations", {"handled": "false"}).json()
    assert [e["id"] for e in listed["items"]] == [escalation["id"]]
    assert listed["items"][0]["school_name"] == "甲小学"
    handle = f"/escalations/{escalation['id']}/handle"
    refused = post(officer, handle, {"note": "请尽快整改"})
    assert refused.status_code == 403 and "督办单位" in refused.json()["detail"]

    supervisor = Client()
    supervisor.force_login(make_user("sub_officer", city.sub_bureau, "officer"))
    [task] = supervisor.get(f"{API}/my-tasks").json()
    assert (task["kind"], task["object_id"], task["state"]) == (
        "escalation_handle",
        escalation["id"],
        "待整改",
    )
    handled = post(supervisor, handle, {"note": "请尽快整改"})
    assert handled.status_code == 200, handled.content
    assert handled.json()["handling_note"] == "请尽快整改"
    assert handled.json()["handled_by_name"] == "sub_officer"
    assert post(supervisor, handle, {"note": "再次"}).status_code == 400
    assert officer.get(f"{API}/escalations", {"handled": "false"}).json()["count"] == 0
    assert officer.get(f"{API}/escalations", {"handled": "true"}).json()["count"] == 1


def test_the_hazard_list_runs_a_fixed_number_of_queries(
    ischools, people, client_for, make_hazard, django_assert_max_num_queries
):
    school_a, _ = ischools
    client = client_for("officer_a")

    def make(n):
        hazards = [make_hazard(school_a, title=f"隐患{i}") for i in range(n)]
        services.notice_issue(school=school_a, hazards=hazards, actor=people.officer_a)

    make(2)
    client.get(f"{API}/hazards")  # warm the session and the content types
    # session, user, permissions (2), role, organisation, count, page, and the session's
    # sliding expiry (savepoint, update, release): the hazards themselves are two queries.
    with django_assert_max_num_queries(11) as few:
        assert client.get(f"{API}/hazards").json()["count"] == 2
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(f"{API}/hazards").json()
    assert data["count"] == 22 and all(i["notice_number"] for i in data["items"])


def test_the_campaign_list_counts_coverage_without_a_query_per_row(
    ischools, people, client_for, checklist, make_inspection, django_assert_max_num_queries
):
    school_a, school_b = ischools
    today = timezone.localdate()
    officer = client_for("commander")
    body = {
        "name": "春季开学安全大检查",
        "start_date": str(today - dt.timedelta(days=3)),
        "end_date": str(today + dt.timedelta(days=10)),
        "checklist_id": checklist.pk,
        "target_school_ids": [school_a.pk, school_b.pk],
    }
    created = post(officer, "/campaigns", body)
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["issuer_name"] == "测试市公安局" and campaign["targets"] == 2
    assert campaign["inspected"] == 0 and campaign["coverage"] == 0

    from huxiao.inspections.models import Campaign

    record = Campaign.objects.get(pk=campaign["id"])
    first = make_inspection(school_a, campaign=record)
    make_inspection(school_a, campaign=record)  # a second visit to the same school
    services.hazard_from_result(
        result=first.results.get(item__code="RF-01"), actor=people.officer_a
    )
    for i in range(3):
        services.campaign_create(
            name=f"旧行动{i}",
            issuer=people.commander.organization,
            start_date=today - dt.timedelta(days=60),
            end_date=today - dt.timedelta(days=30),
            checklist=checklist,
            targets=[school_b],
            actor=people.commander,
        )
    with django_assert_max_num_queries(11):
        listing = officer.get(f"{API}/campaigns").json()
    assert listing["count"] == 4
    row = next(c for c in listing["items"] if c["id"] == campaign["id"])
    assert (row["targets"], row["inspected"], row["person_times"], row["coverage"]) == (
        2,
        1,
        2,
        0.5,
    )
    assert ids(officer.get(f"{API}/campaigns", {"active": "true"})) == {campaign["id"]}
    assert len(ids(officer.get(f"{API}/campaigns", {"active": "false"}))) == 3
    assert ids(officer.get(f"{API}/campaigns", {"q": "春季"})) == {campaign["id"]}

    # A station sees its own share of the city's campaign.
    mine = client_for("officer_a").get(f"{API}/campaigns/{campaign['id']}").json()
    assert (mine["targets"], mine["inspected"], mine["coverage"]) == (1, 1, 1.0)
    assert mine["hazards"] == 1 and mine["hazards_by_state"]["pending"] == 1
    assert [s["id"] for s in mine["target_schools"]] == [school_a.pk]
    whole = officer.get(f"{API}/campaigns/{campaign['id']}").json()
    assert [s["id"] for s in whole["not_inspected"]] == [school_b.pk]
    assert whole["inspections"] == 2 and whole["person_times"] == 2


def test_a_campaign_names_the_target_schools_out_of_scope(ischools, client_for, checklist):
    _, school_b = ischools
    today = timezone.localdate()
    response = post(
        client_for("officer_a"),
        "/campaigns",
        {
            "name": "派出所专项",
            "start_date": str(today),
            "end_date": str(today),
            "checklist_id": checklist.pk,
            "target_school_ids": [school_b.pk, 999999],
        },
    )
    assert response.status_code == 400
    assert f"{school_b.pk}、999999" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "target_school_ids"


def test_checklists_show_the_current_or_an_older_version(people, client_for, checklist):
    client = client_for("edu_officer")
    listing = client.get(f"{API}/checklists").json()
    assert checklist.pk in {c["id"] for c in listing["items"]}
    current = client.get(f"{API}/checklists/{checklist.pk}").json()
    assert current["version"]["number"] == 1 and current["current_version"] == 1
    assert [g["label"] for g in current["groups"]][:3] == ["人防", "物防", "技防"]
    assert current["groups"][0]["items"][0]["code"] == "RF-01"

    services.checklist_publish(
        template=checklist,
        items=[{"group": "rules", "code": "ZD-99", "text": "新检查项"}],
        actor=people.admin,
    )
    new = client.get(f"{API}/checklists/{checklist.pk}").json()
    assert new["version"]["number"] == 2 and new["versions"] == [1, 2]
    assert [i["code"] for g in new["groups"] for i in g["items"]] == ["ZD-99"]
    old = client.get(f"{API}/checklists/{checklist.pk}", {"version": 1}).json()
    assert old["version"]["number"] == 1 and old["groups"][0]["items"][0]["code"] == "RF-01"
    assert client.get(f"{API}/checklists/{checklist.pk}", {"version": 9}).status_code == 404


def test_inspections_are_filtered_and_check_their_references(
    ischools, people, client_for, make_inspection, checklist
):
    school_a, school_b = ischools
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    old = make_inspection(school_a, date=yesterday)
    draft = make_inspection(school_a, finish=False)
    other = make_inspection(school_b, officer=people.officer_b)
    client = client_for("commander")
    inspections = f"{API}/inspections"
    assert ids(client.get(inspections)) == {old.pk, draft.pk, other.pk}
    assert ids(client.get(inspections, {"status": "draft"})) == {draft.pk}
    assert ids(client.get(inspections, {"school": school_b.pk})) == {other.pk}
    assert ids(client.get(inspections, {"date_to": str(yesterday)})) == {old.pk}
    assert ids(client.get(inspections, {"date_from": str(timezone.localdate())})) == {
        draft.pk,
        other.pk,
    }
    row = next(i for i in client.get(inspections).json()["items"] if i["id"] == old.pk)
    assert row["failed"] == 1 and row["checklist_version"] == 1 and row["school_name"] == "甲小学"

    refused = post(
        client_for("officer_a"),
        "/inspections",
        {
            "school_id": school_a.pk,
            "date": str(timezone.localdate()),
            "inspector_ids": [people.officer_a.pk, people.officer_b.pk],
            "checklist_id": checklist.pk,
        },
    )
    assert refused.status_code == 400 and str(people.officer_b.pk) in refused.json()["detail"]
    not_police = post(
        client_for("officer_a"),
        "/inspections",
        {
            "school_id": school_a.pk,
            "date": str(timezone.localdate()),
            "inspector_ids": [people.chief.pk],
            "checklist_id": checklist.pk,
        },
    )
    assert not_police.status_code == 400 and "公安机关人员" in not_police.json()["detail"]


def test_a_school_reports_its_own_hazards_as_self_reports(ischools, client_for):
    school_a, school_b = ischools
    chief = client_for("chief")
    body = {"school_id": school_a.pk, "category": "physical", "title": "围墙有缺口"}
    created = post(chief, "/hazards", body)
    assert created.status_code == 201, created.content
    assert created.json()["source"] == "self_report" and created.json()["state"] == "pending"
    wrong_source = post(chief, "/hazards", {**body, "source": "inspection"})
    assert wrong_source.status_code == 400 and "学校自查" in wrong_source.json()["detail"]
    other_school = post(chief, "/hazards", {**body, "school_id": school_b.pk})
    assert other_school.status_code == 400

    officer = client_for("officer_a")
    assert post(officer, "/hazards", body).status_code == 400  # police must name the source
    patrol = post(officer, "/hazards", {**body, "source": "patrol", "severity": "major"})
    assert patrol.status_code == 201 and patrol.json()["source"] == "patrol"


def test_photos_are_uploaded_and_served_through_files(ischools, client_for, make_hazard):
    hazard = make_hazard(ischools[0])
    chief = client_for("chief")
    path = f"{API}/hazards/{hazard.pk}/photos"
    uploaded = chief.post(path, {"files": [photo("a.png"), photo("b.png")], "purpose": "after"})
    assert uploaded.status_code == 201, uploaded.content
    assert [p["purpose_label"] for p in uploaded.json()] == ["整改后", "整改后"]
    detail = chief.get(f"{API}/hazards/{hazard.pk}").json()
    assert len(detail["photos"]) == 2
    url = detail["photos"][0]["url"]
    assert url == f"/files/{detail['photos'][0]['id']}/"
    assert chief.get(url).status_code == 200
    assert client_for("officer_b").get(url).status_code == 404
    text = io.BytesIO(b"not a picture")
    text.name = "x.png"
    bad = chief.post(path, {"files": [text]})
    assert bad.status_code == 400 and "类型不受支持" in bad.json()["detail"]


def test_the_notice_document_is_a_docx_with_its_number(ischools, people, client_for, make_hazard):
    import docx

    school_a, _ = ischools
    hazard = make_hazard(school_a)
    notice = services.notice_issue(
        school=school_a, hazards=[hazard], working_days=5, actor=people.officer_a
    )
    response = client_for("edu_officer").get(f"{API}/notices/{notice.pk}/document")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert notice.number in text and "甲小学" in text


def test_the_escalation_document_is_a_docx_with_its_number(
    ischools, people, client_for, make_hazard
):
    import docx

    hazard = make_hazard(ischools[0])
    escalation = services.hazard_escalate(hazard=hazard, reason="久拖不改", actor=people.officer_a)
    response = client_for("officer_a").get(f"{API}/escalations/{escalation.pk}/document")
    assert response.status_code == 200, response.content[:300]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert escalation.number in text


def test_my_tasks_lists_what_waits_on_the_user_nearest_deadline_first(
    ischools, people, client_for, make_hazard
):
    today = timezone.localdate()
    later = make_hazard(ischools[0], deadline=today + dt.timedelta(days=20), title="晚到期")
    sooner = make_hazard(ischools[0], deadline=today + dt.timedelta(days=2), title="早到期")
    tasks = client_for("chief").get(f"{API}/my-tasks").json()
    assert [(t["kind"], t["object_id"]) for t in tasks] == [
        ("hazard_rectify", sooner.pk),
        ("hazard_rectify", later.pk),
    ]
    assert tasks[0]["url"] == f"/inspections/hazards/{sooner.pk}/"
    assert tasks[0]["kind_label"] == "整改隐患" and tasks[0]["overdue"] is False
    services.hazard_report(hazard=sooner, measures="已整改", actor=people.chief)
    recheck = client_for("officer_a").get(f"{API}/my-tasks").json()
    assert [(t["kind"], t["object_id"]) for t in recheck] == [("hazard_recheck", sooner.pk)]
    assert client_for("officer_b").get(f"{API}/my-tasks").json() == []
    assert Client().get(f"{API}/my-tasks").status_code == 401


def test_a_bearer_token_reads_and_writes(ischools, people, make_hazard):
    hazard = make_hazard(ischools[0])
    _, raw = core_services.token_create(user=people.chief, name="整改上报")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ids(client.get(f"{API}/hazards")) == {hazard.pk}
    started = post(client, f"/hazards/{hazard.pk}/transitions", {"action": "started"})
    assert started.status_code == 200 and started.json()["state"] == "rectifying"
    assert started.json()["history"][-1]["actor_name"] == "chief"
    wrong = Client(HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.get(f"{API}/hazards").status_code == 401


def test_notices_escalations_and_campaign_hazards_are_filtered(
    ischools, city, people, client_for, make_hazard, make_inspection, checklist
):
    school_a, school_b = ischools
    notice_a = services.notice_issue(
        school=school_a, hazards=[make_hazard(school_a)], working_days=5, actor=people.officer_a
    )
    notice_b = services.notice_issue(
        school=school_b,
        hazards=[make_hazard(school_b, actor=people.officer_b)],
        working_days=5,
        actor=people.officer_b,
    )
    client = client_for("commander")
    notices = f"{API}/notices"
    assert ids(client.get(notices)) == {notice_a.pk, notice_b.pk}
    assert ids(client.get(notices, {"school": school_b.pk})) == {notice_b.pk}
    assert ids(client.get(notices, {"issuer": city.station_a.pk})) == {notice_a.pk}
    assert ids(client.get(notices, {"year": notice_a.year})) == {notice_a.pk, notice_b.pk}
    assert ids(client.get(notices, {"year": notice_a.year - 1})) == set()
    row = client.get(notices, {"school": school_a.pk}).json()["items"][0]
    assert row["hazard_count"] == 1 and row["copy_to_name"] == "甲区教育局"

    escalation = services.hazard_escalate(
        hazard=make_hazard(school_a), reason="久拖不改", actor=people.officer_a
    )
    escalations = f"{API}/escalations"
    assert ids(client.get(escalations, {"supervisor": city.sub_bureau.pk})) == {escalation.pk}
    assert ids(client.get(escalations, {"supervisor": city.city.pk})) == set()

    campaign = services.campaign_create(
        name="专项",
        issuer=city.city,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        checklist=checklist,
        targets=[school_a],
        actor=people.commander,
    )
    inspection = make_inspection(school_a, campaign=campaign)
    found = services.hazard_from_result(
        result=inspection.results.get(item__code="RF-01"), actor=people.officer_a
    )
    hazards = f"{API}/hazards"
    assert ids(client.get(hazards, {"campaign": campaign.pk})) == {found.pk}
    assert ids(client.get(hazards, {"category": "personnel"})) == {found.pk}
    assert found.pk not in ids(client.get(hazards, {"source": "self_report"}))
    assert ids(client.get(f"{API}/inspections", {"campaign": campaign.pk})) == {inspection.pk}


def test_every_endpoint_has_a_chinese_summary(db):
    from huxiao.api.urls import api

    schema = api.get_openapi_schema()
    ours = [
        (path, method, op.get("summary", ""))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if "inspections" in op.get("tags", []) or path.endswith("/my-tasks")
    ]
    assert len(ours) >= 26
    assert [o for o in ours if o[2].isascii()] == []
