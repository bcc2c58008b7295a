"""``/api/v1/figures``: the figures a user may read, counted in a jurisdiction over a period.

The same figures, with the same values, as the figure table, the dashboards and the
documents (``huxiao.reports.figures``); ``url`` is the list page of the records behind each
number. ``codes`` (comma-separated) keeps only those figures. A bad ``org`` (missing, or outside the
caller's scope), a bad date or an unknown figure code answers 400 in Chinese.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from huxiao.core.apikit.errors import require_perm
from huxiao.reports import figures, scope

router = Router(tags=["reports"])


class FigureOut(Schema):
    code: str
    module: str
    label: str
    unit: str
    definition: str
    value: int | float | None
    url: str
    periodic: bool


class OrgOut(Schema):
    id: int
    name: str
    kind: str


class ChildOut(Schema):
    org: OrgOut
    figures: list[FigureOut]


class BreakdownOut(Schema):
    org: OrgOut | None
    start: dt.date
    end: dt.date
    children: list[ChildOut]


class FiguresOut(Schema):
    org: OrgOut | None
    start: dt.date
    end: dt.date
    figures: list[FigureOut]


def read_scope(request, org, start, end, period) -> scope.FigureScope:
    query = {"org": org, "from": start or "", "to": end or "", "period": period or ""}
    try:
        return scope.read(request.user, query)
    except scope.ScopeError as e:
        raise HttpError(400, str(e)) from None


def read_codes(request, codes: str | None) -> list[str] | None:
    """``codes`` (comma-separated) as a list; 400 naming any the caller cannot read."""
    wanted = [c.strip() for c in (codes or "").split(",") if c.strip()] or None
    if wanted:
        known = {f.code for f in figures.visible(request.user)}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise HttpError(
                400, _("指标不存在或您无权查看：%(codes)s") % {"codes": "、".join(unknown)}
            )
    return wanted


def _org(org) -> dict | None:
    return None if org is None else {"id": org.pk, "name": org.name, "kind": org.kind}


@router.get(
    "/figures",
    response=FiguresOut,
    summary="指标统计：按辖区和统计期间计算的各项指标，每项附其记录列表地址",
)
def figure_values(
    request,
    org: int | None = None,
    start: str | None = Query(None, alias="from"),
    to: str | None = None,
    period: str | None = None,
    codes: str | None = None,
):
    require_perm(request, "reports.view_dashboard")
    where = read_scope(request, org, start, to, period)
    codes = read_codes(request, codes)
    values = figures.values(user=request.user, org=where.org, period=where.period, codes=codes)
    return {
        "org": _org(where.org),
        "start": where.period.start,
        "end": where.period.end,
        "figures": [v.as_dict() for v in values],
    }


@router.get(
    "/figures/breakdown",
    response=BreakdownOut,
    summary="分单位统计：辖区内每个下级单位的各项指标（与看板的分单位统计相同）",
)
def figure_breakdown(
    request,
    org: int | None = None,
    start: str | None = Query(None, alias="from"),
    to: str | None = None,
    period: str | None = None,
    codes: str | None = None,
):
    require_perm(request, "reports.view_dashboard")
    where = read_scope(request, org, start, to, period)
    wanted = read_codes(request, codes)
    _shown, rows = figures.breakdown(
        user=request.user, org=where.org, period=where.period, codes=wanted
    )
    return {
        "org": _org(where.org),
        "start": where.period.start,
        "end": where.period.end,
        "children": [
            {"org": _org(child), "figures": [v.as_dict() for v in cells]} for child, cells in rows
        ],
    }
