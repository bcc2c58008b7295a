"""What a dashboard page shows for a jurisdiction and a period: the tiles, the breakdown by
child organisation, the trend over the last months and the schools on a map.

Every number is a figure read through ``reports.figures`` (so a figure the user may not read
is simply absent, and each links to its records); the map reads the schools module's scoped
selector. The statistics dashboard (统计看板) and the big screen (指挥大屏) compose the same parts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from huxiao.core import figures as core_figures
from huxiao.core import modules
from huxiao.core.models import Organization
from huxiao.core.modules import Period
from huxiao.reports import figures, periods
from huxiao.reports.scope import FigureScope
from huxiao.schools import figures as school_figures
from huxiao.schools import filtersets, rules

# ---- tiles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TileSpec:
    code: str
    sub: str | None = None  # a second figure under the number ("未达标 3 所")
    tone: str = ""  # "rate": coloured by the 100% target; "alert": red when not zero


@dataclass(frozen=True)
class TileGroup:
    key: str
    title: object
    note: object
    tiles: tuple[TileSpec, ...]


# 三个100%: 公安部 2019 (封闭化管理, 一键式紧急报警和视频监控联网, 城市学校专职保安员配备);
# 护学岗 is the province's fourth (SPEC 2.1 “四个100%”).
TILE_GROUPS = (
    TileGroup(
        "ministry",
        _("三个100%"),
        _("公安部2019年：封闭化管理、一键式紧急报警和视频监控联网、专职保安员配备"),
        (
            TileSpec("schools.rate_closed_management", "schools.failing_closed_management", "rate"),
            TileSpec("schools.rate_networked", "schools.passing_networked", "rate"),
            TileSpec("schools.rate_staffing", "schools.guard_shortfall", "rate"),
        ),
    ),
    TileGroup(
        "local",
        _("第四个100%"),
        _("本地要求：护学岗"),
        (TileSpec("schools.rate_guard_post", "schools.failing_guard_post", "rate"),),
    ),
    TileGroup(
        "schools",
        _("人防物防"),
        "",
        (
            TileSpec("schools.failing_staffing", "schools.schools", "alert"),
            TileSpec("schools.failing_alarm_networked", None, "alert"),
            TileSpec("schools.failing_video_networked", None, "alert"),
        ),
    ),
    TileGroup(
        "inspections",
        _("隐患排查"),
        "",
        (
            TileSpec("inspections.hazards_found"),
            TileSpec("inspections.hazards_closed"),
            TileSpec("inspections.hazards_overdue", None, "alert"),
            TileSpec("inspections.inspections", "inspections.person_times"),
        ),
    ),
    TileGroup(
        "persons",
        _("重点人员"),
        "",
        (
            TileSpec("persons.in_control", "persons.listed"),
            TileSpec("persons.lost", None, "alert"),
            TileSpec("persons.reviews_overdue", "persons.reviews_due", "alert"),
            TileSpec("persons.screened"),
        ),
    ),
    TileGroup(
        "patrols",
        _("巡逻防控"),
        "",
        (
            TileSpec("patrols.guard_post_checkins", "patrols.active_guard_posts"),
            TileSpec("patrols.missed_posts", "patrols.police_per_school_day_mean", "alert"),
            TileSpec("patrols.patrols"),
            TileSpec("patrols.video_patrols"),
        ),
    ),
    # 一键报警 (issue 16 item 7), titled with the module's own name: the alarms module counts
    # these in one pass (alarms.figures.batch); each response time's P90 under its median.
    TileGroup(
        "alarms",
        lazy(lambda: str(modules.module("alarms").name), str)(),
        "",
        (
            TileSpec("alarms.received", "alarms.result_real"),
            TileSpec("alarms.result_false", "alarms.false_press_rate"),
            TileSpec("alarms.median_minutes_to_acknowledge", "alarms.p90_minutes_to_acknowledge"),
            TileSpec("alarms.median_minutes_to_on_scene", "alarms.p90_minutes_to_on_scene"),
            TileSpec("alarms.escalated", None, "alert"),
        ),
    ),
    # 门卫管理 (issue 17): visits and their matches, seizures (one read each: gate.figures).
    TileGroup(
        "gate",
        lazy(lambda: str(modules.module("gate").name), str)(),
        "",
        (
            TileSpec("gate.visits", "gate.key_person_hits"),
            TileSpec("gate.held", "gate.unmade", "alert"),
            TileSpec("gate.ban_hits", None, "alert"),
            TileSpec("gate.seizures", "gate.seizures_knife"),
        ),
    ),
    # 应急准备 (issue 18): plans due for review, drills (one read: preparedness.figures.drills_batch).
    TileGroup(
        "preparedness",
        lazy(lambda: str(modules.module("preparedness").name), str)(),
        "",
        (
            TileSpec("preparedness.drills_held", "preparedness.drills_planned"),
            TileSpec("preparedness.drills_missed", None, "alert"),
            TileSpec("preparedness.schools_without_drill", None, "alert"),
            TileSpec("preparedness.evacuation_mean", "preparedness.evacuation_met_rate"),
            TileSpec("preparedness.plans_due", None, "alert"),
        ),
    ),
)

# The breakdown by child organisation: a few headline counts (each one query or one batch).
BREAKDOWN_CODES = (
    "schools.schools",
    "schools.failing_staffing",
    "schools.failing_closed_management",
    "inspections.hazards_found",
    "inspections.hazards_overdue",
    "patrols.guard_post_checkins",
    "persons.in_control",
    "alarms.received",
)
# The trend over the last months: periodic figures only.
TREND_CODES = (
    "inspections.hazards_found",
    "inspections.hazards_closed",
    "inspections.inspections",
    "patrols.guard_post_checkins",
    "patrols.patrols",
    "alarms.received",
)
TREND_MONTHS = 6


def tile_codes() -> list[str]:
    codes: list[str] = []
    for group in TILE_GROUPS:
        for spec in group.tiles:
            codes.append(spec.code)
            if spec.sub:
                codes.append(spec.sub)
    return list(dict.fromkeys(codes))


@dataclass(frozen=True)
class Tile:
    value: figures.FigureValue
    sub: figures.FigureValue | None
    tone: str

    @property
    def state(self) -> str:
        """ok / bad / "" for the tile's colour: a rate below 100%, an alert above zero."""
        v = self.value.value
        if v is None:
            return ""
        if self.tone == "rate":
            return "ok" if v >= 100 else "bad"
        if self.tone == "alert":
            return "bad" if v else "ok"
        return ""

    def as_dict(self) -> dict:
        data = {**_figure_dict(self.value), "state": self.state}
        data["sub"] = _figure_dict(self.sub) if self.sub else None
        return data


