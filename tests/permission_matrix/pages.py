"""The permission matrix of the pages: one declaration per URL pattern, keyed by its name.

``ref(...)`` names the existing tests that exercise the page for users of different
jurisdictions (in scope, another station's or bureau's, a role without the permission);
``Table(...)`` is executed in test_tables.py; the admin site is one ``Group``. See
``matrix.py`` for the kinds and ``docs/security.md`` for how to declare a new page.
"""

from __future__ import annotations

from types import MappingProxyType

from .matrix import ADMIN_LOGIN, Group, Table, gathered, ref

# ---- the Django admin site ------------------------------------------------------------------
# Each registered model, by "app_label.model", with the admin actions the system administrator
# holds on it (from the sysadmin role's permissions and the ModelAdmin's has_*_permission).
# A model registered in the admin later has URLs no one declared until it is added here.
ADMIN_MODELS: dict[str, frozenset[str]] = {
    # Everything else has its page in /system/ (issue 21): tests/core/test_admin.py.
    "core.calendarday": frozenset({"view", "add", "change", "delete"}),
}
ADMIN_MODEL_VIEWS = ("changelist", "add", "history", "delete", "change")
ADMIN_SITE_VIEWS = (
    "admin:index",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    "route:admin/(?P<url>.*)$",  # the admin's catch-all: 404 only after signing in
)


def admin_model_keys(model: str) -> list[str]:
    app, name = model.split(".")
    return [f"admin:{app}_{name}_{view}" for view in ADMIN_MODEL_VIEWS] + [
        f"route:admin/{app}/{name}/<path:object_id>/"  # Django's redirect to the change view
    ]


ADMIN = Group(
    name="Django admin site",
    keys=frozenset(
        [*ADMIN_SITE_VIEWS, *(k for model in ADMIN_MODELS for k in admin_model_keys(model))]
    ),
    tests=(
        "tests/permission_matrix/test_admin_site.py::test_it_sends_everyone_but_the_staff_to_the_admin_sign_in",
        "tests/permission_matrix/test_admin_site.py::test_it_gives_the_system_administrator_exactly_the_admin_actions_of_the_role",
        "tests/core/test_admin.py::test_other_roles_cannot_reach_the_admin",
        "tests/core/test_admin.py::test_what_has_a_page_of_its_own_is_not_in_the_admin",
    ),
    anonymous=ADMIN_LOGIN,
    note="staff only: anonymous and every non-sysadmin role → the admin sign-in page",
)

# URLs for routes whose pattern is a regex (the sweep cannot fill it in).
SAMPLE_URLS = {
    "admin:app_list": "/admin/core/",
    "route:admin/(?P<url>.*)$": "/admin/no-such-page/",
}

# ---- tables executed here -------------------------------------------------------------------

EVERYONE_200 = {"officer_a": 200, "volunteer": 200, "outsider": 200}

# A read of school 01's records or school 02's (and the compliance roll-up of either's node, on
# the page, its export and the API). A school's own node was a 500 until the roll-up learnt that a school has no child
# path segment; without ?org= a school's staff roll up their own school.
READ_SCHOOL = MappingProxyType(
    {
        "officer_a": (200, 404, 404),
        "officer_b": (404, 200, 404),
        "commander": (200, 200, 404),
        "edu_officer": (200, 404, 404),
        "chief": (200, 404, 404),
        "guard": (200, 404, 404),
        "volunteer": (403, 403, 403),
        "auditor": (403, 403, 403),
        "outsider": (404, 404, 404),
    }
)

