"""The alarms module's rows of the permission matrix (tests/permission_matrix gathers them):
every page and API operation is exercised for users of different jurisdictions by
tests/alarms/test_permissions.py (and the devices' signed post by test_ingest.py)."""

from tests.permission_matrix.matrix import UNAUTHORISED, Table, ref

_P = "tests/alarms/test_permissions.py::"
_PAGES_TEST = _P + "test_each_user_gets_the_pages_of_their_jurisdiction"
_API_TEST = _P + "test_each_user_gets_the_api_of_their_jurisdiction"
_LISTS = _P + "test_the_lists_show_only_the_jurisdictions_records"
_DETAILS = _P + "test_the_school_and_the_bureau_see_the_record_without_police_details"
_CREDENTIALS = _P + "test_the_credential_page_shows_a_secret_once_and_rotates_it"
_ISSUE = _P + "test_a_device_without_a_credential_gets_one_issued"
_CHIEF = _P + "test_the_chief_registers_a_test_window_for_the_own_school_only"
_S = "tests/alarms/test_supervision_permissions.py::"
_OUTAGES = _S + "test_each_user_gets_the_outages_of_their_jurisdiction"
_OUTAGE_SCOPE = _S + "test_a_school_outside_the_scope_filters_to_nothing"
_STEPS = (
    "tests/alarms/test_transitions.py::test_the_page_runs_each_step_and_refuses_one_out_of_order"
)

_S = "tests/alarms/test_statistics_page.py::"
_STATISTICS = (
    _S + "test_each_user_gets_the_statistics_of_their_jurisdiction",
    _S + "test_per_station_for_the_city_and_for_one_station",
    _S + "test_per_school_for_the_education_bureau",
)
# The statistics page and its export: police and education roles; jurisdictions through ?org=
# (the named tests: station 01 outside officer B's scope reads as an unknown organisation).
_STATISTICS_ROWS = {
    "commander": 200,
    "officer_a": 200,
    "officer_b": 200,
    "edu_officer": 200,
    "chief": 403,
    "guard": 403,
    "volunteer": 403,
    "auditor": 403,
    "admin": 403,
    # The security company's "officer": the permission, no jurisdiction, an empty table.
    "outsider": 200,
}

_C = "tests/alarms/test_console_pages.py::"
_CONSOLE = _C + "test_each_user_gets_the_console_and_the_panel_of_their_jurisdiction"
_UNITS = _C + "test_the_units_nearest_the_school_come_first_with_their_distances"

PAGES = {
    "alarms:console": ref(
        _CONSOLE, _C + "test_the_console_page_holds_the_socket_and_the_arm_button"
    ),
    "alarms:alarm_surroundings": ref(
        _CONSOLE, _UNITS, _C + "test_the_panel_shows_the_units_and_the_map"
    ),
    "alarms:statistics": Table(rows=_STATISTICS_ROWS, tests=_STATISTICS),
    "alarms:statistics_export": Table(rows=_STATISTICS_ROWS, tests=_STATISTICS[:2]),
    "alarms:alarm_list": ref(_PAGES_TEST, _LISTS),
    "alarms:alarm_export": ref(_PAGES_TEST),
    "alarms:alarm_detail": ref(_PAGES_TEST, _DETAILS),
    "alarms:alarm_step": ref(_PAGES_TEST, _STEPS, method="POST"),
    "alarms:test_window_list": ref(_PAGES_TEST),
    "alarms:test_window_export": ref(_PAGES_TEST),
    "alarms:test_window_create": ref(_PAGES_TEST, _CHIEF),
    "alarms:device_list": ref(_PAGES_TEST),
    "alarms:device_detail": ref(_PAGES_TEST, _CREDENTIALS),
    "alarms:device_issue": ref(_ISSUE, _CREDENTIALS, method="POST"),
    "alarms:device_rotate": ref(_CREDENTIALS, method="POST"),
    "alarms:outage_list": ref(_OUTAGES, _OUTAGE_SCOPE),
    "alarms:outage_export": ref(_OUTAGES),
}

V1 = "/api/v1"
_I = "tests/alarms/test_ingest.py::"
API = {
    # No session or token: the device's signature is the credential; unsigned → 401.
    ("POST", V1 + "/alarm-events"): ref(
        _I + "test_it_refuses_a_post_without_the_signing_headers",
        _I + "test_it_refuses_an_unknown_or_disabled_device",
        _I + "test_it_stores_a_well_signed_alarm_before_answering",
        method="POST",
        anonymous=UNAUTHORISED,
    ),
    # Heartbeats are signed like alarm posts, through the same verification.
    ("POST", V1 + "/alarm-heartbeats"): ref(
        "tests/alarms/test_supervision.py::test_it_records_a_well_signed_heartbeat",
        "tests/alarms/test_supervision.py::test_a_forged_or_bad_heartbeat_is_refused_and_stored_nowhere",
        "tests/alarms/test_supervision.py::test_an_unsigned_heartbeat_or_an_unknown_device_is_refused",
        method="POST",
        anonymous=UNAUTHORISED,
    ),
    ("GET", V1 + "/alarm-outages"): ref(_OUTAGES, _OUTAGE_SCOPE, anonymous=UNAUTHORISED),
    ("GET", V1 + "/alarms"): ref(_API_TEST, _LISTS, anonymous=UNAUTHORISED),
    ("GET", V1 + "/alarms/{alarm_id}"): ref(_API_TEST, _DETAILS, anonymous=UNAUTHORISED),
    ("POST", V1 + "/alarms/{alarm_id}/transitions"): ref(
        _API_TEST, method="POST", anonymous=UNAUTHORISED
    ),
    ("GET", V1 + "/alarm-test-windows"): ref(_API_TEST, _LISTS, anonymous=UNAUTHORISED),
    ("POST", V1 + "/alarm-test-windows"): ref(_API_TEST, method="POST", anonymous=UNAUTHORISED),
}
