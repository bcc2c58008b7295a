"""角色管理 and 角色授予's rows of the permission matrix (tests/permission_matrix gathers them).

The pages are the security administrator's (三权分立): the tests named here try them as the
system administrator, the auditor and officers (403), as security administrators of the whole
city and of one station's subtree (out-of-scope users 404, as missing ids), and as the one who
asked for a grant (who cannot approve it).
"""

from tests.permission_matrix.matrix import ref

_PAGES = "tests/system/test_roles_pages.py"
_GRANTS = "tests/system/test_roles_grants.py"
_ACCEPT = "tests/system/test_roles_acceptance.py"
_TREE = "tests/system/test_roles_tree.py"
_NO_SYSADMIN = f"{_PAGES}::test_the_system_administrator_cannot_reach_the_role_pages"

PAGES = {
    "system:role_list": ref(
        _NO_SYSADMIN, f"{_PAGES}::test_it_lists_roles_with_their_holders_filtered_and_exported"
    ),
    "system:role_export": ref(
        _NO_SYSADMIN, f"{_PAGES}::test_it_lists_roles_with_their_holders_filtered_and_exported"
    ),
    "system:role_detail": ref(
        _NO_SYSADMIN, f"{_PAGES}::test_the_detail_shows_the_tree_the_scope_and_the_holders"
    ),
    "system:role_create": ref(
        _NO_SYSADMIN,
        f"{_PAGES}::test_a_scope_may_name_only_the_actors_organisations",
        f"{_ACCEPT}::test_it_creates_a_custom_scope_role_whose_holder_sees_exactly_its_stations",
        f"{_TREE}::test_the_editor_renders_the_tree_in_chinese_with_group_select_all",
    ),
    "system:role_copy": ref(
        _NO_SYSADMIN, f"{_PAGES}::test_copying_keeps_the_permissions_and_the_scope"
    ),
    "system:role_edit": ref(
        _NO_SYSADMIN,
        f"{_PAGES}::test_nobody_edits_the_role_they_hold",
        f"{_PAGES}::test_a_built_in_role_keeps_its_code_but_may_change_the_rest",
    ),
    "system:role_retire": ref(
        _NO_SYSADMIN,
        f"{_PAGES}::test_built_in_roles_are_neither_retired_nor_deleted",
        method="POST",
    ),
    "system:role_delete": ref(
        _NO_SYSADMIN,
        f"{_PAGES}::test_built_in_roles_are_neither_retired_nor_deleted",
        f"{_PAGES}::test_a_role_is_retired_and_restored_and_deleted_only_when_unused",
    ),
    "system:grant_list": ref(
        f"{_GRANTS}::test_the_system_administrator_and_the_auditor_cannot_grant",
        f"{_GRANTS}::test_the_list_shows_the_pending_first_and_filters_by_state",
        f"{_GRANTS}::test_users_out_of_scope_answer_404",
    ),
    "system:grant_export": ref(
        f"{_GRANTS}::test_the_system_administrator_and_the_auditor_cannot_grant",
        f"{_GRANTS}::test_the_list_shows_the_pending_first_and_filters_by_state",
    ),
    "system:grant_create": ref(
        f"{_GRANTS}::test_the_system_administrator_and_the_auditor_cannot_grant",
        f"{_GRANTS}::test_users_out_of_scope_answer_404",
        f"{_GRANTS}::test_nobody_asks_a_role_for_themselves",
    ),
    "system:grant_decide": ref(
        f"{_GRANTS}::test_users_out_of_scope_answer_404",
        f"{_GRANTS}::test_a_police_role_stays_pending_until_a_second_administrator_decides",
        f"{_ACCEPT}::test_it_creates_a_custom_scope_role_whose_holder_sees_exactly_its_stations",
    ),
}
