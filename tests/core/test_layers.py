"""Dependencies run one way (core < schools < domain apps < reports < API assembly < demo).

import-linter checks the contract of pyproject.toml in `make lint` and `.ci/run`. These tests
run it on a copy of the source: the tree as it is keeps the contract, and one import against
the direction breaks it, naming the import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path):
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: make install-test")
    shutil.copytree(
        ROOT / "src" / "huxiao",
        tmp_path / "huxiao",
        ignore=shutil.ignore_patterns("static", "templates", "locale", "__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_source_keeps_the_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imports", "message"),
    [
        (
            "core/_probe.py",
            "huxiao.schools.models",
            "huxiao.core is not allowed to import huxiao.schools",
        ),
        (
            "schools/_probe.py",
            "huxiao.patrols.models",
            "huxiao.schools is not allowed to import huxiao.patrols",
        ),
        (
            "patrols/_probe.py",
            "huxiao.api.urls",
            "huxiao.patrols is not allowed to import huxiao.api",
        ),
        (
            "api/_probe.py",
            "huxiao.demo.generator",
            "huxiao.api is not allowed to import huxiao.demo",
        ),
    ],
)
def test_an_import_against_the_direction_breaks_it(tree, module, imports, message):
    (tree / "huxiao" / module).write_text(f"import {imports}  # against the layers\n")
    result = lint(tree)
    assert result.returncode == 1
    assert message in result.stdout, result.stdout
    assert "0 kept, 1 broken" in result.stdout
