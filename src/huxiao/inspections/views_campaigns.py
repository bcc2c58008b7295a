"""Pages of campaigns (专项行动), checklists (检查表) and inspections (检查), at /inspections/.

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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.scoping import scope_filter
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.inspections import selectors, services
from huxiao.inspections.choices import HazardState, InspectionStatus, ItemGroup, ItemResult
from huxiao.inspections.filtersets_campaigns import (
    CAMPAIGN_STATUS,
    CampaignFilterSet,
    ChecklistFilterSet,
    InspectionFilterSet,
    campaign_status,
    visible_campaigns,
)
from huxiao.inspections.forms_campaigns import (
    CampaignForm,
    ChecklistForm,
    HazardFromResultForm,
    InspectionStartForm,
    apply_service_errors,
    visible_schools,
)
from huxiao.inspections.models import Campaign, ChecklistItem, ChecklistVersion, Inspection
from huxiao.schools.models import School

VIEW_CAMPAIGN = "inspections.view_campaign"
ADD_CAMPAIGN = "inspections.add_campaign"
CHANGE_CAMPAIGN = "inspections.change_campaign"
VIEW_CHECKLIST = "inspections.view_checklisttemplate"
ADD_CHECKLIST = "inspections.add_checklisttemplate"
CHANGE_CHECKLIST = "inspections.change_checklisttemplate"
VIEW_INSPECTION = "inspections.view_inspection"
ADD_INSPECTION = "inspections.add_inspection"
CHANGE_INSPECTION = "inspections.change_inspection"
ADD_HAZARD = "inspections.add_hazard"

STATUS_LABELS = dict(CAMPAIGN_STATUS)


def _campaign_list(user):
    # selectors.campaign_list, read through the workaround (see ``visible_campaigns``).
    return visible_campaigns(user).select_related("issuer", "checklist")


def _campaign_get(user, pk: int) -> Campaign:
    return get_object_or_404(_campaign_list(user), pk=pk)


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

    return _campaign_list(user).annotate(
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
    form = CampaignForm(request.POST or None, user=user)
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
                return redirect("campaign_detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/campaign_form.html", {"form": form}, status=status)


@require(CHANGE_CAMPAIGN)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    user = request.user
    campaign = _campaign_get(user, pk)
    if not _may_edit(user, campaign):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=user, campaign=campaign)
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
            return redirect("campaign_detail", pk=campaign.pk)
        campaign = _campaign_get(user, pk)
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
    base = reverse("hazard_list")
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
    campaign = _campaign_get(user, pk)
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
        "hazards_url": f"{reverse('hazard_list')}?{urlencode({'campaign': campaign.pk})}",
        "page_obj": page_of(request, rows),
        "pending": pending,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "can_edit": _may_edit(user, campaign),
        "can_inspect": user.has_perm(ADD_INSPECTION),
        "inspections_url": f"{reverse('inspection_list')}?{urlencode({'campaign': campaign.pk})}",
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


def _grouped(items, key=lambda item: item.group) -> list[dict]:
    """Rows in the six groups' order (人防 … 周边); empty groups are left out."""
    by_group: dict[str, list] = {}
    for item in items:
        by_group.setdefault(key(item), []).append(item)
    groups = [
        {"code": value, "label": label, "rows": by_group.pop(value)}
        for value, label in ItemGroup.choices
        if value in by_group
    ]
    # A group no longer among the choices still shows, after the known ones.
    groups += [{"code": code, "label": code, "rows": rows} for code, rows in by_group.items()]
    return groups


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
        "groups": _grouped(items),
        "can_edit": request.user.has_perm(CHANGE_CHECKLIST),
    }
    return render(request, "inspections/checklist_detail.html", context)


@require(ADD_CHECKLIST)
@require_http_methods(["GET", "POST"])
def checklist_create(request):
    form = ChecklistForm(request.POST or None)
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
            return redirect("checklist_detail", pk=template.pk)
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
    form = ChecklistForm(request.POST or None, template=template)
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
            return redirect("checklist_detail", pk=template.pk)
        template = selectors.checklist_get(user=request.user, pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "template": template}
    return render(request, "inspections/checklist_form.html", context, status=status)


# ---- inspections -----------------------------------------------------------------------------


def inspection_rows(user):
    return selectors.inspection_list(user=user).prefetch_related("inspectors")


def _inspectors(i) -> str:
    return "、".join(u.display_name for u in i.inspectors.all())


inspections = ScopedList(
    permission=VIEW_INSPECTION,
    selector=inspection_rows,
    filterset_class=InspectionFilterSet,
    template="inspections/inspection_list.html",
    export_filename=gettext_lazy("检查记录"),
    object_type="inspections.inspection",
    columns=(
        Column(gettext_lazy("检查日期"), lambda i: i.date),
        Column(gettext_lazy("学校"), lambda i: i.school.organization.name),
        Column(gettext_lazy("专项行动"), lambda i: i.campaign.name if i.campaign_id else ""),
        Column(
            gettext_lazy("检查表"),
            lambda i: f"{i.checklist_version.template.name} v{i.checklist_version.number}",
        ),
        Column(gettext_lazy("检查民警"), _inspectors),
        Column(gettext_lazy("出动警力（人次）"), lambda i: i.person_times),
        Column(gettext_lazy("不合格项"), lambda i: i.failed),
        Column(gettext_lazy("状态"), lambda i: i.get_status_display()),
        Column(gettext_lazy("完成时间"), lambda i: local_time(i.finished_at)),
    ),
)
inspection_list = inspections.list_view
inspection_export = inspections.export_view


