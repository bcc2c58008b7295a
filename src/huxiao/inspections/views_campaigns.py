"""Pages of campaigns (专项行动) and checklists (检查表), at /inspections/; the inspection
pages live in ``views_inspections``.

Reads go through ``selectors`` (the user's scope; out of scope answers 404 like a missing id),
writes through ``services``; a page the role may not open answers 403, and a refused write
shows the service's Chinese message on the form with status 400. The lists are
``ScopedList``s: the page and its .xlsx export show the same rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core.forms import apply_service_errors
from huxiao.core.scoping import scope_filter
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.inspections import selectors, services
from huxiao.inspections.choices import HazardState, InspectionStatus
from huxiao.inspections.filtersets_campaigns import (
    CAMPAIGN_STATUS,
    CampaignFilterSet,
    ChecklistFilterSet,
    campaign_status,
)
from huxiao.inspections.forms_campaigns import (
    CampaignForm,
    ChecklistForm,
    visible_schools,
)
from huxiao.inspections.models import Campaign, ChecklistItem, ChecklistVersion, Inspection
from huxiao.inspections.views_inspections import grouped
from huxiao.schools.models import School

VIEW_CAMPAIGN = "inspections.view_campaign"
ADD_CAMPAIGN = "inspections.add_campaign"
CHANGE_CAMPAIGN = "inspections.change_campaign"
VIEW_CHECKLIST = "inspections.view_checklisttemplate"
ADD_CHECKLIST = "inspections.add_checklisttemplate"
CHANGE_CHECKLIST = "inspections.change_checklisttemplate"
ADD_INSPECTION = "inspections.add_inspection"

STATUS_LABELS = dict(CAMPAIGN_STATUS)


def _posted(request):
    # A POST binds the form even when empty (an empty form is refused, never shown as new).
    return request.POST if request.method == "POST" else None


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


# ---- campaigns -------------------------------------------------------------------------------


def campaign_rows(user):
    """Visible campaigns with their counts, all in one statement (no query per row).

    Counted over what ``user`` may see, as ``selectors.campaign_progress`` counts them: a
    station sees its own schools' share of a city campaign.
    """
    schools = School.objects.visible_to(user).values("pk")
    targets = (
        Campaign.targets.through.objects.filter(campaign=OuterRef("pk"), school__in=schools)
        .order_by()
        .values("campaign")
        .annotate(n=Count("school"))
        .values("n")
    )
    finished = (
        Inspection.objects.visible_to(user)
        .filter(campaign=OuterRef("pk"), status=InspectionStatus.FINISHED)
        .order_by()
        .values("campaign")
    )
    inspected = (
        finished.filter(school__campaigns=OuterRef("pk"))
        .annotate(n=Count("school", distinct=True))
        .values("n")
    )
    person_times = finished.annotate(n=Sum("person_times")).values("n")

    def count(subquery):
        return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))

    return selectors.campaign_list(user=user).annotate(
        target_count=count(targets),
        inspected_count=count(inspected),
        person_times=count(person_times),
    )


def _period(c) -> str:
    return f"{c.start_date:%Y-%m-%d} — {c.end_date:%Y-%m-%d}"


campaigns = ScopedList(
    permission=VIEW_CAMPAIGN,
    selector=campaign_rows,
    filterset_class=CampaignFilterSet,
    template="inspections/campaign_list.html",
    export_filename=gettext_lazy("专项行动"),
    object_type="inspections.campaign",
    columns=(
        Column(gettext_lazy("名称"), lambda c: c.name),
        Column(gettext_lazy("发起单位"), lambda c: c.issuer.name),
        Column(gettext_lazy("期间"), _period),
        Column(gettext_lazy("状态"), lambda c: str(STATUS_LABELS[campaign_status(c)])),
        Column(gettext_lazy("检查表"), lambda c: c.checklist.name),
        Column(gettext_lazy("目标学校数"), lambda c: c.target_count),
        Column(gettext_lazy("已检查学校数"), lambda c: c.inspected_count),
        Column(gettext_lazy("覆盖率"), lambda c: _percent(c.inspected_count, c.target_count)),
        Column(gettext_lazy("出动警力人次"), lambda c: c.person_times),
    ),
)
campaign_export = campaigns.export_view


@require(VIEW_CAMPAIGN)
def campaign_list(request):
    filterset, queryset = campaigns.filter(request)
    page_obj = page_of(request, queryset)
    page_obj.object_list = list(page_obj.object_list)
    for c in page_obj.object_list:
        c.status = campaign_status(c)
        c.status_label = STATUS_LABELS[c.status]
        c.coverage = _percent(c.inspected_count, c.target_count)
    context = {"filter": filterset, "page_obj": page_obj}
    return render(request, "inspections/campaign_list.html", context)


def _may_edit(user, campaign: Campaign) -> bool:
    """Whoever holds change_campaign edits the campaigns issued inside their own scope; a
    station sees the city bureau's campaign but does not rewrite it."""
    if not user.has_perm(CHANGE_CAMPAIGN):
        return False
    q = scope_filter(Campaign, user)
    if q is None:
        return False
    return not q or Campaign.objects.filter(q, pk=campaign.pk).exists()


