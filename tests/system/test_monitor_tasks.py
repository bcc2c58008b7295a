"""定时任务 and 服务监控 (issue 21, item 7): the periodic tasks with their schedule in Chinese,
run now, pause (a paused task's scheduled run is skipped and recorded), and the health checks
as a page and as ``GET /api/v1/health``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from huxiao.core.models import AuditRecord, PeriodicTaskState, TaskRun
from huxiao.system import health
from huxiao.system import selectors_monitor as selectors
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SWEEP = "huxiao.inspections.tasks.hazard_daily_sweep"
CHECKPOINT = "huxiao.core.tasks.checkpoint_audit_chain"


def scheduled_run(name: str) -> None:
    """What the consumer does when the task's time comes."""
    task = selectors.periodic_task(name)
    HUEY.execute(task.task_class())


# ---- the list -------------------------------------------------------------------------------


def test_the_list_shows_every_periodic_task_with_its_schedule_in_chinese(people, client_for):
    page = client_for("admin").get(reverse("system:task_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "隐患每日巡检" in html and "每天 07:05" in html
    assert "审计日志链头锚定" in html and "每小时第7分" in html
    assert "每天 02:17" in html


# ---- run now --------------------------------------------------------------------------------


def test_the_administrator_runs_the_daily_hazard_sweep_now_and_sees_its_result(people, client_for):
    admin = client_for("admin")
    response = admin.post(reverse("system:task_run", args=[SWEEP]))
    assert response.status_code == 302
    run = TaskRun.objects.get(name=SWEEP)
    assert run.triggered_by == people.admin
    assert run.outcome == TaskRun.Outcome.SUCCESS
    assert json.loads(run.result) == {"reminded": 0, "overdue": 0, "escalated": 0}
    assert run.finished_at is not None
    # Who ran it is in the audit trail.
    assert AuditRecord.objects.filter(
        object_type="core.taskrun", object_id=str(run.pk), actor=people.admin
    ).exists()

    page = admin.get(response["Location"])
    html = page.content.decode()
    assert "任务已执行完成" in html
    assert "&quot;overdue&quot;: 0" in html and "手动（admin）" in html
    assert "成功" in admin.get(reverse("system:task_list")).content.decode()


def test_a_failing_run_is_recorded_as_a_failure(people, client_for, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr("huxiao.inspections.services.hazard_sweep", broken)
    response = client_for("admin").post(reverse("system:task_run", args=[SWEEP]), follow=True)
    assert response.status_code == 200
    assert "任务执行失败" in response.content.decode()
    run = TaskRun.objects.get(name=SWEEP)
    assert run.outcome == TaskRun.Outcome.FAILURE
    assert "RuntimeError: 数据库不可用" in run.result


def test_an_unknown_task_is_404(people, client_for):
    admin = client_for("admin")
    assert admin.post(reverse("system:task_run", args=["os.system"])).status_code == 404
    assert admin.get(reverse("system:task_detail", args=["nothing.here"])).status_code == 404
    assert not TaskRun.objects.exists()


# ---- scheduled runs and pause ---------------------------------------------------------------


def test_every_scheduled_run_is_recorded(people):
    scheduled_run(SWEEP)
    run = TaskRun.objects.get(name=SWEEP)
    assert run.triggered_by is None
    assert run.outcome == TaskRun.Outcome.SUCCESS
    assert json.loads(run.result)["overdue"] == 0


def test_a_failing_scheduled_run_is_recorded_as_a_failure(people, monkeypatch):
    def broken(**kwargs):
        raise ValueError("坏数据")

    monkeypatch.setattr("huxiao.inspections.services.hazard_sweep", broken)
    scheduled_run(SWEEP)  # the consumer logs the error and goes on
    run = TaskRun.objects.get(name=SWEEP)
    assert run.outcome == TaskRun.Outcome.FAILURE
    assert "坏数据" in run.result


def test_a_paused_task_is_skipped_on_schedule_and_the_skip_recorded(
    people, client_for, monkeypatch, settings, tmp_path
):
    calls = []
    monkeypatch.setattr(
        "huxiao.inspections.services.hazard_sweep", lambda **kw: calls.append(kw) or {}
    )
    admin = client_for("admin")
    assert (
        admin.post(reverse("system:task_pause", args=[SWEEP]), {"paused": "1"}).status_code == 302
    )
    state = PeriodicTaskState.objects.get(name=SWEEP)
    assert state.is_paused and state.paused_by == people.admin
    assert "已暂停" in admin.get(reverse("system:task_list")).content.decode()

    scheduled_run(SWEEP)
    assert calls == []
    run = TaskRun.objects.get(name=SWEEP)
    assert run.outcome == TaskRun.Outcome.SKIPPED and run.triggered_by is None
    # Other tasks still run (the checkpoint into this test's own file, not the process's).
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    scheduled_run(CHECKPOINT)
    assert TaskRun.objects.get(name=CHECKPOINT).outcome == TaskRun.Outcome.SUCCESS

    # Resumed: it runs again.
    admin.post(reverse("system:task_pause", args=[SWEEP]), {"paused": "0", "back": "detail"})
    assert not PeriodicTaskState.objects.get(name=SWEEP).is_paused
    scheduled_run(SWEEP)
    assert len(calls) == 1
    assert TaskRun.objects.filter(name=SWEEP, outcome=TaskRun.Outcome.SUCCESS).count() == 1


def test_the_runs_of_a_task_filter_and_export(people, client_for):
    scheduled_run(SWEEP)
    admin = client_for("admin")
    admin.post(reverse("system:task_run", args=[SWEEP]))
    detail = reverse("system:task_detail", args=[SWEEP])
    manual = admin.get(detail, {"manual": "yes"}).content.decode()
    assert manual.count('data-testid="taskrun-result"') == 1
    everything = admin.get(detail).content.decode()
    assert everything.count('data-testid="taskrun-result"') == 2
    export = admin.get(reverse("system:task_export", args=[SWEEP]))
    assert export.status_code == 200


@pytest.mark.parametrize("name", ["officer_a", "commander", "auditor"])
def test_others_may_not_see_or_run_tasks(people, client_for, name):
    client = client_for(name)
    assert client.get(reverse("system:task_list")).status_code == 403
    assert client.post(reverse("system:task_run", args=[SWEEP])).status_code == 403
    assert client.post(reverse("system:task_pause", args=[SWEEP])).status_code == 403
    assert client.get(reverse("system:health")).status_code == 403
    assert not TaskRun.objects.exists()


def test_a_unit_administrator_keeps_no_tasks_nor_health(city, people):
    client = Client()
    client.force_login(make_user("admin_a", city.station_a, "org_admin"))
    assert client.get(reverse("system:task_list")).status_code == 403
    assert client.get(reverse("system:health")).status_code == 403
    assert client.get("/api/v1/health").status_code == 403


# ---- health ---------------------------------------------------------------------------------


@pytest.fixture
def healthy(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REDIS_URL = ""
    TaskRun.objects.create(
        name=CHECKPOINT,
        started_at=timezone.now() - dt.timedelta(minutes=20),
        finished_at=timezone.now(),
        outcome=TaskRun.Outcome.SUCCESS,
    )


def test_health_answers_200_with_every_check(people, client_for, healthy):
    response = client_for("admin").get("/api/v1/health")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "redis",
        "task_queue",
        "disk",
        "audit_chain",
        "version",
    }
    for check in body["checks"].values():
        assert check["ok"] is True and isinstance(check["ms"], float) and check["detail"]
    assert body["version"] == body["checks"]["version"]["detail"]


def test_health_answers_503_when_the_media_store_is_missing(
    people, client_for, healthy, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "gone")
    response = client_for("admin").get("/api/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_health_fails_without_a_recent_scheduled_run(people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    TaskRun.objects.create(
        name=CHECKPOINT,
        started_at=timezone.now() - dt.timedelta(hours=5),
        outcome=TaskRun.Outcome.SUCCESS,
    )
    response = client_for("admin").get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"]["ok"] is False


def test_a_check_that_raises_fails_the_health(people, client_for, healthy, monkeypatch):
    def broken():
        raise ConnectionError("refused")

    checks = tuple(
        (key, label, broken if key == "database" else fn) for key, label, fn in health.CHECKS
    )
    monkeypatch.setattr(health, "CHECKS", checks)
    response = client_for("admin").get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "detail": "ConnectionError: refused",
        "ms": response.json()["checks"]["database"]["ms"],
    }
    page = client_for("admin").get(reverse("system:health"))
    assert page.status_code == 200
    assert "存在异常" in page.content.decode()


def test_health_with_an_api_token(people, healthy):
    from huxiao.core import services

    _token, raw = services.token_create(user=people.admin, name="监控")
    response = Client().get("/api/v1/health", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert Client().get("/api/v1/health").status_code == 401
    assert client_for_token_of(people.officer_a).get("/api/v1/health").status_code == 403


def client_for_token_of(user) -> Client:
    from huxiao.core import services

    _token, raw = services.token_create(user=user, name="x")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_health_page_lists_the_checks(people, client_for, healthy):
    page = client_for("admin").get(reverse("system:health"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "全部正常" in html
    for key in ("database", "redis", "task_queue", "disk", "audit_chain", "version"):
        assert f'data-check="{key}"' in html