def _int_param(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@require(ADD_INSPECTION)
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    user = request.user
    if request.method == "POST":
        form = InspectionStartForm(request.POST, user=user)
    else:
        initial = {}
        campaign_id, school_id = _int_param(request, "campaign"), _int_param(request, "school")
        if campaign_id:
            initial["campaign"] = campaign_id
        if school_id:
            initial["school"] = school_id
        form = InspectionStartForm(initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_start(
                school=data["school"],
                date=data["date"],
                inspectors=data["inspectors"],
                campaign=data["campaign"],
                checklist=None if data["campaign"] else data["checklist"],
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("检查已开始，请逐项填写检查结果。"))
            return redirect("inspection_detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/inspection_form.html", {"form": form}, status=status)


def _posted_results(request, rows) -> dict[int, dict]:
    results = {}
    for row in rows:
        data = {}
        if f"result-{row.pk}" in request.POST:
            data["result"] = request.POST[f"result-{row.pk}"]
        if f"note-{row.pk}" in request.POST:
            data["note"] = request.POST[f"note-{row.pk}"]
        if data:
            results[row.pk] = data
    return results


def _render_inspection(request, inspection, *, status=200, posted=None, errors=(), forms=None):
    user = request.user
    can_change = user.has_perm(CHANGE_INSPECTION)
    editable = can_change and inspection.status == InspectionStatus.DRAFT
    can_hazard = can_change and user.has_perm(ADD_HAZARD)
    rows = list(
        inspection.results.select_related("item", "hazard").order_by("item__order", "item_id")
    )
    posted = posted or {}
    forms = forms or {}
    for row in rows:
        shown = posted.get(row.pk, {})
        row.shown_result = shown.get("result", row.result)
        row.shown_note = shown.get("note", row.note)
        row.hazard_obj = getattr(row, "hazard", None)
        if can_hazard and row.result == ItemResult.FAIL and row.hazard_obj is None:
            row.hazard_form = forms.get(row.pk) or HazardFromResultForm(result=row)
    counts = dict.fromkeys(ItemResult.values, 0)
    for row in rows:
        if row.result:
            counts[row.result] += 1
    context = {
        "inspection": inspection,
        "groups": _grouped(rows, key=lambda r: r.item.group),
        "failed_rows": [r for r in rows if r.result == ItemResult.FAIL],
        "counts": counts,
        "blank": sum(1 for r in rows if not r.result),
        "total": len(rows),
        "inspectors": list(inspection.inspectors.order_by("username")),
        "editable": editable,
        "can_hazard": can_hazard,
        "result_choices": ItemResult.choices,
        "errors": errors,
        "summary": request.POST.get("summary", inspection.summary) if posted else None,
    }
    return render(request, "inspections/inspection_detail.html", context, status=status)


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require(VIEW_INSPECTION)
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk: int):
    user = request.user
    inspection = selectors.inspection_get(user=user, pk=pk)
    if request.method != "POST":
        return _render_inspection(request, inspection)
    if not user.has_perm(CHANGE_INSPECTION):
        raise PermissionDenied
    action = request.POST.get("action", "save")
    posted = _posted_results(request, inspection.results.all())
    try:
        services.inspection_record(inspection=inspection, results=posted, actor=user)
        if action == "finish":
            services.inspection_finish(
                inspection=inspection, summary=request.POST.get("summary", "").strip(), actor=user
            )
    except ValidationError as exc:
        inspection = selectors.inspection_get(user=user, pk=pk)
        return _render_inspection(
            request, inspection, status=400, posted=posted, errors=_messages_of(exc)
        )
    if action == "finish":
        messages.success(request, _("检查已完成。"))
    else:
        messages.success(request, _("检查结果已保存。"))
    return redirect("inspection_detail", pk=inspection.pk)


@require(ADD_HAZARD)
@require_POST
def inspection_result_hazard(request, pk: int, result_pk: int):
    user = request.user
    inspection = selectors.inspection_get(user=user, pk=pk)
    result = get_object_or_404(inspection.results.select_related("item"), pk=result_pk)
    if not user.has_perm(CHANGE_INSPECTION):
        raise PermissionDenied
    form = HazardFromResultForm(request.POST, request.FILES, result=result)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hazard = services.hazard_from_result(
                result=result,
                severity=data["severity"],
                title=data["title"],
                description=data["description"],
                deadline=data["deadline"],
                photos=request.FILES.getlist("photos"),
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("隐患已登记。"))
            return redirect("hazard_detail", pk=hazard.pk)
    errors = [_("%(code)s 登记隐患未成功，请查看下方表单中的错误。") % {"code": result.item.code}]
    return _render_inspection(
        request, inspection, status=400, errors=errors, forms={result.pk: form}
    )