def _figure_dict(v: figures.FigureValue) -> dict:
    return {
        "code": v.code,
        "label": v.label,
        "value": v.value,
        "display": v.display,
        "unit": v.unit,
        "url": v.url,
    }


def tiles(values: dict[str, figures.FigureValue]) -> list[tuple[TileGroup, list[Tile]]]:
    """The tile groups with the tiles the user may read (a group left with none is dropped)."""
    out = []
    for group in TILE_GROUPS:
        found = [
            Tile(values[s.code], values.get(s.sub) if s.sub else None, s.tone)
            for s in group.tiles
            if s.code in values
        ]
        if found:
            out.append((group, found))
    return out


# ---- jurisdiction ------------------------------------------------------------------------------


def crumbs(user, org: Organization | None) -> list[Organization]:
    """``org`` and the organisations above it that are in the user's scope, top first."""
    if org is None:
        return []
    ids = org.ancestor_ids()
    above = {o.pk: o for o in Organization.objects.visible_to(user).filter(pk__in=ids)}
    return [above[i] for i in ids if i in above] + [org]


# ---- breakdown and trend -----------------------------------------------------------------------


def breakdown(user, where: FigureScope) -> dict:
    heads, rows = figures.breakdown(
        user=user, org=where.org, period=where.period, codes=BREAKDOWN_CODES
    )
    return {
        "figures": [{"code": f.code, "label": str(f.label), "unit": str(f.unit)} for f in heads],
        "rows": [
            {
                "org": child.pk,
                "name": child.short_name or child.name,
                "cells": [{"value": c.value, "display": c.display, "url": c.url} for c in cells],
            }
            for child, cells in rows
        ],
    }


