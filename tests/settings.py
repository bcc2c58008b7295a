"""The test settings: the project's, plus a module that exists only here (tests/probe_module),
which proves that a module registers itself from its own folder (docs/architecture.md)."""

from huxiao.settings import *  # noqa: F403
from huxiao.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.probe_module"]

# The second factor is tested where it is the subject (tests/core/test_second_factor.py,
# which turns it on); elsewhere a police test user signs in with force_login alone.
SECOND_FACTOR = False

# The chain's outside checkpoints: one file per test process that no test writes by default
# (a test that writes checkpoints points AUDIT_CHECKPOINT_FILE at its own tmp_path).
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

AUDIT_CHECKPOINT_FILE = Path(tempfile.gettempdir()) / f"huxiao-test-audit-{os.getpid()}.jsonl"

# The entry points check the data key against the stored data when imported (core/keycheck.py);
# the tests import them with the database not yet set up. tests/core/test_keycheck.py runs it.
DATA_KEY_STARTUP_CHECK = False
