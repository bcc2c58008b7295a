"""Dashboards and reports benchmark (not a test): the figures a dashboard reads, beside the
raw-SQL floor measured in the same run (docs/performance.md "Dashboards and reports",
FLOORS.md). Targets (issue 15): a province dashboard (20,000 schools, a year of records)
within 3x of the floor of the same figures in raw SQL; a station dashboard in <= 50 ms; the
demo city's month report (工作情况报告 .docx) generated in <= 2 s.

    .venv/bin/python bench/dashboard_bench.py                   # SQLite in temp dirs
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/huxiao_bench_dashboard \\
        .venv/bin/python bench/dashboard_bench.py               # PostgreSQL (dbs recreated)
    BENCH_VAR_DIR=/tmp/hx-dash ... dashboard_bench.py --reuse   # time again, no rebuild
    ... dashboard_bench.py --province     # only the province; --demo only the demo city
    BENCH_CHECKINS=200000 BENCH_REPEAT=5 ...                    # scale the run

Province: ``compliance_bench.build()`` (1 city bureau, 20 sub-bureaus, 600 stations, 20,000
schools with guards, devices, kit and 护学岗), 3 officers per station, and a year of records
going back from today, bulk-loaded (COPY / executemany, not through the services: the bench
measures reads): ~2 finished inspections per school (1-2 inspectors each in the M2M,
person_times = inspectors, 12 checklist results each), ~1.5 hazards per school (found over the
year; ~60% closed, ~8% open past their deadline, a few marked overdue), 挂牌督办 on some
overdue major hazards, ~2 video patrols per school, and BENCH_CHECKINS (600,000) check-ins at
the 护学岗 on weekdays over the year (~5% invalid).

Measured, warm, median of BENCH_REPEAT runs, ms:
- ``figures.values(user=<city commander>, org=<city>, period=<last 12 months>, codes=CODES)``
  beside the floor: compliance_bench's best floor statement with the figures' sums (schools,
  passing / failing per rule, rates, guards, shortfall) and one aggregate statement per record
  table with the period in CASE (inspections and person-times; hazards found, closed, overdue
  now; 督办; valid check-ins; video patrols; patrols; active posts), unscoped (the city bureau
  sees everything) on the same connection. The bench prints MISMATCH if a number differs.
- The whole dashboard as the dashboard page computes it: ``huxiao.reports.dashboard`` if it
  exists, else the stand-in figures.values (every figure) + figures.breakdown (6 headline
  codes by child organisation) + figures.trend (6 headline codes over the last 6 months), for
  the city commander, a sub-bureau's commander and a station's officer.
Demo city (a separate database: ``seed_demo(seed=2026)``), in a child process:
- officer01's station dashboard; its floor is the SELECT statements it issues
  (``CaptureQueriesContext``) replayed raw through the cursor. Then the same dashboard as the
  browser asks for it (Django's test client): the page (tiles and map), and the breakdown and
  trend fragments it fetches after its first paint; floor: each request's SELECTs replayed.
- the commander's 工作情况报告 for last month: ``services_documents.report_request`` (its task
  held back), then ``report_generate(report_id=)`` timed as the task runs it (compute, .docx,
  hash, keep), also with the request, and its two halves; floor: the SELECT statements the
  generation issues replayed raw plus python-docx writing an empty document.
The load average (/proc/loadavg) is printed before each part: the machine has 2 cores.
"""

# ruff: noqa: S608, S603  (floor SQL from this file's constants; the child is this script)
from __future__ import annotations

import datetime as dt
import inspect
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compliance_bench as cb  # noqa: E402  (the province and the compliance floor)

