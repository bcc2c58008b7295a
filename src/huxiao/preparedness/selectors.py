"""Reads of the preparedness module: each takes the acting user and starts from the scoped
queryset (``Model.objects.visible_to(user)``): a school sees its own records, an education
bureau its schools', the police their jurisdiction's (read-only by their permissions). Pages,
exports, the API, the figures and "my tasks" call the same functions, so a record of another
school answers 404 exactly like a missing one."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core.choices import OrgKind
from huxiao.preparedness import parameters as params
from huxiao.preparedness.choices import DrillState, PlanStatus
from huxiao.preparedness.models import Drill, EmergencyPlan
from huxiao.schools.models import School


def schools_for(*, user) -> QuerySet:
    return (
        School.objects.visible_to(user)
        .select_related("organization", "organization__education_bureau")
        .order_by("organization__path")
    )


def own_school(user) -> School | None:
    """The school a school's staff member works at."""
    if not getattr(user, "organization_id", None):
        return None
    return (
        School.objects.select_related("organization")
        .filter(organization_id=user.organization_id)
        .first()
    )


def planning_bureau(user):
    """The education bureau a user plans drills for (their organisation), or None."""
    org = user.organization if getattr(user, "organization_id", None) else None
    return org if org is not None and org.kind == OrgKind.EDUCATION_BUREAU else None


# ---- plans ---------------------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet:
    return EmergencyPlan.objects.visible_to(user).select_related("school__organization")


def plan_get(*, user, pk: int) -> EmergencyPlan:
    return get_object_or_404(plan_list(user=user), pk=pk)


def plans_due(*, user, today: dt.date | None = None, within_days: int = 0) -> QuerySet:
    """Plans in force whose review falls on or before ``today`` + ``within_days``."""
    today = today or timezone.localdate()
    return plan_list(user=user).filter(
        status=PlanStatus.IN_FORCE, next_review_on__lte=today + dt.timedelta(days=within_days)
    )


def review_notice_days() -> int:
    return params.get(params.REVIEW_NOTICE_DAYS)


# ---- drills --------------------------------------------------------------------------------------


def drill_list(*, user) -> QuerySet:
    return Drill.objects.visible_to(user).select_related(
        "school__organization", "planned_by_org", "planned_by", "recorded_by", "cancelled_by"
    )


def drill_get(*, user, pk: int) -> Drill:
    return get_object_or_404(drill_list(user=user), pk=pk)


def drills_to_record(*, user, today: dt.date | None = None) -> QuerySet:
    """Planned drills whose window has opened (or passed): the school owes their record."""
    today = today or timezone.localdate()
    return drill_list(user=user).filter(state=DrillState.PLANNED, planned_from__lte=today)


def missed_unnotified(today: dt.date) -> QuerySet:
    """Every planned drill whose window closed before ``today`` and whose school and bureau were
    not told yet (the periodic task's work; not a user's read)."""
    return Drill.objects.filter(
        state=DrillState.PLANNED, planned_until__lt=today, missed_notified_at__isnull=True
    ).select_related("school__organization", "school__organization__education_bureau")
