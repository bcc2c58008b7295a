"""The permission matrix of the API: one declaration per OpenAPI operation, keyed by
``(METHOD, "/api/v1/path/{param}")``. Every operation answers 401 to an anonymous caller
(swept in test_anonymous.py); see ``matrix.py`` for the kinds of declaration."""

from __future__ import annotations

from types import MappingProxyType

from .matrix import UNAUTHORISED, Table, gathered, ref
from .pages import READ_SCHOOL


def aref(*tests: str):
    """An operation covered by existing tests; anonymous callers get 401 like everywhere."""
    return ref(*tests, anonymous=UNAUTHORISED)


V1 = "/api/v1"

_API = {
    # -- core ----------------------------------------------------------------------------------
    ("GET", f"{V1}/me"): aref(
        "tests/core/test_api.py::test_it_returns_the_user_organisation_and_role",
        "tests/core/test_api.py::test_it_refuses_anonymous_calls_with_a_chinese_401",
    ),
    ("GET", f"{V1}/organizations"): aref(
        "tests/core/test_api.py::test_every_harness_user_sees_only_in_scope_organisations",
        "tests/core/test_api.py::test_it_forbids_roles_without_the_permission",
    ),
    ("GET", f"{V1}/organizations/{{org_id}}"): aref(
        "tests/core/test_api.py::test_it_answers_404_for_out_of_scope_exactly_as_for_missing",
        "tests/core/test_api.py::test_it_accepts_a_bearer_token_and_applies_the_same_scope",
    ),
    # A token is its owner's: another user's answers 404.
    ("GET", f"{V1}/tokens"): aref(
        "tests/core/test_api.py::test_it_lists_creates_and_revokes_own_tokens"
    ),
    ("POST", f"{V1}/tokens"): Table(
        method="POST",
        body=lambda w, side: {"name": "权限矩阵"},
        rows={
            "officer_a": 201,
            "edu_officer": 201,
            "outsider": 201,
            "guard": 403,
            "volunteer": 403,
            "auditor": 403,
        },
        anonymous=UNAUTHORISED,
        note="core.add_apitoken: every role but the gate guard, the volunteer and the auditor",
    ),
    ("DELETE", f"{V1}/tokens/{{token_id}}"): Table(
        world="personal_world",
        args=("new_token",),
        method="DELETE",
        rows={
            "officer_a": (200, 404, 404),
            "officer_b": (404, 200, 404),
            "commander": (404, 404, 404),
            "outsider": (404, 404, 404),
        },
        anonymous=UNAUTHORISED,
        tests=("tests/core/test_api.py::test_it_lists_creates_and_revokes_own_tokens",),
    ),
    ("GET", f"{V1}/notifications"): aref(
        "tests/core/test_api.py::test_it_marks_notifications_read"
    ),
    ("POST", f"{V1}/notifications/read"): aref(
        "tests/core/test_api.py::test_it_marks_notifications_read"
    ),
    ("GET", f"{V1}/audit/records"): aref(
        "tests/core/test_api.py::test_it_shows_the_audit_trail_to_auditors_only"
    ),
    ("POST", f"{V1}/audit/verifications"): aref(
        "tests/core/test_api_audit_verify.py::test_the_caller_polls_the_result_of_the_check_it_started",
        "tests/core/test_api_audit_verify.py::test_only_readers_of_the_trail_start_or_read_a_check",
    ),
    ("GET", f"{V1}/audit/verifications/{{run_id}}"): aref(
        "tests/core/test_api_audit_verify.py::test_only_readers_of_the_trail_start_or_read_a_check",
        "tests/core/test_api_audit_verify.py::test_a_run_that_is_not_a_check_answers_404_like_a_missing_one",
    ),
    ("GET", f"{V1}/my-tasks"): aref(
        "tests/inspections/test_api.py::test_my_tasks_lists_what_waits_on_the_user_nearest_deadline_first",
        "tests/inspections/test_api.py::test_escalation_is_handled_only_by_the_supervising_organisation",
        "tests/inspections/test_api_permissions.py::test_guards_and_volunteers_are_refused_everywhere",
    ),
    # -- schools -------------------------------------------------------------------------------
    ("GET", f"{V1}/schools"): aref(
        "tests/schools/test_api.py::test_it_lists_only_the_schools_in_scope",
        "tests/schools/test_api.py::test_it_refuses_roles_without_the_permission",
    ),
    ("GET", f"{V1}/compliance/summary"): Table(
        world="schools_world",
        query={"org": "school_org"},
        rows=READ_SCHOOL,
        anonymous=UNAUTHORISED,
        tests=(
            "tests/schools/test_api.py::test_the_summary_of_an_out_of_scope_organisation_is_404",
            "tests/schools/test_api.py::test_an_officer_sees_only_own_schools_in_a_summary_of_a_higher_office",
            "tests/schools/test_api.py::test_it_refuses_roles_without_the_permission",
        ),
    ),
}

