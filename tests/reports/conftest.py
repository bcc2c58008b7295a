"""The reports tests read the demo city (one per module, rolled back: tests/demo/conftest.py)
and the permissions harness (tests/conftest.py)."""

from tests.demo.conftest import Demo, _seeded_city, demo  # noqa: F401