_PAGES = {
    # -- public helpers and sign-in ------------------------------------------------------------
    "set_language": Table(
        method="POST",
        body=lambda w, side: {"language": "zh-hans", "next": "/"},
        rows={"officer_a": 302, "outsider": 302},
        anonymous=302,
        note="public: switches the language, redirects back",
    ),
    "core:login": Table(
        rows={"officer_a": 302, "outsider": 302},
        anonymous=200,
        note="public; a signed-in user is sent on to the home page",
    ),
    "core:logout": Table(method="POST", rows={"officer_a": 302, "outsider": 302}, anonymous=302),
    "admin:login": Table(
        rows={"admin": 302, "officer_a": 200, "outsider": 200},
        anonymous=200,
        note="public form; the staff are sent on to the admin index",
    ),
    "admin:logout": Table(method="POST", rows={"admin": 302, "officer_a": 302}, anonymous=302),
    "api-v1:openapi-json": Table(
        rows=EVERYONE_200,
        anonymous=200,
        note="public by decision (docs/decisions.md): the schema names no record",
    ),
    "api-v1:openapi-view": Table(rows=EVERYONE_200, anonymous=200),
    "healthz": Table(
        rows=EVERYONE_200,
        anonymous=200,
        note="public by design: a load balancer's liveness probe, no internals",
    ),
    "readyz": Table(
        rows=EVERYONE_200,
        anonymous=200,
        note="public by design: a load balancer's readiness probe, names failed checks only",
    ),
    "api-v1:api-root": Table(
        rows={"officer_a": 404, "outsider": 404},
        anonymous=404,
        note="django-ninja's root answers 404 outside DEBUG",
    ),
    # -- core ----------------------------------------------------------------------------------
    "core:second_factor": ref(
        "tests/core/test_second_factor.py::test_an_officer_enrols_an_authenticator_and_signs_in_with_its_code",
        "tests/core/test_second_factor.py::test_a_role_without_the_second_factor_never_sees_the_step",
    ),
    "core:password_change": ref(
        "tests/core/test_pages_access.py::test_it_opens_home_inbox_profile_and_password_pages_to_everyone",
        "tests/core/test_pages_auth.py::test_it_changes_the_password_and_lets_the_user_in",
    ),
    "core:home": ref(
        "tests/core/test_pages_access.py::test_it_opens_home_inbox_profile_and_password_pages_to_everyone",
        "tests/core/test_pages_home.py::test_it_counts_more_for_the_commander_than_for_a_station_officer",
        "tests/core/test_pages_home.py::test_it_shows_a_volunteer_no_organisation_counts",
    ),
    "core:organization_list": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_pages_organizations.py::test_it_lists_only_the_organisations_in_scope",
        "tests/core/test_pages_organizations.py::test_it_hides_the_police_tree_from_an_outsider",
    ),
    "core:organization_export": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_exports.py::test_it_exports_only_the_organisations_in_scope",
    ),
    "core:organization_detail": ref(
        "tests/core/test_pages_organizations.py::test_it_answers_404_for_out_of_scope_exactly_as_for_a_missing_id",
        "tests/core/test_pages_organizations.py::test_it_shows_an_education_officer_the_schools_of_the_bureau",
        "tests/core/test_pages_organizations.py::test_it_hides_the_police_tree_from_an_outsider",
    ),
    "core:user_list": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_pages_users.py::test_it_lists_the_users_in_scope",
        "tests/core/test_pages_users.py::test_it_shows_nothing_for_an_organisation_outside_the_scope",
    ),
    "core:user_export": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_exports.py::test_it_masks_phones_in_the_user_export",
    ),
    "core:audit_list": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_pages_audit.py::test_it_shows_the_trail_to_the_auditor",
    ),
    "core:audit_export": ref(
        "tests/core/test_pages_access.py::test_it_opens_a_list_only_to_the_roles_holding_its_permission",
        "tests/core/test_exports.py::test_it_exports_the_audit_trail_for_the_auditor",
        "tests/core/test_audit_export_stream.py::test_the_csv_export_streams_and_reads_back_with_labels",
    ),
    # The chain check of the audit page: whoever reads the trail (core.view_audit) starts it
    # and reads its panel; everyone else 403 (there is no object, so no 404 to tell apart).
    "core:audit_verify": Table(
        method="POST",
        rows={
            "auditor": 302,
            "admin": 403,
            "commander": 403,
            "officer_a": 403,
            "volunteer": 403,
            "outsider": 403,
        },
        tests=(
            "tests/core/test_audit_verify_page.py::test_it_runs_the_check_as_a_task_and_shows_the_result",
            "tests/core/test_audit_verify_page.py::test_only_readers_of_the_trail_start_or_see_the_check",
            "tests/core/test_audit_verify_page.py::test_it_needs_the_csrf_token",
        ),
        note="core.view_audit; a POST with the CSRF token, the run attributed in the trail",
    ),
    "core:audit_verify_status": Table(
        rows={
            "auditor": 200,
            "admin": 403,
            "commander": 403,
            "officer_a": 403,
            "volunteer": 403,
            "outsider": 403,
        },
        tests=(
            "tests/core/test_audit_verify_page.py::test_only_readers_of_the_trail_start_or_see_the_check",
            "tests/core/test_audit_verify_page.py::test_it_refuses_a_second_check_while_one_runs",
        ),
        note="core.view_audit: the check's panel, polled while a check runs",
    ),
    "core:notification_list": ref(
        "tests/core/test_pages_access.py::test_it_opens_home_inbox_profile_and_password_pages_to_everyone",
        "tests/core/test_pages_notifications.py::test_it_lists_only_my_notifications",
    ),
    "core:notification_read_all": ref(
        "tests/core/test_pages_notifications.py::test_it_marks_all_read",
        "tests/core/test_pages_access.py::test_it_sends_anonymous_posts_to_the_login_page",
        method="POST",
    ),
    # A notification is its recipient's: "a" is officer_a's, "b" officer_b's.
    "core:notification_read": Table(
        world="personal_world",
        args=("notification",),
        method="POST",
        rows={
            "officer_a": (302, 404, 404),
            "officer_b": (404, 302, 404),
            "commander": (404, 404, 404),
            "guard": (404, 404, 404),
            "outsider": (404, 404, 404),
        },
        tests=(
            "tests/core/test_pages_notifications.py::test_it_marks_one_read_over_htmx_and_updates_the_badges",
            "tests/core/test_pages_notifications.py::test_it_refuses_get_on_the_mark_read_url",
        ),
    ),
    # An urgent notification's toast, claimed by its recipient's page: "a" is officer_a's, "b"
    # officer_b's (a fresh one on each call: the first claim is 200, a later one 204).
    "core:notification_alert": Table(
        world="personal_world",
        args=("new_urgent_notification",),
        method="POST",
        rows={
            "officer_a": (200, 404, 404),
            "officer_b": (404, 200, 404),
            "commander": (404, 404, 404),
            "guard": (404, 404, 404),
            "outsider": (404, 404, 404),
        },
        tests=(
            "tests/core/test_urgent_alert_claim.py::test_it_answers_404_for_someone_elses_notification",
            "tests/core/test_urgent_alert_claim.py::test_it_refuses_a_post_without_the_csrf_token",
        ),
    ),
    "core:my_tasks": ref(
        "tests/core/test_my_tasks_page.py::test_it_lists_the_officers_hazards_awaiting_recheck",
        "tests/core/test_my_tasks_page.py::test_it_lists_unhandled_escalations_for_the_supervising_organisation",
        "tests/core/test_my_tasks_page.py::test_it_gives_the_volunteer_an_empty_list",
    ),
    "core:file_download": ref("tests/core/test_files.py::test_it_serves_a_file_only_within_scope"),
    "core:profile": ref(
        "tests/core/test_pages_access.py::test_it_opens_home_inbox_profile_and_password_pages_to_everyone",
        "tests/core/test_pages_profile.py::test_it_updates_name_and_phone",
    ),
    "core:profile_alerts": ref(
        "tests/core/test_urgent_alert_settings.py::test_it_saves_the_mute_setting_and_records_who_did",
        "tests/core/test_urgent_alert_settings.py::test_it_refuses_get",
        method="POST",
    ),
    "core:token_create": ref(
        "tests/core/test_pages_profile.py::test_it_shows_a_new_token_once",
        "tests/core/test_pages_profile.py::test_it_refuses_tokens_to_roles_without_the_permission",
        method="POST",
    ),
    # A token is its owner's: "a" is officer_a's, "b" officer_b's.
    "core:token_revoke": Table(
        world="personal_world",
        args=("new_token",),
        method="POST",
        rows={
            "officer_a": (302, 404, 404),
            "officer_b": (404, 302, 404),
            "commander": (404, 404, 404),
            "volunteer": (404, 404, 404),
            "outsider": (404, 404, 404),
        },
        tests=("tests/core/test_pages_profile.py::test_it_revokes_my_token",),
    ),
    # -- schools -------------------------------------------------------------------------------
    # The roll-up of an organisation given by ?org=: here school 01's node or school 02's.
    "schools:compliance_summary": Table(
        world="schools_world",
        query={"org": "school_org"},
        rows=READ_SCHOOL,
        tests=(
            "tests/schools/test_compliance_page.py::test_it_defaults_to_the_users_own_organisation",
            "tests/schools/test_compliance_page.py::test_out_of_scope_or_missing_organisation_is_404",
            "tests/schools/test_compliance_page.py::test_roles_without_school_access_get_403",
        ),
    ),
    "schools:compliance_export": Table(
        world="schools_world",
        query={"org": "school_org"},
        rows=READ_SCHOOL,
        tests=(
            "tests/schools/test_compliance_page.py::test_the_export_has_a_row_per_child_and_is_audited",
        ),
    ),
    "schools:school_import": ref(
        "tests/schools/test_import_pages.py::test_it_refuses_users_without_an_import_permission",
        "tests/schools/test_import_pages.py::test_it_offers_school_staff_only_their_ledgers",
        "tests/schools/test_import_pages.py::test_it_previews_then_commits_a_good_file",
    ),
    "schools:school_import_template": ref(
        "tests/schools/test_import_pages.py::test_it_refuses_users_without_an_import_permission",
        "tests/schools/test_import_pages.py::test_it_serves_a_template_that_imports_as_it_is",
    ),
    "schools:school_import_export": ref(
        "tests/schools/test_import_pages.py::test_it_refuses_users_without_an_import_permission",
        "tests/schools/test_import_roundtrip.py::test_it_exports_only_what_the_user_may_see",
        "tests/schools/test_import_roundtrip.py::test_it_refuses_the_ledger_export_without_the_change_permission",
    ),
    "schools:school_import_preview": ref(
        "tests/schools/test_import_pages.py::test_it_previews_then_commits_a_good_file",
        "tests/schools/test_import_pages.py::test_it_keeps_an_upload_private_to_the_user_who_made_it",
    ),
    "schools:school_import_commit": ref(
        "tests/schools/test_import_pages.py::test_it_previews_then_commits_a_good_file",
        "tests/schools/test_import_pages.py::test_it_keeps_an_upload_private_to_the_user_who_made_it",
        method="POST",
    ),
    # An upload belongs to the user who made it: "a" is officer_a's, "b" officer_b's.
    "schools:school_import_errors": Table(
        world="uploads_world",
        args=("upload",),
        rows={
            "officer_a": (200, 404, 404),
            "officer_b": (404, 200, 404),
            "chief": (404, 404, 404),
            "commander": (404, 404, 404),
            "guard": (404, 404, 404),
            "outsider": (404, 404, 404),
        },
        note="an upload is private to its uploader: anyone else gets 404, as for a missing token",
    ),
    "schools:school_list": ref(
        "tests/schools/test_pages_access.py::test_it_opens_the_school_list_to_the_roles_holding_view_school",
        "tests/schools/test_pages_school_list.py::test_it_lists_only_the_schools_in_scope",
    ),
    "schools:school_export": ref(
        "tests/schools/test_pages_access.py::test_it_opens_the_school_list_to_the_roles_holding_view_school",
        "tests/schools/test_pages_school_list.py::test_it_exports_the_filtered_schools_in_scope_masked",
    ),
}

