"""字典管理's rows of the permission matrix. Dictionaries are platform-wide (no jurisdiction):
the system administrator reads and writes, the auditor and the others get 403; the entry
routes (an id in the URL) are covered by tests/system/test_dictionaries.py."""

from tests.permission_matrix.matrix import Table, ref

_HAZARDS = "=inspections.hazard_category"
_LITERAL = "personal_world"  # any world: the dictionary's code is a literal ("=…")
_REFUSED = {
    "commander": 403,
    "officer_a": 403,
    "edu_officer": 403,
    "chief": 403,
    "auditor": 403,
    "outsider": 403,
}
_READ = {"admin": 200, **_REFUSED}
_TEST = "tests/system/test_dictionaries.py::"

PAGES = {
    "system:dictionary_list": Table(rows=_READ),
    "system:dictionary_list_export": Table(rows=_READ),
    "system:dictionary_detail": Table(rows=_READ, world=_LITERAL, args=(_HAZARDS,)),
    "system:dictionary_export": Table(rows=_READ, world=_LITERAL, args=(_HAZARDS,)),
    "system:dictionary_item_create": Table(rows=_READ, world=_LITERAL, args=(_HAZARDS,)),
    "system:dictionary_item_edit": ref(
        _TEST + "test_an_edit_relabels_reorders_and_disables_but_never_changes_a_code",
        _TEST + "test_only_the_system_administrator_writes",
        _TEST + "test_an_unknown_dictionary_or_an_entry_of_another_is_not_found",
    ),
    "system:dictionary_item_delete": ref(
        _TEST + "test_a_builtin_entry_cannot_be_deleted",
        _TEST + "test_only_the_system_administrator_writes",
        _TEST + "test_an_unknown_dictionary_or_an_entry_of_another_is_not_found",
        method="POST",
    ),
}
