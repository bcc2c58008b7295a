"""The kinds of declaration a route can have, and the users' jurisdictions.

A route is declared in exactly one of three ways:

``Ref``    its permissions are already tested, for users of different jurisdictions, by the
           named tests of a module's own permission suite; the walk checks that each named test
           still exists and that its module still mentions the route.
``Table``  tested here: named users × (station/school 01's object ``a``, station/school 02's
           object ``b``, a ``missing`` id) → the status each must get (test_tables.py).
``Group``  one rule for a family that shares one behaviour (the Django admin site); it lists
           its routes by name, so a new member is undeclared until someone adds it.

Every declaration also states what an anonymous caller gets (``anonymous``); that is swept over
every route in test_anonymous.py, whatever the declaration's kind.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOGIN = "login"  # 302 to /login/?next=…
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/?next=…
UNAUTHORISED = 401  # the API's answer to a caller without a session or a token

SIDES = ("a", "b", "missing")

# Which side's objects each harness user's jurisdiction covers: "a" is station 01 / school 01 /
# education bureau A, "b" is station 02 / school 02 / bureau B. A side outside a user's
# jurisdiction must answer exactly as a missing id (same status, same body): 404 for both, or
# the same refusal for both when the permission is checked before any lookup.
JURISDICTION: dict[str, frozenset[str]] = {
    "admin": frozenset("ab"),
    "commander": frozenset("ab"),
    "auditor": frozenset("ab"),
    "officer_a": frozenset("a"),
    "officer_b": frozenset("b"),
    "edu_officer": frozenset("a"),
    "chief": frozenset("a"),
    "guard": frozenset("a"),
    "volunteer": frozenset(),  # data scope "self": no organisation's records
    "outsider": frozenset(),  # a security company: nothing of the police or education trees
}

SUCCESS = frozenset({200, 201, 204, 302})
REFUSED = frozenset({401, 403, 404, 405})


@dataclass(frozen=True)
class Ref:
    """Covered by existing tests, named ``"tests/<app>/test_x.py::test_y"``."""

    tests: tuple[str, ...]
    method: str = "GET"  # what the anonymous sweep sends
    anonymous: int | str = LOGIN
    note: str = ""


def ref(*tests: str, method: str = "GET", anonymous: int | str = LOGIN, note: str = "") -> Ref:
    return Ref(tests=tests, method=method, anonymous=anonymous, note=note)


Row = tuple[int, int, int] | int


@dataclass(frozen=True)
class Table:
    """Executed in test_tables.py against the harness and the module fixtures.

    ``args`` names, in order, the kind of object behind each id of the URL (a page's reverse()
    arguments, an API path's parameters); the ``world`` fixture turns (kind, side) into an id.
    A kind starting with "=" is a literal (``"=guards"``). ``query`` does the same for query
    parameters. With no ids at all (a list, a form, a public page) each row is one status;
    otherwise each row is (a, b, missing).
    """

    rows: Mapping[str, Row]
    world: str | None = None
    args: tuple[str, ...] = ()
    query: Mapping[str, str] = field(default_factory=dict)
    method: str = "GET"
    body: Callable[[Any, str | None], Any] | None = None
    anonymous: int | str = LOGIN
    bug: str = ""  # a known defect: the rows record what happens (marked "# BUG:")
    note: str = ""
    tests: tuple[str, ...] = ()  # existing tests that cover more of the route (checked as Ref's)

    @property
    def has_objects(self) -> bool:
        return bool([a for a in self.args if not a.startswith("=")] or self.query)


@dataclass(frozen=True)
class Group:
    """A rule shared by a family of routes, each listed by its key."""

    name: str
    keys: frozenset[str]
    tests: tuple[str, ...]  # where the rule is executed (and any existing tests of the family)
    anonymous: int | str = LOGIN
    note: str = ""


Declaration = Ref | Table | Group


def gathered(name: str) -> dict:
    """Declarations a module keeps in its own folder (``<app>/permission_matrix.py``, dict
    ``name``): a module added without any edit elsewhere brings its rows with it. A module's
    test folder may also keep them, one file per area (``tests/<label>/matrix_*.py``)."""
    from django.apps import apps

    found: dict = {}
    tests_dir = Path(__file__).resolve().parent.parent
    for config in apps.get_app_configs():
        module = f"{config.name}.permission_matrix"
        if importlib.util.find_spec(module) is not None:
            found |= getattr(importlib.import_module(module), name, {})
        for path in sorted((tests_dir / config.label).glob("matrix_*.py")):
            area = importlib.import_module(f"tests.{config.label}.{path.stem}")
            found |= getattr(area, name, {})
    return found
