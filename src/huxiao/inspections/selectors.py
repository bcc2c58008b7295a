"""Reads of the inspections module: every one starts from the user's scope."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from huxiao.core.models import Attachment
from huxiao.inspections import rules
from huxiao.inspections.choices import OPEN_STATES, PHOTO_COLUMNS, HazardState, InspectionStatus
from huxiao.inspections.models import (
    Campaign,
    ChecklistTemplate,
    Escalation,
    Hazard,
    HazardEvent,
    Inspection,
    RectificationNotice,
    RectificationReport,
)


def campaign_list(*, user) -> QuerySet:
    return Campaign.objects.visible_to(user).select_related("issuer", "checklist")


def campaign_get(*, user, pk: int) -> Campaign:
    return get_object_or_404(campaign_list(user=user), pk=pk)


def campaign_progress(*, campaign: Campaign, user) -> dict:
    """Coverage (逐校逐园): target schools inspected, person-times, hazards found and closed.

    Counted over what ``user`` may see: a station sees its own schools' share of a city
    campaign, the city bureau sees the whole.
    """
    from huxiao.schools.models import School

    schools = School.objects.visible_to(user)
    targets = campaign.targets.filter(pk__in=schools.values("pk"))
    inspections = Inspection.objects.visible_to(user).filter(campaign=campaign)
    finished = inspections.filter(status=InspectionStatus.FINISHED)
    inspected = finished.filter(school__in=targets).values("school").distinct().count()
    target_count = targets.count()
    hazards = Hazard.objects.visible_to(user).filter(
        inspection_result__inspection__campaign=campaign
    )
    by_state = dict(hazards.values_list("state").annotate(n=Count("pk")))
    return {
        "targets": target_count,
        "inspected": inspected,
        "coverage": (inspected / target_count) if target_count else None,
        "inspections": finished.count(),
        "person_times": finished.aggregate(n=Sum("person_times"))["n"] or 0,
        "hazards": sum(by_state.values()),
        "hazards_by_state": {s: by_state.get(s, 0) for s in HazardState.values},
        "hazards_closed": by_state.get(HazardState.CLOSED, 0),
        "overdue": hazards.filter(is_overdue=True, state__in=OPEN_STATES).count(),
        "escalated": hazards.filter(is_escalated=True).count(),
        "not_inspected": targets.exclude(pk__in=finished.values("school")).select_related(
            "organization"
        ),
    }


def checklist_list(*, user) -> QuerySet:
    return ChecklistTemplate.objects.visible_to(user).prefetch_related("versions")


def checklist_get(*, user, pk: int) -> ChecklistTemplate:
    return get_object_or_404(checklist_list(user=user), pk=pk)


def inspection_list(*, user, with_failed: bool = True) -> QuerySet:
    """The inspections in scope, newest first; ``failed`` (the items found failing) unless
    ``with_failed`` is False — a figure counting the rows needs no aggregate over the results
    (it groups every inspection over its results: ~140 ms a count on a province)."""
    rows = Inspection.objects.visible_to(user).select_related(
        "school__organization", "campaign", "checklist_version__template"
    )
    if with_failed:
        rows = rows.annotate(failed=Count("results", filter=Q(results__result="fail")))
    return rows.order_by("-date", "-id")  # the aggregate drops Meta.ordering


def inspection_get(*, user, pk: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(user).select_related(
            "school__organization", "campaign", "checklist_version__template"
        ),
        pk=pk,
    )


def hazard_list(*, user) -> QuerySet:
    return Hazard.objects.visible_to(user).select_related(
        "school__organization", "notice", "reported_by"
    )


def hazard_get(*, user, pk: int) -> Hazard:
    return get_object_or_404(hazard_list(user=user), pk=pk)


def may_run(*, user, hazard: Hazard, transition: rules.Transition) -> bool:
    """The permission half of a transition (``rules.TRANSITIONS``): the permission it needs
    and, for the school's own steps, that the user belongs to the hazard's school."""
    if not user.has_perm(transition.permission):
        return False
    return not transition.own_school or (
        user.organization_id is not None and user.organization_id == hazard.school.organization_id
    )


def _done_once(transition: rules.Transition, hazard: Hazard) -> bool:
    return bool(transition.once and getattr(hazard, transition.once))


def hazard_actions(*, user, hazard: Hazard) -> list[str]:
    """The transitions ``user`` may run on ``hazard`` now: allowed from its state, not ruled
    out by what was done once (escalated, on a notice) and permitted to the user."""
    today = timezone.localdate()
    return [
        action
        for action in rules.allowed_actions(hazard.state)
        if not _done_once(rules.TRANSITIONS[action], hazard)
        and may_run(user=user, hazard=hazard, transition=rules.TRANSITIONS[action])
        and rules.condition_problem(rules.TRANSITIONS[action], hazard, today) is None
    ]


def hazard_history(*, hazard: Hazard) -> QuerySet:
    return HazardEvent.objects.filter(hazard=hazard).select_related("actor").order_by("at", "id")


def hazard_files(*, user, hazard: Hazard, reports=()) -> list[Attachment]:
    """The files of ``hazard`` and of its ``reports`` (整改报告) that ``user`` may open, oldest
    first, in one query: the page and the API file them by purpose (``photo_columns``)."""
    owned = Q(content_type=ContentType.objects.get_for_model(Hazard), object_id=hazard.pk)
    report_ids = [r.pk for r in reports]
    if report_ids:
        owned |= Q(
            content_type=ContentType.objects.get_for_model(RectificationReport),
            object_id__in=report_ids,
        )
    return list(Attachment.objects.visible_to(user).filter(owned).order_by("uploaded_at", "id"))


def report_files(files, report: RectificationReport) -> list[Attachment]:
    """What ``report`` attached (its pictures and its other evidence), from ``hazard_files``."""
    kind = ContentType.objects.get_for_model(RectificationReport).pk
    return [f for f in files if f.content_type_id == kind and f.object_id == report.pk]


def photo_columns(files) -> dict[str, list[Attachment]]:
    """Each picture under the one column its purpose names (``PHOTO_COLUMNS``: 整改前, 整改后,
    复查), whichever record holds it: a report's pictures are 整改后, a re-check's 复查."""
    columns: dict[str, list[Attachment]] = {purpose: [] for purpose in PHOTO_COLUMNS}
    for f in files:
        if f.is_image and f.purpose in columns:
            columns[f.purpose].append(f)
    return columns


def hazards_to_rectify(*, user) -> QuerySet:
    """Open hazards of the user's own school that wait on the school (not on a re-check)."""
    return (
        hazard_list(user=user)
        .filter(
            school__organization=user.organization_id,
            state__in=(HazardState.PENDING, HazardState.RECTIFYING),
        )
        .order_by("deadline", "pk")
    )