# The school pages and their ledgers share one permission suite.
_SCHOOL_PAGE_TESTS = (
    "tests/schools/test_pages_access.py::test_it_opens_each_page_of_school_01_only_with_its_permission",
    "tests/schools/test_pages_access.py::test_it_answers_404_for_another_school_exactly_as_for_a_missing_one",
)
_SCHOOL_WRITE_TESTS = (
    *_SCHOOL_PAGE_TESTS,
    "tests/schools/test_pages_access.py::test_it_refuses_writes_without_the_permission",
)
for _name in (
    "schools:school_detail",
    "schools:school_guard_list",
    "schools:school_guard_export",
    "schools:school_device_list",
    "schools:school_device_export",
    "schools:school_equipment_export",
):
    _PAGES[_name] = ref(*_SCHOOL_PAGE_TESTS)
for _name in ("schools:school_edit", "schools:school_guard_add", "schools:school_equipment"):
    _PAGES[_name] = ref(*_SCHOOL_WRITE_TESTS)
for _name in (
    "schools:school_guard_edit",
    "schools:school_guard_delete",
    "schools:school_device_edit",
    "schools:school_device_delete",
):
    _PAGES[_name] = ref(
        *_SCHOOL_PAGE_TESTS,
        "tests/schools/test_pages_access.py::test_it_answers_404_for_a_guard_or_device_of_another_school_under_this_one",
    )
