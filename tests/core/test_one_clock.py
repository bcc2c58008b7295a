"""One clock: code and tests read the time only through Django's timezone helpers.

``timezone.now()`` and ``timezone.localdate()`` follow a moved clock (time-machine, as
``make test-clock`` does) and the configured time zone; ``date.today()``,
``datetime.now()`` and ``time.time()`` read the machine's clock in the machine's zone, so a
date taken with them disagrees with the rest of the code near midnight Beijing time and
makes a test pass on one day and fail on another. Durations (``time.monotonic``,
``time.perf_counter``) are not dates and stay allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = [ROOT / "src" / "huxiao", ROOT / "tests", ROOT / "bench"]
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) of each direct read of the machine's clock in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in FORBIDDEN:
            found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_it_finds_each_kind_of_wall_clock_read():
    source = "\n".join(
        [
            "import datetime as dt, time",
            "a = dt.date.today()",
            "b = dt.datetime.now(tz=dt.UTC)",
            "c = time.time()",
            "d = timezone.now()",
            "e = time.monotonic()",
        ]
    )
    assert wall_clock_reads(source) == [
        (2, "date.today()"),
        (3, "datetime.now()"),
        (4, "time.time()"),
    ]


def test_nothing_reads_the_wall_clock_except_through_djangos_timezone_helpers():
    offenders = []
    for tree in TREES:
        for path in sorted(tree.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, call in wall_clock_reads(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line} {call}")
    assert offenders == [], "read the time through django.utils.timezone:\n" + "\n".join(offenders)
