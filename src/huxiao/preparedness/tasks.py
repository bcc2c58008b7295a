"""Periodic work of the preparedness module: the task loads nothing itself, it calls the service
(``drills_missed_notify``, idempotent), attributed to the task runner in the audit log."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huxiao.core import context


@db_periodic_task(crontab(minute="15", hour="7"))
def drills_missed_daily() -> dict:
    """07:15 every day: planned drills whose window closed unrecorded are told to the school and
    its education bureau, once each (issue 18 item 2)."""
    from huxiao.preparedness.services import drills_missed_notify

    with context.acting(source="task"):
        return drills_missed_notify()
