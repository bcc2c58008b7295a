"""“我的待办” (my tasks): what waits on a user, from every module, nearest deadline first.

A module registers providers in its registry (``Module.worklist``): functions
``(user) -> Iterable[WorkItem]`` that return the items waiting on that user, read through its
own scoped selectors. The page ``/my-tasks/`` and ``GET /api/v1/my-tasks`` call
``items_for(user)`` and nothing else, so a module appears in both by registering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    kind: str  # stable code, e.g. "hazard_rectify"
    kind_label: str  # what the user is asked to do, e.g. "整改隐患"
    title: str
    url: str
    due: dt.date | None = None
    school: str = ""
    state: str = ""
    object_type: str = ""
    object_id: int | None = None
    urgent: bool = False
    extra: dict = field(default_factory=dict)
    # Whether the item is overdue by its module's own definition (a hazard: rules.
    # hazard_overdue), so 我的待办 says what the record's page says; None: past ``due``.
    late: bool | None = None

    @property
    def overdue(self) -> bool:
        if self.late is not None:
            return self.late
        return self.due is not None and self.due < timezone.localdate()


Provider = Callable[[object], Iterable[WorkItem]]


def providers() -> list[Provider]:
    from huxiao.core import modules

    return modules.worklist_providers()


def items_for(user) -> list[WorkItem]:
    items: list[WorkItem] = []
    if not getattr(user, "is_authenticated", False):
        return items
    for provider in providers():
        items.extend(provider(user))
    # Nearest deadline first; items without a deadline after those with one.
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))