# The school's own resources, by role: "read" needs the view permission, "write" the ledger's
# add/change/delete permission (core.roles: officers and the security chief write, the
# commander and the education officer read, the gate guard sees the school only).
_READ_SCHOOL = READ_SCHOOL
_READ_LEDGER = {**_READ_SCHOOL, "guard": (403, 403, 403)}


def _write(ok: int) -> dict:
    return {
        "officer_a": (ok, 404, 404),
        "officer_b": (404, ok, 404),
        "chief": (ok, 404, 404),
        "commander": (403, 403, 403),
        "edu_officer": (403, 403, 403),
        "guard": (403, 403, 403),
        "volunteer": (403, 403, 403),
        "outsider": (404, 404, 404),
    }


def _school_table(rows, args=("school",), method="GET", body=None) -> Table:
    return Table(
        world="schools_world",
        args=args,
        rows=rows,
        method=method,
        body=body,
        anonymous=UNAUTHORISED,
    )


_API |= {
    ("GET", f"{V1}/schools/{{school_id}}"): _school_table(_READ_SCHOOL),
    ("GET", f"{V1}/schools/{{school_id}}/compliance"): _school_table(_READ_SCHOOL),
    ("GET", f"{V1}/schools/{{school_id}}/guards"): _school_table(_READ_LEDGER),
    ("POST", f"{V1}/schools/{{school_id}}/guards"): _school_table(
        _write(201), method="POST", body=lambda w, side: {"name": "矩阵保安"}
    ),
    ("DELETE", f"{V1}/schools/{{school_id}}/guards/{{guard_id}}"): _school_table(
        _write(204), args=("school", "new_guard"), method="DELETE"
    ),
    ("GET", f"{V1}/schools/{{school_id}}/devices"): _school_table(_READ_LEDGER),
    ("POST", f"{V1}/schools/{{school_id}}/devices"): _school_table(
        _write(201), method="POST", body=lambda w, side: {"kind": "camera"}
    ),
    ("DELETE", f"{V1}/schools/{{school_id}}/devices/{{device_id}}"): _school_table(
        _write(204), args=("school", "new_device"), method="DELETE"
    ),
    ("GET", f"{V1}/schools/{{school_id}}/equipment"): _school_table(_READ_LEDGER),
    ("PUT", f"{V1}/schools/{{school_id}}/equipment"): _school_table(
        _write(200), method="PUT", body=lambda w, side: {"items": {"shield": 3}}
    ),
}