_PAGES["schools:school_device_add"] = ref(*_SCHOOL_PAGE_TESTS)

_NOTICE_LIST = {
    "admin": 200,
    "commander": 200,
    "officer_a": 200,
    "edu_officer": 200,
    "chief": 200,
    "outsider": 200,  # a role that may, with nothing in its scope
    "guard": 403,
    "volunteer": 403,
    "auditor": 403,
}
_SHIFT_LIST = {
    "admin": 200,
    "commander": 200,
    "officer_a": 200,
    "edu_officer": 200,
    "chief": 200,
    "guard": 200,
    "volunteer": 200,  # the own shifts only
    "outsider": 200,
    "auditor": 403,
}

_PAGES |= {
    # -- inspections ---------------------------------------------------------------------------
    "inspections:campaign_list": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_lists_the_campaigns_each_role_may_see"
    ),
    "inspections:campaign_export": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_lists_the_campaigns_each_role_may_see"
    ),
    "inspections:campaign_create": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_refuses_campaign_forms_to_roles_without_the_permission",
        "tests/inspections/test_pages_campaigns.py::test_it_creates_a_campaign_issued_by_the_users_organisation",
        "tests/inspections/test_pages_campaigns.py::test_it_offers_only_visible_schools_and_active_checklists",
    ),
    "inspections:campaign_detail": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_answers_404_for_a_campaign_out_of_scope",
        "tests/inspections/test_pages_campaigns.py::test_it_lets_a_station_read_but_not_rewrite_the_city_campaign",
    ),
    "inspections:campaign_edit": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_refuses_campaign_forms_to_roles_without_the_permission",
        "tests/inspections/test_pages_campaigns.py::test_it_answers_404_for_a_campaign_out_of_scope",
        "tests/inspections/test_pages_campaigns.py::test_it_edits_a_campaign_and_keeps_targets_outside_the_users_scope",
    ),
    # Checklists are shared by the whole city: no jurisdiction, only the permission.
    "inspections:checklist_list": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_lists_checklists_with_their_current_version"
    ),
    "inspections:checklist_create": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_refuses_checklist_forms_without_the_permission",
        "tests/inspections/test_pages_campaigns.py::test_it_creates_a_checklist_from_lines",
    ),
    "inspections:checklist_detail": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_shows_the_items_by_group_and_the_version_history"
    ),
    "inspections:checklist_edit": ref(
        "tests/inspections/test_pages_campaigns.py::test_it_refuses_checklist_forms_without_the_permission",
        "tests/inspections/test_pages_campaigns.py::test_it_publishes_a_new_version_and_old_inspections_keep_theirs",
    ),
    "inspections:inspection_list": ref(
        "tests/inspections/test_pages_inspections.py::test_it_lists_inspections_in_scope_with_their_numbers"
    ),
    "inspections:inspection_export": ref(
        "tests/inspections/test_pages_inspections.py::test_it_lists_inspections_in_scope_with_their_numbers",
        "tests/inspections/test_pages_inspections.py::test_it_exports_the_inspections_as_a_real_xlsx",
    ),
    "inspections:inspection_create": ref(
        "tests/inspections/test_pages_inspections.py::test_it_refuses_to_start_an_inspection_without_the_permission",
        "tests/inspections/test_pages_inspections.py::test_it_starts_an_inspection_and_opens_it",
        "tests/inspections/test_pages_inspections.py::test_it_refuses_a_bad_start_with_chinese_messages",
    ),
    "inspections:inspection_detail": ref(
        "tests/inspections/test_pages_inspections.py::test_it_shows_school_01s_inspection_to_whoever_may_see_it",
        "tests/inspections/test_pages_inspections.py::test_it_answers_404_for_a_missing_inspection_and_a_result_of_another_one",
    ),
    "inspections:inspection_result_hazard": ref(
        "tests/inspections/test_pages_inspections.py::test_it_lets_only_the_inspecting_side_register_a_hazard",
        "tests/inspections/test_pages_inspections.py::test_it_answers_404_for_a_missing_inspection_and_a_result_of_another_one",
        "tests/inspections/test_pages_inspections.py::test_it_registers_a_hazard_from_a_failed_item_with_photos",
        method="POST",
    ),
    "inspections:hazard_list": ref(
        "tests/inspections/test_pages_hazards.py::test_it_lists_and_exports_only_hazards_in_scope",
        "tests/inspections/test_pages_hazards.py::test_it_refuses_the_hazard_pages_to_roles_without_them",
    ),
    "inspections:hazard_export": ref(
        "tests/inspections/test_pages_hazards.py::test_it_lists_and_exports_only_hazards_in_scope",
        "tests/inspections/test_pages_hazards.py::test_it_refuses_the_hazard_pages_to_roles_without_them",
    ),
    "inspections:hazard_create": ref(
        "tests/inspections/test_pages_hazards.py::test_it_lets_the_chief_report_a_hazard_at_the_own_school_only",
        "tests/inspections/test_pages_hazards.py::test_it_refuses_registering_to_roles_without_add_hazard",
    ),
    "inspections:hazard_detail": ref(
        "tests/inspections/test_pages_hazards.py::test_it_answers_each_role_on_a_hazard_page"
    ),
    "inspections:hazard_action": ref(
        "tests/inspections/test_pages_hazards.py::test_it_lets_the_chief_start_and_report_but_not_recheck",
        "tests/inspections/test_pages_hazards.py::test_it_answers_404_to_other_jurisdictions_and_unknown_actions",
        "tests/inspections/test_pages_hazards.py::test_it_shows_the_education_officer_no_action_and_refuses_them_all",
        "tests/inspections/test_chase.py::test_only_the_bureau_and_the_police_of_the_school_may_chase",
        method="POST",
    ),
    # Who may open the lists at all (what each one lists is the referenced test's).
    "inspections:notice_list": Table(
        rows=_NOTICE_LIST,
        tests=(
            "tests/inspections/test_pages_notices.py::test_it_lists_and_exports_notices_in_scope",
        ),
    ),
    "inspections:notice_export": Table(
        rows=_NOTICE_LIST,
        tests=(
            "tests/inspections/test_pages_notices.py::test_it_lists_and_exports_notices_in_scope",
        ),
    ),
    "inspections:notice_create": ref(
        "tests/inspections/test_pages_notices.py::test_it_refuses_issuing_to_roles_without_the_permission",
        "tests/inspections/test_pages_notices.py::test_it_answers_404_for_a_school_outside_the_scope",
        "tests/inspections/test_pages_notices.py::test_it_preselects_the_hazard_and_issues_the_notice",
    ),
    "inspections:notice_detail": ref(
        "tests/inspections/test_pages_notices.py::test_it_answers_each_role_on_a_notice"
    ),
    "inspections:notice_document": ref(
        "tests/inspections/test_pages_notices.py::test_it_downloads_the_notice_as_docx"
    ),
    "inspections:escalation_list": ref(
        "tests/inspections/test_pages_notices.py::test_it_lists_and_exports_escalations_in_scope",
        "tests/inspections/test_pages_notices.py::test_it_refuses_the_escalation_pages_to_roles_without_them",
    ),
    "inspections:escalation_export": ref(
        "tests/inspections/test_pages_notices.py::test_it_lists_and_exports_escalations_in_scope",
        "tests/inspections/test_pages_notices.py::test_it_refuses_the_escalation_pages_to_roles_without_them",
    ),
    "inspections:escalation_handle": ref(
        "tests/inspections/test_pages_hazards.py::test_it_escalates_and_only_the_supervising_organisation_handles_it",
        method="POST",
    ),
    "inspections:escalation_document": ref(
        "tests/inspections/test_pages_notices.py::test_it_downloads_the_escalation_as_docx",
        "tests/inspections/test_pages_notices.py::test_it_refuses_the_escalation_pages_to_roles_without_them",
    ),
    # -- patrols -------------------------------------------------------------------------------
    "patrols:checkin": ref(
        "tests/patrols/test_pages_checkin.py::test_it_answers_each_role_on_the_page"
    ),
    "patrols:checkin_qr": ref(
        "tests/patrols/test_pages_checkin.py::test_it_answers_each_role_on_the_qr_page"
    ),
    "patrols:checkin_manual": ref(
        "tests/patrols/test_pages_checkin.py::test_it_answers_each_role_on_the_manual_page",
        "tests/patrols/test_pages_checkin.py::test_it_lets_a_supervisor_record_a_manual_check_in",
    ),
    "patrols:post_list": ref(
        "tests/patrols/test_pages_posts.py::test_it_lists_maps_and_exports_only_posts_in_scope",
        "tests/patrols/test_pages_posts.py::test_it_refuses_the_list_and_export_to_roles_without_posts",
    ),
    "patrols:post_export": ref(
        "tests/patrols/test_pages_posts.py::test_it_lists_maps_and_exports_only_posts_in_scope",
        "tests/patrols/test_pages_posts.py::test_it_refuses_the_list_and_export_to_roles_without_posts",
    ),
    "patrols:post_create": ref(
        "tests/patrols/test_pages_posts.py::test_it_lets_only_those_who_run_posts_create_and_edit",
        "tests/patrols/test_pages_posts.py::test_it_refuses_a_school_outside_the_scope",
    ),
    "patrols:post_detail": ref(
        "tests/patrols/test_pages_posts.py::test_it_answers_each_role_on_a_post_page"
    ),
    "patrols:post_edit": ref(
        "tests/patrols/test_pages_posts.py::test_it_lets_only_those_who_run_posts_create_and_edit"
    ),
    "patrols:post_roster": ref(
        "tests/patrols/test_pages_shifts.py::test_it_answers_each_role_on_a_roster"
    ),
    "patrols:shift_list": Table(
        rows=_SHIFT_LIST,
        tests=(
            "tests/patrols/test_pages_shifts.py::test_it_lists_and_exports_only_shifts_in_scope",
        ),
    ),
    "patrols:shift_export": Table(
        rows=_SHIFT_LIST,
        tests=(
            "tests/patrols/test_pages_shifts.py::test_it_lists_and_exports_only_shifts_in_scope",
        ),
    ),
    "patrols:shift_bulk_create": ref(
        "tests/patrols/test_pages_shifts.py::test_it_lets_only_those_who_roster_change_shifts",
        "tests/patrols/test_pages_shifts.py::test_it_refuses_posts_and_people_outside_the_scope",
    ),
    "patrols:shift_swap": ref(
        "tests/patrols/test_pages_shifts.py::test_it_lets_only_those_who_roster_change_shifts",
        "tests/patrols/test_pages_shifts.py::test_it_swaps_a_shift_to_another_person",
    ),
    "patrols:shift_cancel": ref(
        "tests/patrols/test_pages_shifts.py::test_it_lets_only_those_who_roster_change_shifts",
        "tests/patrols/test_pages_shifts.py::test_it_cancels_a_shift_and_the_roster_shows_the_gap",
    ),
    "patrols:patrol_stats": ref(
        "tests/patrols/test_pages_stats.py::test_it_answers_each_role_on_the_stats_page_and_its_export",
        "tests/patrols/test_pages_stats.py::test_it_shows_nothing_for_a_station_outside_the_scope",
        "tests/patrols/test_pages_stats.py::test_it_gives_an_outsider_no_figures",
    ),
    "patrols:patrol_stats_export": ref(
        "tests/patrols/test_pages_stats.py::test_it_answers_each_role_on_the_stats_page_and_its_export"
    ),
}

