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


def _finished_inspections(user, period):
    return _rows(InspectionFilterSet, selectors.inspection_list(user=user), user, _finished(period))


def inspections_finished(user, period) -> int:
    return _finished_inspections(user, period).count()


def person_times(user, period) -> int:
    return _finished_inspections(user, period).aggregate(n=Sum("person_times"))["n"] or 0


def inspections_finished_url(period) -> str:
    return _url("inspections:inspection_list", _finished(period))


# ---- hazards -----------------------------------------------------------------------------------


def _found(period) -> dict[str, str]:
    return {"found_from": period.start.isoformat(), "found_to": period.end.isoformat()}


def _closed(period) -> dict[str, str]:
    return {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()}


_OVERDUE = {"overdue": "1"}


def _hazards(user, query):
    return _rows(HazardFilterSet, selectors.hazard_list(user=user), user, query)


def hazards_found(user, period) -> int:
    return _hazards(user, _found(period)).count()


def hazards_found_url(period) -> str:
    return _url("inspections:hazard_list", _found(period))


def hazards_closed(user, period) -> int:
    return _hazards(user, _closed(period)).count()


def hazards_closed_url(period) -> str:
    return _url("inspections:hazard_list", _closed(period))


def hazards_overdue(user, period) -> int:
    """Overdue now, whatever the period (the figure is not periodic)."""
    return _hazards(user, _OVERDUE).count()


def hazards_overdue_url(period) -> str:
    return _url("inspections:hazard_list", _OVERDUE)


# ---- 挂牌督办 ------------------------------------------------------------------------------------


def _issued(period) -> dict[str, str]:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def escalations_issued(user, period) -> int:
    escalations = selectors.escalation_list(user=user)
    return _rows(EscalationFilterSet, escalations, user, _issued(period)).count()


def escalations_issued_url(period) -> str:
    return _url("inspections:escalation_list", _issued(period))
