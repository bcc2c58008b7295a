"""The audit-chain check through the API (issue 23, item 8): the caller who starts it gets the
run and the URL to poll, and the poll gives the result once the task has run — the same
result the auditor's page shows. Readers of the trail only; other runs answer 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from huxiao.core import audit_verify, services
from huxiao.core.choices import OrgKind
from huxiao.core.models import TaskRun

URL = "/api/v1/audit/verifications"


@pytest.fixture(autouse=True)
def own_checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"


@pytest.fixture
def chain(db):
    for i in range(3):
        services.organization_create(
            kind=OrgKind.STATION, name=f"接口校验站{i}", code=f"AV-{i}", division_code="530111"
        )


def test_the_caller_polls_the_result_of_the_check_it_started(
    client_for, people, chain, django_capture_on_commit_callbacks
):
    client = client_for("auditor")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(URL, content_type="application/json")
        assert started.status_code == 202
        body = started.json()
        # answered before the task runs (it is queued after the commit)
        assert body["state"] == "running" and body["finished_at"] is None
        assert body["started_by"] == people.auditor.display_name
        assert body["url"] == f"{URL}/{body['run_id']}"

    done = client.get(body["url"])
    assert done.status_code == 200
    result = done.json()
    assert result["state"] == "ok" and result["checked"] >= 3
    assert result["first_bad_seq"] is None and result["finished_at"] is not None
    run = TaskRun.objects.get(pk=body["run_id"])
    assert run.triggered_by == people.auditor and run.outcome == TaskRun.Outcome.SUCCESS


def test_a_second_check_waits_for_the_first(client_for, chain):
    client = client_for("auditor")
    TaskRun.objects.create(
        name=audit_verify.task_names()[0],
        started_at=timezone.now(),
        outcome=TaskRun.Outcome.RUNNING,
    )
    refused = client.post(URL, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "上一次校验尚未结束，请稍后刷新本页查看结果。"
    assert TaskRun.objects.count() == 1


@pytest.mark.parametrize("name", ["commander", "officer_a", "edu_officer", "chief", "guard"])
def test_only_readers_of_the_trail_start_or_read_a_check(client_for, chain, name):
    run = TaskRun.objects.create(
        name=audit_verify.task_names()[1],
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome=TaskRun.Outcome.SUCCESS,
        result="true",
    )
    client = client_for(name)
    assert client.post(URL, content_type="application/json").status_code == 403
    assert client.get(f"{URL}/{run.pk}").status_code == 403
    assert TaskRun.objects.count() == 1
    assert Client().get(f"{URL}/{run.pk}").status_code == 401


def test_a_run_that_is_not_a_check_answers_404_like_a_missing_one(client_for, chain):
    other = TaskRun.objects.create(
        name="huxiao.inspections.tasks.hazard_daily_sweep",
        started_at=timezone.now(),
        outcome=TaskRun.Outcome.SUCCESS,
        result="{}",
    )
    client = client_for("auditor")
    assert client.get(f"{URL}/{other.pk}").status_code == 404
    assert client.get(f"{URL}/{other.pk + 1000}").status_code == 404
    nightly = TaskRun.objects.create(
        name=audit_verify.task_names()[1],
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome=TaskRun.Outcome.SUCCESS,
        result="false",
    )
    assert client.get(f"{URL}/{nightly.pk}").json()["state"] == "broken"