# Routes, patrol logs and video patrols share one permission suite (test_pages_patrols.py).
_PATROL_LISTS = (
    "tests/patrols/test_pages_patrols.py::test_it_answers_each_role_on_the_lists_exports_and_forms",
    "tests/patrols/test_pages_patrols.py::test_it_lists_only_the_records_in_scope",
)
_PATROL_RECORDS = (
    "tests/patrols/test_pages_patrols.py::test_it_answers_each_role_on_station_01s_records",
)
for _name in ("patrols:route_list", "patrols:patrol_list"):
    _PAGES[_name] = ref(*_PATROL_LISTS)
_PAGES["patrols:route_export"] = ref(
    _PATROL_LISTS[0], "tests/patrols/test_pages_patrols.py::test_it_exports_the_routes_in_scope"
)
_PAGES["patrols:patrol_export"] = ref(_PATROL_LISTS[0])
_PAGES["patrols:video_patrol_list"] = ref(
    *_PATROL_LISTS,
    "tests/patrols/test_pages_patrols.py::test_it_shows_the_education_officer_the_video_patrols_of_their_schools",
)
_PAGES["patrols:video_patrol_export"] = ref(_PATROL_LISTS[0])
_PAGES["patrols:route_create"] = ref(
    _PATROL_LISTS[0],
    "tests/patrols/test_pages_patrols.py::test_it_refuses_another_stations_school_or_unit_on_a_route",
)
_PAGES["patrols:patrol_start"] = ref(
    _PATROL_LISTS[0],
    "tests/patrols/test_pages_patrols.py::test_it_refuses_another_stations_route_on_start",
)
_PAGES["patrols:video_patrol_create"] = ref(
    _PATROL_LISTS[0],
    "tests/patrols/test_pages_patrols.py::test_it_refuses_a_video_patrol_of_another_stations_school",
)
for _name in (
    "patrols:route_detail",
    "patrols:route_edit",
    "patrols:patrol_detail",
    "patrols:video_patrol_detail",
):
    _PAGES[_name] = ref(*_PATROL_RECORDS)
