"""Pages of patrol routes (网格化巡逻): the list and its export, a route with its checkpoints
(必巡点) on a map and its recent patrols, and the form that creates or edits a route with its
checkpoints in order (a checkpoint at a school takes the school's position when none is typed).

Out of scope is 404, a page the role may not use is 403; a route is created through
``services.route_create`` and edited through ``services.route_update``, whose refusals are
shown on the form in Chinese with status 400.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from huxiao.core.forms import apply_service_errors
from huxiao.core.maps import map_tiles
from huxiao.core.views.generic import Column, ScopedList, page_of, require
from huxiao.patrols import selectors, services
from huxiao.patrols.filtersets_patrols import RouteFilterSet
from huxiao.patrols.forms_patrols import RouteForm, checkpoint_formset
from huxiao.patrols.views_patrols import ADD_LOG, VIEW_LOG, missed_count, window_name

VIEW_ROUTE = "patrols.view_patrolroute"
ADD_ROUTE = "patrols.add_patrolroute"
CHANGE_ROUTE = "patrols.change_patrolroute"


# ---- routes --------------------------------------------------------------------------------------


routes = ScopedList(
    permission=VIEW_ROUTE,
    selector=lambda user: selectors.route_list(user=user),
    filterset_class=RouteFilterSet,
    template="patrols/route_list.html",
    export_filename=gettext_lazy("巡逻路线"),
    object_type="patrols.patrolroute",
    columns=(
        Column(gettext_lazy("路线名称"), lambda r: r.name),
        Column(gettext_lazy("所属单位"), lambda r: r.organization.name),
        Column(gettext_lazy("网格"), lambda r: r.grid),
        Column(gettext_lazy("巡逻点"), lambda r: r.checkpoint_count),
        Column(gettext_lazy("必巡点"), lambda r: r.mandatory_count),
        Column(gettext_lazy("启用"), lambda r: r.is_active),
    ),
)
route_export = routes.export_view


@require(VIEW_ROUTE)
def route_list(request):
    filterset, queryset = routes.filter(request)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, queryset),
        "can_add": request.user.has_perm(ADD_ROUTE),
        "can_start": request.user.has_perm(ADD_LOG),
    }
    return render(request, "patrols/route_list.html", context)


def _checkpoint_points(checkpoints) -> str:
    points = [
        {
            "lat": float(cp.latitude),
            "lon": float(cp.longitude),
            "name": f"{n}. {cp.name}",
            "sub": str(_("必巡点") if cp.is_mandatory else _("巡逻点")),
            "status": "info" if cp.is_mandatory else "off",
        }
        for n, cp in enumerate(checkpoints, start=1)
    ]
    return json.dumps(points, ensure_ascii=False)


@require(VIEW_ROUTE)
def route_detail(request, pk: int):
    user = request.user
    route = selectors.route_get(user=user, pk=pk)
    checkpoints = list(selectors.route_checkpoints(route=route))
    logs = None
    if user.has_perm(VIEW_LOG):
        logs = list(
            selectors.log_list(user=user).filter(route=route).order_by("-started_at", "-id")[:10]
        )
        for log in logs:
            log.window_name = window_name(log.window)
            log.missed = missed_count(log)
    context = {
        "route": route,
        "checkpoints": checkpoints,
        "map_points": _checkpoint_points(checkpoints),
        "tiles": map_tiles(),
        "logs": logs,
        "can_change": user.has_perm(CHANGE_ROUTE),
        "can_start": user.has_perm(ADD_LOG) and route.is_active,
    }
    return render(request, "patrols/route_detail.html", context)


def _render_route_form(request, form, formset, route=None, status=200):
    context = {"form": form, "formset": formset, "route": route}
    return render(request, "patrols/route_form.html", context, status=status)


@require(ADD_ROUTE)
@require_http_methods(["GET", "POST"])
def route_create(request):
    user = request.user
    if request.method != "POST":
        form, formset = RouteForm(user=user), checkpoint_formset(user=user)
        return _render_route_form(request, form, formset)
    form = RouteForm(request.POST, user=user)
    formset = checkpoint_formset(request.POST, user=user)
    if form.is_valid() and formset.is_valid():
        rows = [{k: v for k, v in row.items() if k != "id"} for row in formset.rows()]
        try:
            route = services.route_create(
                organization=form.cleaned_data["organization"],
                name=form.cleaned_data["name"],
                grid=form.cleaned_data["grid"],
                checkpoints=rows,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("巡逻路线已创建。"))
            return redirect("patrols:route_detail", pk=route.pk)
    return _render_route_form(request, form, formset, status=400)


@require(CHANGE_ROUTE)
@require_http_methods(["GET", "POST"])
def route_edit(request, pk: int):
    user = request.user
    route = selectors.route_get(user=user, pk=pk)
    if request.method != "POST":
        form = RouteForm(user=user, route=route)
        return _render_route_form(request, form, checkpoint_formset(user=user, route=route), route)
    form = RouteForm(request.POST, user=user, route=route)
    formset = checkpoint_formset(request.POST, user=user, route=route)
    if form.is_valid() and formset.is_valid():
        try:
            services.route_update(
                route=route,
                name=form.cleaned_data["name"],
                grid=form.cleaned_data["grid"],
                is_active=form.cleaned_data["is_active"],
                checkpoints=formset.rows(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("巡逻路线已保存。"))
            return redirect("patrols:route_detail", pk=route.pk)
    return _render_route_form(
        request, form, formset, selectors.route_get(user=user, pk=pk), status=400
    )
