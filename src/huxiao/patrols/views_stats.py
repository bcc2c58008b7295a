"""巡逻统计: a day's patrol figures over the user's scope (``stats.day_stats``), the posts on a
map coloured by the day's status, the unstaffed posts per window, a 30-day trend and the
day's export.

Every figure is a count of records the user may see. The trend is not 30 calls of
``day_stats`` (six queries each and every post read again each day, too slow for a city):
it is three grouped queries over the 30 days — valid police check-ins per (date, post,
window), patrol logs per date, police shifts per date — with the same definitions, and the
expected post-windows computed from the posts and the school-day calendar in Python
(``test_pages_stats`` checks that its row for a day equals ``day_stats``).

Map statuses (one query for the posts; the day's valid check-ins are those ``day_stats``
read for the window table, its ``covered_keys`` and ``police_keys``; "now" decides which
windows have begun and which have passed): green — police 到岗 in every window begun so far;
amber — one had only guards or volunteers; red — a window passed with nobody; grey — not a
school day, or no window has begun. A past day is judged as of its end, a future day as of its
start. The legend counts post-windows (岗次) from the same figures as the table and the
漏岗清单, never from the markers. Under the markers: each station's area and its schools
(``geo.jurisdiction``, one query), drawn without tiles.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from huxiao.core import workcalendar
from huxiao.core.audit import record_export
from huxiao.core.exports import XLSX_CONTENT_TYPE
from huxiao.core.maps import map_tiles
from huxiao.core.models import Organization
from huxiao.core.scoping import jurisdiction_q, subtree_q
from huxiao.core.views.generic import require
from huxiao.patrols import geo, rules, stats
from huxiao.patrols.choices import PersonKind, ShiftStatus
from huxiao.patrols.forms_patrols import StatsForm
from huxiao.patrols.models import CheckIn, DutyShift, GuardPost, PatrolLog
from huxiao.schools.models import School

VIEW_STATS = "patrols.view_stats"
TREND_DAYS = 30
MAP_MAX_POINTS = 3000
DAY_MINUTES = 24 * 60


# ---- the selection -------------------------------------------------------------------------------


def selection(request):
    """(form, day, schools or None, label of the part of the scope) from the query string."""
    user = request.user
    form = StatsForm(request.GET or None, user=user)
    day, schools, label = timezone.localdate(), None, ""
    if not form.is_bound:
        return form, day, schools, label
    form.is_valid()
    data = form.cleaned_data
    day = data.get("date") or day
    if "unit" in form.errors or "school" in form.errors:
        # A unit or school outside the scope shows nothing, never the whole scope.
        return form, day, School.objects.none(), label
    unit, school = data.get("unit"), data.get("school")
    org = request.GET.get("org", "")
    if org:
        # ?org=: any organisation in scope, its jurisdiction (the figures' links, as the lists'
        # ?org= reads it); one outside the scope or not a number shows nothing.
        found = (
            Organization.objects.visible_to(user).filter(pk=org).first() if org.isdigit() else None
        )
        if found is None:
            return form, day, School.objects.none(), label
        schools = School.objects.visible_to(user).filter(
            jurisdiction_q(School.scope_org_path, found)
        )
        label = found.name
    if unit is not None or school is not None:
        schools = schools if schools is not None else School.objects.visible_to(user)
        if unit is not None:
            schools = schools.filter(subtree_q("organization", unit.path))
            label = unit.name
        if school is not None:
            schools = schools.filter(pk=school.pk)
            label = school.organization.name
    return form, day, schools, label


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _posts(user, schools):
    posts = GuardPost.objects.visible_to(user).filter(is_active=True)
    return posts.filter(school__in=schools) if schools is not None else posts


# ---- unstaffed posts -----------------------------------------------------------------------------


def unstaffed_rows(day_figures: stats.DayStats) -> tuple[list[dict], int]:
    """Each window's posts nobody checked in at, with school and post names (one query), and
    the number left out because their window has not ended yet (today's later windows are
    not missed yet)."""
    ids = {post_id for w in day_figures.windows for post_id, _school in w.unstaffed}
    posts = {
        pk: (school, name, windows)
        for pk, school, name, windows in GuardPost.objects.filter(pk__in=ids).values_list(
            "pk", "school__organization__name", "name", "windows"
        )
    }
    now = now_minutes(day_figures.day)
    rows, pending = [], 0
    for w in day_figures.windows:
        for post_id, _school in w.unstaffed:
            school, name, windows = posts.get(post_id, ("", "", []))
            own = next((x for x in windows or [] if x.get("code") == w.code), {})
            if _minutes(own.get("end", "23:59")) > now:
                pending += 1
                continue
            rows.append(
                {
                    "window": w.name,
                    "code": w.code,
                    "post_id": post_id,
                    "school": school,
                    "post": name,
                }
            )
    rows.sort(key=lambda r: (r["code"], r["school"], r["post"]))
    return rows, pending


# ---- the map -------------------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hh, mm = (hhmm or "00:00").split(":")[:2]
    return int(hh) * 60 + int(mm)


def now_minutes(day: dt.date) -> int:
    """The moment the day is judged at: now today, its end for a past day, its start ahead."""
    today = timezone.localdate()
    if day < today:
        return DAY_MINUTES
    if day > today:
        return -1
    now = timezone.localtime()
    return now.hour * 60 + now.minute


def post_status(windows, seen: dict, school_day: bool, now: int) -> tuple[str, list[str]]:
    """(ok | warn | bad | off, one line per window) for one post; ``seen`` maps a window code
    to the kinds of people with a valid check-in in it."""
    if not school_day:
        return "off", [_("非上学日")]
    lines, bad, warn, police = [], False, False, False
    for w in windows:
        name = w.get("name") or w.get("code", "")
        if _minutes(w.get("start")) > now:
            lines.append(_("%(w)s：未开始") % {"w": name})
            continue
        kinds = seen.get(w.get("code"), set())
        if PersonKind.POLICE in kinds:
            police = True
            lines.append(_("%(w)s：民警到岗") % {"w": name})
        elif kinds:
            warn = True
            lines.append(_("%(w)s：无民警，仅保安/志愿者到岗") % {"w": name})
        elif _minutes(w.get("end")) <= now:
            bad = True
            lines.append(_("%(w)s：无人到岗") % {"w": name})
        else:
            lines.append(_("%(w)s：进行中，尚无人打卡") % {"w": name})
    status = "bad" if bad else "warn" if warn else "ok" if police else "off"
    return status, lines


# A post-window covered by someone other than a police officer (``day_stats`` tells covered
# from seen by police, not which other kind of person stood there).
OTHER_THAN_POLICE = "other"


def map_points(user, day: dt.date, schools, figures: stats.DayStats) -> list[dict]:
    """The posts with the day's status, from the check-ins ``figures`` (``day_stats``) read."""
    posts = list(
        _posts(user, schools)
        .order_by("school__organization__path", "name", "id")
        .values(
            "pk",
            "name",
            "latitude",
            "longitude",
            "windows",
            "corridor",
            "is_pilot",
            "school__is_pilot",
            "school__term_calendar",
            "school__organization__name",
        )[:MAP_MAX_POINTS]
    )
    seen: dict[int, dict[str, set]] = defaultdict(dict)
    for post_id, window in figures.covered_keys:
        police = (post_id, window) in figures.police_keys
        seen[post_id][window] = {PersonKind.POLICE} if police else {OTHER_THAN_POLICE}
    workday = workcalendar.is_workday(day)
    now = now_minutes(day)
    points = []
    for p in posts:
        school_day = workday and rules.in_term(p["school__term_calendar"], day)
        status, lines = post_status(p["windows"] or [], seen.get(p["pk"], {}), school_day, now)
        pilot = p["is_pilot"] or p["school__is_pilot"]
        points.append(
            {
                "lat": float(p["latitude"]),
                "lon": float(p["longitude"]),
                "name": f"{p['school__organization__name']} · {p['name']}",
                "sub": "；".join(str(line) for line in lines),
                "url": reverse("patrols:post_detail", args=[p["pk"]]),
                "status": status,
                "corridor": p["corridor"] if pilot and p["corridor"] else None,
            }
        )
    return points


