"""The chain check from the audit page (issue 14, item 3): started by a POST, run as a task,
its outcome stored on the run and shown on the page — a tampered record named."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from huxiao.core import audit_verify, services
from huxiao.core.choices import OrgKind
from huxiao.core.models import AuditRecord, Notification, TaskRun


@pytest.fixture(autouse=True)
def own_checkpoints(settings, tmp_path):
    # Checkpoints other tests of this process wrote name records this test's database lacks.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"


@pytest.fixture
def chain(db):
    for i in range(3):
        services.organization_create(
            kind=OrgKind.STATION, name=f"校验站{i}", code=f"V-{i}", division_code="530111"
        )


def _start(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:audit_verify"))
    assert response.status_code == 302 and response.url == reverse("core:audit_list")
    return TaskRun.objects.get(name=audit_verify.task_names()[0])


def test_it_runs_the_check_as_a_task_and_shows_the_result(
    client_for, people, chain, django_capture_on_commit_callbacks
):
    client = client_for("auditor")
    run = _start(client, django_capture_on_commit_callbacks)
    assert run.triggered_by == people.auditor
    assert run.outcome == TaskRun.Outcome.SUCCESS and run.finished_at is not None
    result = json.loads(run.result)
    assert result["ok"] is True and result["checked"] >= 3 and result["first_bad_seq"] is None
    body = client.get(reverse("core:audit_list")).content.decode()
    assert 'data-state="ok"' in body and "链完整" in body
    assert f'data-testid="audit-verify-checked">{result["checked"]}<' in body
    assert people.auditor.display_name in body


def test_it_names_the_first_tampered_record(client_for, chain, django_capture_on_commit_callbacks):
    target = AuditRecord.objects.filter(object_type="core.organization").order_by("seq")[1]
    with connection.cursor() as cursor:
        cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
        cursor.execute(
            f"UPDATE core_auditrecord SET after = {cast} WHERE id = %s",  # noqa: S608
            ['{"name": "篡改"}', target.pk],
        )
    client = client_for("auditor")
    run = _start(client, django_capture_on_commit_callbacks)
    result = json.loads(run.result)
    assert result["ok"] is False
    assert result["first_bad_seq"] == target.seq and result["first_bad_id"] == target.pk
    body = client.get(reverse("core:audit_list")).content.decode()
    assert 'data-state="broken"' in body and "发现篡改或缺失" in body
    assert f"首条问题记录：序号 {target.seq}（记录ID {target.pk}）" in body
    assert "记录内容与签名不符" in body
    # every auditor hears of it at once, as with the nightly check
    assert Notification.objects.filter(title="审计日志哈希链校验失败", level="urgent").exists()


def test_starting_a_check_is_in_the_trail_with_who_started_it(
    client_for, people, chain, django_capture_on_commit_callbacks
):
    run = _start(client_for("auditor"), django_capture_on_commit_callbacks)
    record = AuditRecord.objects.get(object_type="core.taskrun", object_id=str(run.pk))
    assert record.action == "create" and record.actor_id == people.auditor.pk
    assert record.source == "web"


def test_it_returns_to_the_filtered_page_and_nowhere_else(client_for, chain):
    client = client_for("auditor")
    page = reverse("core:audit_list") + "?object_type=core.organization&page=2"
    assert client.post(reverse("core:audit_verify"), {"next": page}).url == page
    TaskRun.objects.all().delete()
    for elsewhere in ("https://evil.example/audit/", "//evil.example/audit/", "/users/"):
        response = client.post(reverse("core:audit_verify"), {"next": elsewhere})
        assert response.url == reverse("core:audit_list"), elsewhere
        TaskRun.objects.all().delete()


def test_it_needs_the_csrf_token(people, chain):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.auditor)
    assert client.post(reverse("core:audit_verify")).status_code == 403
    assert not TaskRun.objects.exists()


def test_it_refuses_a_get_on_the_start_url(client_for):
    assert client_for("auditor").get(reverse("core:audit_verify")).status_code == 405


@pytest.mark.parametrize("who", ["admin", "commander", "officer_a", "volunteer", "outsider"])
def test_only_readers_of_the_trail_start_or_see_the_check(client_for, who):
    client = client_for(who)
    assert client.post(reverse("core:audit_verify")).status_code == 403
    assert client.get(reverse("core:audit_verify_status")).status_code == 403
    assert not TaskRun.objects.exists()


def test_it_refuses_a_second_check_while_one_runs(client_for, people):
    from django.utils import timezone

    TaskRun.objects.create(
        name=audit_verify.task_names()[0],
        started_at=timezone.now(),
        outcome=TaskRun.Outcome.RUNNING,
        triggered_by=people.auditor,
    )
    client = client_for("auditor")
    response = client.post(reverse("core:audit_verify"), follow=True)
    assert "上一次校验尚未结束" in response.content.decode()
    assert TaskRun.objects.count() == 1
    # the panel polls while the check runs, and its button waits
    status = client.get(reverse("core:audit_verify_status")).content.decode()
    assert 'hx-trigger="every 2s"' in status and "校验中" in status
    assert "disabled" in status


def test_a_queue_out_of_reach_fails_the_run_with_a_message(
    client_for, chain, monkeypatch, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY

    def unreachable(task):
        raise ConnectionError("redis down")

    monkeypatch.setattr(HUEY, "enqueue", unreachable)
    run = _start(client_for("auditor"), django_capture_on_commit_callbacks)
    assert run.outcome == TaskRun.Outcome.FAILURE
    assert "任务队列暂不可用" in run.result


def test_it_shows_the_nightly_check_when_it_is_the_latest(client_for):
    from django.utils import timezone

    TaskRun.objects.create(
        name=audit_verify.task_names()[1],
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome=TaskRun.Outcome.SUCCESS,
        result="false",
    )
    body = client_for("auditor").get(reverse("core:audit_verify_status")).content.decode()
    assert 'data-state="broken"' in body and "定时任务" in body
    assert "hx-trigger" not in body


def test_the_runs_are_named_as_the_task_registry_names_the_tasks():
    from huxiao.core.tasks import task_name, verify_audit_chain, verify_audit_chain_now

    assert audit_verify.task_names() == (
        task_name(verify_audit_chain_now.task_class),
        task_name(verify_audit_chain.task_class),
    )


def test_the_page_says_when_no_check_ran_yet(client_for):
    body = client_for("auditor").get(reverse("core:audit_list")).content.decode()
    assert "尚无校验记录" in body and 'data-testid="audit-verify-start"' in body
