"""The module registry (``huxiao.core.modules``): what each app brings to the platform, declared from its own folder.

An app declares one ``Module`` in ``<app>/registry.py`` (``MODULE = Module(...)``): its menu
entries, its permissions per default role, its URLconf and mount point, its API routers,
its demo steps (with the steps they build on), its "my tasks" providers, the modules that
hold its periodic tasks, its figures (named statistics: see ``Figure``), the facts it
answers for other apps, its business parameters (``core.parameters``), its adaptable lists
(``core.dictionaries``) and the names of its permissions. Core, the URL root, the API assembly, the demo generator and the
dashboard iterate over what is registered, so adding a module is: create its folder, add
one line to ``INSTALLED_APPS`` (docs/architecture.md, "Adding a module").

Everything an app names here is a dotted path (``"huxiao.patrols.api.router"``) resolved
when first used, so declaring a module imports nothing of it and core never imports an app.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

# ---------------------------------------------------------------------------------------
# What a module declares


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the side menu.

    ``url_name`` is namespaced (``"schools:school_list"``). The entry is highlighted on the
    pages it ``covers``: ``"schools:*"`` is every page of a namespace, ``"inspections:hazard_*"``
    the views whose name starts so, ``"core:profile"`` one view. By default an entry covers
    its own namespace. ``order`` places it in the menu (core's home is 0, its admin pages 900).
    """

    label: Any  # a lazy translation
    url_name: str
    icon: str  # Bootstrap Icons name without "bi-"
    permission: str | None = None
    covers: tuple[str, ...] = ()
    order: int = 500

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def namespace(self) -> str:
        return self.url_name.partition(":")[0]

    def is_active(self, view_name: str | None) -> bool:
        """Whether the page ``view_name`` (``resolver_match.view_name``) is one of this entry's."""
        if not view_name:
            return False
        for pattern in self.covers or (f"{self.namespace}:*",):
            if pattern.endswith("*"):
                if view_name.startswith(pattern[:-1]):
                    return True
            elif view_name == pattern:
                return True
        return view_name == self.url_name


@dataclass(frozen=True)
class DemoStep:
    """A step of the demo city: ``run`` is the dotted path of ``step(ctx)``.

    ``name`` also seeds the step's random generator: never rename a step. ``after`` names the
    steps whose data this one uses; the generator runs steps in INSTALLED_APPS order, each
    after those it names.
    """

    name: str
    run: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """A closed range of days a figure is counted over."""

    start: dt.date
    end: dt.date

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class Figure:
    """A named statistic: what it counts, over which records, and where to see them.

    ``compute(*args, user, period, org)`` counts within what ``user`` may see (the scoped
    selectors), within the jurisdiction of ``org`` when it is given (None: the user's whole
    scope) and, when the figure is ``periodic``, within ``period``; it returns a number (or
    None when the figure has no denominator). ``records_url(*args, period, org)`` is the list
    page that shows the records behind the number, filtered the same way (``?org=`` for the
    jurisdiction). The dashboards, the API and the reports read figures here and nowhere else
    (``huxiao.reports.figures``).
    """

    code: str  # "<app>.<name>", stable
    label: Any
    definition: Any  # one sentence: what is counted, and its source in SPEC
    compute: str  # dotted path of (user, period) -> int | float | None
    records_url: str  # dotted path of (period) -> str
    unit: Any = ""
    permission: str | None = None
    periodic: bool = True
    # Given first to compute and records_url, so one function serves a family of figures
    # (``args=("staffing",)`` for the schools failing that rule).
    args: tuple = ()
    # How the number relates to the records it opens: "count" (the rows of the list), "sum"
    # (a column of those rows summed), "rate" (a per cent of two lists) or "statistic"
    # (another reading of the records, e.g. a mean per day; the page it opens shows it).
    measure: str = "count"
    # Optional: the dotted path of ``(codes, user, period, org, children=None)``, which counts
    # several figures of the module in one pass over their records: ``{code: value}``, or with
    # ``children`` (organisations) ``{child.pk: {code: value}}``, each child's jurisdiction
    # apart. It must give exactly what ``compute`` gives (the module's tests compare them).
    batch: str | None = None
    # Optional: the dotted path of ``(*args, user, period, org) -> QuerySet``, the records a
    # "count" or "sum" figure counts (``sum_of``: the column summed). The breakdown by child
    # organisation groups them in one query (``core.figures.by_child``).
    rows: str | None = None
    sum_of: str | None = None
    # Optional, with ``rows``: the column of those rows the period bounds (a date, or a time
    # counted on its local day). The trend then counts several periods in one query, each row
    # in the period holding that column (``core.figures.by_period``); the registry's tests
    # compare it with counting each period apart.
    period_field: str | None = None

    # The registering module's label, filled in by ``figures()``.
    module: str = ""

    def value(self, user, period: Period, org=None):
        return import_string(self.compute)(*self.args, user, period, org)

    def url(self, period: Period, org=None) -> str:
        return import_string(self.records_url)(*self.args, period, org)

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