def hazards_to_recheck(*, user) -> QuerySet:
    return (
        hazard_list(user=user).filter(state=HazardState.AWAITING_RECHECK).order_by("deadline", "pk")
    )


def escalations_to_handle(*, user) -> QuerySet:
    """Open 督办 items whose supervising organisation is the user's own."""
    return (
        Escalation.objects.visible_to(user)
        .filter(supervisor=user.organization_id, handled_at__isnull=True)
        .select_related("hazard__school__organization", "supervisor")
        .order_by("deadline", "created_at")
    )


def escalation_list(*, user) -> QuerySet:
    return Escalation.objects.visible_to(user).select_related(
        "hazard__school__organization", "supervisor", "created_by", "handled_by"
    )


def escalation_get(*, user, pk: int) -> Escalation:
    return get_object_or_404(escalation_list(user=user), pk=pk)


def notice_list(*, user) -> QuerySet:
    return (
        RectificationNotice.objects.visible_to(user)
        .select_related("issuer", "school__organization", "copy_to", "issued_by")
        .annotate(hazard_count=Count("hazards"))
    )


def notice_get(*, user, pk: int) -> RectificationNotice:
    return get_object_or_404(
        RectificationNotice.objects.visible_to(user).select_related(
            "issuer", "school__organization", "copy_to", "issued_by", "received_by"
        ),
        pk=pk,
    )