def legend_counts(figures: stats.DayStats, unstaffed: list[dict]) -> dict[str, int]:
    """The legend's post-windows (岗次) by colour, each a figure the page shows elsewhere:
    民警到岗 = the window table's 民警到岗 summed, the amber ones its 到岗 less 民警到岗, the
    red ones the 漏岗清单's rows (``unstaffed_rows``: windows ended with nobody)."""
    police = sum(w.police_posts for w in figures.windows)
    covered = sum(w.covered_posts for w in figures.windows)
    return {"ok": police, "warn": covered - police, "bad": len(unstaffed)}


# ---- the 30-day trend ----------------------------------------------------------------------------


def trend(user, end: dt.date, schools, days: int = TREND_DAYS) -> list[dict]:
    """One row per day up to ``end``: police person-times (check-ins + patrols), scheduled
    police shifts, expected post-windows, those seen by police and the 见警率."""
    start = end - dt.timedelta(days=days - 1)
    span = [start + dt.timedelta(days=n) for n in range(days)]
    posts = list(_posts(user, schools).values("pk", "windows", "school__term_calendar"))
    codes = {w["code"] for p in posts for w in p["windows"] or []}
    workdays = {day: workcalendar.is_workday(day) for day in span}
    expected: dict[dt.date, int] = defaultdict(int)
    post_windows: dict[int, set] = {}
    in_session: dict[dt.date, set] = defaultdict(set)
    for p in posts:
        post_windows[p["pk"]] = {w["code"] for w in p["windows"] or []}
        for day in span:
            if workdays[day] and rules.in_term(p["school__term_calendar"], day):
                expected[day] += len(post_windows[p["pk"]])
                in_session[day].add(p["pk"])

    checkins = CheckIn.objects.visible_to(user).filter(
        date__range=(start, end), is_valid=True, person_kind=PersonKind.POLICE
    )
    if schools is not None:
        checkins = checkins.filter(school__in=schools)
    people: dict[dt.date, int] = defaultdict(int)
    seen: dict[dt.date, int] = defaultdict(int)
    for row in (
        checkins.order_by()
        .values("date", "post_id", "window")
        .annotate(n=Count("user", distinct=True))
    ):
        if row["window"] not in codes:
            continue
        people[row["date"]] += row["n"]
        if row["post_id"] in in_session[row["date"]] and row["window"] in post_windows.get(
            row["post_id"], ()
        ):
            seen[row["date"]] += 1

    patrol_people = {
        row["date"]: (row["police"] or 0) + (row["auxiliary"] or 0)
        for row in PatrolLog.objects.visible_to(user)
        .filter(date__range=(start, end))
        .order_by()
        .values("date")
        .annotate(police=Sum("police_count"), auxiliary=Sum("auxiliary_count"))
    }
    scheduled = dict(
        DutyShift.objects.visible_to(user)
        .filter(date__range=(start, end), status=ShiftStatus.PLANNED, person_kind=PersonKind.POLICE)
        .order_by()
        .values("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    rows = []
    for day in reversed(span):
        rate = seen[day] / expected[day] if expected[day] else None
        rows.append(
            {
                "day": day,
                "school_day": bool(in_session[day]),
                "person_times": people[day] + patrol_people.get(day, 0),
                "checkin_person_times": people[day],
                "patrol_person_times": patrol_people.get(day, 0),
                "scheduled": scheduled.get(day, 0),
                "expected": expected[day],
                "police_posts": seen[day],
                "rate": rate,
                "rate_text": percent(rate),
            }
        )
    return rows


# ---- the page ------------------------------------------------------------------------------------


def _window_rows(figures: stats.DayStats) -> list[dict]:
    return [
        {
            "w": w,
            "rate": percent(w.police_rate),
            "coverage": percent(w.coverage_rate),
        }
        for w in figures.windows
    ]


@require(VIEW_STATS)
def patrol_stats(request):
    user = request.user
    form, day, schools, label = selection(request)
    figures = stats.day_stats(user=user, day=day, schools=schools)
    points = map_points(user, day, schools, figures)
    unstaffed, pending = unstaffed_rows(figures)
    context = {
        "form": form,
        "day": day,
        "is_today": day == timezone.localdate(),
        "scope_label": label,
        "s": figures,
        "police_rate": percent(figures.police_rate),
        "windows": _window_rows(figures),
        "school_windows": sum(w.schools_expected for w in figures.windows),
        "schools_covered": sum(w.schools_covered for w in figures.windows),
        "invalid_checkins": sum(w.invalid_checkins for w in figures.windows),
        "no_school_day": figures.schools_in_session == 0,
        "unstaffed": unstaffed,
        "unstaffed_pending": pending,
        "trend": trend(user, day, schools),
        # The school days counted here (the day and the trend's days) follow the work calendar:
        # a year whose 放假调休 arrangement is not loaded is counted on statutory holidays only.
        "calendar_warning": workcalendar.schedule_warning(
            day - dt.timedelta(days=TREND_DAYS - 1), day
        ),
        "map_data": {
            "points": points,
            "capped": len(points) >= MAP_MAX_POINTS,
            **geo.jurisdiction(user=user, schools=schools),
        },
        "map_counts": legend_counts(figures, unstaffed),
        "tiles": map_tiles(),
        "query": request.GET.urlencode(),
        # the trend's days keep the unit and school chosen
        "filter_query": "&".join(
            f"{key}={request.GET[key]}"
            for key in ("unit", "school", "org")
            if request.GET.get(key, "").isdigit()
        ),
    }
    return render(request, "patrols/stats.html", context)


# ---- the export ----------------------------------------------------------------------------------


def _sheet(wb, title: str, headers: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title=title[:31])
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text (no formula injection)
    for n, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=n).column_letter].width = max(
            12, 2 * len(str(header)) + 2
        )


