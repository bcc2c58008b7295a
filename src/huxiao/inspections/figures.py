"""Figures of the inspections module (``core.modules.Figure``, registered in ``registry.py``).

Each figure is one query of a list page: ``records_url(period)`` opens the page filtered by
that query, and ``compute(user, period)`` counts the rows the page's filterset gives for the
same query over the same scoped selector, so the number and the list it opens are the same
rows whoever looks (tests/inspections/test_figures.py checks it for users of different
jurisdictions).
"""

from __future__ import annotations

from django.db.models import Sum

from huxiao.core.figures import list_rows, list_url
from huxiao.inspections import selectors
from huxiao.inspections.choices import InspectionStatus
from huxiao.inspections.filtersets_campaigns import InspectionFilterSet
from huxiao.inspections.filtersets_hazards import EscalationFilterSet, HazardFilterSet

_rows = list_rows
_url = list_url


# ---- inspections -------------------------------------------------------------------------------


def _finished(period) -> dict[str, str]:
    return {
        "status": InspectionStatus.FINISHED,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }


def _finished_inspections(user, period, org=None):
    inspections = selectors.inspection_list(user=user)
    return _rows(InspectionFilterSet, inspections, user, _finished(period), org)


def inspections_finished(user, period, org=None) -> int:
    return _finished_inspections(user, period, org).count()


def person_times(user, period, org=None) -> int:
    return _finished_inspections(user, period, org).aggregate(n=Sum("person_times"))["n"] or 0


def inspections_finished_url(period, org=None) -> str:
    return _url("inspections:inspection_list", _finished(period), org)


# ---- hazards -----------------------------------------------------------------------------------


def _found(period) -> dict[str, str]:
    return {"found_from": period.start.isoformat(), "found_to": period.end.isoformat()}


def _closed(period) -> dict[str, str]:
    return {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()}


_OVERDUE = {"overdue": "1"}


def _hazards(user, query, org=None):
    return _rows(HazardFilterSet, selectors.hazard_list(user=user), user, query, org)


def hazards_found(user, period, org=None) -> int:
    return _hazards(user, _found(period), org).count()


def hazards_found_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _found(period), org)


def hazards_closed(user, period, org=None) -> int:
    return _hazards(user, _closed(period), org).count()


def hazards_closed_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _closed(period), org)


def hazards_overdue(user, period, org=None) -> int:
    """Overdue now, whatever the period (the figure is not periodic)."""
    return _hazards(user, _OVERDUE, org).count()


def hazards_overdue_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _OVERDUE, org)


# ---- 挂牌督办 ------------------------------------------------------------------------------------


def _issued(period) -> dict[str, str]:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def escalations_issued(user, period, org=None) -> int:
    escalations = selectors.escalation_list(user=user)
    return _rows(EscalationFilterSet, escalations, user, _issued(period), org).count()


def escalations_issued_url(period, org=None) -> str:
    return _url("inspections:escalation_list", _issued(period), org)
