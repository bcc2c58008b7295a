"""Background tasks of the core app. Tasks only load and call a service (HackSoft habit)."""

from __future__ import annotations

import os
from pathlib import Path

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, task

from huxiao.core import audit, context


@task()
def probe(marker_path: str, payload: str) -> str:
    """Write who ran the task; used to prove the worker is alive (``huxiao worker`` checks)."""
    Path(marker_path).write_text(f"{os.getpid()}\n{payload}\n", encoding="utf-8")
    return payload


@db_periodic_task(crontab(minute="7"))
def checkpoint_audit_chain() -> None:
    """Hourly: anchor the chain's head outside the database (settings.AUDIT_CHECKPOINT_FILE)."""
    audit.write_checkpoint()


@db_periodic_task(crontab(minute="17", hour="2"))
def verify_audit_chain() -> bool:
    """Nightly chain check; a broken chain is put in every auditor's inbox at once."""
    from huxiao.core.choices import NotificationLevel
    from huxiao.core.services import tell_auditors

    result = audit.verify_chain()
    if not result.ok:
        with context.acting(source="task"):
            tell_auditors(
                "审计日志哈希链校验失败",
                f"序号 {result.first_bad_seq}：{result.problem}",
                level=NotificationLevel.URGENT,
            )
    return result.ok