def months_before(end: dt.date, today: dt.date, count: int = TREND_MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with ``end``'s, the last cut at today."""
    out = []
    day = end
    for _n in range(count):
        month = periods.month_of(day)
        out.append(Period(month.start, min(month.end, max(today, month.start))))
        day = month.start - dt.timedelta(days=1)
    return out[::-1]


def trend(user, where: FigureScope) -> dict:
    months = months_before(where.period.end, timezone.localdate())
    heads, rows = figures.trend(user=user, org=where.org, periods=months, codes=TREND_CODES)
    return {
        "months": [f"{p.start:%Y-%m}" for p, _cells in rows],
        "series": [
            {
                "code": f.code,
                "label": str(f.label),
                "unit": str(f.unit),
                "values": [cells[i].value for _p, cells in rows],
                "urls": [cells[i].url for _p, cells in rows],
            }
            for i, f in enumerate(heads)
        ],
    }


# ---- the map -----------------------------------------------------------------------------------

MAP_LIMIT = 2000


def _checkins_today(user, school_ids: list[int]) -> dict[int, int]:
    """Valid check-ins at each school's posts today (the map's live state), when the user
    may read check-ins."""
    if not school_ids or not user.has_perm("patrols.view_checkin"):
        return {}
    from huxiao.patrols.models import CheckIn

    rows = (
        CheckIn.objects.visible_to(user)
        .filter(date=timezone.localdate(), is_valid=True, school_id__in=school_ids)
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    return dict(rows)


def school_points(user, org: Organization | None) -> dict:
    """The schools of ``org``'s jurisdiction the user may see, with coordinates and the rules
    each fails (ok: passes every rule; bad: fails some), as the map draws them."""
    if not user.has_perm("schools.view_school"):
        return {"points": [], "counts": {"ok": 0, "bad": 0, "unplaced": 0}, "capped": False}
    rows = school_figures.status_rows(user, org)[: MAP_LIMIT + 1]
    capped = len(rows) > MAP_LIMIT
    rows = rows[:MAP_LIMIT]
    titles = filtersets.rule_titles()
    live = _checkins_today(user, [r["pk"] for r in rows])
    points, counts = [], {"ok": 0, "bad": 0, "unplaced": 0}
    for r in rows:
        failing = [code for code in rules.RULE_CODES if r[f"{code}_status"] == rules.FAIL]
        status = "bad" if failing else "ok"
        counts[status] += 1
        if r["organization__latitude"] is None or r["organization__longitude"] is None:
            counts["unplaced"] += 1
            continue
        points.append(
            {
                "lat": float(r["organization__latitude"]),
                "lon": float(r["organization__longitude"]),
                "name": r["organization__short_name"] or r["organization__name"],
                "url": reverse("schools:school_detail", args=[r["pk"]]),
                "status": status,
                "failing": len(failing),
                "sub": "；".join(str(titles.get(c, c)) for c in failing) or str(_("全部达标")),
                "checkins": live.get(r["pk"], 0),
            }
        )
    return {"points": points, "counts": counts, "capped": capped}


# ---- the page ----------------------------------------------------------------------------------


@dataclass
class Dashboard:
    where: FigureScope
    tiles: list[tuple[TileGroup, list[Tile]]]
    map: dict
    breakdown: dict | None = None
    trend: dict | None = None
    crumbs: list[Organization] = field(default_factory=list)
    children: list[Organization] = field(default_factory=list)

    def chart_data(self) -> dict:
        return {"breakdown": self.breakdown, "trend": self.trend}

    def live_data(self) -> dict:
        """The big screen's JSON: what its page redraws on a change."""
        return {
            "org": self.where.org.pk if self.where.org else None,
            "org_name": self.where.org.name if self.where.org else "",
            "from": self.where.period.start.isoformat(),
            "to": self.where.period.end.isoformat(),
            "at": timezone.localtime().isoformat(timespec="seconds"),
            "groups": [
                {"key": g.key, "title": str(g.title), "tiles": [t.as_dict() for t in ts]}
                for g, ts in self.tiles
            ],
            "breakdown": self.breakdown,
            "map": self.map,
        }


def compose(
    user, where: FigureScope, *, with_breakdown: bool = True, with_trend: bool = False
) -> Dashboard:
    """The parts of a page. The dashboard page leaves the breakdown and the trend to their own
    requests (``breakdown``, ``trend``: one figure per child or per month where a module
    declares no grouped rows), so its first paint waits only for the tiles and the map."""
    with core_figures.one_reading():  # the schools' statuses read once for all the parts
        values = figures.by_code(
            figures.values(user=user, org=where.org, period=where.period, codes=tile_codes())
        )
        return Dashboard(
            where=where,
            tiles=tiles(values),
            map=school_points(user, where.org),
            breakdown=breakdown(user, where) if with_breakdown else None,
            trend=trend(user, where) if with_trend else None,
            crumbs=crumbs(user, where.org),
            children=[] if with_breakdown else figures.children(user, where.org),
        )
