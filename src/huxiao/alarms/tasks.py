"""Periodic work of the alarms module: each task loads nothing itself, it calls a service
(``alarm_escalate_due``, ``supervision_check``), attributed to the task runner in the audit log."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huxiao.core import context


@db_periodic_task(crontab())
def escalate_unacknowledged_alarms() -> dict:
    """Every minute: alarms nobody acknowledged escalate to the sub-bureau, then to the city's
    command centre (issue 16 item 4; docs/decisions.md)."""
    from huxiao.alarms.services import alarm_escalate_due

    with context.acting(source="task"):
        return alarm_escalate_due()


@db_periodic_task(crontab())
def check_alarm_device_heartbeats() -> dict:
    """Every minute: a supervised one-key alarm device silent longer than its interval goes
    offline, with a hazard and an urgent notice (issue 16 item 6; docs/decisions.md)."""
    from huxiao.alarms.services_supervision import supervision_check

    with context.acting(source="task"):
        return supervision_check()
