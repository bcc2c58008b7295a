"""A wrong data key stops the platform at start with a clear message (issue 23), instead of
every page with a phone or an ID number answering 500."""

import base64
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from huxiao.core import keycheck
from huxiao.core.keycheck import UnreadableData, require_readable_data, unreadable_sample

OTHER_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def checked(settings, people):
    settings.DATA_KEY_STARTUP_CHECK = True
    people.officer_a.phone = "13900000001"  # stored encrypted under the configured key
    people.officer_a.save(update_fields=["phone", "phone_index"])


def test_the_right_key_reads_the_newest_values(people, checked):
    assert unreadable_sample() is None
    require_readable_data()


def test_another_key_is_refused_with_what_to_check(people, checked):
    with override_settings(DATA_KEY=OTHER_KEY, DATA_KEYS_OLD=[]):
        found = unreadable_sample()
        assert found is not None and found[1] == "phone"
        with pytest.raises(UnreadableData) as refused:
            require_readable_data()
    message = str(refused.value)
    assert "数据密钥无法解密已存储的数据" in message and "huxiao keys status" in message
    assert "系统未启动" in message


def test_the_old_key_kept_among_the_old_ones_still_reads(people, checked, settings):
    with override_settings(DATA_KEY=OTHER_KEY, DATA_KEYS_OLD=[settings.DATA_KEY]):
        assert unreadable_sample() is None


def test_a_database_without_encrypted_values_starts(db, settings):
    settings.DATA_KEY_STARTUP_CHECK = True
    with override_settings(DATA_KEY=OTHER_KEY, DATA_KEYS_OLD=[]):
        assert unreadable_sample() is None


def test_a_worker_process_with_the_wrong_key_does_not_start(tmp_path):
    """The real entry point, in a process of its own: migrate, store a phone under one key,
    then import ``huxiao.wsgi`` as gunicorn does, with another key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HUXIAO_", "DATABASE_URL", "REDIS_URL", "DJANGO_"))
    }
    env |= {"HUXIAO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "huxiao.settings"}

    def run(code: str, **extra):
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    made = run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "from huxiao.core.models import User; "
        "User.objects.create(username='k', phone='13900000000')"
    )
    assert made.returncode == 0, made.stderr[-1500:]
    assert run("import huxiao.wsgi").returncode == 0
    refused = run("import huxiao.wsgi", HUXIAO_DATA_KEY=OTHER_KEY)
    assert refused.returncode != 0
    assert "数据密钥无法解密已存储的数据（core.User.phone" in refused.stderr


def test_the_module_names_no_key_material():
    assert "DATA_KEY" not in keycheck.MESSAGE.replace("HUXIAO_DATA_KEY", "")
