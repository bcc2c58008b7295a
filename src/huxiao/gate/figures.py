"""The gate module's figures (declared in ``registry.py``): each is a gate list's rows for the
period with that list's filters, counted; ``*_url`` opens the list with the same filters, so
the number and the rows it opens are the same."""

from __future__ import annotations

from django.db.models import Q

from huxiao.core.figures import counts, list_rows, list_url
from huxiao.core.modules import Period
from huxiao.gate import selectors
from huxiao.gate.choices import CONTROLLED_KNIVES, MatchOutcome, SeizureCategory, VisitState
from huxiao.gate.filtersets import PassFilterSet, SeizureFilterSet, VisitFilterSet

VISITS = "gate:visit_list"
SEIZURES = "gate:seizure_list"
PASSES = "gate:pass_list"


def _query(period: Period | None, **filters) -> dict[str, str]:
    dates = {}
    if period is not None:
        dates = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    return {**dates, **{k: v for k, v in filters.items() if v}}


# ---- visits (来访登记): all, or those with a given match outcome or state ------------------------


def visits_rows(outcome: str, state: str, user, period: Period, org=None):
    rows = selectors.visit_list(user=user)
    return list_rows(VisitFilterSet, rows, user, _query(period, outcome=outcome, state=state), org)


def visits(outcome: str, state: str, user, period: Period, org=None) -> int:
    return visits_rows(outcome, state, user, period, org).count()


def visits_url(outcome: str, state: str, period: Period, org=None) -> str:
    return list_url(VISITS, _query(period, outcome=outcome, state=state), org)


# ---- seizures (收缴): all, controlled knives, or one category -------------------------------------


def seizures_rows(category: str, knife: str, user, period: Period, org=None):
    rows = selectors.seizure_list(user=user)
    query = _query(period, category=category, knife=knife)
    return list_rows(SeizureFilterSet, rows, user, query, org)


def seizures(category: str, knife: str, user, period: Period, org=None) -> int:
    return seizures_rows(category, knife, user, period, org).count()


def seizures_url(category: str, knife: str, period: Period, org=None) -> str:
    return list_url(SEIZURES, _query(period, category=category, knife=knife), org)


# ---- passes (出入证) in force today ----------------------------------------------------------------


def passes_rows(user, period: Period, org=None):
    rows = selectors.pass_list(user=user)
    return list_rows(PassFilterSet, rows, user, {"in_force": "1"}, org)


def passes(user, period: Period, org=None) -> int:
    return passes_rows(user, period, org).count()


def passes_url(period: Period, org=None) -> str:
    return list_url(PASSES, {"in_force": "1"}, org)


# ---- one read for several figures (core.modules.Figure.batch) -------------------------------------

# The same filters as the lists' (VisitFilterSet outcome/state, SeizureFilterSet category/knife).
VISIT_COUNTS = {
    "gate.visits": Q(),
    "gate.key_person_hits": Q(match_outcome=MatchOutcome.KEY_PERSON),
    "gate.ban_hits": Q(match_outcome=MatchOutcome.BANNED),
    "gate.unmade": Q(match_outcome=MatchOutcome.UNMADE),
    "gate.held": Q(state=VisitState.HELD),
}
SEIZURE_COUNTS = {
    "gate.seizures": Q(),
    "gate.seizures_knife": Q(category__in=[str(c) for c in CONTROLLED_KNIVES]),
    "gate.seizures_replica_gun": Q(category=SeizureCategory.REPLICA_GUN),
    "gate.seizures_flammable": Q(category=SeizureCategory.FLAMMABLE),
}


def visits_batch(codes, user, period: Period, org=None, children=None) -> dict:
    rows = visits_rows("", "", user, period, org)
    return counts(rows, {code: VISIT_COUNTS[code] for code in codes}, children)


def seizures_batch(codes, user, period: Period, org=None, children=None) -> dict:
    rows = seizures_rows("", "", user, period, org)
    return counts(rows, {code: SEIZURE_COUNTS[code] for code in codes}, children)
