"""The reports tests read the demo city (one per module, rolled back: tests/demo/conftest.py)
and the permissions harness (tests/conftest.py)."""

import pytest

from huxiao.reports.models import GeneratedReport
from tests.demo.conftest import Demo, _seeded_city, demo  # noqa: F401


@pytest.fixture
def without_demo_reports(demo):  # noqa: F811 (the fixture, imported above)
    """The demo city with none of the documents its "reports" step wrote (rolled back after
    the test), for tests that count the documents they ask for."""
    GeneratedReport.objects.all().delete()
    return demo
