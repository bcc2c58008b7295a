"""What the rectification loop puts in “我的待办” (``huxiao.core.worklist``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import worklist
from huxiao.inspections import rules, selectors
from huxiao.inspections.choices import HazardState


def inspection_items(user):
    perms = user.get_all_permissions()
    su = user.is_superuser
    today = timezone.localdate()
    if su or "inspections.rectify_hazard" in perms:
        # The school rectifies its own hazards (not those of schools it merely sees).
        for h in selectors.hazards_to_rectify(user=user):
            yield worklist.WorkItem(
                kind="hazard_rectify",
                kind_label=_("整改隐患"),
                title=h.title,
                url=reverse("inspections:hazard_detail", args=[h.pk]),
                due=h.deadline,
                school=str(h.school),
                state=h.get_state_display(),
                object_type="inspections.hazard",
                object_id=h.pk,
                urgent=h.is_overdue or h.is_escalated,
                late=rules.hazard_overdue(h, today),
            )
    if su or "inspections.recheck_hazard" in perms:
        for h in selectors.hazards_to_recheck(user=user):
            yield worklist.WorkItem(
                kind="hazard_recheck",
                kind_label=_("复查隐患"),
                title=h.title,
                url=reverse("inspections:hazard_detail", args=[h.pk]),
                due=h.deadline,
                school=str(h.school),
                state=h.get_state_display(),
                object_type="inspections.hazard",
                object_id=h.pk,
                urgent=h.is_escalated,
                late=rules.hazard_overdue(h, today),
            )
    if su or "inspections.supervise_hazard" in perms:
        for e in selectors.escalations_to_handle(user=user):
            yield worklist.WorkItem(
                kind="escalation_handle",
                kind_label=_("处理督办"),
                title=f"{e.number} {e.hazard.title}",
                url=reverse("inspections:hazard_detail", args=[e.hazard_id]),
                due=e.deadline or e.hazard.deadline,
                school=str(e.hazard.school),
                state=HazardState(e.hazard.state).label,
                object_type="inspections.escalation",
                object_id=e.pk,
                urgent=True,
            )
