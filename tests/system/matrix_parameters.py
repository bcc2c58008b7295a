"""参数设置's rows of the permission matrix. Parameters are platform-wide (no jurisdiction): only
the system administrator reads and changes them; every other role gets 403 (the unit and security
administrators are tried in tests/system/test_parameters.py, the harness has neither)."""

from tests.permission_matrix.matrix import Table

_KEY = "=NOTICE_DEFAULT_WORKDAYS"
_LITERAL = "personal_world"  # any world: the key is a literal ("=…")
_REFUSED = {
    "commander": 403,
    "officer_a": 403,
    "edu_officer": 403,
    "chief": 403,
    "auditor": 403,
    "outsider": 403,
}
_READ = {"admin": 200, **_REFUSED}
_WRITE = {"admin": 302, **_REFUSED}
_TEST = "tests/system/test_parameters.py::"
_ROLES = (_TEST + "test_only_the_system_administrator_reaches_the_pages",)

PAGES = {
    "system:parameter_list": Table(rows=_READ, tests=_ROLES),
    "system:parameter_export": Table(rows=_READ, tests=_ROLES),
    "system:parameter_history": Table(rows=_READ, tests=_ROLES),
    "system:parameter_history_export": Table(rows=_READ, tests=_ROLES),
    "system:parameter_edit": Table(rows=_READ, world=_LITERAL, args=(_KEY,), tests=_ROLES),
    "system:parameter_reset": Table(
        rows=_WRITE, world=_LITERAL, args=(_KEY,), method="POST", tests=_ROLES
    ),
}