CHECKINS = int(os.environ.get("BENCH_CHECKINS", "600000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
REUSE = "--reuse" in sys.argv
DEMO = "--demo" in sys.argv
PROVINCE = "--province" in sys.argv
OFFICERS_PER_STATION = 3
RESULTS_PER_INSPECTION = 12

# The figures whose floor this file writes (every schools figure, and the record counts).
SCHOOL_CODES = (
    "schools.schools",
    "schools.guards",
    "schools.guard_shortfall",
    *(
        f"schools.passing_{c}"
        for c in (
            "staffing",
            "closed_management",
            "networked",
            "guard_post",
            "alarm_networked",
            "video_networked",
        )
    ),
    *(
        f"schools.rate_{c}"
        for c in (
            "staffing",
            "closed_management",
            "networked",
            "guard_post",
            "urban_video_networked",
        )
    ),
    *(
        f"schools.failing_{c}"
        for c in (
            "staffing",
            "certificates",
            "guard_age",
            "closed_management",
            "alarm_networked",
            "video_networked",
            "guard_post",
            "anti_collision",
            "camera_retention",
            "equipment_kit",
            "duty_24h",
        )
    ),
)
RECORD_CODES = (
    "inspections.inspections",
    "inspections.person_times",
    "inspections.hazards_found",
    "inspections.hazards_closed",
    "inspections.hazards_overdue",
    "inspections.escalations",
    "patrols.guard_post_checkins",
    "patrols.patrols",
    "patrols.video_patrols",
    "patrols.active_guard_posts",
)
CODES = SCHOOL_CODES + RECORD_CODES
HEADLINE = (
    "schools.schools",
    "schools.rate_staffing",
    "inspections.inspections",
    "inspections.hazards_found",
    "inspections.hazards_overdue",
    "patrols.guard_post_checkins",
)


def note_load(what: str) -> None:
    print(f"load average before {what}: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


def timed(fn, repeat: int = REPEAT) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def configure(suffix: str = "") -> str:
    """compliance_bench.configure() on BENCH_DATABASE_URL (+suffix) / BENCH_VAR_DIR (+suffix);
    a stale SQLite file in BENCH_VAR_DIR is removed unless --reuse."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url and suffix:
        os.environ["BENCH_DATABASE_URL"] = url + suffix
    var_dir = os.environ.get("BENCH_VAR_DIR")
    if var_dir:
        if suffix:
            var_dir = f"{var_dir}{suffix}"
            os.environ["BENCH_VAR_DIR"] = var_dir
        Path(var_dir).mkdir(parents=True, exist_ok=True)
        if not url and not REUSE:
            for name in ("huxiao.sqlite3", "huxiao.sqlite3-wal", "huxiao.sqlite3-shm"):
                Path(var_dir, name).unlink(missing_ok=True)
    return cb.configure()


# ---- a year of records -------------------------------------------------------------------------


def _insert(table, columns, rows) -> int:
    from patrols_bench import _insert as insert

    return insert(table, columns, rows)


def build_records(rng: random.Random, today: dt.date, city) -> dict:
    """Officers, and a year of inspections, hazards, 督办, video patrols and check-ins, raw."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from huxiao.core.models import Organization, Role, User
    from huxiao.core.roles import ensure_default_roles
    from huxiao.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
    from huxiao.patrols.models import GuardPost
    from huxiao.schools.models import School

    ensure_default_roles()
    roles = {r.code: r for r in Role.objects.all()}
    tz = timezone.get_current_timezone()
    now = timezone.now()
    stations = list(Organization.objects.filter(kind="station").order_by("pk"))
    password = make_password(None)
    users, officers = [], {}
    for st in stations:
        for i in range(OFFICERS_PER_STATION):
            u = User(
                username=f"o{st.pk}-{i}",
                password=password,
                organization_id=st.pk,
                role_id=roles["officer"].id,
                full_name=f"民警{st.pk}-{i}",
                must_change_password=False,
            )
            users.append(u)
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=5000)
    for u in User.objects.filter(username__startswith="o").values("id", "organization_id"):
        officers.setdefault(u["organization_id"], []).append(u["id"])

    template, _ = ChecklistTemplate.objects.get_or_create(name="bench 检查表")
    version, _ = ChecklistVersion.objects.get_or_create(template=template, number=1)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(version=version, group="personnel", code=f"B{i}", text=f"项{i}", order=i)
            for i in range(RESULTS_PER_INSPECTION)
        ],
        ignore_conflicts=True,
    )
    items = list(ChecklistItem.objects.filter(version=version).values_list("id", flat=True))
    schools = list(School.objects.values_list("id", "organization__parent_id"))
    posts = list(GuardPost.objects.values_list("id", "school_id"))
    first = today - dt.timedelta(days=364)
    year_days = [first + dt.timedelta(days=d) for d in range(365)]
    weekdays = [d for d in year_days if d.weekday() < 5]

    def moment(day, hour=10):
        return dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=tz)

    counts = {}
    with transaction.atomic():
        # Inspections: ~2 a school, finished, 1-2 inspectors; 12 results each.
        insp, inspectors, results, iid, rid = [], [], [], 0, 0
        for school_id, station_id in schools:
            for _ in range(2 if rng.random() < 0.9 else rng.choice((1, 3))):
                iid += 1
                day = rng.choice(weekdays)
                who = rng.sample(officers[station_id], rng.choice((1, 1, 2)))
                insp.append(
                    (iid, None, school_id, day, version.id, len(who), "finished", "", None)
                    + (moment(day), moment(day, 11))
                )
                inspectors += [(iid, u) for u in who]
                for item in items:
                    rid += 1
                    results.append((rid, iid, item, "fail" if rng.random() < 0.05 else "pass", ""))
        counts["inspections"] = _insert(
            "inspections_inspection",
            (
                "id",
                "campaign_id",
                "school_id",
                "date",
                "checklist_version_id",
                "person_times",
                "status",
                "summary",
                "created_by_id",
                "created_at",
                "finished_at",
            ),
            insp,
        )
        counts["inspectors"] = _insert(
            "inspections_inspection_inspectors", ("inspection_id", "user_id"), inspectors
        )
        counts["results"] = _insert(
            "inspections_inspectionresult",
            ("id", "inspection_id", "item_id", "result", "note"),
            results,
        )
        del results

        # Hazards: ~1.5 a school over the year; closed ~60%, open past the deadline ~8%.
        hazards, escalations, hid = [], [], 0
        sources = ("inspection", "patrol", "video_patrol", "tip", "self_report", "device_offline")
        serials: dict[int, int] = {}
        for school_id, station_id in schools:
            for _ in range(rng.choice((1, 1, 2, 2)) if rng.random() < 0.95 else 0):
                hid += 1
                found = rng.choice(year_days)
                deadline = found + dt.timedelta(days=rng.choice((7, 15, 30)))
                major = rng.random() < 0.08
                roll = rng.random()
                closed_at, overdue, count = None, False, 0
                if roll < 0.6 and deadline < today:
                    state = "closed"
                    closed_at = moment(
                        min(today, found + dt.timedelta(days=rng.randint(1, 40))), 15
                    )
                elif deadline < today and roll < 0.7:
                    state, overdue, count = rng.choice(("pending", "rectifying")), True, 1
                elif deadline < today:
                    state = "awaiting_recheck"
                    overdue = rng.random() < 0.2  # marked overdue before the school reported
                else:
                    state = rng.choice(("pending", "rectifying", "awaiting_recheck"))
                escalated = overdue and major
                hazards.append(
                    (
                        hid,
                        school_id,
                        rng.choice(sources),
                        "facility",
                        "major" if major else "ordinary",
                    )
                    + (f"隐患{hid}", "", "学校", found, deadline, state, None, overdue, count, None)
                    + (escalated, None, closed_at, 1, moment(found, 9), now)
                )
                if escalated:
                    year = (deadline + dt.timedelta(days=1)).year
                    serial = serials[station_id] = serials.get(station_id, 0) + 1
                    at = moment(min(today, deadline + dt.timedelta(days=1)), 9)
                    escalations.append(
                        (hid, station_id, "逾期重大隐患", year, serial, f"督〔{year}〕{serial}号")
                        + (None, None, at, None, None, "")
                    )
        counts["hazards"] = _insert(
            "inspections_hazard",
            (
                "id",
                "school_id",
                "source",
                "category",
                "severity",
                "title",
                "description",
                "responsible_party",
                "found_on",
                "deadline",
                "state",
                "notice_id",
                "is_overdue",
                "overdue_count",
                "reminded_for",
                "is_escalated",
                "reported_by_id",
                "closed_at",
                "version",
                "created_at",
                "updated_at",
            ),
            hazards,
        )
        counts["escalations"] = _insert(
            "inspections_escalation",
            (
                "hazard_id",
                "supervisor_id",
                "reason",
                "year",
                "serial",
                "number",
                "deadline",
                "created_by_id",
                "created_at",
                "handled_by_id",
                "handled_at",
                "handling_note",
            ),
            escalations,
        )

        # Video patrols: ~2 a school over the year.
        video = []
        for school_id, station_id in schools:
            for _ in range(rng.randint(1, 3)):
                at = moment(rng.choice(year_days), rng.randint(8, 20))
                offline = 1 if rng.random() < 0.05 else 0
                video.append(
                    (school_id, rng.choice(officers[station_id]), at, 8, offline)
                    + (True, True, True, "", None)
                )
        counts["video patrols"] = _insert(
            "patrols_videopatrol",
            (
                "school_id",
                "officer_id",
                "at",
                "cameras_checked",
                "cameras_offline",
                "gate_closed",
                "guard_on_duty",
                "equipment_present",
                "observations",
                "hazard_id",
            ),
            video,
        )

    # Check-ins: CHECKINS over the weekdays of the year at random posts, ~5% invalid.
    station_of = dict(schools)
    columns = (
        "post_id",
        "school_id",
        "user_id",
        "person_kind",
        "date",
        "window",
        "at",
        "received_at",
        "latitude",
        "longitude",
        "accuracy_m",
        "distance_m",
        "proof",
        "is_valid",
        "problem",
        "was_offline",
        "idempotency_key",
    )

    def checkin_rows():
        for n in range(CHECKINS):
            post_id, school_id = posts[rng.randrange(len(posts))]
            day = weekdays[rng.randrange(len(weekdays))]
            am = rng.random() < 0.5
            at = dt.datetime.combine(day, dt.time(7 if am else 16, rng.randint(0, 59)), tzinfo=tz)
            valid = rng.random() >= 0.05
            yield (
                post_id,
                school_id,
                rng.choice(officers[station_of[school_id]]),
                "police",
                day,
                "am" if am else "pm",
                at,
                at,
                None,
                None,
                15,
                12 if valid else 250,
                "gps",
                valid,
                "" if valid else "距岗点 250 米，超出打卡范围（100 米）。",
                False,
                f"bench-{n:010d}",
            )

    with transaction.atomic():
        counts["check-ins"] = _insert("patrols_checkin", columns, checkin_rows())
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in (
                "core_user",
                "inspections_inspection",
                "inspections_inspectionresult",
                "inspections_hazard",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}','id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        cur.execute("ANALYZE")
    return counts


