"""单位管理's rows of the permission matrix (tests/permission_matrix gathers them).

The pages need core.add_organization (the harness's ``admin``; a unit administrator, whom the
harness lacks, holds it too); everyone else is refused before any lookup. Side "a" is school 01's
organisation node, side "b" school 02's. The scope of a unit administrator (its own subtree;
404 on another sub-bureau's nodes exactly as on a missing id) is exercised by the referenced
tests, which make two of them.
"""

from tests.permission_matrix.matrix import Table

_REFUSED = ("commander", "officer_a", "edu_officer", "chief", "volunteer", "auditor", "outsider")
_LIST = {"admin": 200, **dict.fromkeys(_REFUSED, 403)}
_NODE = {"admin": (200, 200, 404), **dict.fromkeys(_REFUSED, (403, 403, 403))}

_T = "tests/system/test_organizations.py::"
_M = "tests/system/test_organizations_move.py::"
_SCOPE = _T + "test_it_answers_404_on_another_sub_bureaus_node_as_on_a_missing_one"


def _node(*tests: str) -> Table:
    return Table(world="schools_world", args=("school_org",), rows=_NODE, tests=(_SCOPE, *tests))


PAGES = {
    "system:organization_tree": Table(
        rows=_LIST,
        tests=(
            _T + "test_it_shows_a_unit_administrator_only_its_own_subtree",
            _T + "test_it_refuses_users_without_the_permission",
        ),
    ),
    "system:organization_export": Table(
        rows=_LIST, tests=(_T + "test_it_exports_only_the_subtree_of_a_unit_administrator",)
    ),
    "system:organization_children": _node(),
    "system:organization_create": _node(
        _T + "test_a_unit_administrator_adds_a_station_to_its_sub_bureau"
    ),
    "system:organization_edit": _node(_T + "test_it_edits_a_node_through_the_service"),
    "system:organization_move": _node(
        _M + "test_a_unit_administrator_never_moves_outside_its_subtree",
        _M + "test_moving_a_station_to_another_sub_bureau_moves_its_schools_scope",
    ),
}
