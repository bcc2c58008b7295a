"""Field encryption: AES-GCM at rest, masking, blind index, key rotation."""

import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from huxiao.core import crypto
from huxiao.core.models import User


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def raw_phone(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_it_round_trips_and_never_repeats_a_ciphertext():
    a, b = crypto.encrypt("530111199001011234"), crypto.encrypt("530111199001011234")
    assert a != b and crypto.decrypt(a) == crypto.decrypt(b) == "530111199001011234"


def test_it_refuses_a_tampered_ciphertext():
    token = crypto.encrypt("13708463901")
    prefix, kid, payload = token.split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}")


@pytest.mark.parametrize(
    ("value", "mask", "expected"),
    [
        ("530111199001011234", crypto.mask_id_number, "530111********1234"),
        ("13708463901", crypto.mask_phone, "137****3901"),
        ("云南省昆明市官渡区民航路1号", crypto.mask_address, "云南省昆明市********"),
        ("", crypto.mask_phone, ""),
    ],
)
def test_it_masks_as_shown_on_screen(value, mask, expected):
    assert mask(value) == expected


def test_the_blind_index_finds_by_exact_value(people):
    people.officer_a.phone = "13708463901"
    people.officer_a.save()
    assert User.objects.get(phone_index=crypto.blind_index("13708463901")) == people.officer_a
    assert not User.objects.filter(phone_index=crypto.blind_index("13708463902")).exists()


def test_rotation_keeps_old_rows_readable_and_reencrypt_moves_them_to_the_new_key(people, settings):
    people.officer_a.phone = "13708463901"
    people.officer_a.save()
    old_key = settings.DATA_KEY
    old_kid = raw_phone(people.officer_a).split(":")[1]
    with override_settings(DATA_KEY=new_key(), DATA_KEYS_OLD=[old_key]):
        assert User.objects.get(pk=people.officer_a.pk).phone == "13708463901"
        call_command("reencrypt")
        stored = raw_phone(people.officer_a)
        assert stored.split(":")[1] != old_kid and crypto.is_current(stored)
        assert User.objects.get(phone_index=crypto.blind_index("13708463901")) == people.officer_a
    with (
        override_settings(DATA_KEY=new_key(), DATA_KEYS_OLD=[]),
        pytest.raises(crypto.DecryptionError),
    ):
        User.objects.get(pk=people.officer_a.pk)