@dataclass(frozen=True)
class Module:
    """What one app brings. See the module docstring."""

    label: str  # the app label
    name: Any = ""  # what users call it
    urls: str | None = None  # the app's URLconf module (it sets app_name)
    url_prefix: str = ""  # where it is mounted, "schools/"
    api: tuple[str, ...] = ()  # dotted paths of ninja Routers
    menu: tuple[MenuEntry, ...] = ()
    permissions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by role code
    demo: tuple[DemoStep, ...] = ()
    worklist: tuple[str, ...] = ()  # dotted paths of (user) -> Iterable[WorkItem]
    tasks: tuple[str, ...] = ()  # modules that define huey periodic tasks
    figures: tuple[Figure, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)  # fact name -> dotted path
    # Business parameters administrators may change (core.parameters.Parameter).
    parameters: tuple = ()
    # Lists administrators adapt (core.dictionaries.Dictionary).
    dictionaries: tuple = ()
    # What users call the module's own permissions ("app.codename" -> label), for the role
    # editor; add/change/delete/view of a model are named from the model's verbose name.
    permission_labels: Mapping[str, Any] = field(default_factory=dict)
    # Parts this module adds to the documents written from the figures (工作情况报告, 整改报告):
    # mappings of ``huxiao.reports.documents.parts.Part``'s fields (a module below reports
    # cannot import Part).
    report_parts: tuple = ()
    # WebSocket routes: (path, dotted path of a channels consumer class), e.g.
    # ("ws/alarms/", "huxiao.alarms.consumers.AlarmConsoleConsumer"); huxiao.routing mounts them.
    websockets: tuple[tuple[str, str], ...] = ()
    # Called when an administrator loads a year's 放假调休 arrangement and working days change:
    # dotted paths of (changed: dict[date, (was_workday, is_workday)], actor) -> a sentence
    # saying what the module did (deadlines recomputed …), or "".
    calendar_changed: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------
# What the platform reads


@cache
def installed() -> tuple[Module, ...]:
    """Every installed app's ``Module``, in INSTALLED_APPS order.

    An app declares it as ``MODULE`` in its ``registry`` submodule; apps without one (Django's,
    third-party ones) bring nothing.
    """
    found = []
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.registry") is None:
            continue
        declared = importlib.import_module(f"{config.name}.registry").MODULE
        if declared.label != config.label:
            raise ValueError(f"{config.name}.registry.MODULE.label should be {config.label!r}")
        found.append(declared)
    return tuple(found)


def module(label: str) -> Module:
    for m in installed():
        if m.label == label:
            return m
    raise LookupError(label)


def menu() -> list[MenuEntry]:
    entries = [entry for m in installed() for entry in m.menu]
    return sorted(entries, key=lambda e: e.order)  # stable: INSTALLED_APPS order on ties


def menu_for(user) -> list[MenuEntry]:
    perms = user.get_all_permissions()
    return [
        entry
        for entry in menu()
        if entry.permission is None or entry.permission in perms or user.is_superuser
    ]


def role_permissions(role_code: str) -> tuple[str, ...]:
    """What every module grants the default role ``role_code``."""
    return tuple(p for m in installed() for p in m.permissions.get(role_code, ()))


def api_routers() -> list:
    return [import_string(path) for m in installed() for path in m.api]


def worklist_providers() -> list[Callable[[object], Iterable]]:
    return [import_string(path) for m in installed() for path in m.worklist]


def import_tasks() -> None:
    """Import the modules holding periodic tasks, so huey knows them (core's ready())."""
    for m in installed():
        for path in m.tasks:
            __import__(path)


@cache
def _figures() -> tuple[Figure, ...]:
    return tuple(dataclasses.replace(f, module=m.label) for m in installed() for f in m.figures)


def figures() -> list[Figure]:
    """Every module's figures, in INSTALLED_APPS order, each knowing its module."""
    return list(_figures())


def figure(code: str) -> Figure:
    for f in _figures():
        if f.code == code:
            return f
    raise LookupError(code)


def fact(name: str) -> Callable:
    """The function an app provides for ``name`` (e.g. ``"schools_with_guard_posts"``)."""
    providers = [m.facts[name] for m in installed() if name in m.facts]
    if len(providers) != 1:
        raise LookupError(f"{len(providers)} modules provide the fact {name!r}")
    return import_string(providers[0])


def has_fact(name: str) -> bool:
    return any(name in m.facts for m in installed())


def demo_steps() -> list[DemoStep]:
    """Every module's demo steps, each after the steps it names (stable otherwise)."""
    declared = [step for m in installed() for step in m.demo]
    names = {step.name for step in declared}
    ordered: list[DemoStep] = []
    placed: set[str] = set()
    pending = list(declared)
    while pending:
        for step in pending:
            missing = [a for a in step.after if a not in names]
            if missing:
                raise ValueError(f"demo step {step.name!r} runs after unknown steps {missing}")
            if all(a in placed for a in step.after):
                ordered.append(step)
                placed.add(step.name)
                pending.remove(step)
                break
        else:
            raise ValueError(f"demo steps wait on each other: {[s.name for s in pending]}")
    return ordered
