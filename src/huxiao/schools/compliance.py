"""Compliance in the database: per-school facts and rule statuses as SQL, and the roll-up.

``with_facts`` annotates a School queryset with the facts of ``rules.SchoolFacts`` (one
correlated subquery per fact) and a ``<code>_status`` per rule, mirroring the pure rules in
``rules.py`` (tests check both agree at every boundary). ``summary`` rolls the statuses
of the schools in an organisation's jurisdiction up in one SQL statement: the 四个100%
rates and the other indicators, each with the list of schools behind it.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django.db.models.lookups import GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huxiao.core import modules
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.core.scoping import jurisdiction_q
from huxiao.schools import rules
from huxiao.schools.choices import DeviceKind, GuardStatus, Locality
from huxiao.schools.models import Device, EquipmentStock, FactRow, Guard, School
from huxiao.schools.policy import POLICY_38, POLICY_168, Policy, current

PASS, FAIL, UNKNOWN, NA = rules.PASS, rules.FAIL, rules.UNKNOWN, rules.NA
FACT_FIELDS = (
    "guards_active",
    "guards_bad_certificate",
    "guards_over_age",
    "guards_missing_birth",
    "alarms",
    "alarms_networked",
    "cameras",
    "cameras_networked",
    "cameras_short_retention",
    "cameras_unknown_retention",
    # 护学岗: ``School.guard_posts`` is the reverse relation, so the fact is named apart.
    "active_guard_posts",
)
STATUS_FIELDS = tuple(f"{code}_status" for code in rules.RULE_CODES)
FACT_COLUMNS = (*FACT_FIELDS, "has_anti_collision", "kit_ok", "required_guards")


def _count(queryset) -> Coalesce:
    sub = queryset.order_by().values("school").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _int(expression):
    return ExpressionWrapper(expression, output_field=IntegerField())


def _increments(extra, unit: int, round_up: bool):
    """SQL twin of rules._increments (integer division in SQLite and PostgreSQL alike)."""
    divided = (
        _int((extra + Value(unit - 1)) / Value(unit)) if round_up else _int(extra / Value(unit))
    )
    return Case(
        When(LessThanOrEqual(extra, Value(0)), then=Value(0)),
        default=divided,
        output_field=IntegerField(),
    )


def required_guards_expression(policy: Policy):
    """SQL twin of rules.required_guards."""
    students, total = F("students"), F("students") + F("staff")
    if policy.staffing == POLICY_168:
        lower = {"mixed": total, "students": students, "total": total}[policy.reading_168]
        upper = {"mixed": students, "students": students, "total": total}[policy.reading_168]
        base = Case(
            When(LessThan(lower, Value(100)), then=Value(1)),
            default=_int(Value(2) + _increments(upper - Value(1000), 500, policy.round_up)),
            output_field=IntegerField(),
        )
    elif policy.staffing == POLICY_38:
        base = _int(Value(2) + _increments(students - Value(1000), 500, policy.round_up))
    else:
        base = Case(
            When(Q(students__lt=100, is_boarding=False), then=Value(1)),
            When(students__lt=1000, then=Value(2)),
            default=_int(Value(3) + _int((students - Value(1000)) / Value(500))),
            output_field=IntegerField(),
        )
    if policy.boarder_addon:
        base = _int(base + _increments(F("boarders"), policy.boarder_addon, policy.round_up))
    return base


def _status(*whens, default: str) -> Case:
    return Case(*whens, default=Value(default), output_field=CharField())


def fact_annotations(policy: Policy, today: dt.date) -> dict:
    """Each fact of ``rules.SchoolFacts`` as one correlated subquery over a School queryset."""
    active = Guard.objects.filter(school=OuterRef("pk"), is_full_time=True).exclude(
        status=GuardStatus.LEFT
    )
    devices = Device.objects.filter(school=OuterRef("pk"))
    alarms = devices.filter(kind=DeviceKind.ONE_KEY_ALARM)
    cameras = devices.filter(kind=DeviceKind.CAMERA)
    # The kit is complete when every required item is held in the required quantity:
    # one count of the items that meet their minimum, compared with the number of items.
    kit_items = functools.reduce(
        operator.or_,
        (Q(item=item, quantity__gte=need) for item, need in policy.min_kit.items()),
        Q(pk__in=[]),
    )
    kit_met = _count(EquipmentStock.objects.filter(kit_items, school=OuterRef("pk")))
    return {
        "guards_active": _count(active),
        "guards_bad_certificate": _count(
            active.filter(
                Q(certificate_number="")
                | Q(certificate_valid_until__isnull=True)
                | Q(certificate_valid_until__lt=today)
            )
        ),
        "guards_over_age": _count(
            active.filter(birth_date__lte=rules.age_cutoff(today, policy.guard_max_age))
        ),
        "guards_missing_birth": _count(active.filter(birth_date__isnull=True)),
        "alarms": _count(alarms),
        # Where heartbeats exist the alarms module answers with the devices' real state (its
        # fact); otherwise, and when it is not installed, the registered flag.
        "alarms_networked": _count(
            modules.fact("alarms_networked")(alarms)
            if modules.has_fact("alarms_networked")
            else alarms.filter(networked_police=True)
        ),
        "cameras": _count(cameras),
        "cameras_networked": _count(cameras.filter(networked_police=True)),
        "cameras_short_retention": _count(
            cameras.filter(retention_days__lt=policy.camera_retention_days)
        ),
        "cameras_unknown_retention": _count(cameras.filter(retention_days__isnull=True)),
        # 护学岗: the school's active posts, a fact the patrols module answers (its registry);
        # none when it is not installed.
        "active_guard_posts": (
            _count(modules.fact("active_guard_posts")(OuterRef("pk")))
            if modules.has_fact("active_guard_posts")
            else Value(0)
        ),
        "has_anti_collision": ExpressionWrapper(~Q(anti_collision=[]), output_field=BooleanField()),
        "kit_ok": ExpressionWrapper(
            GreaterThanOrEqual(kit_met, Value(len(policy.min_kit))), output_field=BooleanField()
        ),
        "required_guards": required_guards_expression(policy),
    }


def status_annotations() -> dict:
    """Each rule's status over the facts: the SQL twin of ``rules.py``.

    The expressions name facts and school columns only, so the same definitions serve a
    School queryset annotated with the facts (lists) and the roll-up's table of facts
    (``FactRow``), where each fact is computed once.
    """
    return {
        "staffing_status": _status(
            When(guards_active__gte=F("required_guards"), then=Value(PASS)), default=FAIL
        ),
        "certificates_status": _status(
            When(guards_active=0, then=Value(UNKNOWN)),
            When(guards_bad_certificate__gt=0, then=Value(FAIL)),
            default=PASS,
        ),
        "guard_age_status": _status(
            When(guards_over_age__gt=0, then=Value(FAIL)),
            When(Q(guards_missing_birth__gt=0) | Q(guards_active=0), then=Value(UNKNOWN)),
            default=PASS,
        ),
        "closed_management_status": _status(
            When(closed_management=True, then=Value(PASS)), default=FAIL
        ),
        "alarm_networked_status": _status(
            When(alarms_networked__gt=0, then=Value(PASS)), default=FAIL
        ),
        "video_networked_status": _status(
            When(cameras_networked__gt=0, then=Value(PASS)), default=FAIL
        ),
        "guard_post_status": _status(
            When(active_guard_posts__gt=0, then=Value(PASS)), default=FAIL
        ),
        "anti_collision_status": _status(
            When(locality=Locality.RURAL, then=Value(NA)),
            When(has_anti_collision=True, then=Value(PASS)),
            default=FAIL,
        ),
        "camera_retention_status": _status(
            When(Q(cameras=0) | Q(cameras_short_retention__gt=0), then=Value(FAIL)),
            When(cameras_unknown_retention__gt=0, then=Value(UNKNOWN)),
            default=PASS,
        ),
        "equipment_kit_status": _status(When(kit_ok=True, then=Value(PASS)), default=FAIL),
        "duty_24h_status": _status(
            When(~Q(locality=Locality.RURAL) | Q(is_boarding=False), then=Value(NA)),
            When(duty_24h=True, then=Value(PASS)),
            default=FAIL,
        ),
    }


def with_facts(
    queryset: QuerySet, policy: Policy | None = None, today: dt.date | None = None
) -> QuerySet:
    """A School queryset with its facts and a ``<code>_status`` per rule (lists, filters)."""
    policy = policy or current()
    today = today or timezone.localdate()
    facts, statuses = _annotations(policy, today)
    return queryset.annotate(**facts).annotate(**statuses)


_built: dict[tuple, tuple[dict, dict]] = {}


def _annotations(policy: Policy, today: dt.date) -> tuple[dict, dict]:
    """``fact_annotations`` and ``status_annotations``, built once per policy and day: a
    queryset resolves (copies) the expressions it is given, so they can be given again, and
    building them is a good part of a dashboard's time."""
    key = (repr(policy), today)
    if key not in _built:
        if len(_built) > 8:
            _built.clear()
        _built[key] = (fact_annotations(policy, today), status_annotations())
    return _built[key]


