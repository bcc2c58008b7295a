"""Service health (服务监控): the checks behind the health page and ``GET /api/v1/health``.

Each check answers ok or not, a short detail in Chinese and how long it took (ms). A check that
raises is a failed check (its detail names the error); the platform is healthy when every check
is. Checks: the database (a query), Redis (a ping, when REDIS_URL is set), the task queue (its
depth and the worker's heartbeat — the newest scheduled run of a periodic task, the hourly
checkpoint at least), the disk of the media store, the audit chain's head, and the version.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core import files

# The hourly checkpoint runs at :07: a worker that ran nothing for this long is not running.
HEARTBEAT_STALE = dt.timedelta(hours=2)
# More queued tasks than this: the worker does not keep up.
QUEUE_DEPTH_LIMIT = 1000
# Less free space than this share of the media store's disk fails the check.
DISK_FREE_MIN = 0.05


@dataclass
class Check:
    key: str
    label: str
    ok: bool
    detail: str
    ms: float

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, "ms": self.ms}


def _database() -> tuple[bool, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, _("%(vendor)s 连接正常") % {"vendor": connection.vendor}


def _redis() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, _("未配置（嵌入式部署不使用 Redis）")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return True, _("连接正常")


def _task_queue() -> tuple[bool, str]:
    from huey.contrib.djhuey import HUEY

    from huxiao.core.models import TaskRun

    depth = HUEY.pending_count()
    newest = (
        TaskRun.objects.filter(triggered_by=None)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    if newest is None:
        heartbeat, alive = _("尚无定时任务执行记录，工作进程可能未运行"), False
    else:
        alive = timezone.now() - newest <= HEARTBEAT_STALE
        heartbeat = _("最近一次定时执行：%(when)s") % {
            "when": timezone.localtime(newest).strftime("%Y-%m-%d %H:%M")
        }
        if not alive:
            heartbeat += _("（超过2小时，工作进程可能已停止）")
    backlog = depth > QUEUE_DEPTH_LIMIT
    detail = _("排队任务 %(n)d 个；%(heartbeat)s") % {"n": depth, "heartbeat": heartbeat}
    if backlog:
        detail += _("；积压超过 %(limit)d 个") % {"limit": QUEUE_DEPTH_LIMIT}
    return alive and not backlog, detail


def _disk() -> tuple[bool, str]:
    bucket = files.shared_bucket()
    if bucket:  # shared object storage: no disk of ours to watch, the bucket must answer
        files.shared_bucket_check()
        return True, _("S3 兼容对象存储，存储桶 %(bucket)s 可访问") % {"bucket": bucket}
    usage = shutil.disk_usage(settings.MEDIA_ROOT)
    free_share = usage.free / usage.total if usage.total else 0
    gib = 1024**3
    detail = _("可用 %(free).1f GB / 共 %(total).1f GB（%(share).0f%%）") % {
        "free": usage.free / gib,
        "total": usage.total / gib,
        "share": free_share * 100,
    }
    return free_share >= DISK_FREE_MIN, detail


def _audit_chain() -> tuple[bool, str]:
    from huxiao.core.models import AuditChainHead, AuditRecord

    head = AuditChainHead.objects.first()
    newest = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return newest is None, _("尚无审计记录")
    ok = newest is None or (newest[0] == head.last_seq and newest[1] == head.last_hash)
    detail = _("链头序号 %(seq)d，哈希 %(hash)s…") % {
        "seq": head.last_seq,
        "hash": head.last_hash[:12],
    }
    if not ok:
        detail += _("；与最新记录不一致")
    return ok, detail


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("huxiao")
    except PackageNotFoundError:
        import huxiao

        return getattr(huxiao, "__version__", "") or "unknown"


def _version() -> tuple[bool, str]:
    return True, version()


CHECKS: tuple[tuple[str, object, Callable[[], tuple[bool, str]]], ...] = (
    ("database", gettext_lazy("数据库"), _database),
    ("redis", gettext_lazy("Redis"), _redis),
    ("task_queue", gettext_lazy("任务队列"), _task_queue),
    ("disk", gettext_lazy("附件存储"), _disk),
    ("audit_chain", gettext_lazy("审计日志链"), _audit_chain),
    ("version", gettext_lazy("版本"), _version),
)


def run_checks() -> list[Check]:
    found = []
    for key, label, check in CHECKS:
        start = time.perf_counter()
        try:
            ok, detail = check()
        except Exception as exc:  # noqa: BLE001 - a check that cannot run has failed
            ok, detail = False, f"{type(exc).__name__}: {exc}"[:300]
        ms = round((time.perf_counter() - start) * 1000, 1)
        found.append(Check(key=key, label=str(label), ok=ok, detail=detail, ms=ms))
    return found


def overall(checks: list[Check]) -> bool:
    return all(c.ok for c in checks)