# ---- the floor -------------------------------------------------------------------------------


def _inner(form, vendor, org) -> tuple[str, list]:
    """compliance_bench's floor statement without its outer GROUP BY (the facts per school)."""
    saved = cb._outer
    cb._outer = lambda inner: inner
    try:
        return form(vendor, org)
    finally:
        cb._outer = saved


REQUIRED = (
    "CASE WHEN students < 100 AND NOT is_boarding THEN 1 WHEN students < 1000 THEN 2 "
    "ELSE 3 + (students - 1000) / 500 END"
)


def school_floor_sql(form, vendor, org, values) -> tuple[str, list]:
    """The school figures' counts in one statement over compliance_bench's facts."""
    inner, params = _inner(form, vendor, org)
    statuses = ", ".join(f"{sql} AS s_{code}" for code, sql in cb.STATUS.items())
    sql = (
        f"WITH f AS MATERIALIZED ({inner}), "
        f"t AS (SELECT locality, ga, {REQUIRED} AS req, {statuses} FROM f) "
        f"SELECT COUNT(*), SUM(ga), "
        f"SUM(CASE WHEN s_staffing = 'fail' THEN req - ga ELSE 0 END), "
        f"SUM(CASE WHEN locality = 'urban' THEN 1 ELSE 0 END), "
        + ", ".join(f"SUM(CASE WHEN s_{code} = 'fail' THEN 1 ELSE 0 END)" for code in cb.STATUS)
        + ", "
        + cb._sums()
        + " FROM t"
    )
    return cb._bind(sql, values), params


