"""The permission matrix: every route of the project has a declared answer, or the suite fails.

How it fits together (docs/security.md, "The permission matrix", says how to declare a route):

- ``walk.py`` lists every URL pattern (Django's resolver, recursively) and every OpenAPI
  operation, and compares them with the declarations; ``test_walk.py`` fails naming the
  undeclared routes, the stale declarations and the referenced tests that no longer exist.
- ``pages.py`` and ``api.py`` hold one declaration per route: a reference to the module tests
  that already try it for users of different jurisdictions, a table executed here, or the
  admin site's group rule (``matrix.py`` describes the three).
- ``test_anonymous.py`` calls every declared route without signing in; ``test_tables.py`` runs
  the tables against the harness (tests/conftest.py) and the objects that ``conftest.py``
  builds with the modules' own fixtures; ``test_admin_site.py`` runs the admin rule.

Why references rather than one table per route: most modules already have a permission suite
that builds its records once and walks all its endpoints for every kind of user
(tests/patrols/test_api_permissions.py, tests/persons/test_pages_access.py, ...). Repeating
them here would double the run time and split each module's rules over two places; instead the
walk makes sure the reference stays true (the test exists, its module still mentions the route)
and the tables here fill the gaps those suites left.
"""
