"""What a figure request names: the jurisdiction (``org``), the period and the figures.

Shared by the pages, the API and the document forms, so that a bad request reads the same
everywhere: a message in Chinese (``ScopeError``) that a page shows and the API answers 400.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core.models import Organization
from huxiao.core.modules import Period
from huxiao.reports import figures, periods


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class FigureScope:
    org: Organization | None
    period: Period

    def query(self) -> dict[str, str]:
        q = self.period.query()
        if self.org is not None:
            q["org"] = str(self.org.pk)
        return q


def org_in_scope(user, value) -> Organization | None:
    """``?org=`` read within the user's scope; missing or out of scope is the same error."""
    if value in (None, ""):
        return figures.home_org(user)
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    org = Organization.objects.visible_to(user).filter(pk=pk).first() if pk else None
    if org is None:
        raise ScopeError(_("单位不存在或不在您的数据范围内：%(value)s") % {"value": value})
    return org


def read(user, query) -> FigureScope:
    """The jurisdiction and period of ``query`` (``org``, ``from``, ``to``, ``period``)."""
    org = org_in_scope(user, query.get("org"))
    try:
        period = periods.parse(query, timezone.localdate())
    except periods.PeriodError as e:
        raise ScopeError(str(e)) from None
    return FigureScope(org, period)
