"""Pages of inspections (检查): the list and its export, starting one, recording its results,
finishing it, and one step from a failed item to a hazard.

Reads go through ``selectors`` (out of scope answers 404 like a missing id), writes through
``services``; a page the role may not open answers 403, and a refused write shows the
service's Chinese message with status 400. ``views_campaigns`` re-exports these views, as
``urls.py`` names them there.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, require
from huxiao.inspections import selectors, services
from huxiao.inspections.choices import InspectionStatus, ItemGroup, ItemResult
from huxiao.inspections.filtersets_campaigns import InspectionFilterSet
from huxiao.inspections.forms_campaigns import (
    HazardFromResultForm,
    InspectionStartForm,
)

VIEW_INSPECTION = "inspections.view_inspection"
ADD_INSPECTION = "inspections.add_inspection"
CHANGE_INSPECTION = "inspections.change_inspection"
ADD_HAZARD = "inspections.add_hazard"


def grouped(items, key=lambda item: item.group) -> list[dict]:
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


# ---- inspections -----------------------------------------------------------------------------


def inspection_rows(user):
    # The selector's COUNT drops Meta.ordering (a GROUP BY query): order explicitly.
    return (
        selectors.inspection_list(user=user)
        .select_related("school__organization__parent")
        .prefetch_related("inspectors")
        .order_by("-date", "-id")
    )


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
            return redirect("inspections:inspection_detail", pk=inspection.pk)
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
        "groups": grouped(rows, key=lambda r: r.item.group),
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


def _error_text(form, field: str, message: str) -> str:
    label = form.fields[field].label if field in form.fields else ""
    return f"{label}：{message}" if label else message


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
    return redirect("inspections:inspection_detail", pk=inspection.pk)


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
            return redirect("inspections:hazard_detail", pk=hazard.pk)
    errors = [
        _("%(code)s 登记隐患未成功：%(message)s")
        % {"code": result.item.code, "message": _error_text(form, field, message)}
        for field, messages_ in form.errors.items()
        for message in messages_
    ]
    return _render_inspection(
        request, inspection, status=400, errors=errors, forms={result.pk: form}
    )
