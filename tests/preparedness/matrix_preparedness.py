"""The preparedness module's rows of the permission matrix (gathered by tests/permission_matrix/
pages.py and api.py from ``tests/<label>/matrix_*.py``).

Lists, exports and create forms are tables executed by tests/permission_matrix/test_tables.py
for every harness user. Routes on one record are covered by this module's own tests, which send
users of different jurisdictions at school_a's and school_b's records and a missing id (out of
scope answers 404 exactly as missing): they are declared by reference.

Who: the school's security chief keeps plans and records drills; the education officer plans
drills (in bulk for the bureau's schools) and reads; the police, the commander and the
administrator read; the gate guard, the volunteer and the auditor get nothing; the security
company's "officer" holds the police's read permission but no jurisdiction (empty lists).
"""

from tests.permission_matrix.matrix import UNAUTHORISED, Table, ref

USERS = (
    "admin",
    "commander",
    "auditor",
    "officer_a",
    "officer_b",
    "edu_officer",
    "chief",
    "guard",
    "volunteer",
    "outsider",
)


def rows(default, **by_user):
    return {user: by_user.get(user, default) for user in USERS}


READ_LIST = rows(200, guard=403, volunteer=403, auditor=403)
CHIEF_ONLY = rows(403, chief=200)
PLANNERS = rows(403, chief=200, edu_officer=200)
BUREAU_ONLY = rows(403, edu_officer=200)

_P = "tests/preparedness/test_pages.py::"
_A = "tests/preparedness/test_api.py::"
_SCOPE = _P + "test_a_record_out_of_scope_answers_as_a_missing_one"
_READ_ONLY = _P + "test_the_police_read_but_do_not_write"
_WRITES = _P + "test_writes_on_records_out_of_scope_answer_as_missing"

PAGES = {
    "preparedness:plan_list": Table(rows=READ_LIST),
    "preparedness:plan_export": Table(rows=READ_LIST),
    "preparedness:plan_new": Table(rows=CHIEF_ONLY),
    "preparedness:plan_detail": ref(_SCOPE),
    "preparedness:plan_review": ref(
        _P + "test_the_school_records_a_plan_with_its_document", _WRITES, method="POST"
    ),
    "preparedness:drill_list": Table(rows=READ_LIST),
    "preparedness:drill_export": Table(rows=READ_LIST),
    "preparedness:drill_new": Table(rows=PLANNERS),
    "preparedness:drill_record": Table(rows=CHIEF_ONLY),
    "preparedness:drill_bulk": Table(rows=BUREAU_ONLY),
    "preparedness:drill_detail": ref(_SCOPE, _READ_ONLY),
    "preparedness:drill_hold": ref(
        _P + "test_the_school_holds_and_cancels_its_drills", _WRITES, method="POST"
    ),
    "preparedness:drill_cancel": ref(
        _P + "test_the_school_holds_and_cancels_its_drills", _READ_ONLY, _WRITES, method="POST"
    ),
    "preparedness:compliance": Table(rows=READ_LIST),
    "preparedness:compliance_export": Table(rows=READ_LIST),
}

V1 = "/api/v1/preparedness"
_API_SCOPE = _A + "test_lists_and_records_are_scoped"


def _aref(*tests, method="GET"):
    return ref(*tests, method=method, anonymous=UNAUTHORISED)


API = {
    ("GET", V1 + "/plans"): Table(rows=READ_LIST, anonymous=UNAUTHORISED),
    ("POST", V1 + "/plans"): _aref(_A + "test_the_school_creates_plans_and_drills", method="POST"),
    ("GET", V1 + "/plans/{plan_id}"): _aref(_API_SCOPE),
    ("GET", V1 + "/drills"): Table(rows=READ_LIST, anonymous=UNAUTHORISED),
    ("POST", V1 + "/drills"): _aref(_A + "test_the_school_creates_plans_and_drills", method="POST"),
    ("GET", V1 + "/drills/{drill_id}"): _aref(_API_SCOPE),
    ("POST", V1 + "/drills/{drill_id}/hold"): _aref(_A + "test_hold_and_cancel", method="POST"),
    ("POST", V1 + "/drills/{drill_id}/cancel"): _aref(_A + "test_hold_and_cancel", method="POST"),
    ("POST", V1 + "/drill-plans"): _aref(_A + "test_the_bulk_plan", method="POST"),
}
