"""Preparedness in “我的待办” (``huxiao.core.worklist``): plans of the user's school due for
review (within ``PREPAREDNESS_REVIEW_NOTICE_DAYS``), and planned drills whose window has opened,
for the school's staff who keep them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import worklist
from huxiao.preparedness import rules, selectors


def items(user):
    today = timezone.localdate()
    if user.has_perm("preparedness.change_emergencyplan"):
        days = selectors.review_notice_days()
        for plan in selectors.plans_due(user=user, today=today, within_days=days):
            yield worklist.WorkItem(
                kind="plan_review",
                kind_label=_("应急预案评审"),
                title=plan.title,
                url=reverse("preparedness:plan_detail", args=[plan.pk]),
                due=plan.next_review_on,
                school=plan.school.organization.name,
                state=plan.get_status_display(),
                object_type="preparedness.emergencyplan",
                object_id=plan.pk,
                urgent=plan.next_review_on < today,
            )
    if user.has_perm("preparedness.hold_drill"):
        for drill in selectors.drills_to_record(user=user, today=today):
            late = rules.drill_missed(state=drill.state, due_on=drill.planned_until, on=today)
            yield worklist.WorkItem(
                kind="drill_record",
                kind_label=_("记录应急演练"),
                title=str(drill),
                url=reverse("preparedness:drill_detail", args=[drill.pk]),
                due=drill.planned_until,
                school=drill.school.organization.name,
                state=drill.get_state_display(),
                object_type="preparedness.drill",
                object_id=drill.pk,
                urgent=late,
                late=late,
            )
