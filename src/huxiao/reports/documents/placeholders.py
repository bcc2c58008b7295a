"""Named placeholders in a document template: ``{inspections.person_times}`` (a figure, by its
code) or ``{单位}`` (a context name of the document), and ``# 章节`` lines that start a part.

A template is refused, with every problem named in Chinese, when a brace is unbalanced, a
placeholder names neither a registered figure nor a context name of its kind, or a ``#`` line
names no part of its kind. The same check runs for the page's form, the API and the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huxiao.core import modules

PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
PART = re.compile(r"^#\s*(.+?)\s*$")


@dataclass(frozen=True)
class Block:
    """A part of a template: its key (a ``# 章节`` line) and its paragraphs, in order."""

    key: str
    paragraphs: tuple[str, ...]


def names(text: str) -> list[str]:
    """The placeholders of ``text`` in order of appearance (each once)."""
    return list(dict.fromkeys(m.strip() for m in PLACEHOLDER.findall(text)))


def figure_codes() -> set[str]:
    return {f.code for f in modules.figures()}


def is_figure(name: str) -> bool:
    return "." in name


def _unbalanced(text: str) -> list[str]:
    """Each unbalanced brace as “第N行：…” with the line's text around it."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        depth, bad = 0, False
        for ch in line:
            if ch == "{":
                depth += 1
                bad = bad or depth > 1
            elif ch == "}":
                depth -= 1
                bad = bad or depth < 0
                depth = max(depth, 0)
        if bad or depth:
            problems.append(_("第%(n)d行“%(line)s”") % {"n": number, "line": line.strip()[:40]})
    return problems


def split(text: str) -> list[Block]:
    """The template's parts: each ``# key`` line starts one; paragraphs are its non-empty lines."""
    blocks: list[Block] = []
    key, lines = None, []
    for raw in text.splitlines():
        line = raw.strip()
        found = PART.match(line)
        if found:
            if key is not None:
                blocks.append(Block(key, tuple(lines)))
            key, lines = found.group(1), []
        elif line:
            lines.append(line)
    if key is not None:
        blocks.append(Block(key, tuple(lines)))
    return blocks


def validate(text: str, *, context_names: tuple[str, ...], parts: tuple[str, ...]) -> None:
    """Refuse ``text`` (ValidationError with one message per problem) unless it is well formed."""
    problems = []
    stripped = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not stripped:
        raise ValidationError(_("模板正文不能为空。"))
    if not PART.match(stripped[0]):
        problems.append(
            _("模板正文应以“# 章节名”一行开头，可用的章节：%(parts)s。")
            % {"parts": "、".join(parts)}
        )
    unbalanced = _unbalanced(text)
    if unbalanced:
        problems.append(
            _("花括号不配对：%(where)s。占位符应写成{名称}，花括号不能嵌套。")
            % {"where": "；".join(unbalanced)}
        )
    known = figure_codes() | set(context_names)
    unknown = [n for n in names(text) if n not in known]
    if unknown:
        problems.append(
            _("未知的占位符：%(names)s。") % {"names": "、".join("{" + n + "}" for n in unknown)}
        )
    blocks = split(text)
    unknown_parts = [b.key for b in blocks if b.key not in parts]
    if unknown_parts:
        problems.append(
            _("未知的章节：%(names)s；可用的章节：%(parts)s。")
            % {"names": "、".join("# " + k for k in unknown_parts), "parts": "、".join(parts)}
        )
    keys = [b.key for b in blocks]
    repeated = sorted({k for k in keys if keys.count(k) > 1}, key=keys.index)
    if repeated:
        problems.append(
            _("章节重复：%(names)s。") % {"names": "、".join("# " + k for k in repeated)}
        )
    if problems:
        raise ValidationError(problems)


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced by its value (every name must be in ``values``)."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1).strip()], text)