def facts_for(
    school: School, policy: Policy | None = None, today: dt.date | None = None
) -> rules.SchoolFacts:
    policy = policy or current()
    row = (
        with_facts(School.objects.filter(pk=school.pk), policy, today)
        .values(*FACT_FIELDS, "has_anti_collision")
        .get()
    )
    kit = dict(EquipmentStock.objects.filter(school=school).values_list("item", "quantity"))
    row["guard_posts"] = row.pop("active_guard_posts")
    return rules.SchoolFacts(
        students=school.students,
        staff=school.staff,
        boarders=school.boarders,
        is_boarding=school.is_boarding,
        locality=school.locality,
        closed_management=school.closed_management,
        duty_24h=school.duty_24h,
        kit=kit,
        **row,
    )


def results_for(
    school: School, policy: Policy | None = None, today: dt.date | None = None
) -> list[rules.RuleResult]:
    policy = policy or current()
    return rules.evaluate(facts_for(school, policy, today), policy)


# ---- roll-up -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    title: object
    statuses: tuple[str, ...]  # all must pass
    four_100: bool = False
    only_urban: bool = False
    target: float = 1.0


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("staffing", _("专职保安员配备达标"), ("staffing_status",), four_100=True),
    IndicatorSpec(
        "closed_management", _("封闭化管理"), ("closed_management_status",), four_100=True
    ),
    IndicatorSpec(
        "networked",
        _("一键式紧急报警和视频监控与公安联网"),
        ("alarm_networked_status", "video_networked_status"),
        four_100=True,
    ),
    IndicatorSpec("guard_post", _("护学岗设置"), ("guard_post_status",), four_100=True),
    IndicatorSpec("certificates", _("保安员持证上岗"), ("certificates_status",)),
    IndicatorSpec("guard_age", _("保安员年龄达标"), ("guard_age_status",)),
    IndicatorSpec("alarm_networked", _("一键式紧急报警联网"), ("alarm_networked_status",)),
    IndicatorSpec("video_networked", _("视频监控联网"), ("video_networked_status",)),
    IndicatorSpec(
        "urban_video_networked",
        _("城区学校视频监控联网率（目标≥80%）"),
        ("video_networked_status",),
        only_urban=True,
        target=0.8,
    ),
    IndicatorSpec("anti_collision", _("防冲撞设施（城区、镇区）"), ("anti_collision_status",)),
    IndicatorSpec("camera_retention", _("录像保存≥30天"), ("camera_retention_status",)),
    IndicatorSpec("equipment_kit", _("守卫防护装备配齐"), ("equipment_kit_status",)),
    IndicatorSpec("duty_24h", _("农村寄宿制学校24小时值守"), ("duty_24h_status",)),
)


