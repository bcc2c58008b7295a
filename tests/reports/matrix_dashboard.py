"""统计看板 and 指挥大屏's rows of the permission matrix: the dashboard, its breakdown and trend
fragments, the big screen and its JSON. Jurisdictions are in the query (``?org=``): an
organisation outside the scope shows the message and the user's own numbers, tested with the
demo city in tests/reports/test_dashboard.py and test_dashboard_bigscreen.py; the live
WebSocket (ws/live/) in tests/reports/test_dashboard_live.py."""

from tests.permission_matrix.matrix import Table

_DASHBOARD = {
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
_BIGSCREEN = {**_DASHBOARD, "chief": 403}
_PAGES = "tests/reports/test_dashboard.py::"
_BIG = "tests/reports/test_dashboard_bigscreen.py::"

PAGES = {
    "reports:dashboard": Table(
        rows=_DASHBOARD,
        tests=(
            _PAGES + "test_an_org_outside_the_scope_shows_the_message_and_the_users_own_numbers",
            _PAGES + "test_the_education_bureau_and_the_school_never_see_police_only_figures",
        ),
    ),
    "reports:dashboard_breakdown": Table(
        rows=_DASHBOARD,
        tests=(_PAGES + "test_each_breakdown_cell_opens_as_many_records_as_it_shows",),
    ),
    "reports:dashboard_trend": Table(
        rows=_DASHBOARD, tests=(_PAGES + "test_the_trend_counts_each_month",)
    ),
    "reports:bigscreen": Table(
        rows=_BIGSCREEN, tests=(_BIG + "test_the_big_screen_shows_the_tiles_map_and_chart",)
    ),
    "reports:bigscreen_data": Table(
        rows=_BIGSCREEN,
        tests=(_BIG + "test_an_org_outside_the_scope_is_refused_like_a_missing_one",),
    ),
}
