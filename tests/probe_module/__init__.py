"""A module that exists only in the test settings (tests/settings.py): the registry's proof.

Everything it brings — a menu entry, a permission for the 民警 role, a page, an API operation,
a figure and its permission-matrix declarations — is declared in this folder and nowhere else.
tests/core/test_module_registry.py checks that each appears where the platform shows it.
"""
