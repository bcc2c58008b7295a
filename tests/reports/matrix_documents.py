"""报告文书's rows of the permission matrix: the document pages, the template pages and their
API. Each route is covered by tests with users of different jurisdictions (officer01 and
officer02's stations, the commander's city, edu01's education bureau, a school's security
chief, a gate guard): an object of another jurisdiction reads exactly as a missing one."""

from tests.permission_matrix.matrix import UNAUTHORISED, ref

_DOC = "tests/reports/test_documents.py::"
_LET = "tests/reports/test_documents_letters.py::"
_TPL = "tests/reports/test_templates.py::"
_API = "tests/reports/test_documents_api.py::"

_OUTSIDE = _DOC + "test_a_report_outside_the_scope_reads_as_a_missing_one"
_ROLES = _DOC + "test_roles_without_the_permission_are_refused"

PAGES = {
    "reports:document_list": ref(_DOC + "test_the_list_is_scoped_filtered_and_exported", _ROLES),
    "reports:document_export": ref(_DOC + "test_the_list_is_scoped_filtered_and_exported"),
    "reports:document_create": ref(
        _DOC + "test_another_stations_officer_may_not_ask_for_it",
        _ROLES,
        _LET + "test_only_the_commander_and_the_education_officer_issue_reply_letters",
        _LET + "test_a_school_security_chief_writes_its_own_schools_rectification_report",
    ),
    "reports:document_detail": ref(
        _OUTSIDE, _DOC + "test_the_detail_page_shows_what_it_was_made_from_and_offers_the_download"
    ),
    "reports:document_status": ref(
        _OUTSIDE, _DOC + "test_a_report_being_generated_is_polled_every_second"
    ),
    "reports:document_download": ref(
        _OUTSIDE, _DOC + "test_the_detail_page_shows_what_it_was_made_from_and_offers_the_download"
    ),
    "reports:document_reproduce": ref(
        _OUTSIDE, _DOC + "test_writing_it_again_gives_the_same_hash", method="POST"
    ),
    "reports:template_edit": ref(
        _TPL + "test_another_jurisdictions_template_reads_as_missing",
        _TPL + "test_an_unknown_kind_is_a_404_and_roles_without_the_permission_get_403",
        _TPL + "test_the_page_refuses_an_unknown_placeholder_and_saves_nothing",
    ),
    "reports:template_history": ref(
        _TPL + "test_another_jurisdictions_template_reads_as_missing",
        _TPL + "test_each_save_is_a_new_version_and_the_history_keeps_them",
    ),
}

_API_OUTSIDE = _API + "test_a_document_outside_the_scope_reads_as_missing"
_API_READ = _API + "test_a_work_report_asked_for_read_and_downloaded"
_API_ANON = _API + "test_without_a_session"

API = {
    ("POST", "/api/v1/reports/documents"): ref(
        _API_READ,
        _API + "test_bad_requests_are_400_in_chinese_and_nothing_is_kept",
        _API + "test_kinds_follow_the_roles",
        method="POST",
        anonymous=UNAUTHORISED,
    ),
    ("GET", "/api/v1/reports/documents"): ref(
        _API_READ, _API_OUTSIDE, _API_ANON, anonymous=UNAUTHORISED
    ),
    ("GET", "/api/v1/reports/documents/{report_id}"): ref(
        _API_READ, _API_OUTSIDE, anonymous=UNAUTHORISED
    ),
    ("GET", "/api/v1/reports/documents/{report_id}/download"): ref(
        _API_READ, _API_OUTSIDE, anonymous=UNAUTHORISED
    ),
    ("POST", "/api/v1/reports/documents/{report_id}/reproduce"): ref(
        _API_READ, _API_OUTSIDE, method="POST", anonymous=UNAUTHORISED
    ),
    ("GET", "/api/v1/reports/templates/{kind}"): ref(
        _API + "test_a_template_read_and_changed",
        _API + "test_another_jurisdictions_template_reads_as_missing",
        _API_ANON,
        anonymous=UNAUTHORISED,
    ),
    ("PUT", "/api/v1/reports/templates/{kind}"): ref(
        _API + "test_a_template_read_and_changed",
        _API + "test_another_jurisdictions_template_reads_as_missing",
        method="PUT",
        anonymous=UNAUTHORISED,
    ),
}
