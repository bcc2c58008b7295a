"""指标统计's rows of the permission matrix: the figure table, its export and the figures API.
Jurisdictions are in the query (``?org=``), tested with the demo city in
tests/reports/test_figures_api.py and test_figure_table.py."""

from tests.permission_matrix.matrix import UNAUTHORISED, Table, ref

_READ = {
    "commander": 200,
    "officer_a": 200,
    "edu_officer": 200,
    "chief": 200,
    "guard": 403,
    "admin": 403,
    "auditor": 403,
    # An officer of the security company: the page counts its own (empty) jurisdiction.
    "outsider": 200,
}
_API = "tests/reports/test_figures_api.py::"

PAGES = {
    "reports:figure_table": Table(rows=_READ),
    "reports:figure_export": Table(rows=_READ),
    "reports:figure_breakdown_export": Table(rows=_READ),
}

API = {
    ("GET", "/api/v1/figures"): ref(
        _API + "test_the_commander_gets_every_figure_with_the_registrys_values",
        _API + "test_the_education_bureau_gets_no_police_only_figure",
        _API + "test_an_org_outside_the_scope_reads_exactly_as_a_missing_one",
        _API + "test_without_the_permission_or_a_session",
        anonymous=UNAUTHORISED,
    ),
    ("GET", "/api/v1/figures/breakdown"): ref(
        _API + "test_the_breakdown_gives_each_child_the_figures_counted_there",
        _API + "test_without_the_permission_or_a_session",
        anonymous=UNAUTHORISED,
    ),
}