for _name, _success in (
    ("patrols:patrol_visit", "test_officer_a_runs_a_patrol_and_finishes_it_incomplete"),
    ("patrols:patrol_finish", "test_officer_a_runs_a_patrol_and_finishes_it_incomplete"),
    ("patrols:patrol_abandon", "test_officer_a_abandons_a_patrol_with_a_reason"),
    ("patrols:patrol_finding", "test_a_finding_on_the_patrol_becomes_a_hazard_of_the_school"),
):
    _PAGES[_name] = ref(
        "tests/patrols/test_pages_patrols.py::test_it_refuses_actions_on_a_patrol_to_other_roles",
        f"tests/patrols/test_pages_patrols.py::{_success}",
        method="POST",
    )

# The registry of key persons and disputes: police only; every other role gets 404 on every
# page, another station's officer 404 on the record (tests/persons/test_pages_access.py).
_PERSONS = (
    "tests/persons/test_pages_access.py::test_it_opens_every_page_for_the_stations_officer",
    "tests/persons/test_pages_access.py::test_it_answers_404_to_every_role_that_is_not_police",
    "tests/persons/test_pages_access.py::test_it_answers_404_to_another_stations_officer_on_the_record",
)
for _name in (
    "persons:key_person_list",
    "persons:key_person_export",
    "persons:key_person_detail",
    "persons:key_person_edit",
    "persons:key_person_import_template",
    "persons:key_person_ledger",
    "persons:screening_list",
    "persons:screening_export",
    "persons:dispute_list",
    "persons:dispute_board",
    "persons:dispute_export",
    "persons:dispute_detail",
):
    _PAGES[_name] = ref(*_PERSONS)
