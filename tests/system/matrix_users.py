"""用户管理's rows of the permission matrix (tests/permission_matrix gathers them).

The pages are for administrators: core.view_user and core.add_user (the harness's ``admin``);
a commander holds core.view_user alone and is refused like everyone else. Scope (a unit
administrator of one sub-bureau against another's accounts) is exercised by the referenced
tests, with unit administrators made there (the harness has none).
"""

from tests.permission_matrix.matrix import Table, ref

_ADMIN_ONLY = {
    "admin": 200,
    "commander": 403,
    "officer_a": 403,
    "edu_officer": 403,
    "chief": 403,
    "volunteer": 403,
    "auditor": 403,
    "outsider": 403,
}

_RULES = "tests/system/test_users_rules.py::"
_PAGES = "tests/system/test_users_pages.py::"
_IMPORT = "tests/system/test_users_import.py::"
_SCOPE = _RULES + "test_a_unit_administrator_cannot_see_another_sub_bureaus_users"

PAGES = {
    "system:user_list": Table(
        rows=_ADMIN_ONLY, tests=(_PAGES + "test_it_opens_the_pages_only_to_administrators",)
    ),
    "system:user_export": Table(
        rows=_ADMIN_ONLY, tests=(_PAGES + "test_it_exports_the_filtered_list",)
    ),
    "system:user_create": Table(
        rows=_ADMIN_ONLY,
        tests=(
            _RULES + "test_a_unit_administrator_cannot_create_or_move_users_outside_its_subtree",
        ),
    ),
    "system:user_import": Table(
        rows=_ADMIN_ONLY,
        tests=(_IMPORT + "test_it_gives_the_template_and_keeps_uploads_private",),
    ),
    "system:user_import_template": Table(
        rows=_ADMIN_ONLY,
        tests=(_IMPORT + "test_it_gives_the_template_and_keeps_uploads_private",),
    ),
    "system:user_import_preview": ref(_IMPORT + "test_an_upload_is_only_its_owners"),
    "system:user_import_errors": ref(_IMPORT + "test_an_upload_is_only_its_owners"),
    "system:user_import_commit": ref(_IMPORT + "test_an_upload_is_only_its_owners", method="POST"),
    "system:user_detail": ref(
        _SCOPE, _PAGES + "test_it_shows_a_users_roles_lock_second_factor_tokens_and_activity"
    ),
    "system:user_edit": ref(_SCOPE, _PAGES + "test_it_edits_and_moves_a_user_within_the_scope"),
    "system:user_toggle": ref(_SCOPE, _PAGES + "test_disabling_ends_the_users_sessions"),
    "system:user_reset_password": ref(
        _SCOPE,
        _RULES + "test_a_unit_administrator_cannot_take_over_an_administrator_in_its_subtree",
        _PAGES + "test_it_resets_the_password_once_and_forces_a_change",
    ),
    "system:user_unlock": ref(_SCOPE, _PAGES + "test_it_unlocks_a_locked_account"),
    "system:user_reset_second_factor": ref(
        _PAGES + "test_only_the_security_administrator_resets_the_second_factor"
    ),
}
