"""The audit-chain check for API callers (issue 23: a check enqueued on demand must give its
result to whoever waits for it).

``POST /audit/verifications`` queues the check the auditor's page starts
(``audit_verify.verify_start``) and answers 202 with the run and the URL to poll;
``GET /audit/verifications/{run_id}`` answers the run's state and, once done, its result —
the same ``Check`` the page shows. Both need ``core.view_audit``; a run that is not a check of
the chain answers 404 like a missing one. Who started it does not matter: every reader of the
trail sees every check, as on the page.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from huxiao.core import audit_verify
from huxiao.core.apikit.errors import require_perm
from huxiao.core.models import TaskRun

router = Router(tags=["core"])


class AuditCheckOut(Schema):
    run_id: int
    state: str  # running, ok, broken, error
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str
    checked: int | None
    checkpoints: int | None
    first_bad_seq: int | None
    first_bad_id: int | None
    problem: str
    url: str


def _out(run: TaskRun) -> dict:
    check = audit_verify.check_of(run)
    return {
        "run_id": run.pk,
        "state": check.state,
        "started_at": check.started_at,
        "finished_at": check.finished_at,
        "started_by": str(check.started_by),
        "checked": check.checked,
        "checkpoints": check.checkpoints,
        "first_bad_seq": check.first_bad_seq,
        "first_bad_id": check.first_bad_id,
        "problem": check.problem,
        "url": f"/api/v1/audit/verifications/{run.pk}",
    }


@router.post(
    "/audit/verifications",
    response={202: AuditCheckOut},
    summary="校验审计日志哈希链（排队执行，按返回的地址查询结果）",
)
def audit_verification_start(request):
    require_perm(request, audit_verify.PERMISSION)
    run = audit_verify.verify_start(actor=request.user)
    run.refresh_from_db()  # an immediate queue (tests, HUXIAO_TASKS_IMMEDIATE) already ran it
    return Status(202, _out(run))


@router.get(
    "/audit/verifications/{run_id}",
    response=AuditCheckOut,
    summary="审计日志哈希链校验的状态和结果",
)
def audit_verification_get(request, run_id: int):
    require_perm(request, audit_verify.PERMISSION)
    run = get_object_or_404(
        TaskRun.objects.select_related("triggered_by").filter(name__in=audit_verify.task_names()),
        pk=run_id,
    )
    return _out(run)
