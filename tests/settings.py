"""The test settings: the project's, plus a module that exists only here (tests/probe_module),
which proves that a module registers itself from its own folder (docs/architecture.md)."""

from huxiao.settings import *  # noqa: F403
from huxiao.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.probe_module"]
