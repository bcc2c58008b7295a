"""``GET /healthz`` and ``GET /readyz`` for a load balancer or an orchestrator (issue 23).

Unauthenticated and fast, so they say nothing about the infrastructure: no versions, hosts,
sizes or error texts (``GET /api/v1/health`` with a monitoring token gives those details).

- ``/healthz`` (liveness): the process answers. It reads no database, cache or file, so a
  slow database never makes a load balancer restart healthy processes.
- ``/readyz`` (readiness): this process can serve now. The database answers a query and the
  media store is writable: 200 ``{"status": "ok"}``, otherwise 503 ``{"status":
  "unavailable", "failed": [names]}``, naming only the failed checks. Redis (when
  ``REDIS_URL`` is set) is pinged too, but the platform serves without it (core/cache.py): a
  Redis that does not answer gives 200 ``{"status": "degraded", "degraded": ["redis"]}``, so a
  load balancer does not take every process out for it.

Both are GET/HEAD only, never cached, and touch no session.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from huxiao.core import files
from huxiao.system import health

logger = logging.getLogger(__name__)


def _storage() -> None:
    """The media store can take a file: the shared bucket answers (HUXIAO_S3_BUCKET), or the
    local directory is writable, or (a fresh install, where the first upload creates it) the
    nearest existing directory above it is."""
    if files.shared_bucket():
        files.shared_bucket_check()
        return
    path = os.path.abspath(str(settings.MEDIA_ROOT))
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    if not (os.path.isdir(path) and os.access(path, os.W_OK)):
        raise OSError("the media store cannot be written")


# The database and Redis checks are the health page's (system/health.py): each raises when
# its service does not answer.
READINESS = (("database", health._database), ("storage", _storage))
SOFT = (("redis", health._redis),)  # the platform serves without them, degraded


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    failed, degraded = _failing(READINESS), _failing(SOFT)
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    if degraded:
        return JsonResponse({"status": "degraded", "degraded": degraded})
    return JsonResponse({"status": "ok"})


def _failing(checks) -> list[str]:
    failing = []
    for name, check in checks:
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure counts, logged for the operator
            logger.warning("readiness check %s failed", name, exc_info=True)
            failing.append(name)
    return failing