@require(VIEW_STATS)
def patrol_stats_export(request):
    """The day's figures, its windows and its unstaffed posts as one workbook of three sheets."""
    user = request.user
    form, day, schools, label = selection(request)
    s = stats.day_stats(user=user, day=day, schools=schools)
    figures = [
        [_("日期"), day.isoformat()],
        [_("范围"), label or _("全部（本人数据范围）")],
        [_("上学日"), _("是") if s.schools_in_session else _("否")],
        [_("有护学岗的学校（所）"), s.schools_with_posts],
        [_("当日上学的学校（所）"), s.schools_in_session],
        [_("出动警力（人次）"), s.police_person_times],
        [_("其中：护学岗民警打卡（人次）"), s.police_person_times_checkins],
        [_("其中：巡逻（人次）"), s.police_person_times_patrols],
        [_("安排民警（人次）"), s.police_person_times_scheduled],
        [_("应到岗（岗次）"), s.expected_posts],
        [_("民警到岗（岗次）"), sum(w.police_posts for w in s.windows)],
        [_("见警率"), percent(s.police_rate)],
        [_("巡逻（次）"), s.patrols],
        [_("未完成/中止（次）"), s.patrols_incomplete],
        [_("漏巡（点次）"), s.missed_checkpoints],
    ]
    windows = [
        [
            w.name,
            w.expected_posts,
            w.covered_posts,
            w.police_posts,
            w.schools_expected,
            w.schools_covered,
            percent(w.coverage_rate),
            w.police_person_times,
            w.invalid_checkins,
            percent(w.police_rate),
        ]
        for w in s.windows
    ]
    unstaffed = [[r["window"], r["school"], r["post"]] for r in unstaffed_rows(s)[0]]
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, _("日统计"), [_("指标"), _("数值")], figures)
    _sheet(
        wb,
        _("分时段"),
        [
            _("时段"),
            _("应到岗（岗次）"),
            _("到岗（岗次）"),
            _("民警到岗（岗次）"),
            _("应覆盖学校（所）"),
            _("已覆盖学校（所）"),
            _("学校覆盖率"),
            _("民警（人次）"),
            _("无效打卡"),
            _("见警率"),
        ],
        windows,
    )
    _sheet(wb, _("漏岗清单"), [_("时段"), _("学校"), _("护学岗")], unstaffed)
    buffer = io.BytesIO()
    wb.save(buffer)
    record_export(
        object_type="patrols.stats",
        count=len(unstaffed),
        filters={k: v for k, v in request.GET.items() if k in form.fields and v},
        actor=user,
    )
    filename = _("巡逻统计") + f"-{day:%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