# -- inspections: every endpoint for every kind of user (tests/inspections/test_api_permissions.py);
# the writes that succeed are the loop run through the API (tests/inspections/test_api.py).
_INSPECTIONS = (
    "tests/inspections/test_api_permissions.py::test_another_station_gets_404_and_does_not_see_them_in_lists",
    "tests/inspections/test_api_permissions.py::test_a_security_company_sees_nothing_of_the_loop",
    "tests/inspections/test_api_permissions.py::test_guards_and_volunteers_are_refused_everywhere",
    "tests/inspections/test_api_permissions.py::test_the_education_officer_reads_but_does_not_write",
)
_LOOP = "tests/inspections/test_api.py::test_it_runs_the_whole_loop_through_the_api"
# The security company's test tries the records and the lists, not the creations.
_NOT_IN_THE_OUTSIDER_TEST = {
    ("POST", "/campaigns"),
    ("GET", "/checklists"),
    ("GET", "/checklists/{checklist_id}"),
    ("POST", "/inspections"),
    ("POST", "/hazards"),
    ("POST", "/notices"),
}
for _method, _path, *_extra in (
    ("GET", "/campaigns"),
    (
        "POST",
        "/campaigns",
        "tests/inspections/test_api.py::test_a_campaign_names_the_target_schools_out_of_scope",
        "tests/inspections/test_api.py::test_the_campaign_list_counts_coverage_without_a_query_per_row",
    ),
    ("GET", "/campaigns/{campaign_id}"),
    ("GET", "/checklists"),
    (
        "GET",
        "/checklists/{checklist_id}",
        "tests/inspections/test_api.py::test_checklists_show_the_current_or_an_older_version",
    ),
    ("GET", "/inspections"),
    ("POST", "/inspections", _LOOP),
    ("GET", "/inspections/{inspection_id}"),
    ("PUT", "/inspections/{inspection_id}/results", _LOOP),
    ("POST", "/inspections/{inspection_id}/finish", _LOOP),
    ("POST", "/inspections/{inspection_id}/results/{result_id}/hazard", _LOOP),
    ("GET", "/hazards"),
    (
        "POST",
        "/hazards",
        "tests/inspections/test_api.py::test_a_school_reports_its_own_hazards_as_self_reports",
    ),
    ("GET", "/hazards/{hazard_id}"),
    ("GET", "/hazards/{hazard_id}/transitions"),
    (
        "POST",
        "/hazards/{hazard_id}/transitions",
        _LOOP,
        "tests/inspections/test_api_permissions.py::test_the_school_reports_but_does_not_recheck",
    ),
    (
        "POST",
        "/hazards/{hazard_id}/photos",
        "tests/inspections/test_api.py::test_photos_are_uploaded_and_served_through_files",
    ),
    ("GET", "/notices"),
    ("POST", "/notices", _LOOP),
    ("GET", "/notices/{notice_id}"),
    ("GET", "/notices/{notice_id}/document"),
    ("GET", "/escalations"),
    ("GET", "/escalations/{escalation_id}"),
    (
        "POST",
        "/escalations/{escalation_id}/handle",
        "tests/inspections/test_api.py::test_escalation_is_handled_only_by_the_supervising_organisation",
    ),
    ("GET", "/escalations/{escalation_id}/document"),
):
    _tests = _INSPECTIONS
    if (_method, _path) in _NOT_IN_THE_OUTSIDER_TEST:
        _tests = tuple(t for t in _tests if "security_company" not in t)
    if _path == "/checklists/{checklist_id}":  # shared by the city: no other station's copy
        _tests = tuple(t for t in _tests if "another_station" not in t)
    _API[(_method, V1 + _path)] = aref(*_tests, *_extra)

# -- key persons and disputes: police only (tests/persons/test_api_access.py).
_PERSONS = (
    "tests/persons/test_api_access.py::test_non_police_get_404_everywhere",
    "tests/persons/test_api_access.py::test_another_stations_officer_gets_404_on_the_record",
)
for _method, _path, _success in (
    ("GET", "/key-persons", "test_the_officer_reads_masked_and_reveal_is_logged"),
    ("POST", "/key-persons", "test_the_officer_writes_through_the_api"),
    ("GET", "/key-persons/{person_id}", "test_the_commander_reads_reveals_and_revokes"),
    ("PATCH", "/key-persons/{person_id}", "test_the_commander_reads_reveals_and_revokes"),
    (
        "GET",
        "/key-persons/{person_id}/follow-ups",
        "test_follow_up_whereabouts_are_masked_unless_revealed",
    ),
    ("POST", "/key-persons/{person_id}/follow-ups", "test_the_officer_writes_through_the_api"),
    ("POST", "/screening-batches", "test_screening_totals_through_the_api"),
    ("GET", "/screening-batches/totals", "test_screening_totals_through_the_api"),
    ("GET", "/disputes", "test_another_stations_officer_gets_404_on_the_record"),
    ("POST", "/disputes", "test_disputes_through_the_api"),
    ("GET", "/disputes/{dispute_id}", "test_disputes_through_the_api"),
    ("POST", "/disputes/{dispute_id}/transitions", "test_disputes_through_the_api"),
    ("POST", "/disputes/{dispute_id}/mediations", "test_disputes_through_the_api"),
):
    # The other station's officer is tried on the records and the two registers' lists.
    _listed = _method == "GET" and _path in ("/key-persons", "/disputes")
    _tests = _PERSONS if "{" in _path or _listed else _PERSONS[:1]
    _API[(_method, V1 + _path)] = aref(*_tests, f"tests/persons/test_api_access.py::{_success}")
