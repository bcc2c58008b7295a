"""Periodic work of the rectification loop: the task loads nothing itself, it calls the
service (``hazard_sweep``), attributed to the task runner in the audit log."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huxiao.core import context


@db_periodic_task(crontab(minute="5", hour="7"))
def hazard_daily_sweep() -> dict:
    """07:05 every day: reminders 3 working days ahead, overdue marking, automatic 督办."""
    from huxiao.inspections.services import hazard_sweep

    with context.acting(source="task"):
        return hazard_sweep()
