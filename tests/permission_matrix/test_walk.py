"""The walk: a route nobody declared in the permission matrix fails the suite.

Every URL pattern of the project (Django's resolver, walked recursively: pages, the admin
site, the API's schema and docs) must have a declaration in ``pages.PAGES``, and every
operation of the OpenAPI schema one in ``api.API``. A declaration whose route is gone fails
too, and so does a reference to a test that no longer exists or whose module no longer
mentions the route. The last tests prove the guard itself reports what it should.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from . import walk
from .api import API
from .matrix import JURISDICTION, REFUSED, SUCCESS, Ref, Table
from .pages import PAGES

# A URLconf for test_it_reports_a_new_url_pattern: the project's, plus one page nobody declared
# and an API with an operation left out of its schema.
_extra_api = NinjaAPI(urls_namespace="matrix-extra")


@_extra_api.get("/listed")
def _listed(request):
    return {}


@_extra_api.get("/hidden", include_in_schema=False, url_name="hidden")
def _hidden(request):
    return {}


urlpatterns = [
    path("matrix-dummy/", lambda request: HttpResponse("x"), name="matrix_dummy"),
    path("matrix-api/", _extra_api.urls),
    path("", include("huxiao.urls")),
]


def _report(found: set, declarations, templates=None) -> list[str]:
    undeclared, stale = walk.compare(found, declarations)
    return walk.Report(undeclared, stale, walk.check_references(declarations, templates)).lines()


def _hint(problems: list[str]) -> str:
    return "\n".join([*problems, "→ declare it in tests/permission_matrix/ (docs/security.md)"])


def test_every_page_route_is_declared():
    routes = walk.page_routes()
    templates = {key: route.template for key, route in routes.items()}
    problems = _report(set(routes), PAGES, templates)
    assert not problems, _hint(problems)


def test_every_api_operation_is_declared():
    problems = _report(walk.api_operations(), API)
    assert not problems, _hint(problems)


def test_the_walk_sees_the_whole_project():
    """Guards the walk itself: a broken walk that saw nothing would declare nothing missing."""
    routes = walk.page_routes()
    assert (
        len(routes) > 150
        and "inspections:hazard_detail" in routes
        and "admin:core_calendarday_change" in routes
    )
    assert "api-v1:openapi-json" in routes and "route:admin/(?P<url>.*)$" in routes
    assert not any(
        key.startswith("api-v1:") and "openapi" not in key and key != "api-v1:api-root"
        for key in routes
    )
    ops = walk.api_operations()
    assert len(ops) > 80 and ("DELETE", "/api/v1/schools/{school_id}/guards/{guard_id}") in ops


# ---- the declarations themselves -----------------------------------------------------------


def _tables():
    return [(k, d) for k, d in [*PAGES.items(), *API.items()] if isinstance(d, Table)]


@pytest.mark.parametrize(("key", "table"), _tables(), ids=[walk.show(k) for k, _ in _tables()])
def test_every_table_is_well_formed_and_never_tells_out_of_scope_from_missing(key, table):
    assert table.rows, key
    assert set(table.rows) <= set(JURISDICTION), set(table.rows) - set(JURISDICTION)
    if not table.has_objects:
        statuses = set(table.rows.values())
        assert all(isinstance(v, int) for v in statuses), key
        # Someone must succeed, unless the route answers everyone alike (a stub, a 404).
        assert SUCCESS & statuses or statuses == {table.anonymous}, f"{key}: no user succeeds"
        return
    assert table.world, f"{key}: a table with ids needs a world fixture"
    assert all(isinstance(v, tuple) and len(v) == 3 for v in table.rows.values()), key
    in_scope_success = [
        user
        for user, row in table.rows.items()
        for side, status in zip("ab", row[:2], strict=True)
        if side in JURISDICTION[user] and status in SUCCESS
    ]
    out_of_scope = [
        user for user in table.rows if set("ab") - JURISDICTION[user] and user != "outsider"
    ]
    assert in_scope_success or table.bug, f"{key}: no user in scope succeeds"
    assert out_of_scope, f"{key}: no user of another station or bureau is tried"
    leaks = []
    for user, (a, b, missing) in table.rows.items():
        for side, status in (("a", a), ("b", b)):
            if side not in JURISDICTION[user] and status != missing:
                leaks.append(f"{user} on {side}: {status}, missing: {missing}")
            if status in REFUSED and missing not in REFUSED:
                leaks.append(f"{user} on {side}: refused but a missing id answers {missing}")
    if table.bug:
        errors = [s for row in table.rows.values() for s in row if s >= 500]
        assert leaks or errors, f"{key}: marked as a bug, but its rows show none — drop the mark"
    else:
        assert not leaks, f"{key} tells an out-of-scope object from a missing one: {leaks}"


# ---- the guard itself ------------------------------------------------------------------------


def test_it_reports_an_undeclared_route_and_a_stale_declaration():
    undeclared, stale = walk.compare(
        {"core:home", "new_page", ("GET", "/x")}, {"core:home", "old_page"}
    )
    assert undeclared == [("GET", "/x"), "new_page"] or undeclared == ["new_page", ("GET", "/x")]
    assert stale == ["old_page"]
    lines = walk.Report(undeclared, stale, ["x → tests/y.py::test_z (no such test)"]).lines()
    assert lines[0].startswith("undeclared routes: ") and "new_page" in lines[0]
    assert "GET /x" in lines[0]
    assert lines[1] == "declared but no longer existing: old_page"
    assert lines[2] == "referenced test missing: x → tests/y.py::test_z (no such test)"


def test_it_reports_a_new_url_pattern_found_by_the_resolver():
    api_paths = {p for _, p in walk.api_operations()} | {
        p for _, p in walk.api_operations(_extra_api, path_prefix="/matrix-api/")
    }
    routes = walk.page_routes(urlconf=__name__, api_paths=api_paths)
    undeclared, stale = walk.compare(routes, PAGES)
    # The new page, and the operation its API left out of the schema (so no operation
    # declaration can cover it): both must be declared before the suite passes again.
    new = [key for key in undeclared if key.startswith("matrix")]
    assert new == undeclared and stale == []
    assert "matrix_dummy" in new and "matrix-extra:hidden" in new
    assert "matrix-extra:listed" not in new  # an operation of its schema: declared by operation


def test_it_reports_a_new_api_operation():
    extra = walk.api_operations(_extra_api, path_prefix="/api/v1/")
    undeclared, stale = walk.compare(walk.api_operations() | extra, API)
    assert undeclared == [("GET", "/api/v1/listed")]
    assert stale == []


def test_it_reports_a_route_whose_declaration_is_gone():
    routes = walk.page_routes()
    declared = dict(PAGES)
    del declared["inspections:hazard_detail"]
    assert walk.compare(routes, declared) == (["inspections:hazard_detail"], [])


def test_it_reports_a_referenced_test_that_was_renamed_or_deleted():
    declarations = {
        "inspections:hazard_detail": Ref(
            tests=(
                "tests/inspections/test_pages_hazards.py::test_it_answers_each_role_on_a_hazard_page",
                "tests/inspections/test_pages_hazards.py::test_it_was_renamed",
                "tests/inspections/test_no_such_module.py::test_x",
                "tests/core/test_pages_home.py::test_it_counts_the_station_officers_scope",
            )
        )
    }
    problems = walk.check_references(
        declarations, {"inspections:hazard_detail": "inspections/hazards/<int:pk>/"}
    )
    assert len(problems) == 3, problems
    assert "test_it_was_renamed (no such test)" in problems[0]
    assert "cannot import tests.inspections.test_no_such_module" in problems[1]
    # test_pages_home.py exists but never opens a hazard: a reference by mistake.
    assert "module never mentions the route" in problems[2]


def test_it_reports_an_api_reference_whose_module_never_calls_the_operation():
    declarations = {
        ("GET", "/api/v1/patrol-logs/{log_id}"): Ref(
            tests=("tests/core/test_api.py::test_it_returns_the_user_organisation_and_role",)
        )
    }
    (problem,) = walk.check_references(declarations)
    assert "module never mentions ['/patrol-logs']" in problem
