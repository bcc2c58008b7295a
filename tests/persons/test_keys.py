"""Key rotation and the cipher choice: values stay readable, look-ups keep matching, and the
old key can be removed once ``huxiao keys rotate`` has run."""

import base64
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from huxiao.core import crypto
from huxiao.persons.models import KeyPerson
from huxiao.persons.watchlist import watchlist_lookup
from tests.persons.conftest import ADDRESS_A, ID_A, PHONE_A


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def raw(person, column="id_number") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM persons_keyperson WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


def run(*args) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def test_it_rotates_from_key_a_to_key_b_and_drops_a(person_a, person_b, settings):
    key_a, key_b = new_key(), new_key()
    with override_settings(DATA_KEY=key_a, DATA_KEYS_OLD=[settings.DATA_KEY]):
        # Everything under key A first (the fixtures wrote under the test run's key).
        run("rotate")
        kid_a = raw(person_a).split(":")[1]
    with override_settings(DATA_KEY=key_b, DATA_KEYS_OLD=[key_a]):
        # During the rotation: old values still read, the ID look-up still matches.
        assert KeyPerson.objects.get(pk=person_a.pk).phone == PHONE_A
        assert watchlist_lookup(id_number=ID_A)[0].pk == person_a.pk
        assert "旧密钥" in run("status")
        assert "重新加密 2 条" in run("rotate", "--batch", "1")
        assert "待重新加密 0 个值" in run("status")
        assert raw(person_a).split(":")[1] != kid_a
        assert "重新加密 0 条" in run("rotate")  # resumable: nothing left to do
    with override_settings(DATA_KEY=key_b, DATA_KEYS_OLD=[]):
        again = KeyPerson.objects.get(pk=person_a.pk)
        assert (again.id_number, again.phone, again.address) == (ID_A, PHONE_A, ADDRESS_A)
        assert watchlist_lookup(id_number=ID_A)[0].pk == person_a.pk
        assert KeyPerson.objects.get(pk=person_b.pk).id_number.startswith("510403")


def test_status_refuses_when_a_value_has_no_key(person_a):
    from django.core.management.base import CommandError

    with override_settings(DATA_KEY=new_key(), DATA_KEYS_OLD=[]), pytest.raises(CommandError):
        run("status")


def test_sm4_gcm_round_trips_and_older_aes_values_stay_readable(person_a, settings):
    aes_value = crypto.encrypt("13800001234")
    settings.DATA_CIPHER = "sm4-gcm"
    token = crypto.encrypt("510402198503141230")
    assert token.startswith("s1:") and crypto.decrypt(token) == "510402198503141230"
    assert crypto.decrypt(aes_value) == "13800001234"
    assert not crypto.is_current(raw(person_a))
    run("rotate")
    assert raw(person_a).startswith("s1:") and crypto.is_current(raw(person_a))
    assert KeyPerson.objects.get(pk=person_a.pk).id_number == ID_A


def test_a_tampered_sm4_value_is_refused(settings):
    settings.DATA_CIPHER = "sm4-gcm"
    prefix, kid, payload = crypto.encrypt("13800001234").split(":")
    data = bytearray(base64.b64decode(payload))
    data[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{kid}:{base64.b64encode(bytes(data)).decode()}")


def test_new_prints_a_usable_key():
    key = run("new").strip()
    assert len(base64.urlsafe_b64decode(key)) == 32
