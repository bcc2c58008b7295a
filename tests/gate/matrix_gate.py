"""The gate module's rows of the permission matrix, executed by tests/permission_matrix/
test_tables.py over ``gate_world`` (tests/gate/conftest.py): side "a" is school_a's record (a
ban: station 01's), side "b" school_b's (station 02's). A record outside a user's jurisdiction
answers exactly as a missing id.

Who: the gate guard and the security chief of school_a register and act at their gate (the chief
also keeps passes and pick-up lists and reviews held visits); the police of the station read
their schools' gate records, review held visits, receive seizures and keep bans; the education
officer reads and keeps bans; the commander and the administrator read; the auditor (audit
logs only) and the volunteer get nothing; the security company's "officer" holds the police permissions but no
jurisdiction: empty lists, 404 for every record.
"""

from tests.permission_matrix.matrix import UNAUTHORISED, Table

W = "gate_world"
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
NONE_SEEN = (404, 404, 404)
DENIED = (403, 403, 403)


def rows(default, **by_user):
    return {user: by_user.get(user, default) for user in USERS}


# Lists: every role that reads the gate (not the volunteer).
READ_LIST = rows(200, volunteer=403, auditor=403)
# A school's record read: the school's staff, its station and bureau, the city's readers.
READ_ONE = rows(
    (200, 200, 404),
    officer_a=(200, 404, 404),
    officer_b=(404, 200, 404),
    edu_officer=(200, 404, 404),
    chief=(200, 404, 404),
    guard=(200, 404, 404),
    volunteer=DENIED,
    auditor=DENIED,
    outsider=NONE_SEEN,
)
GATE_STAFF = rows(403, chief=200, guard=200)
GATE_STAFF_ACT = rows(DENIED, chief=(302, 404, 404), guard=(302, 404, 404))
CHIEF_ONLY = rows(403, chief=200)
CHIEF_ACT = rows(DENIED, chief=(302, 404, 404))
BAN_KEEPERS = rows(403, officer_a=200, officer_b=200, edu_officer=200, outsider=200)
# A ban kept by station 01 (a) or 02 (b): its station, the city's readers, and school_a's staff
# for station 01's (a ban kept above a school is enforced at its gate).
BAN_ONE = rows(
    (200, 200, 404),
    officer_a=(200, 404, 404),
    officer_b=(404, 200, 404),
    edu_officer=NONE_SEEN,
    chief=(200, 404, 404),
    guard=(200, 404, 404),
    volunteer=DENIED,
    auditor=DENIED,
    outsider=NONE_SEEN,
)
BAN_REVOKE = rows(
    DENIED,
    officer_a=(302, 404, 404),
    officer_b=(404, 302, 404),
    edu_officer=NONE_SEEN,
    outsider=NONE_SEEN,
)
RECEIVE = rows(DENIED, officer_a=(302, 404, 404), officer_b=(404, 302, 404), outsider=NONE_SEEN)
REVIEW = rows(
    DENIED,
    officer_a=(302, 404, 404),
    officer_b=(404, 302, 404),
    chief=(302, 404, 404),
    outsider=NONE_SEEN,
)
# The guard's own check-out: the school's staff (the police read but do not check visitors out).
CHECK_OUT = rows(
    DENIED,
    chief=(302, 404, 404),
    guard=(302, 404, 404),
    officer_a=(403, 404, 404),
    officer_b=(404, 403, 404),
    commander=(403, 403, 404),
    admin=(403, 403, 404),
    edu_officer=(403, 404, 404),
    outsider=NONE_SEEN,
)

_P = "tests/gate/test_permissions.py::"
_SCOPE = _P + "test_a_guard_sees_and_acts_at_the_own_school_only"
_NOTE = _P + "test_the_school_sees_the_ban_it_enforces_without_the_police_note"
_PICKUP_LOG = _P + "test_every_read_of_pick_up_lists_is_logged"

