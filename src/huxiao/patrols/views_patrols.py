"""Pages of patrol logs (网格化巡逻): the list and its export, starting a patrol on a route, a
patrol's checkpoints with 到点打卡 by the phone's position, 结束巡逻, 中止 and findings (→ hazards
of the route's schools). Routes live in ``views_routes``, video patrols in ``views_video``.

Reads go through ``patrols.selectors`` (the user's scope): a patrol of another station answers 404 exactly like a
missing id, a page the role may not use answers 403. Writes go through ``patrols.services``;
a refusal is shown on the page in Chinese with status 400 and nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huxiao.core.forms import apply_service_errors
from huxiao.core.views.generic import Column, ScopedList, local_time, page_of, require
from huxiao.inspections.models import Hazard
from huxiao.patrols import rules, selectors, services
from huxiao.patrols.choices import DEFAULT_WINDOWS, PatrolStatus
from huxiao.patrols.filtersets_patrols import PatrolLogFilterSet
from huxiao.patrols.forms_patrols import (
    AbandonForm,
    FindingForm,
    FinishForm,
    PatrolStartForm,
    VisitForm,
)
from huxiao.patrols.models import PatrolLog

VIEW_LOG = "patrols.view_patrollog"
ADD_LOG = "patrols.add_patrollog"
CHANGE_LOG = "patrols.change_patrollog"
ADD_HAZARD = "inspections.add_hazard"
VIEW_HAZARD = "inspections.view_hazard"
WINDOW_NAMES = {code: w["name"] for code, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)}


# ---- how a patrol is shown ---------------------------------------------------------------------


def window_name(code: str) -> str:
    return WINDOW_NAMES.get(code, code) if code else _("其他时段")


def missed_count(log: PatrolLog):
    """漏巡 counts once a patrol is over; while it runs the points are still to come."""
    return None if log.status == PatrolStatus.IN_PROGRESS else log.unvisited


# ---- patrol logs ---------------------------------------------------------------------------------


patrols = ScopedList(
    permission=VIEW_LOG,
    selector=lambda user: selectors.log_list(user=user),
    filterset_class=PatrolLogFilterSet,
    template="patrols/patrol_list.html",
    export_filename=gettext_lazy("巡逻记录"),
    object_type="patrols.patrollog",
    columns=(
        Column(gettext_lazy("日期"), lambda g: g.date),
        Column(gettext_lazy("路线"), lambda g: g.route.name),
        Column(gettext_lazy("巡逻单位"), lambda g: g.organization.name),
        Column(gettext_lazy("带班民警"), lambda g: g.leader.display_name),
        Column(gettext_lazy("民警（人）"), lambda g: g.police_count),
        Column(gettext_lazy("辅警（人）"), lambda g: g.auxiliary_count),
        Column(gettext_lazy("车辆（台）"), lambda g: g.vehicles),
        Column(gettext_lazy("警力（人次）"), lambda g: g.person_times),
        Column(gettext_lazy("时段"), lambda g: window_name(g.window)),
        Column(gettext_lazy("开始时间"), lambda g: local_time(g.started_at)),
        Column(gettext_lazy("结束时间"), lambda g: local_time(g.ended_at)),
        Column(gettext_lazy("状态"), lambda g: g.get_status_display()),
        Column(gettext_lazy("漏巡点数"), missed_count),
    ),
)
patrol_export = patrols.export_view


@require(VIEW_LOG)
def patrol_list(request):
    filterset, queryset = patrols.filter(request)
    page_obj = page_of(request, queryset)
    page_obj.object_list = list(page_obj.object_list)
    for log in page_obj.object_list:
        log.window_name = window_name(log.window)
        log.missed = missed_count(log)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "can_start": request.user.has_perm(ADD_LOG),
    }
    return render(request, "patrols/patrol_list.html", context)


@require(ADD_LOG)
@require_http_methods(["GET", "POST"])
def patrol_start(request):
    user = request.user
    if request.method != "POST":
        now = timezone.localtime()
        current = rules.window_at(
            [{"code": c, **w} for c, w in zip(("am", "pm"), DEFAULT_WINDOWS, strict=True)],
            now.time(),
        )
        initial = {"window": current["code"] if current else ""}
        if request.GET.get("route", "").isdigit():
            initial["route"] = int(request.GET["route"])
        form = PatrolStartForm(user=user, initial=initial)
        return render(request, "patrols/patrol_form.html", {"form": form})
    form = PatrolStartForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            log = services.patrol_start(
                route=data["route"],
                leader=user,
                police_count=data["police_count"],
                auxiliary_count=data["auxiliary_count"],
                vehicles=data["vehicles"],
                window=data["window"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("巡逻已开始：到达每个巡逻点后点“到点打卡”。"))
            return redirect("patrols:patrol_detail", pk=log.pk)
    return render(request, "patrols/patrol_form.html", {"form": form}, status=400)


def _route_schools(user, log: PatrolLog):
    """The schools on the patrol's route that the user sees (where a finding can be filed)."""
    return selectors.route_schools(user=user, route=log.route_id)


def _findings(user, log: PatrolLog):
    """Hazards filed from this patrol: the model keeps no link from a hazard to its patrol, so
    these are the route's schools' 巡逻发现 of the day registered since the patrol started."""
    if not user.has_perm(VIEW_HAZARD):
        return None
    return list(
        Hazard.objects.visible_to(user)
        .filter(
            source="patrol",
            found_on=log.date,
            school__in=_route_schools(user, log),
            created_at__gte=log.started_at,
        )
        .select_related("school__organization")
        .order_by("created_at", "id")[:50]
    )