def school_figures(row) -> dict:
    """The schools figures from the floor's row."""
    schools, guards, shortfall, urban = (int(v or 0) for v in row[:4])
    failing = {code: int(row[4 + i] or 0) for i, code in enumerate(cb.STATUS)}
    base = 4 + len(cb.STATUS)
    ind = {
        code: tuple(int(row[base + 3 * i + k] or 0) for k in range(3))
        for i, (code, _, _) in enumerate(cb.INDICATORS)
    }
    got = {
        "schools.schools": schools,
        "schools.guards": guards,
        "schools.guard_shortfall": shortfall,
    }
    for code in (
        "staffing",
        "closed_management",
        "networked",
        "guard_post",
        "alarm_networked",
        "video_networked",
    ):
        got[f"schools.passing_{code}"] = ind[code][1]
    for code in ("staffing", "closed_management", "networked", "guard_post"):
        got[f"schools.rate_{code}"] = round(ind[code][1] / schools * 100, 1) if schools else None
    urban_pass = ind["urban_video_networked"][1]
    got["schools.rate_urban_video_networked"] = (
        round(urban_pass / urban * 100, 1) if urban else None
    )
    for code, n in failing.items():
        got[f"schools.failing_{code}"] = n
    return got


def record_floor(vendor: str, period, today: dt.date) -> list[tuple[tuple, list]]:
    """One aggregate statement per record table (unscoped: the city bureau sees everything),
    each in its forms — the period in WHERE (an index range) or in CASE over a whole-table
    scan — of which the bench keeps the fastest: [(codes, [(form, sql, params), ...])]."""
    from django.db import connection
    from django.utils import timezone

    ops = connection.ops

    def day_start(day):
        value = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return ops.adapt_datetimefield_value(value)

    s, e = ops.adapt_datefield_value(period.start), ops.adapt_datefield_value(period.end)
    t0, t1 = day_start(period.start), day_start(period.end + dt.timedelta(days=1))
    td = ops.adapt_datefield_value(today)
    true = "1" if vendor == "sqlite" else "true"
    finished = "status = 'finished' AND date >= %s AND date <= %s"
    valid = f"is_valid = {true} AND date >= %s AND date <= %s"
    return [
        (
            ("inspections.inspections", "inspections.person_times"),
            [
                (
                    "where",
                    "SELECT COUNT(*), COALESCE(SUM(person_times), 0) "
                    f"FROM inspections_inspection WHERE {finished}",
                    [s, e],
                ),
                (
                    "scan",
                    f"SELECT SUM(CASE WHEN {finished} THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN {finished} THEN person_times ELSE 0 END) "
                    "FROM inspections_inspection",
                    [s, e, s, e],
                ),
            ],
        ),
        (
            (
                "inspections.hazards_found",
                "inspections.hazards_closed",
                "inspections.hazards_overdue",
            ),
            [
                (
                    "scan",
                    "SELECT SUM(CASE WHEN found_on >= %s AND found_on <= %s THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN closed_at >= %s AND closed_at < %s THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN (is_overdue = {true} AND state IN "
                    "('pending', 'rectifying', 'awaiting_recheck')) "
                    "OR (state IN ('pending', 'rectifying') AND deadline < %s) "
                    "THEN 1 ELSE 0 END) FROM inspections_hazard",
                    [s, e, t0, t1, td],
                )
            ],
        ),
        (
            ("inspections.escalations",),
            [
                (
                    "where",
                    "SELECT COUNT(*) FROM inspections_escalation "
                    "WHERE created_at >= %s AND created_at < %s",
                    [t0, t1],
                )
            ],
        ),
        (
            ("patrols.guard_post_checkins",),
            [
                ("where", f"SELECT COUNT(*) FROM patrols_checkin WHERE {valid}", [s, e]),
                (
                    "scan",
                    f"SELECT SUM(CASE WHEN {valid} THEN 1 ELSE 0 END) FROM patrols_checkin",
                    [s, e],
                ),
            ],
        ),
        (
            ("patrols.patrols",),
            [
                (
                    "where",
                    "SELECT COUNT(*) FROM patrols_patrollog WHERE status <> 'in_progress' "
                    "AND date >= %s AND date <= %s",
                    [s, e],
                )
            ],
        ),
        (
            ("patrols.video_patrols",),
            [
                (
                    "where",
                    "SELECT COUNT(*) FROM patrols_videopatrol WHERE at >= %s AND at < %s",
                    [t0, t1],
                ),
                (
                    "scan",
                    "SELECT SUM(CASE WHEN at >= %s AND at < %s THEN 1 ELSE 0 END) "
                    "FROM patrols_videopatrol",
                    [t0, t1],
                ),
            ],
        ),
        (
            ("patrols.active_guard_posts",),
            [("where", f"SELECT COUNT(*) FROM patrols_guardpost WHERE is_active = {true}", [])],
        ),
    ]


def run_statement(sql: str, params: list, codes: tuple) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return {code: int(v or 0) for code, v in zip(codes, row, strict=True)}


