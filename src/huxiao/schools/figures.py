"""Figures of the schools module (``core.modules.Figure``, registered in ``registry.py``).

States "now" (``periodic=False``): the schools in scope, and for each rule of the compliance
check the schools that fail it, each one query of the school list (``?failing=<rule>``) so
the number opens exactly the schools behind it. The rates of the 四个100% indicators are
read from the compliance roll-up page (schools:compliance_summary).
"""

from __future__ import annotations

from functools import partial

from huxiao.core.figures import list_rows, list_url
from huxiao.schools import rules, selectors
from huxiao.schools.filtersets import SchoolFilterSet


def _count(user, query: dict[str, str]) -> int:
    return list_rows(SchoolFilterSet, selectors.school_list(user=user), user, query).count()


def schools(user, period) -> int:
    return _count(user, {})


def schools_url(period) -> str:
    return list_url("schools:school_list")


def failing(code: str, user, period) -> int:
    return _count(user, {"failing": code})


def failing_url(code: str, period) -> str:
    return list_url("schools:school_list", {"failing": code})


# Each rule's figure calls these with its code bound (module-level names, so a dotted path
# names them: ``huxiao.schools.figures.failing_staffing``).
for _code in rules.RULE_CODES:
    globals()[f"failing_{_code}"] = partial(failing, _code)
    globals()[f"failing_{_code}_url"] = partial(failing_url, _code)
