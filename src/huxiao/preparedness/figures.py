"""The preparedness module's figures (declared in ``registry.py``): each is a preparedness list's
rows with that list's filters (``core.figures.list_rows``); ``*_url`` opens the list with the
same filters, so the number and the rows it opens are the same. The mean evacuation time and the
share meeting the target are readings of the timed drills' list, shown above it."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from huxiao.core.figures import list_rows, list_url
from huxiao.core.modules import Period
from huxiao.core.scoping import jurisdiction_q
from huxiao.preparedness import rules, selectors
from huxiao.preparedness.choices import DrillState
from huxiao.preparedness.filtersets import ComplianceFilterSet, DrillFilterSet, PlanFilterSet

PLANS = "preparedness:plan_list"
DRILLS = "preparedness:drill_list"
COMPLIANCE = "preparedness:compliance"


def _query(period: Period | None, **filters) -> dict[str, str]:
    dates = {}
    if period is not None:
        dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    return {**dates, **{k: v for k, v in filters.items() if v}}


# ---- plans due for review (today) -----------------------------------------------------------------


def plans_due_rows(user, period: Period, org=None):
    return list_rows(PlanFilterSet, selectors.plan_list(user=user), user, {"due": "1"}, org)


def plans_due(user, period: Period, org=None) -> int:
    return plans_due_rows(user, period, org).count()


def plans_due_url(period: Period, org=None) -> str:
    return list_url(PLANS, {"due": "1"}, org)


# ---- drills: planned, missed, held ----------------------------------------------------------------

# What each drill figure filters the period's drills by (DrillFilterSet's names).
DRILL_FILTERS = {
    "preparedness.drills_planned": {"state": DrillState.PLANNED},
    "preparedness.drills_missed": {"missed": "1"},
    "preparedness.drills_held": {"state": DrillState.HELD},
}


def drills_rows(state: str, missed: str, user, period: Period, org=None):
    query = _query(period, state=state, missed=missed)
    return list_rows(DrillFilterSet, selectors.drill_list(user=user), user, query, org)


def drills(state: str, missed: str, user, period: Period, org=None) -> int:
    return drills_rows(state, missed, user, period, org).count()


def drills_url(state: str, missed: str, period: Period, org=None) -> str:
    return list_url(DRILLS, _query(period, state=state, missed=missed), org)


# ---- evacuation: mean seconds and share meeting the target ---------------------------------------


def _timed(user, period: Period, org=None):
    query = _query(period, timed="1")
    return list_rows(DrillFilterSet, selectors.drill_list(user=user), user, query, org)


MET = Q(evacuation_seconds__lte=F("evacuation_target_seconds"))


def evacuation_reading(rows) -> dict:
    """The timed drills' count, total seconds and how many met their target (one query)."""
    got = rows.order_by().aggregate(
        n=Count("pk"), total=Sum("evacuation_seconds"), met=Count("pk", filter=MET)
    )
    return {"n": got["n"] or 0, "total": got["total"], "met": got["met"] or 0}


def evacuation_mean(user, period: Period, org=None) -> float | None:
    got = evacuation_reading(_timed(user, period, org))
    return rules.mean(got["total"], got["n"])


def evacuation_mean_url(period: Period, org=None) -> str:
    return list_url(DRILLS, _query(period, timed="1"), org)


def evacuation_met_rate(user, period: Period, org=None) -> float | None:
    got = evacuation_reading(_timed(user, period, org))
    return rules.rate(got["met"], got["n"])


def evacuation_met_url(period: Period, org=None) -> str:
    return list_url(DRILLS, _query(period, met="1"), org)


# ---- schools without a held drill in the period ---------------------------------------------------


def undrilled_rows(user, period: Period, org=None):
    query = _query(period, drilled="0")
    return list_rows(ComplianceFilterSet, selectors.schools_for(user=user), user, query, org)


def undrilled(user, period: Period, org=None) -> int:
    return undrilled_rows(user, period, org).count()


def undrilled_url(period: Period, org=None) -> str:
    return list_url(COMPLIANCE, _query(period, drilled="0"), org)


# ---- the drill figures in one read (core.modules.Figure.batch) -------------------------------------


def _measures(today):
    held = Q(state=DrillState.HELD)
    timed = held & Q(evacuation_seconds__isnull=False)
    return {
        "planned": Count("pk", filter=Q(state=DrillState.PLANNED)),
        "missed": Count("pk", filter=Q(state=DrillState.PLANNED, planned_until__lt=today)),
        "held": Count("pk", filter=held),
        "timed": Count("pk", filter=timed),
        "met": Count("pk", filter=timed & MET),
        "total": Sum("evacuation_seconds", filter=timed),
    }


def _values(codes, got: dict) -> dict:
    by_code = {
        "preparedness.drills_planned": got["planned"] or 0,
        "preparedness.drills_missed": got["missed"] or 0,
        "preparedness.drills_held": got["held"] or 0,
        "preparedness.evacuation_mean": rules.mean(got["total"], got["timed"] or 0),
        "preparedness.evacuation_met_rate": rules.rate(got["met"] or 0, got["timed"] or 0),
    }
    return {code: by_code[code] for code in codes}


def drills_batch(codes, user, period: Period, org=None, children=None) -> dict:
    from django.utils import timezone

    rows = drills_rows("", "", user, period, org)
    measures = _measures(timezone.localdate())
    if children is None:
        return _values(codes, rows.order_by().aggregate(**measures))
    empty = dict.fromkeys(measures, 0) | {"total": None}
    found = {child.pk: _values(codes, empty) for child in children}
    if not children:
        return found
    whens = [
        When(jurisdiction_q(rows.model.scope_org_path, child), then=Value(child.pk))
        for child in children
    ]
    grouped = (
        rows.model._default_manager.filter(pk__in=rows.order_by().values("pk"))
        .annotate(_bucket=Case(*whens, default=None, output_field=IntegerField()))
        .values("_bucket")
        .annotate(**measures)
        .order_by()
    )
    for row in grouped:
        if row["_bucket"] in found:
            found[row["_bucket"]] = _values(codes, row)
    return found