@dataclass
class Indicator:
    code: str
    title: str
    four_100: bool
    target: float
    applicable: int = 0
    passing: int = 0
    failing: int = 0
    unknown: int = 0

    @property
    def rate(self) -> float | None:
        """Share of applicable schools that pass; None while any status is still unknown."""
        if self.applicable == 0 or self.unknown == self.applicable:
            return None
        return self.passing / self.applicable

    @property
    def meets_target(self) -> bool | None:
        return None if self.rate is None else self.rate >= self.target


@dataclass
class RollupRow:
    organization_id: int | None
    name: str
    schools: int = 0
    indicators: dict[str, Indicator] = field(default_factory=dict)


@dataclass
class Summary:
    organization: Organization
    total: RollupRow
    children: list[RollupRow]

    def failing_url(self, code: str) -> str:
        return f"{reverse('schools:school_list')}?org={self.organization.pk}&failing={code}"


def _sums_sql(spec: IndicatorSpec) -> list[str]:
    """CASE sums for one indicator: applicable, passing, unknown (failing = the rest)."""
    cols = [f's."{c}"' for c in spec.statuses]
    urban = "s.\"locality\" = 'urban'" if spec.only_urban else "1=1"
    not_na = " AND ".join(f"{c} <> 'na'" for c in cols)
    all_pass = " AND ".join(f"{c} = 'pass'" for c in cols)
    any_unknown = " OR ".join(f"{c} = 'unknown'" for c in cols)
    any_fail = " OR ".join(f"{c} = 'fail'" for c in cols)
    return [
        f"SUM(CASE WHEN {urban} AND {not_na} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {urban} AND {all_pass} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {urban} AND {not_na} AND NOT ({any_fail}) AND ({any_unknown}) THEN 1 ELSE 0 END)",
    ]