def dashboard_floor(vendor: str, org, period, today: dt.date) -> list[tuple[str, str, list]]:
    """The dashboard's record figures by child organisation and month in one statement per
    figure (tiles: the sum; breakdown: per child; trend: per month), joined to the schools'
    organisations and scoped by path: [(code, sql, params)]. The schools' figures by child
    are compliance_bench's floor as it stands (it groups by child)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    ops = connection.ops
    where, scope = cb._scope(vendor, org)
    grp = f"substr(o.path, {len(org.path) + 1}, 9)"
    start = min(period.start, (period.end.replace(day=1) - dt.timedelta(days=150)).replace(day=1))

    def day_start(day):
        value = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return ops.adapt_datetimefield_value(value)

    s, e = ops.adapt_datefield_value(start), ops.adapt_datefield_value(period.end)
    t0, t1 = day_start(start), day_start(period.end + dt.timedelta(days=1))
    true = "1" if vendor == "sqlite" else "true"

    def day_month(col):
        return f"substr(CAST({col} AS TEXT), 1, 7)"

    def time_month(col):
        if vendor == "sqlite":
            return f"strftime('%%Y-%%m', {col}, '+8 hours')"
        return f"to_char({col} AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM')"

    school_join = (
        "JOIN schools_school s ON s.id = x.school_id "
        f"JOIN core_organization o ON o.id = s.organization_id WHERE {where}"
    )

    def grouped(measure, table, month, cond, params, join=school_join):
        sql = f"SELECT {grp}, {month}, {measure} FROM {table} x {join} AND {cond} GROUP BY 1, 2"
        return sql, [*scope, *params]

    out = [
        (
            "inspections.inspections",
            *grouped(
                "COUNT(*), SUM(x.person_times)",
                "inspections_inspection",
                day_month("x.date"),
                "x.status = 'finished' AND x.date >= %s AND x.date <= %s",
                [s, e],
            ),
        ),
        (
            "inspections.hazards_found",
            *grouped(
                "COUNT(*)",
                "inspections_hazard",
                day_month("x.found_on"),
                "x.found_on >= %s AND x.found_on <= %s",
                [s, e],
            ),
        ),
        (
            "inspections.hazards_closed",
            *grouped(
                "COUNT(*)",
                "inspections_hazard",
                time_month("x.closed_at"),
                "x.closed_at >= %s AND x.closed_at < %s",
                [t0, t1],
            ),
        ),
        (
            "inspections.hazards_overdue",
            *grouped(
                "COUNT(*)",
                "inspections_hazard",
                "''",
                f"((x.is_overdue = {true} AND x.state IN "
                "('pending', 'rectifying', 'awaiting_recheck')) "
                "OR (x.state IN ('pending', 'rectifying') AND x.deadline < %s))",
                [ops.adapt_datefield_value(today)],
            ),
        ),
        (
            "inspections.escalations",
            *grouped(
                "COUNT(*)",
                "inspections_escalation",
                time_month("x.created_at"),
                "x.created_at >= %s AND x.created_at < %s",
                [t0, t1],
                join="JOIN inspections_hazard h ON h.id = x.hazard_id "
                "JOIN schools_school s ON s.id = h.school_id "
                f"JOIN core_organization o ON o.id = s.organization_id WHERE {where}",
            ),
        ),
        (
            "patrols.guard_post_checkins",
            *grouped(
                "COUNT(*)",
                "patrols_checkin",
                day_month("x.date"),
                f"x.is_valid = {true} AND x.date >= %s AND x.date <= %s",
                [s, e],
            ),
        ),
        (
            "patrols.video_patrols",
            *grouped(
                "COUNT(*)",
                "patrols_videopatrol",
                time_month("x.at"),
                "x.at >= %s AND x.at < %s",
                [t0, t1],
            ),
        ),
        (
            "patrols.patrols",
            *grouped(
                "COUNT(*)",
                "patrols_patrollog",
                day_month("x.date"),
                "x.status <> 'in_progress' AND x.date >= %s AND x.date <= %s",
                [s, e],
                join=f"JOIN core_organization o ON o.id = x.organization_id WHERE {where}",
            ),
        ),
    ]
    return out


def run_grouped(statements, period) -> dict:
    """Run the grouped floor; the period's totals per figure (to check against the tiles)."""
    from django.db import connection

    first, last = f"{period.start:%Y-%m}", f"{period.end:%Y-%m}"
    totals: dict[str, int] = {}
    with connection.cursor() as cur:
        for code, sql, params in statements:
            cur.execute(sql, params)
            for row in cur.fetchall():
                month = row[1]
                if month == "" or first <= month <= last:
                    totals[code] = totals.get(code, 0) + int(row[2] or 0)
                    if code == "inspections.inspections":
                        key = "inspections.person_times"
                        totals[key] = totals.get(key, 0) + int(row[3] or 0)
    return totals


# ---- the dashboard -----------------------------------------------------------------------------