PAGES = {
    "gate:guard": Table(rows=GATE_STAFF, tests=(_SCOPE,)),
    "gate:visits_out_all": Table(rows=rows(403, chief=302, guard=302), world=W, method="POST"),
    "gate:visit_list": Table(rows=READ_LIST, tests=(_SCOPE,)),
    "gate:visit_export": Table(rows=READ_LIST),
    "gate:visit_detail": Table(rows=READ_ONE, world=W, args=("visit",)),
    "gate:visit_step": Table(
        rows=CHECK_OUT, world=W, args=("new_visit", "=check_out"), method="POST"
    ),
    "gate:ban_list": Table(rows=READ_LIST, tests=(_NOTE,)),
    "gate:ban_export": Table(rows=READ_LIST),
    "gate:ban_new": Table(rows=BAN_KEEPERS),
    "gate:ban_detail": Table(rows=BAN_ONE, world=W, args=("ban",), tests=(_NOTE,)),
    "gate:ban_revoke": Table(
        rows=BAN_REVOKE,
        world=W,
        args=("new_ban",),
        method="POST",
        body=lambda world, side: {"reason": "裁定撤销"},
    ),
    "gate:pass_list": Table(rows=READ_LIST),
    "gate:pass_export": Table(rows=READ_LIST),
    "gate:pass_new": Table(rows=CHIEF_ONLY),
    "gate:pass_revoke": Table(
        rows=CHIEF_ACT,
        world=W,
        args=("new_pass",),
        method="POST",
        body=lambda world, side: {"reason": "离职"},
    ),
    "gate:vehicle_list": Table(rows=READ_LIST),
    "gate:vehicle_export": Table(rows=READ_LIST),
    "gate:vehicle_new": Table(rows=GATE_STAFF),
    "gate:vehicle_out": Table(rows=GATE_STAFF_ACT, world=W, args=("new_vehicle",), method="POST"),
    "gate:pickup_list": Table(rows=CHIEF_ONLY, tests=(_PICKUP_LOG,)),
    "gate:pickup_export": Table(rows=CHIEF_ONLY),
    "gate:pickup_new": Table(rows=CHIEF_ONLY),
    "gate:pickup_revoke": Table(rows=CHIEF_ACT, world=W, args=("new_pickup",), method="POST"),
    "gate:pickup_check": Table(rows=GATE_STAFF, tests=(_PICKUP_LOG,)),
    "gate:seizure_list": Table(rows=READ_LIST),
    "gate:seizure_export": Table(rows=READ_LIST),
    "gate:seizure_new": Table(rows=GATE_STAFF),
    "gate:seizure_detail": Table(rows=READ_ONE, world=W, args=("seizure",)),
    "gate:seizure_receive": Table(rows=RECEIVE, world=W, args=("new_seizure",), method="POST"),
}

V1 = "/api/v1"
_VISITOR = {"name": "测试访客", "id_number": "11010519491231002X", "purpose": "parent"}
API = {
    ("POST", V1 + "/gate/visits"): Table(
        rows=rows(403, chief=201, guard=201),
        world=W,
        method="POST",
        body=lambda world, side: dict(_VISITOR),
        anonymous=UNAUTHORISED,
        tests=(_P + "test_the_api_registers_once_per_key_and_answers_the_match",),
    ),
    ("GET", V1 + "/gate/visits"): Table(rows=READ_LIST, anonymous=UNAUTHORISED),
    ("GET", V1 + "/gate/visits/{visit_id}"): Table(
        rows=READ_ONE, world=W, args=("visit",), anonymous=UNAUTHORISED
    ),
    ("POST", V1 + "/gate/visits/{visit_id}/transitions"): Table(
        rows={user: tuple(200 if s == 302 else s for s in row) for user, row in CHECK_OUT.items()},
        world=W,
        args=("new_visit",),
        method="POST",
        body=lambda world, side: {"action": "check_out"},
        anonymous=UNAUTHORISED,
    ),
    ("GET", V1 + "/gate/seizures"): Table(rows=READ_LIST, anonymous=UNAUTHORISED),
    ("GET", V1 + "/gate/bans"): Table(rows=READ_LIST, anonymous=UNAUTHORISED, tests=(_NOTE,)),
}
