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
from huxiao.inspections.filtersets_hazards import (
    EscalationFilterSet,
    HazardFilterSet,
    NoticeFilterSet,
)
from huxiao.schools import selectors as school_selectors
from huxiao.schools.filtersets import SchoolFilterSet

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
    inspections = selectors.inspection_list(user=user, with_failed=False)
    return _rows(InspectionFilterSet, inspections, user, _finished(period), org)


def inspections_finished(user, period, org=None) -> int:
    return _finished_inspections(user, period, org).count()


def person_times(user, period, org=None) -> int:
    return _finished_inspections(user, period, org).aggregate(n=Sum("person_times"))["n"] or 0


def inspections_finished_url(period, org=None) -> str:
    return _url("inspections:inspection_list", _finished(period), org)


def finished_inspections(user, period, org=None):
    """The rows of 检查次数 and 检查人次 (``Figure.rows``; 检查人次 sums ``person_times``)."""
    return _finished_inspections(user, period, org)


# ---- 逐校逐园: the schools inspected ------------------------------------------------------------


def _inspected(period) -> dict[str, str]:
    return {
        "inspected_from": period.start.isoformat(),
        "inspected_to": period.end.isoformat(),
    }


def _schools(user, query, org=None):
    schools = school_selectors.school_list(user=user, with_status=False)
    return _rows(SchoolFilterSet, schools, user, query, org)


def schools_inspected_rows(user, period, org=None):
    return _schools(user, _inspected(period), org)


def schools_inspected(user, period, org=None) -> int:
    return schools_inspected_rows(user, period, org).count()


def schools_inspected_url(period, org=None) -> str:
    return _url("schools:school_list", _inspected(period), org)


def coverage(user, period, org=None) -> float | None:
    """Per cent of the schools in scope with a finished inspection in the period, one decimal;
    None when there is no school."""
    total = _schools(user, {}, org).count()
    if not total:
        return None
    return round(schools_inspected(user, period, org) / total * 100, 1)


# ---- 整改通知书 ----------------------------------------------------------------------------------


def _notices_issued(period) -> dict[str, str]:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def notices_rows(user, period, org=None):
    notices = selectors.notice_list(user=user)
    return _rows(NoticeFilterSet, notices, user, _notices_issued(period), org)


def notices(user, period, org=None) -> int:
    return notices_rows(user, period, org).count()


def notices_url(period, org=None) -> str:
    return _url("inspections:notice_list", _notices_issued(period), org)


# ---- hazards -----------------------------------------------------------------------------------


def _found(period) -> dict[str, str]:
    return {"found_from": period.start.isoformat(), "found_to": period.end.isoformat()}


def _closed(period) -> dict[str, str]:
    return {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()}


_OVERDUE = {"overdue": "1"}


def _chased(period) -> dict[str, str]:
    return {"chased_from": period.start.isoformat(), "chased_to": period.end.isoformat()}


def _hazards(user, query, org=None):
    return _rows(HazardFilterSet, selectors.hazard_list(user=user), user, query, org)


def hazards_found_rows(user, period, org=None):
    return _hazards(user, _found(period), org)


def hazards_closed_rows(user, period, org=None):
    return _hazards(user, _closed(period), org)


def hazards_overdue_rows(user, period, org=None):
    return _hazards(user, _OVERDUE, org)


def hazards_found(user, period, org=None) -> int:
    return _hazards(user, _found(period), org).count()


def hazards_found_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _found(period), org)


def hazards_closed(user, period, org=None) -> int:
    return _hazards(user, _closed(period), org).count()


def hazards_closed_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _closed(period), org)


def hazards_chased_rows(user, period, org=None):
    return _hazards(user, _chased(period), org)


def hazards_chased(user, period, org=None) -> int:
    return _hazards(user, _chased(period), org).count()


def hazards_chased_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _chased(period), org)


def hazards_overdue(user, period, org=None) -> int:
    """Overdue now, whatever the period (the figure is not periodic)."""
    return _hazards(user, _OVERDUE, org).count()


def hazards_overdue_url(period, org=None) -> str:
    return _url("inspections:hazard_list", _OVERDUE, org)


# ---- 挂牌督办 ------------------------------------------------------------------------------------


def _issued(period) -> dict[str, str]:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def escalations_rows(user, period, org=None):
    escalations = selectors.escalation_list(user=user)
    return _rows(EscalationFilterSet, escalations, user, _issued(period), org)


def escalations_issued(user, period, org=None) -> int:
    return escalations_rows(user, period, org).count()


def escalations_issued_url(period, org=None) -> str:
    return _url("inspections:escalation_list", _issued(period), org)