@require(ADD_CAMPAIGN)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    form = CampaignForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user.organization is None:
            form.add_error(None, _("您没有所属单位，不能发起专项行动。"))
        else:
            try:
                campaign = services.campaign_create(
                    name=data["name"],
                    issuer=user.organization,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    checklist=data["checklist"],
                    targets=data["targets"],
                    description=data["description"],
                    actor=user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("专项行动已发起。"))
                return redirect("inspections:campaign_detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/campaign_form.html", {"form": form}, status=status)


@require(CHANGE_CAMPAIGN)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    if not _may_edit(user, campaign):
        raise PermissionDenied
    form = CampaignForm(_posted(request), user=user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Targets the user cannot see (another station's schools) are kept as they are.
        hidden = campaign.targets.exclude(pk__in=visible_schools(user).values("pk"))
        try:
            services.campaign_update(
                campaign=campaign,
                name=data["name"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                checklist=data["checklist"],
                description=data["description"],
                targets=[*hidden, *data["targets"]],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("专项行动已保存。"))
            return redirect("inspections:campaign_detail", pk=campaign.pk)
        campaign = selectors.campaign_get(user=user, pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "campaign": campaign}
    return render(request, "inspections/campaign_form.html", context, status=status)


def _target_rows(user, campaign: Campaign):
    """The campaign's target schools the user sees, each with its inspection in the campaign."""
    mine = Inspection.objects.visible_to(user).filter(campaign=campaign, school=OuterRef("pk"))
    finished = mine.filter(status=InspectionStatus.FINISHED).order_by("-date", "-id")
    draft = mine.filter(status=InspectionStatus.DRAFT).order_by("-date", "-id")
    return (
        visible_schools(user)
        .filter(campaigns=campaign)
        .annotate(
            inspected_on=Subquery(finished.values("date")[:1]),
            inspection_id=Subquery(finished.values("pk")[:1]),
            draft_id=Subquery(draft.values("pk")[:1]),
        )
    )


def _hazard_links(campaign: Campaign, by_state: dict) -> list[dict]:
    base = reverse("inspections:hazard_list")
    return [
        {
            "state": state,
            "label": label,
            "count": by_state.get(state, 0),
            "url": f"{base}?{urlencode({'campaign': campaign.pk, 'state': state})}",
        }
        for state, label in HazardState.choices
    ]


@require(VIEW_CAMPAIGN)
def campaign_detail(request, pk: int):
    user = request.user
    campaign = selectors.campaign_get(user=user, pk=pk)
    progress = selectors.campaign_progress(campaign=campaign, user=user)
    rows = _target_rows(user, campaign)
    pending = request.GET.get("pending") == "1"
    if pending:
        rows = rows.filter(inspected_on__isnull=True)
    status = campaign_status(campaign)
    context = {
        "campaign": campaign,
        "progress": progress,
        "coverage": _percent(progress["inspected"], progress["targets"]),
        "hazard_links": _hazard_links(campaign, progress["hazards_by_state"]),
        "hazards_url": f"{reverse('inspections:hazard_list')}?{urlencode({'campaign': campaign.pk})}",
        "page_obj": page_of(request, rows),
        "pending": pending,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "can_edit": _may_edit(user, campaign),
        "can_inspect": user.has_perm(ADD_INSPECTION),
        "inspections_url": f"{reverse('inspections:inspection_list')}?{urlencode({'campaign': campaign.pk})}",
    }
    return render(request, "inspections/campaign_detail.html", context)


# ---- checklists ------------------------------------------------------------------------------


def checklist_rows(user):
    """Checklists with their current version's number and item count (one statement)."""
    latest = ChecklistVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
    current_items = (
        ChecklistItem.objects.filter(
            version=Subquery(
                ChecklistVersion.objects.filter(template=OuterRef(OuterRef("pk")))
                .order_by("-number")
                .values("pk")[:1]
            )
        )
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        selectors.checklist_list(user=user)
        .prefetch_related(None)
        .annotate(
            current_number=Subquery(latest.values("number")[:1]),
            item_count=Coalesce(Subquery(current_items), Value(0)),
        )
    )


checklists = ScopedList(
    permission=VIEW_CHECKLIST,
    selector=checklist_rows,
    filterset_class=ChecklistFilterSet,
    template="inspections/checklist_list.html",
    export_filename=gettext_lazy("检查表"),
    object_type="inspections.checklisttemplate",
    columns=(
        Column(gettext_lazy("名称"), lambda t: t.name),
        Column(gettext_lazy("当前版本"), lambda t: t.current_number),
        Column(gettext_lazy("检查项数"), lambda t: t.item_count),
        Column(gettext_lazy("启用"), lambda t: t.is_active),
        Column(gettext_lazy("更新时间"), lambda t: local_time(t.updated_at)),
    ),
)
checklist_list = checklists.list_view


@require(VIEW_CHECKLIST)
def checklist_detail(request, pk: int):
    template = selectors.checklist_get(user=request.user, pk=pk)
    versions = list(
        template.versions.select_related("published_by")
        .annotate(
            item_count=Count("items", distinct=True),
            inspection_count=Count("inspections", distinct=True),
        )
        .order_by("-number")
    )
    if not versions:
        raise Http404
    wanted = request.GET.get("version")
    if wanted:
        try:
            number = int(wanted)
        except ValueError:
            raise Http404 from None
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            raise Http404
    else:
        version = versions[0]
    items = version.items.order_by("order", "id")
    context = {
        "template": template,
        "version": version,
        "is_current": version.number == versions[0].number,
        "versions": versions,
        "groups": grouped(items),
        "can_edit": request.user.has_perm(CHANGE_CHECKLIST),
    }
    return render(request, "inspections/checklist_detail.html", context)


@require(ADD_CHECKLIST)
@require_http_methods(["GET", "POST"])
def checklist_create(request):
    form = ChecklistForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.checklist_create(
                name=data["name"],
                items=data["items"],
                description=data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("检查表已创建（版本 1）。"))
            return redirect("inspections:checklist_detail", pk=template.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/checklist_form.html", {"form": form}, status=status)


def _item_keys(items) -> list[tuple]:
    return [
        (i["group"], i["code"] or f"{n:02d}", i["text"], i["guidance"])
        for n, i in enumerate(items, start=1)
    ]


@require(CHANGE_CHECKLIST)
@require_http_methods(["GET", "POST"])
def checklist_edit(request, pk: int):
    template = selectors.checklist_get(user=request.user, pk=pk)
    form = ChecklistForm(_posted(request), template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        current = template.current_version
        old = [
            (i.group, i.code, i.text, i.guidance)
            for i in (current.items.order_by("order", "id") if current else [])
        ]
        try:
            with transaction.atomic():
                services.checklist_update(
                    template=template,
                    name=data["name"],
                    description=data["description"],
                    is_active=data["is_active"],
                )
                version = None
                if _item_keys(data["items"]) != old:
                    version = services.checklist_publish(
                        template=template,
                        items=data["items"],
                        note=data["note"],
                        actor=request.user,
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if version is not None:
                messages.success(
                    request,
                    _("已发布新版本 %(n)d。已完成的检查仍保留原版本。") % {"n": version.number},
                )
            else:
                messages.success(request, _("检查表已保存；检查项没有变化，未发布新版本。"))
            return redirect("inspections:checklist_detail", pk=template.pk)
        template = selectors.checklist_get(user=request.user, pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "template": template}
    return render(request, "inspections/checklist_form.html", context, status=status)


__all__ = [
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_export",
    "campaign_list",
    "checklist_create",
    "checklist_detail",
    "checklist_edit",
    "checklist_list",
]
