"""指标统计: every figure the user may read, for a jurisdiction and a period, with its
definition and a link to the records behind it; the same table as an .xlsx.

The breakdown by child organisation and the charts are the dashboard's; this page is the
reference: what each number is, how it is counted, and the list that proves it.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huxiao.core.exports import xlsx_response
from huxiao.core.modules import module
from huxiao.core.views.generic import require
from huxiao.reports import figures, periods, scope


def read_scope(request) -> tuple[scope.FigureScope, str | None]:
    """The request's jurisdiction and period; on a bad one, the default and the message."""
    try:
        return scope.read(request.user, request.GET), None
    except scope.ScopeError as e:
        default = scope.FigureScope(
            figures.home_org(request.user), periods.default(timezone.localdate())
        )
        return default, str(e)


def grouped(values: list[figures.FigureValue]) -> list[tuple[str, list[figures.FigureValue]]]:
    groups: dict[str, list[figures.FigureValue]] = {}
    for v in values:
        groups.setdefault(v.module, []).append(v)
    return [(str(module(label).name), rows) for label, rows in groups.items()]


@require("reports.view_dashboard")
def figure_table(request):
    where, error = read_scope(request)
    values = figures.values(user=request.user, org=where.org, period=where.period)
    context = {
        "where": where,
        "error": error,
        "groups": grouped(values),
        "presets": periods.PRESETS,
        "query": where.query(),
    }
    return render(request, "reports/figure_table.html", context)


@require("reports.view_dashboard")
def figure_export(request):
    where, error = read_scope(request)
    values = figures.values(user=request.user, org=where.org, period=where.period)
    org_name = where.org.name if where.org else _("全部数据范围")
    period = f"{where.period.start:%Y-%m-%d}～{where.period.end:%Y-%m-%d}"
    rows = [
        (
            str(module(v.module).name),
            v.code,
            v.label,
            v.value,
            v.unit,
            _("统计期间内") if v.periodic else _("截至导出时"),
            v.definition,
            request.build_absolute_uri(v.url),
        )
        for v in values
    ]
    return xlsx_response(
        request=request,
        filename=_("指标统计-%(org)s-%(period)s") % {"org": org_name, "period": period},
        headers=[
            _("模块"),
            _("指标代码"),
            _("指标"),
            _("数值"),
            pgettext("unit of measure", "单位"),
            _("口径"),
            _("定义"),
            _("记录列表"),
        ],
        rows=rows,
        object_type="reports.figure",
        filters=where.query(),
        title=_("指标统计"),
    )


@require("reports.view_dashboard")
def figure_breakdown_export(request):
    """Every figure of the table counted for each child organisation of the jurisdiction (the
    dashboards' breakdown, all figures): one row per child, one column per figure."""
    where, _error = read_scope(request)
    shown, rows = figures.breakdown(
        user=request.user, org=where.org, period=where.period, codes=None
    )
    org_name = where.org.name if where.org else _("全部数据范围")
    period = f"{where.period.start:%Y-%m-%d}～{where.period.end:%Y-%m-%d}"
    headers = [_("单位"), _("类型")] + [
        f"{f.label}（{f.unit}）" if str(f.unit) else str(f.label) for f in shown
    ]
    return xlsx_response(
        request=request,
        filename=_("指标分单位统计-%(org)s-%(period)s") % {"org": org_name, "period": period},
        headers=headers,
        rows=(
            [child.name, child.get_kind_display(), *(cell.value for cell in cells)]
            for child, cells in rows
        ),
        object_type="reports.figure",
        filters=where.query(),
        title=_("分单位统计"),
    )