def months_back(today: dt.date, n: int):
    from huxiao.core.modules import Period

    first = today.replace(day=1)
    periods = []
    for _ in range(n):
        last = min(today, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
        periods.append(Period(first, last))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return periods[::-1]


def dashboard_fn():
    """(label, fn(user, org, period)) for the dashboard page's data: the reports app's own
    function when there is one, else the stand-in."""
    from django.utils import timezone

    from huxiao.reports import figures

    try:
        from huxiao.reports import dashboard
    except ImportError:
        dashboard = None
    if dashboard is not None and callable(getattr(dashboard, "compose", None)):
        from huxiao.reports.scope import FigureScope

        def compose(user, org, period):
            return dashboard.compose(user, FigureScope(org=org, period=period), with_trend=True)

        return "huxiao.reports.dashboard.compose(user, FigureScope(org, period))", compose
    if dashboard is not None:
        for name in ("build", "dashboard_data", "data", "page_data", "build_dashboard"):
            fn = getattr(dashboard, name, None)
            if callable(fn):
                params = inspect.signature(fn).parameters

                def call(user, org, period, fn=fn, params=params):
                    kwargs = {}
                    for p in params:
                        if p == "user":
                            kwargs[p] = user
                        elif p in ("org", "organization"):
                            kwargs[p] = org
                        elif p == "period":
                            kwargs[p] = period
                        elif p == "today":
                            kwargs[p] = timezone.localdate()
                    return fn(**kwargs)

                return f"huxiao.reports.dashboard.{name}", call

    def stand_in(user, org, period):
        today = timezone.localdate()
        figures.values(user=user, org=org, period=period)
        figures.breakdown(user=user, org=org, period=period, codes=HEADLINE)
        figures.trend(user=user, org=org, periods=months_back(today, 6), codes=HEADLINE)

    return "stand-in: values (all) + breakdown (6 codes) + trend (6 codes x 6 months)", stand_in


def compose_parts(user, org, period, repeat: int) -> str:
    """Where ``dashboard.compose`` spends its time: each of its parts timed alone."""
    try:
        from huxiao.reports import dashboard
        from huxiao.reports.scope import FigureScope
    except ImportError:
        return "no huxiao.reports.dashboard"
    where = FigureScope(org=org, period=period)
    parts = {
        "tiles (figures.values)": lambda: figures_values(user, org, period, dashboard),
        "breakdown": lambda: dashboard.breakdown(user, where),
        "trend": lambda: dashboard.trend(user, where),
        "map": lambda: dashboard.school_points(user, org),
    }
    return ", ".join(f"{name} {timed(fn, repeat):.0f}" for name, fn in parts.items())


def figures_values(user, org, period, dashboard):
    from huxiao.reports import figures

    return figures.values(user=user, org=org, period=period, codes=dashboard.tile_codes())


def replay_floor(fn):
    """The SELECT statements ``fn`` issues, captured, as a function replaying them raw."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    sqls = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def run():
        with connection.cursor() as cur:
            for sql in sqls:
                cur.execute(sql)
                cur.fetchall()

    return run, len(captured.captured_queries), len(sqls)


def slowest(fn, n: int = 4) -> str:
    """The statements ``fn`` issues that take longest replayed raw, grouped by first table."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    groups: dict[str, list[float]] = {}
    with connection.cursor() as cur:
        for q in captured.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            start = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            table = re.search(r'FROM "?(\w+)"?', sql)
            key = table.group(1) if table else sql[:40]
            groups.setdefault(key, []).append((time.perf_counter() - start) * 1000)
    top = sorted(groups.items(), key=lambda kv: -sum(kv[1]))[:n]
    return ", ".join(f"{k} {len(v)}x {sum(v):.0f} ms" for k, v in top)


# ---- the province ------------------------------------------------------------------------------


def province() -> None:
    vendor = configure()
    from django.db import connection
    from django.utils import timezone

    from huxiao.core.models import Organization, Role, User
    from huxiao.core.modules import Period
    from huxiao.core.roles import ensure_default_roles
    from huxiao.reports import figures
    from huxiao.schools import rules
    from huxiao.schools.policy import POLICY_GBT, current

    policy = current()
    assert policy.staffing == POLICY_GBT and policy.round_up, "the floor hand-codes gbt29315"
    today = timezone.localdate()
    start = time.perf_counter()
    if REUSE and Organization.objects.exists():
        city = Organization.objects.get(kind="city_bureau")
        sub = Organization.objects.filter(kind="sub_bureau").order_by("pk").first()
        station = Organization.objects.filter(kind="station").order_by("pk").first()
        print(f"database: {vendor}; reusing the province already built")
    else:
        city, sub, station = cb.build(random.Random(2026))
        print(f"province built in {time.perf_counter() - start:.1f} s")
        t = time.perf_counter()
        counts = build_records(random.Random(15), today, city)
        print(
            "records: "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f" in {time.perf_counter() - t:.1f} s"
        )
    ensure_default_roles()
    roles = {r.code: r for r in Role.objects.all()}
    commander, _ = User.objects.get_or_create(
        username="c", defaults={"organization": city, "role": roles["commander"]}
    )
    sub_commander, _ = User.objects.get_or_create(
        username="s", defaults={"organization": sub, "role": roles["commander"]}
    )
    officer, _ = User.objects.get_or_create(
        username="o", defaults={"organization": station, "role": roles["officer"]}
    )
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    period = Period(first, today)
    print(f"database: {vendor}; today {today}; period {period.start} .. {period.end}")

    values = {
        "today": f"'{today.isoformat()}'",
        "cutoff": f"'{rules.age_cutoff(today, policy.guard_max_age).isoformat()}'",
        "retention": policy.camera_retention_days,
        "kit_items": len(policy.min_kit),
    }
    jit_off = vendor == "postgresql"
    if jit_off:
        with connection.cursor() as cur:
            cur.execute("SET jit = off")  # the floors (and figures, see below) without JIT

    def platform():
        return {
            v.code: v.value
            for v in figures.values(user=commander, org=city, period=period, codes=CODES)
        }

    want = platform()
    missing = set(CODES) - set(want)
    if missing:
        print(f"NOTE: not visible to the commander: {sorted(missing)}")

    forms = [
        f for f in (cb.floor_correlated, cb.floor_aggregates, cb.floor_lateral) if f(vendor, city)
    ]
    tables = record_floor(vendor, period, today)

    def school_run(form):
        sql, params = school_floor_sql(form, vendor, city, values)

        def run():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchone()

        return run

    got = {}
    for codes, variants in tables:
        for label, sql, params in variants:
            found = run_statement(sql, params, codes)
            got |= found
            for code, value in found.items():
                if want.get(code) != value:
                    print(f"MISMATCH {code} ({label}): floor {value}, platform {want.get(code)}")
    for form in forms:
        got_schools = school_figures(school_run(form)())
        for code, value in (got_schools | got).items():
            if want.get(code) != value:
                print(
                    f"MISMATCH {code} ({form.__name__}): floor {value}, platform {want.get(code)}"
                )
    print(
        "figures (platform = floor): "
        + ", ".join(f"{c.partition('.')[2]} {want.get(c)}" for c in CODES if c in want)
    )

    note_load("the province timings")
    rows = []
    school_floors = {form.__name__: timed(school_run(form), max(3, REPEAT // 2)) for form in forms}
    best_name = min(school_floors, key=school_floors.get)
    best, chosen = [], []
    for codes, variants in tables:
        times = {
            label: timed(
                lambda sql=sql, params=params, codes=codes: run_statement(sql, params, codes)
            )
            for label, sql, params in variants
        }
        label = min(times, key=times.get)
        sql, params = next((q, p) for form, q, p in variants if form == label)
        best.append((sql, params, codes))
        chosen.append(
            f"{codes[0].partition('.')[2]}: " + ", ".join(f"{k} {v:.1f}" for k, v in times.items())
        )

    def records_run():
        for sql, params, codes in best:
            run_statement(sql, params, codes)

    records_ms = timed(records_run)
    floor_ms = school_floors[best_name] + records_ms
    mine = timed(platform)
    rows.append((f"figures.values, city commander, 12 months, {len(CODES)} codes", mine, floor_ms))
    print(
        f"\nfloor: schools {best_name} {school_floors[best_name]:.0f} ms "
        f"({', '.join(f'{k} {v:.0f}' for k, v in school_floors.items())}); "
        f"records {records_ms:.0f} ms ({len(best)} statements, the fastest form of each)"
    )
    print("  record statements, ms: " + "; ".join(chosen))
    # The same split on the platform side.
    school_ms = timed(
        lambda: figures.values(user=commander, org=city, period=period, codes=SCHOOL_CODES)
    )
    record_ms = timed(
        lambda: figures.values(user=commander, org=city, period=period, codes=RECORD_CODES)
    )
    rows.append(("  of which the schools figures", school_ms, school_floors[best_name]))
    rows.append(("  of which the record counts", record_ms, records_ms))
    for code in RECORD_CODES:
        one = timed(
            lambda code=code: figures.values(user=commander, org=city, period=period, codes=[code]),
            3,
        )
        print(f"  {code}: {one:.1f} ms")

    label, dash = dashboard_fn()
    print(f"\ndashboard: {label}")
    note_load("the dashboards")
    for who, user, org, repeat in (
        ("city commander", commander, city, max(3, REPEAT // 2)),
        ("sub-bureau commander", sub_commander, sub, REPEAT),
        ("station officer", officer, station, REPEAT * 3),
    ):
        ms = timed(lambda user=user, org=org: dash(user, org, period), repeat)
        replay, n_all, n_select = replay_floor(lambda user=user, org=org: dash(user, org, period))
        floor = timed(replay, repeat)
        rows.append((f"dashboard, {who} ({n_all} queries, {n_select} SELECT)", ms, floor))
        slow = slowest(lambda user=user, org=org: dash(user, org, period))
        print(f"  {who}: {ms:.0f} ms, SQL replayed {floor:.0f} ms; by first table: {slow}")
        print(f"    parts, ms: {compose_parts(user, org, period, max(3, repeat // 2))}")
    note_load("the dashboards' hand-written floor")
    for who, org, repeat, school_form in (
        ("city", city, max(3, REPEAT // 2), best_name),
        ("sub-bureau", sub, REPEAT, "floor_correlated"),
        ("station", station, REPEAT, "floor_correlated"),
    ):
        statements = dashboard_floor(vendor, org, period, today)
        if org is city:
            found = run_grouped(statements, period)
            for code, value in found.items():
                if got.get(code) != value:
                    print(f"MISMATCH grouped {code}: {value}, flat floor {got.get(code)}")
        form = getattr(cb, school_form)
        school_sql, school_params = form(vendor, org)
        school_sql = cb._bind(school_sql, values)

        def grouped_run(statements=statements, school_sql=school_sql, school_params=school_params):
            cb.run_floor(school_sql, school_params)
            run_grouped(statements, period)

        ms = timed(grouped_run, repeat)
        dash_ms = next(r[1] for r in rows if r[0].startswith(f"dashboard, {who}"))
        rows.append((f"  dashboard, {who}: hand-written floor", dash_ms, ms))
    print(f"\n| province ({vendor}), median ms | platform | floor | ratio |")
    print("|---|---|---|---|")
    for name, ms, floor in rows:
        print(f"| {name} | {ms:.1f} | {floor:.1f} | {ms / floor:.1f}x |")
    print("(dashboard floors: the statements the dashboard issues, replayed raw)")
    sys.stdout.flush()


# ---- the demo city -----------------------------------------------------------------------------


def demo() -> None:
    os.environ["HUXIAO_TASKS_IMMEDIATE"] = "1"
    vendor = configure("_demo")
    import logging

    logging.getLogger("huey").setLevel(logging.WARNING)
    from django.utils import timezone

    from huxiao.core.models import User
    from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo
    from huxiao.reports import figures, periods
    from huxiao.reports.models import ReportKind

    if not (REUSE and User.objects.filter(username="officer01").exists()):
        t = time.perf_counter()
        seed_demo(seed=2026, password=DEFAULT_PASSWORD)
        print(f"demo city seeded in {time.perf_counter() - t:.1f} s ({vendor})")
    today = timezone.localdate()
    officer = User.objects.select_related("organization").get(username="officer01")
    commander = User.objects.select_related("organization").get(username="commander")
    label, dash = dashboard_fn()
    month = periods.default(today)
    print(
        f"\ndemo city ({vendor}); today {today}; {month.start} .. {month.end}; dashboard: {label}"
    )
    note_load("the demo timings")
    rows = []
    org = figures.home_org(officer)
    ms = timed(lambda: dash(officer, org, month), REPEAT * 3)
    replay, n_all, n_select = replay_floor(lambda: dash(officer, org, month))
    rows.append((f"station dashboard, officer01 ({n_all} queries)", ms, timed(replay, REPEAT * 3)))
    print(f"  officer01, by first table: {slowest(lambda: dash(officer, org, month))}")
    print(f"    parts, ms: {compose_parts(officer, org, month, REPEAT * 2)}")
    rows += page_rows(officer, "officer01")
    corg = figures.home_org(commander)
    ms = timed(lambda: dash(commander, corg, month), REPEAT)
    replay, n_all, _ = replay_floor(lambda: dash(commander, corg, month))
    rows.append((f"city dashboard, commander ({n_all} queries)", ms, timed(replay, REPEAT)))

    last_month = periods.preset("last_month", today)
    kind = ReportKind.WORK_REPORT
    rows += report_rows(commander, last_month, kind)
    print(f"\n| demo city ({vendor}), median ms | platform | floor | ratio |")
    print("|---|---|---|---|")
    for name, value, floor in rows:
        shown = f"{floor:.1f}" if floor else "—"
        ratio = f"{value / floor:.1f}x" if floor else ""
        print(f"| {name} | {value:.1f} | {shown} | {ratio} |")
    print(
        "(dashboard floors: the SELECT statements the dashboard issues, replayed raw; report "
        "floor: the SELECT statements report_generate issues, replayed raw, + python-docx writing an "
        "empty document)"
    )
    sys.stdout.flush()


def page_rows(user, name: str) -> list[tuple[str, float, float | None]]:
    """The dashboard as its user's browser asks for it, through Django's test client (every
    middleware, the session, the template): the page (tiles and map: its first paint), then
    the breakdown and the trend fragments it fetches. Floor: the SELECT statements of each
    request replayed raw."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.SECOND_FACTOR = False  # a signed-in session; the second factor is not measured
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    out = []
    for label, url_name in (
        ("the page (tiles, map)", "reports:dashboard"),
        ("its breakdown fragment", "reports:dashboard_breakdown"),
        ("its trend fragment", "reports:dashboard_trend"),
    ):
        url = reverse(url_name)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        # The request resets connection.queries (request_started): collect the SQL as it runs.
        captured: list[tuple[str, object]] = []

        def collect(execute, sql, params, many, context, captured=captured):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(collect):
            client.get(url)
        sqls = [
            (sql, params)
            for sql, params in captured
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        ]

        def replay(sqls=sqls):
            with connection.cursor() as cur:
                for sql, params in sqls:
                    cur.execute(sql, params)
                    cur.fetchall()

        ms = timed(lambda url=url: client.get(url), REPEAT * 3)
        queries = len(captured)
        out.append((f"  {name}: GET {url}, {label} ({queries} queries)", ms, timed(replay)))
    return out


def report_rows(commander, period, kind) -> list[tuple[str, float, float | None]]:
    """The commander's 工作情况报告 over ``period``: ``report_request`` (its task held back)
    then ``report_generate(report_id=)`` as the task runs it, timed alone (compute + write +
    keep) and with the request; its two halves; the floor: the SELECT statements the
    generation issues replayed raw through the cursor, plus python-docx writing an empty
    document to bytes."""
    import io
    from unittest import mock

    import docx

    from huxiao.core import context
    from huxiao.reports import documents, figures, services_documents
    from huxiao.reports.models import GeneratedReport

    def request():
        with mock.patch.object(services_documents, "_enqueue", lambda report_id: None):
            return services_documents.report_request(
                actor=commander, kind=kind, organization=commander.organization, period=period
            )

    def generate(report_id):
        with context.acting(source="task"):
            r = services_documents.report_generate(report_id=report_id)
        assert r.status == "done" and r.content, (r.status, r.error)
        return r

    def median_of(fn, repeat):
        fn()  # warm
        samples = []
        for _ in range(repeat):
            samples.append(fn())
        return statistics.median(samples)

    def generation_only():
        pk = request().pk
        start = time.perf_counter()
        generate(pk)
        return (time.perf_counter() - start) * 1000

    def request_and_generation():
        start = time.perf_counter()
        generate(request().pk)
        return (time.perf_counter() - start) * 1000

    done = generate(request().pk)
    print(
        f"工作情况报告 {period.start}..{period.end}: {len(bytes(done.content)):,} bytes, "
        f"{len(done.figures)} figures"
    )
    gen_ms = median_of(generation_only, REPEAT)
    total_ms = median_of(request_and_generation, REPEAT)
    codes = list(done.figures)
    values_ms = timed(
        lambda: figures.values(
            user=commander, org=commander.organization, period=period, codes=codes
        ),
        REPEAT,
    )
    fresh = GeneratedReport.objects.get(pk=done.pk)
    write_ms = timed(lambda: documents.write(fresh), REPEAT)

    pending = request().pk
    replay, n_all, n_select = replay_floor(lambda: generate(pending))

    def empty_docx():
        out = io.BytesIO()
        docx.Document().save(out)
        return out.getvalue()

    replay_ms = timed(replay, REPEAT)
    docx_ms = timed(empty_docx, REPEAT)
    return [
        (
            f"工作情况报告, commander, last month: report_generate ({n_all} queries, "
            f"{n_select} SELECT; compute, .docx, hash, keep)",
            gen_ms,
            replay_ms + docx_ms,
        ),
        ("  with report_request before it", total_ms, None),
        (
            f"  of which its {len(codes)} figures (figures.values) / SQL replayed",
            values_ms,
            replay_ms,
        ),
        (
            "  of which writing the .docx (documents.write) / python-docx empty document",
            write_ms,
            docx_ms,
        ),
    ]


def main() -> None:
    print(f"load average at start: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    if DEMO:
        demo()
        return
    province()
    if not PROVINCE:
        sys.stdout.flush()
        args = [sys.executable, __file__, "--demo", *(a for a in sys.argv[1:] if a == "--reuse")]
        subprocess.run(args, check=True)


if __name__ == "__main__":
    main()
