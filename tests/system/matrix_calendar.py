"""工作日历's rows of the permission matrix. The calendar is platform-wide (no jurisdiction): only
the system administrator holds the calendar's permissions; every other role gets 403, reading or
loading. An empty load answers 400 (nothing to read), never a half-written year."""

from tests.permission_matrix.matrix import Table

_REFUSED = {
    "commander": 403,
    "officer_a": 403,
    "edu_officer": 403,
    "chief": 403,
    "auditor": 403,
    "outsider": 403,
}
_TEST = "tests/core/test_calendar_year.py::"
_TESTS = (
    _TEST + "test_the_administrator_previews_then_loads_a_year_on_the_page",
    _TEST + "test_only_those_keeping_the_calendar_may_load_it",
)

PAGES = {
    "system:calendar": Table(rows={"admin": 200, **_REFUSED}, tests=_TESTS),
}
