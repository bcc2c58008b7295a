"""This module's own rows of the permission matrix, for the routes declared nowhere else
(``tests/permission_matrix`` gathers them, see ``matrix.gathered``). Imported by the test
suite only."""

from tests.permission_matrix.matrix import ref

_CHECKIN_LIST = (
    "tests/patrols/test_pages_checkin_list.py::test_it_answers_each_role_on_the_list_and_its_export",
    "tests/patrols/test_pages_checkin_list.py::test_it_lists_and_exports_only_check_ins_in_scope",
)

PAGES = {
    "patrols:post_checkin_list": ref(*_CHECKIN_LIST),
    "patrols:post_checkin_export": ref(*_CHECKIN_LIST),
}
