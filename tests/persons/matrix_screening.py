"""Rolling screening's rows of the permission matrix: a batch's page, its entries form and the
API of a batch and its persons. Police only (every other role 404, as a missing id); another
station's officer 404 on the batch; the commander reads but does not register (403). Tested
in tests/persons/test_screening_entries.py with officers of two stations."""

from tests.permission_matrix.matrix import UNAUTHORISED, ref

_T = "tests/persons/test_screening_entries.py::"
_SCOPE = (
    _T + "test_users_of_two_stations_see_only_their_own",
    _T + "test_non_police_get_404_on_batches",
)

PAGES = {
    "persons:screening_detail": ref(*_SCOPE, _T + "test_a_batch_counts_the_persons_it_lists"),
    "persons:screening_entries": ref(
        *_SCOPE,
        _T + "test_a_batch_counts_the_persons_it_lists",
        _T + "test_the_commander_reads_but_does_not_register",
        method="POST",
    ),
}

API = {
    ("GET", "/api/v1/screening-batches/{batch_id}"): ref(*_SCOPE, anonymous=UNAUTHORISED),
    ("GET", "/api/v1/screening-batches/{batch_id}/entries"): ref(
        *_SCOPE, _T + "test_entries_through_the_api", anonymous=UNAUTHORISED
    ),
    ("POST", "/api/v1/screening-batches/{batch_id}/entries"): ref(
        *_SCOPE, _T + "test_entries_through_the_api", method="POST", anonymous=UNAUTHORISED
    ),
}