def _checkpoint_rows(log: PatrolLog):
    visits = {v.checkpoint_id: v for v in selectors.log_visits(log=log)}
    finished = log.status != PatrolStatus.IN_PROGRESS
    rows = []
    for cp in selectors.route_checkpoints(route=log.route_id):
        visit = visits.get(cp.pk)
        state = "visited" if visit else ("missed" if finished and cp.is_mandatory else "todo")
        rows.append({"checkpoint": cp, "visit": visit, "state": state})
    return rows


def _render_detail(request, log: PatrolLog, status: int = 200, **forms):
    user = request.user
    running = log.status == PatrolStatus.IN_PROGRESS
    can_change = user.has_perm(CHANGE_LOG)
    can_find = can_change and user.has_perm(ADD_HAZARD)
    schools = _route_schools(user, log)
    rows = _checkpoint_rows(log)
    finding_id = request.GET.get("finding", "")
    findings = _findings(user, log)
    # A refusal of the service (the patrol is over, …) is shown at the top of the page: the
    # form it came from may no longer be on it.
    refusals = [
        str(error)
        for form in forms.values()
        if hasattr(form, "non_field_errors")
        for error in form.non_field_errors()
    ]
    context = {
        "log": log,
        "window_name": window_name(log.window),
        "rows": rows,
        "missed": [r["checkpoint"] for r in rows if r["state"] == "missed"],
        "visited_count": sum(1 for r in rows if r["visit"]),
        "running": running,
        "can_change": can_change and running,
        "can_find": can_find,
        "finish_form": forms.get("finish_form") or FinishForm(),
        "abandon_form": forms.get("abandon_form") or AbandonForm(),
        "finding_form": forms.get("finding_form") or FindingForm(schools=schools),
        "visit_error": forms.get("visit_error"),
        "visit_checkpoint": forms.get("visit_checkpoint"),
        "refusals": refusals,
        "findings": findings,
        "new_finding": int(finding_id) if finding_id.isdigit() else None,
    }
    return render(request, "patrols/patrol_detail.html", context, status=status)


@require(VIEW_LOG)
def patrol_detail(request, pk: int):
    return _render_detail(request, selectors.log_get(user=request.user, pk=pk))


@require(CHANGE_LOG)
@require_POST
def patrol_visit(request, pk: int):
    """到点打卡: the phone's position (filled in by patrol_pages.js) within the checkpoint's radius."""
    log = selectors.log_get(user=request.user, pk=pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, log, 400, visit_error=_("没有收到定位，请允许定位后重试。"))
    checkpoint = (
        selectors.route_checkpoints(route=log.route_id)
        .filter(pk=form.cleaned_data["checkpoint"])
        .first()
    )
    if checkpoint is None:
        return _render_detail(request, log, 400, visit_error=_("该巡逻点不在本路线上。"))
    try:
        visit = services.patrol_visit(
            log=log,
            checkpoint=checkpoint,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
        )
    except ValidationError as exc:
        return _render_detail(
            request,
            selectors.log_get(user=request.user, pk=pk),
            400,
            visit_error=" ".join(exc.messages),
            visit_checkpoint=checkpoint.pk,
        )
    messages.success(
        request,
        _("已到达巡逻点“%(name)s”（距 %(d)s 米）。")
        % {"name": checkpoint.name, "d": "—" if visit.distance_m is None else visit.distance_m},
    )
    return redirect("patrols:patrol_detail", pk=log.pk)


@require(CHANGE_LOG)
@require_POST
def patrol_finish(request, pk: int):
    log = selectors.log_get(user=request.user, pk=pk)
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            log = services.patrol_finish(log=log, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            missed = list(services.missed_checkpoints(log).values_list("name", flat=True))
            if missed:
                messages.warning(
                    request,
                    _("巡逻已结束，未完成（漏巡）：%(names)s。") % {"names": "、".join(missed)},
                )
            else:
                messages.success(request, _("巡逻已结束，必巡点全部到达。"))
            return redirect("patrols:patrol_detail", pk=log.pk)
    return _render_detail(
        request, selectors.log_get(user=request.user, pk=pk), 400, finish_form=form
    )


@require(CHANGE_LOG)
@require_POST
def patrol_abandon(request, pk: int):
    log = selectors.log_get(user=request.user, pk=pk)
    form = AbandonForm(request.POST)
    if form.is_valid():
        try:
            services.patrol_abandon(log=log, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.warning(request, _("巡逻已中止。"))
            return redirect("patrols:patrol_detail", pk=log.pk)
    return _render_detail(
        request, selectors.log_get(user=request.user, pk=pk), 400, abandon_form=form
    )


@require(CHANGE_LOG)
@require(ADD_HAZARD)
@require_POST
def patrol_finding(request, pk: int):
    """登记发现: a problem seen on the patrol becomes a hazard of a school on the route."""
    user = request.user
    log = selectors.log_get(user=user, pk=pk)
    form = FindingForm(request.POST, schools=_route_schools(user, log))
    if form.is_valid():
        data = form.cleaned_data
        try:
            hazard = services.patrol_finding(
                log=log,
                school=data["school"],
                title=data["title"].strip(),
                category=data["category"],
                severity=data["severity"],
                description=data["description"],
                actor=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("巡逻发现已登记为隐患：%(t)s。") % {"t": hazard.title})
            return redirect(
                reverse("patrols:patrol_detail", args=[log.pk]) + f"?finding={hazard.pk}"
            )
    return _render_detail(request, log, 400, finding_form=form)
