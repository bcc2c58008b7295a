"""The parts of a document (章节) and which of them a user's document holds.

A part declares the figures it needs (``codes``); a document written for a user who cannot
read one of them leaves the whole part out (重点人员滚动排查 for the education bureau), and a
paragraph naming a figure the user cannot read is left out too. A module added later brings
its part by ``register(Part(...))`` here, or by a ``report_parts`` tuple on its
``core.modules.Module`` (read by ``parts()``, so a module need not import reports).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huxiao.core import modules
from huxiao.reports.documents import placeholders


@dataclass(frozen=True)
class Part:
    """One part of a kind of document: its name in a template (``# 逐校逐园检查``), also its
    heading when ``heading`` (numbered 一、二、… among the parts present)."""

    key: str
    kinds: tuple[str, ...]
    order: int
    codes: tuple[str, ...] = ()
    heading: bool = True
    defaults: dict[str, str] = field(default_factory=dict)  # kind -> default text

    def default(self, kind: str) -> str:
        return self.defaults.get(kind, "")


_REGISTRY: list[Part] = []


def register(part: Part) -> Part:
    _REGISTRY[:] = [
        p for p in _REGISTRY if not (p.key == part.key and set(p.kinds) & set(part.kinds))
    ]
    _REGISTRY.append(part)
    return part


def parts(kind: str) -> list[Part]:
    """The parts of ``kind`` in order: those registered here and those modules declare."""
    found = [p for p in _REGISTRY if kind in p.kinds]
    for module in modules.installed():
        # A module below reports cannot import Part: it may declare plain mappings.
        declared = [p if isinstance(p, Part) else Part(**p) for p in module.report_parts]
        found += [p for p in declared if kind in p.kinds]
    return sorted(found, key=lambda p: (p.order, p.key))


def keys(kind: str) -> tuple[str, ...]:
    return tuple(p.key for p in parts(kind))


def default_body(kind: str) -> str:
    """The default template of ``kind``: each part's ``# key`` line and its default text."""
    return "\n\n".join(f"# {p.key}\n{p.default(kind)}" for p in parts(kind) if p.default(kind))


def _figures_in(text: str) -> set[str]:
    return {n for n in placeholders.names(text) if placeholders.is_figure(n)}


def plan(kind: str, body: str, available: set[str]) -> list[dict]:
    """What the document holds: each part present, with its paragraphs (not yet filled in).

    ``available``: the figures the document may name (those the user can read). A part whose
    ``codes`` are not all available is left out, as is a paragraph naming a figure that is not;
    a part left without paragraphs is left out. The result is kept with the generated report
    (``params["parts"]``), so that writing it again gives the same document.
    """
    written = {b.key: b.paragraphs for b in placeholders.split(body)}
    result = []
    for part in parts(kind):
        if not set(part.codes) <= available:
            continue
        if part.key in written:
            paragraphs = written[part.key]
        else:
            paragraphs = tuple(
                line.strip() for line in part.default(kind).splitlines() if line.strip()
            )
        kept = [p for p in paragraphs if _figures_in(p) <= available]
        if kept:
            result.append(
                {
                    "key": part.key,
                    "heading": part.heading,
                    "codes": list(part.codes),
                    "paragraphs": kept,
                }
            )
    return result


def codes_of(planned: list[dict]) -> list[str]:
    """The figures a planned document needs: its parts' codes and those its paragraphs name."""
    found: dict[str, None] = {}
    for part in planned:
        for code in part["codes"]:
            found[code] = None
        for paragraph in part["paragraphs"]:
            for name in placeholders.names(paragraph):
                if placeholders.is_figure(name):
                    found[name] = None
    return list(found)
