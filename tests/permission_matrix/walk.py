"""Walk every route of the project and compare it with the declarations.

Pages: every URL pattern Django's resolver knows (``get_resolver()``, walked recursively),
keyed by ``namespace:name``, or ``route:<template>`` for a pattern without a name. API: every
operation of the OpenAPI schema, keyed by ``(METHOD, "/api/v1/path/{param}")``. A resolver
pattern whose path is an operation path of the schema is the API's and is declared by its
operations; any other pattern under /api/v1/ (the schema, the docs, an operation left out of
the schema) is a page route like any other.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from .matrix import Group, Ref, Table

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class PageRoute:
    key: str
    template: str  # the whole pattern, without the leading slash: "schools/<int:pk>/edit/"

    @property
    def is_regex(self) -> bool:
        return self.template.startswith("^") or "(?P<" in self.template or "$" in self.template


def _walk(resolver: URLResolver, prefix: str, namespace: str | None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            template = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = f"route:{template}"
            yield key, template


def openapi_path(template: str) -> str:
    """``api/v1/schools/<school_id>`` → ``/api/v1/schools/{school_id}``."""
    return "/" + _PARAM.sub(lambda m: "{" + m.group(2) + "}", template)


def api_operations(api=None, path_prefix: str | None = None) -> set[tuple[str, str]]:
    if api is None:
        from huxiao.api.urls import api
    schema = api.get_openapi_schema(path_prefix=path_prefix)
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def page_routes(urlconf=None, api_paths: Iterable[str] | None = None) -> dict[str, PageRoute]:
    """Every URL pattern that is not an API operation, by key. A key used twice (two patterns
    with one name) is kept with its template appended, so neither hides the other."""
    if api_paths is None:
        api_paths = {path for _, path in api_operations()}
    api_paths = set(api_paths)
    routes: dict[str, PageRoute] = {}
    for key, template in _walk(get_resolver(urlconf), "", None):
        if openapi_path(template) in api_paths:
            continue
        if key in routes:
            key = f"{key}@{template}"
        routes[key] = PageRoute(key, template)
    return routes


def sample_url(route: PageRoute, samples: Mapping[str, str] | None = None) -> str:
    """A URL that resolves to ``route``, with ids that exist nowhere (for anonymous callers)."""
    if samples and route.key in samples:
        return samples[route.key]
    if route.is_regex:
        raise ValueError(f"{route.key}: a regex pattern needs an entry in SAMPLE_URLS")
    dummy = {"int": "999999", "path": "999999", "uuid": "00000000-0000-4000-8000-000000000000"}
    return "/" + _PARAM.sub(lambda m: dummy.get(m.group(1) or "str", "x"), route.template)


def sample_api_path(path: str) -> str:
    return re.sub(r"\{\w+\}", "999999", path)


@dataclass
class Report:
    undeclared: list
    stale: list
    missing_tests: list

    def lines(self) -> list[str]:
        out = []
        if self.undeclared:
            out.append("undeclared routes: " + ", ".join(map(show, self.undeclared)))
        if self.stale:
            out.append("declared but no longer existing: " + ", ".join(map(show, self.stale)))
        if self.missing_tests:
            out.append("referenced test missing: " + ", ".join(self.missing_tests))
        return out


def show(key) -> str:
    return " ".join(key) if isinstance(key, tuple) else str(key)


def compare(found: Iterable, declared: Iterable) -> tuple[list, list]:
    """(undeclared, stale): what exists without a declaration, what is declared but gone."""
    found, declared = set(found), set(declared)
    return sorted(found - declared, key=show), sorted(declared - found, key=show)


def mentions_for(key) -> list[str]:
    """What a module that tests ``key`` must contain: for a page the URL name in quotes or the
    literal start of its path; for an API operation each literal segment of its path."""
    if isinstance(key, tuple):
        segments = [s for s in key[1].split("/") if s and not s.startswith("{")]
        return [f"/{s}" for s in segments if s not in ("api", "v1")]
    return []


def page_is_mentioned(source: str, key: str, template: str) -> bool:
    """The URL name in quotes ("schools:school_list", or the name alone as in a table of names
    of one namespace), or every literal segment of its path ("schools/", "import/")."""
    name = key.split(":")[-1]
    if any(f"{q}{n}{q}" in source for n in (key, name) for q in "\"'"):
        return True
    if f':{name}"' in source or f":{name}'" in source:
        return True
    segments = [s for s in _PARAM.sub("", template).split("/") if s]
    return bool(segments) and all(f"{s}/" in source or f"/{s}" in source for s in segments)


@functools.cache
def check_reference(test: str) -> tuple[str | None, str]:
    """(problem or None, the module's source). A reference is ``path/to/test_x.py::test_y``."""
    path, sep, func = test.partition("::")
    if not sep or not path.endswith(".py") or not func.startswith("test"):
        return f"{test} (not path/to/test_x.py::test_name)", ""
    module_name = path.removesuffix(".py").replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return f"{test} (cannot import {module_name}: {exc})", ""
    if not callable(getattr(module, func, None)):
        return f"{test} (no such test)", ""
    return None, inspect.getsource(module)


def check_references(
    declarations: Mapping, templates: Mapping[str, str] | None = None
) -> list[str]:
    """Every test a declaration names must exist, and its module must mention the route."""
    problems = []
    groups_seen = set()
    for key, decl in declarations.items():
        if not isinstance(decl, Ref | Group | Table) or not decl.tests:
            continue
        if isinstance(decl, Group):
            if decl.name in groups_seen:
                continue
            groups_seen.add(decl.name)
            key = f"group {decl.name!r}"
        for test in decl.tests:
            problem, source = check_reference(test)
            if problem:
                problems.append(f"{show(key)} → {problem}")
                continue
            if isinstance(decl, Group):
                continue
            if isinstance(key, tuple):
                absent = [m for m in mentions_for(key) if m not in source]
                if absent:
                    problems.append(f"{show(key)} → {test} (module never mentions {absent})")
            elif (
                templates is not None
                and key in templates
                and not page_is_mentioned(source, key, templates[key])
            ):
                problems.append(f"{key} → {test} (module never mentions the route)")
    return problems