for _name in (
    "persons:key_person_create",
    "persons:key_person_import",
    "persons:screening_create",
    "persons:dispute_create",
):
    _PAGES[_name] = ref(
        *_PERSONS,
        "tests/persons/test_pages_access.py::test_it_lets_the_commander_read_and_approve_but_not_register",
    )
for _name, _success in (
    (
        "persons:key_person_reveal",
        "tests/persons/test_pages_person.py::test_it_shows_the_whereabouts_only_when_revealed",
    ),
    (
        "persons:key_person_follow_up",
        "tests/persons/test_pages_person.py::test_the_follow_up_form_moves_the_next_review_date",
    ),
    (
        "persons:dispute_reveal",
        "tests/persons/test_pages_disputes.py::test_it_reveals_the_parties_and_logs_the_reason",
    ),
    (
        "persons:dispute_transition",
        "tests/persons/test_pages_disputes.py::test_a_legal_transition_goes_through",
    ),
    (
        "persons:dispute_mediation",
        "tests/persons/test_pages_disputes.py::test_the_first_mediation_moves_a_registered_dispute_to_mediating",
    ),
):
    _PAGES[_name] = ref(*_PERSONS[1:], _success, method="POST")

for _key in ADMIN.keys:
    _PAGES[_key] = ADMIN

_CHECKIN_LIST = (
    "tests/patrols/test_pages_checkin_list.py::test_it_answers_each_role_on_the_list_and_its_export",
    "tests/patrols/test_pages_checkin_list.py::test_it_lists_and_exports_only_check_ins_in_scope",
)
_PAGES["patrols:post_checkin_list"] = ref(*_CHECKIN_LIST)
_PAGES["patrols:post_checkin_export"] = ref(*_CHECKIN_LIST)

# Rows a module keeps in its own folder (``<app>/permission_matrix.py``).
_PAGES |= gathered("PAGES")
PAGES = MappingProxyType(_PAGES)