def schools_under(org: Organization, queryset: QuerySet) -> QuerySet:
    """Schools in an organisation's jurisdiction: its subtree, and for an education bureau
    also the schools that point at a bureau in its subtree."""
    return queryset.filter(jurisdiction_q("organization", org))


def summary(
    *, user, org: Organization, policy: Policy | None = None, today: dt.date | None = None
) -> Summary:
    """The roll-up of ``org`` as ``user`` may see it (schools outside the user's scope never count).

    One statement: a materialised CTE computes each school's facts once (it also stops the
    planner from folding the per-school subqueries into every sum), the rule statuses are
    evaluated over it with ``status_annotations`` and summed per child organisation. The
    caller resolves ``org`` through the user's scope first (404 when out of scope).
    """
    policy = policy or current()
    today = today or timezone.localdate()
    schools = schools_under(org, School.objects.visible_to(user))
    if org.kind == OrgKind.EDUCATION_BUREAU:
        group = Cast("organization__education_bureau_id", CharField())
    else:
        # The direct child of ``org`` on the way to each school: one path segment.
        group = Substr("organization__path", len(org.path) + 1, 9)
    facts = (
        schools.annotate(**fact_annotations(policy, today), grp=group)
        .order_by()
        .values("grp", "locality", "is_boarding", "closed_management", "duty_24h", *FACT_COLUMNS)
    )
    statuses = FactRow.objects.annotate(**status_annotations()).values(
        "grp", "locality", *STATUS_FIELDS
    )
    facts_sql, facts_params = facts.query.sql_with_params()
    status_sql, status_params = statuses.query.sql_with_params()
    sums = [part for spec in INDICATORS for part in _sums_sql(spec)]
    statement = (
        f'WITH "{FactRow._meta.db_table}" AS MATERIALIZED ({facts_sql}) '  # noqa: S608
        f'SELECT s."grp", COUNT(*), {", ".join(sums)} FROM ({status_sql}) s GROUP BY s."grp"'
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The statement's estimated cost switches PostgreSQL's JIT on, which then spends
            # seconds compiling a query that runs in a fraction of that (docs/performance.md).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, (*facts_params, *status_params))
        rows = cursor.fetchall()
    return _assemble(org, rows)


def _child_id(org: Organization, key) -> int | None:
    if key is None:
        return None
    if org.kind == OrgKind.EDUCATION_BUREAU:
        return int(key)
    segment = str(key).rstrip("/")
    # A school's own roll-up: the school is ``org`` itself, there is no child segment.
    return int(segment) if segment else org.pk


def _new_row(organization_id, name) -> RollupRow:
    return RollupRow(
        organization_id,
        name,
        0,
        {s.code: Indicator(s.code, str(s.title), s.four_100, s.target) for s in INDICATORS},
    )


def _assemble(org: Organization, rows) -> Summary:
    total = _new_row(org.pk, org.name)
    children: dict[int | None, RollupRow] = {}
    for row in rows:
        child = _child_id(org, row[0])
        entry = children.setdefault(child, _new_row(child, ""))
        entry.schools += row[1]
        total.schools += row[1]
        values = row[2:]
        for i, spec in enumerate(INDICATORS):
            applicable, passing, unknown = (int(v or 0) for v in values[3 * i : 3 * i + 3])
            for target in (entry.indicators[spec.code], total.indicators[spec.code]):
                target.applicable += applicable
                target.passing += passing
                target.unknown += unknown
                target.failing += applicable - passing - unknown
    names = dict(
        Organization.objects.filter(pk__in=[k for k in children if k]).values_list("pk", "name")
    )
    ordered = []
    for key, entry in sorted(children.items(), key=lambda kv: names.get(kv[0], "")):
        entry.name = names.get(key, "")
        ordered.append(entry)
    return Summary(org, total, ordered)
