"""Figures as the dashboards, the API, the exports and the documents read them.

A figure is defined once, by the module that owns its records (``core.modules.Figure``,
registered in ``<app>/registry.py``). Here they are only read: for a user (whose scope and
permissions decide what is counted and which figures exist for them), a jurisdiction (an
organisation in that scope, or None for the whole scope) and a period. ``FigureValue.url``
opens the list of the records behind the number, with the same filters and the same
jurisdiction, so the list's count is the figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils.module_loading import import_string

from huxiao.core import figures as core_figures
from huxiao.core import modules
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.core.modules import Figure, Period


@dataclass(frozen=True)
class FigureValue:
    code: str
    module: str
    label: str
    unit: str
    definition: str
    value: int | float | None
    url: str
    periodic: bool

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:g}" if isinstance(self.value, float) else str(self.value)


def visible(user, codes: Iterable[str] | None = None) -> list[Figure]:
    """The figures ``user`` may read (each figure's permission), in registry order."""
    wanted = set(codes) if codes is not None else None
    return [
        f for f in modules.figures() if f.visible_to(user) and (wanted is None or f.code in wanted)
    ]


def _value(figure: Figure, value, *, org, period: Period) -> FigureValue:
    return FigureValue(
        code=figure.code,
        module=figure.module,
        label=str(figure.label),
        unit=str(figure.unit),
        definition=str(figure.definition),
        value=value,
        url=figure.url(period, org),
        periodic=figure.periodic,
    )


def value_of(figure: Figure, *, user, org, period: Period) -> FigureValue:
    return _value(figure, figure.value(user, period, org), org=org, period=period)


def _computed(figures: list[Figure], *, user, org, period: Period) -> dict[str, object]:
    """Each figure's value: those sharing a ``batch`` in one pass, the others one by one."""
    batches: dict[str, list[str]] = {}
    for f in figures:
        if f.batch:
            batches.setdefault(f.batch, []).append(f.code)
    found: dict[str, object] = {}
    for path, codes in batches.items():
        if len(codes) > 1:
            found |= import_string(path)(codes, user, period, org)
    return {
        f.code: found[f.code] if f.code in found else f.value(user, period, org) for f in figures
    }


def values(
    *, user, org: Organization | None, period: Period, codes: Iterable[str] | None = None
) -> list[FigureValue]:
    """Every figure ``user`` may read, counted in ``org``'s jurisdiction over ``period``."""
    figures = visible(user, codes)
    computed = _computed(figures, user=user, org=org, period=period)
    return [_value(f, computed[f.code], org=org, period=period) for f in figures]


def by_code(figure_values: Iterable[FigureValue]) -> dict[str, FigureValue]:
    return {v.code: v for v in figure_values}


# ---- jurisdictions ---------------------------------------------------------------------------


def home_org(user) -> Organization | None:
    """The jurisdiction a user's dashboard opens on: their own organisation when in scope."""
    org = getattr(user, "organization", None)
    if org is None:
        return None
    return Organization.objects.visible_to(user).filter(pk=org.pk).first()


def children(user, org: Organization | None) -> list[Organization]:
    """The organisations a figure is broken down by under ``org``, within the user's scope.

    The direct children of ``org``; under an education bureau also the schools that answer to
    it without hanging under it. With no ``org``, the top organisations of the user's scope.
    """
    visible = Organization.objects.visible_to(user).filter(is_active=True)
    if org is None:
        paths = list(visible.values_list("path", flat=True))
        roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        return list(visible.filter(path__in=roots).order_by("sort_order", "code"))
    q = Q(parent=org)
    if org.kind == OrgKind.EDUCATION_BUREAU:
        q |= Q(kind=OrgKind.SCHOOL, education_bureau=org)
    return list(visible.filter(q).distinct().order_by("kind", "sort_order", "code"))


def _by_child(figures: list[Figure], *, user, org, period: Period, kids) -> dict[int, dict]:
    """Each figure's value in each child's jurisdiction, in as few queries as the figures allow:
    one pass per ``batch``, one grouped query per figure with ``rows``, else one per child."""
    table: dict[int, dict] = {child.pk: {} for child in kids}
    batches: dict[str, list[str]] = {}
    for f in figures:
        if f.batch:
            batches.setdefault(f.batch, []).append(f.code)
    for path, codes in batches.items():
        for pk, found in import_string(path)(codes, user, period, org, children=kids).items():
            table[pk] |= found
    for f in figures:
        if f.batch:
            continue
        if f.rows and f.measure in ("count", "sum"):
            rows = import_string(f.rows)(*f.args, user, period, org)
            for pk, n in core_figures.by_child(rows, kids, f.sum_of).items():
                table[pk][f.code] = n
        else:
            for child in kids:
                table[child.pk][f.code] = f.value(user, period, child)
    return table


def breakdown(
    *, user, org: Organization | None, period: Period, codes: Iterable[str] | None
) -> tuple[list[Figure], list[tuple[Organization, list[FigureValue]]]]:
    """The figures ``codes`` counted for each child organisation of ``org`` (``children``)."""
    figures = visible(user, codes)
    kids = children(user, org)
    table = _by_child(figures, user=user, org=org, period=period, kids=kids)
    rows = [
        (child, [_value(f, table[child.pk][f.code], org=child, period=period) for f in figures])
        for child in kids
    ]
    return figures, rows


def trend(
    *, user, org: Organization | None, periods: Iterable[Period], codes: Iterable[str]
) -> tuple[list[Figure], list[tuple[Period, list[FigureValue]]]]:
    """The periodic figures among ``codes`` counted over each of ``periods``."""
    figures = [f for f in visible(user, codes) if f.periodic]
    periods = list(periods)
    counted = {f.code: _over(f, user=user, org=org, periods=periods) for f in figures}
    rows = [
        (p, [_value(f, counted[f.code][i], org=org, period=p) for f in figures])
        for i, p in enumerate(periods)
    ]
    return figures, rows


def _over(figure: Figure, *, user, org, periods: list[Period]) -> list:
    """``figure`` counted over each of ``periods``: in one grouped query when it declares the
    column its period bounds (``Figure.period_field``), else period by period."""
    if periods and figure.rows and figure.period_field and figure.measure in ("count", "sum"):
        span = Period(min(p.start for p in periods), max(p.end for p in periods))
        rows = import_string(figure.rows)(*figure.args, user, span, org)
        return core_figures.by_period(rows, periods, figure.period_field, figure.sum_of)
    return [figure.value(user, p, org) for p in periods]
