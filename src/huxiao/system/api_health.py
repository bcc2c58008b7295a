"""``GET /api/v1/health`` for monitoring systems (服务监控).

Authenticated like the rest of the API — ``Authorization: Bearer <token>`` of an account
whose role holds core.view_health (a monitoring account), or a signed-in session; no
credentials answer 401, an account without the permission 403. The checks' details name
the infrastructure (database vendor, disk sizes, chain head), which is not for anyone on the
network, so there is no anonymous variant: give the monitoring system a token.

The answer is ``{"status": "ok" | "fail", "version": ..., "checked_at": ...,
"checks": {name: {"ok", "detail", "ms"}}}``, 200 when every check is ok, 503 otherwise (a
load balancer or a probe reads the status code alone).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from huxiao.core.apikit.errors import require_perm
from huxiao.system import health

router = Router(tags=["system"])


class CheckOut(Schema):
    ok: bool
    detail: str
    ms: float


class HealthOut(Schema):
    status: str
    version: str
    checked_at: dt.datetime
    checks: dict[str, CheckOut]


@router.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    summary="服务健康状态（数据库、Redis、任务队列、磁盘、审计链、版本）",
)
def health_status(request):
    require_perm(request, "core.view_health")
    checks = health.run_checks()
    ok = health.overall(checks)
    body = {
        "status": "ok" if ok else "fail",
        "version": health.version(),
        "checked_at": timezone.now(),
        "checks": {c.key: c.as_dict() for c in checks},
    }
    return Status(200 if ok else 503, body)