# No existing test lists the batches as a police officer: declared here.
_API[("GET", f"{V1}/screening-batches")] = Table(
    rows={
        "officer_a": 200,
        "officer_b": 200,
        "commander": 200,
        "admin": 404,
        "edu_officer": 404,
        "chief": 404,
        "guard": 404,
        "volunteer": 404,
        "auditor": 404,
        "outsider": 404,
    },
    anonymous=UNAUTHORISED,
    note="police only: for every other role the registry does not exist (404, not 403)",
)
_API[("POST", f"{V1}/watchlist/match")] = aref(
    "tests/persons/test_watchlist.py::test_the_api_tells_the_guard_yes_or_no_only",
    "tests/persons/test_watchlist.py::test_the_api_refuses_roles_without_the_permission",
)

# -- check-ins (tests/patrols/test_api_checkins.py).
_API |= {
    ("POST", f"{V1}/checkins"): aref(
        "tests/patrols/test_api_checkins.py::test_it_answers_by_role_and_jurisdiction",
        "tests/patrols/test_api_checkins.py::test_it_lets_a_volunteer_check_in_only_at_own_shifts_posts",
    ),
    ("GET", f"{V1}/checkins"): aref(
        "tests/patrols/test_api_checkins.py::test_it_lists_check_ins_in_scope_or_ones_own",
    ),
    ("GET", f"{V1}/checkins/{{checkin_id}}"): aref(
        "tests/patrols/test_api_checkins.py::test_it_lists_check_ins_in_scope_or_ones_own",
    ),
}

# -- posts, rosters, routes, patrols and video patrols: every endpoint for every kind of user
# (tests/patrols/test_api_permissions.py).
_PATROLS = (
    "tests/patrols/test_api_permissions.py::test_it_lets_alice_read_and_write_her_stations_records",
    "tests/patrols/test_api_permissions.py::test_it_answers_404_to_another_station_as_for_a_missing_object",
    "tests/patrols/test_api_permissions.py::test_a_security_company_sees_nothing",
    "tests/patrols/test_api_permissions.py::test_the_auditor_gets_403_everywhere",
)
for _method, _path, *_extra in (
    ("GET", "/guard-posts"),
    ("POST", "/guard-posts"),
    ("GET", "/guard-posts/{post_id}"),
    (
        "PATCH",
        "/guard-posts/{post_id}",
        "tests/patrols/test_api_permissions.py::test_the_security_chief_keeps_the_own_schools_posts_and_rosters",
    ),
    (
        "GET",
        "/duty-shifts",
        "tests/patrols/test_api_permissions.py::test_the_volunteer_reads_the_own_shifts_only",
    ),
    ("POST", "/duty-shifts/bulk"),
    ("POST", "/duty-shifts/{shift_id}/swap"),
    ("POST", "/duty-shifts/{shift_id}/cancel"),
    ("GET", "/patrol-stats"),
    ("GET", "/patrol-routes"),
    ("POST", "/patrol-routes"),
    ("GET", "/patrol-routes/{route_id}"),
    ("GET", "/patrol-logs"),
    ("POST", "/patrol-logs"),
    ("GET", "/patrol-logs/{log_id}"),
    ("POST", "/patrol-logs/{log_id}/visits"),
    ("POST", "/patrol-logs/{log_id}/finish"),
    (
        "POST",
        "/patrol-logs/{log_id}/abandon",
        "tests/patrols/test_api.py::test_it_runs_a_patrol_from_route_to_finding",
    ),
    ("POST", "/patrol-logs/{log_id}/findings"),
    (
        "GET",
        "/video-patrols",
        "tests/patrols/test_api_permissions.py::test_the_education_officer_reads_posts_rosters_video_and_statistics",
    ),
    ("POST", "/video-patrols"),
    ("GET", "/video-patrols/{patrol_id}"),
):
    _API[(_method, V1 + _path)] = aref(*_PATROLS, *_extra)

# Rows a module keeps in its own folder (``<app>/permission_matrix.py``).
_API |= gathered("API")
API = MappingProxyType(_API)
