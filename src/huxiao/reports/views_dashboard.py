"""统计看板 and 指挥大屏: the figures of a jurisdiction and period as tiles, a breakdown by
child organisation, a trend and a map (``reports.dashboard``), and the big screen's JSON that
its page re-reads when the live channel (ws/live/) says something changed.

The dashboard page renders the tiles and the map; its breakdown and trend cards are fragments
fetched as the page loads (htmx), for the same jurisdiction and period; their chart data
ride in a data attribute (HTML-escaped JSON), since htmx drops script elements it swaps in. A bad ``?org=`` or
period shows the Chinese message and the default jurisdiction and period (never another
jurisdiction's numbers); the JSON endpoint answers it with 400.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from huxiao.core.maps import map_tiles
from huxiao.core.views.generic import require
from huxiao.reports import dashboard, periods, scope
from huxiao.reports.views_figures import read_scope


def _query_string(where: scope.FigureScope) -> str:
    from urllib.parse import urlencode

    return urlencode(where.query())


@require("reports.view_dashboard")
def dashboard_page(request):
    where, error = read_scope(request)
    page = dashboard.compose(request.user, where, with_breakdown=False)
    context = {
        "where": where,
        "error": error,
        "dash": page,
        "map_data": page.map,
        "tiles_settings": map_tiles(),
        "presets": periods.PRESETS,
        "query": where.query(),
        "query_string": _query_string(where),
    }
    return render(request, "reports/dashboard.html", context)


@require("reports.view_dashboard")
def dashboard_breakdown(request):
    where, _error = read_scope(request)
    data = dashboard.breakdown(request.user, where)
    return render(
        request,
        "reports/partials/dashboard_breakdown.html",
        {"where": where, "breakdown": data, "breakdown_json": json.dumps(data)},
    )


@require("reports.view_dashboard")
def dashboard_trend(request):
    where, _error = read_scope(request)
    data = dashboard.trend(request.user, where)
    return render(
        request,
        "reports/partials/dashboard_trend.html",
        {"where": where, "trend": data, "trend_json": json.dumps(data)},
    )


PERIOD_KEYS = ("period", "from", "to")


def _live_query_string(request, where: scope.FigureScope, error: str | None) -> str:
    """The big screen's JSON query: the jurisdiction, and the period as the request worded it
    (none, ``period=month``, or dates) rather than resolved to dates, so that a screen left
    running past midnight keeps counting up to today (本月 on the 1st is the new month)."""
    from urllib.parse import urlencode

    query = {} if error else {k: request.GET[k] for k in PERIOD_KEYS if request.GET.get(k)}
    if where.org is not None:
        query["org"] = str(where.org.pk)
    return urlencode(query)


@require("reports.view_bigscreen")
def bigscreen_page(request):
    where, error = read_scope(request)
    page = dashboard.compose(request.user, where)
    context = {
        "where": where,
        "error": error,
        "dash": page,
        "map_data": page.map,
        "charts": page.chart_data(),
        "tiles_settings": map_tiles(),
        "query_string": _live_query_string(request, where, error),
        "updated": page.live_data()["at"],
    }
    return render(request, "reports/bigscreen.html", context)


@never_cache
@require("reports.view_bigscreen")
def bigscreen_data(request):
    try:
        where = scope.read(request.user, request.GET)
    except scope.ScopeError as e:
        return JsonResponse({"error": str(e)}, status=400)
    page = dashboard.compose(request.user, where)
    return JsonResponse(page.live_data(), json_dumps_params={"ensure_ascii": False})
