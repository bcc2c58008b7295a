"""Field encryption (AES-256-GCM) and blind indexes for exact lookup.

Ciphertexts carry the id of the key that made them (``v1:<kid>:<base64>``), so the
key in ``HUXIAO_DATA_KEY`` can be rotated: old keys listed in
``HUXIAO_DATA_KEYS_OLD`` still decrypt, ``huxiao manage reencrypt`` rewrites rows
under the current key. Blind indexes use an HMAC key derived from the current
data key with HKDF, so they are not reversible and do not reveal the plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"


class DecryptionError(ValueError):
    """A ciphertext could not be decrypted with any configured key."""


def _decode_key(raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.strip() + "=" * (-len(raw.strip()) % 4))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("HUXIAO_DATA_KEY must be 32 bytes in URL-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("HUXIAO_DATA_KEY must be 32 bytes in URL-safe base64")
    return key


def _kid(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@lru_cache(maxsize=4)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[str, dict[str, bytes]]:
    keys = {}
    current_key = _decode_key(current)
    keys[_kid(current_key)] = current_key
    for raw in old:
        key = _decode_key(raw)
        keys.setdefault(_kid(key), key)
    return _kid(current_key), keys


def keyring() -> tuple[str, dict[str, bytes]]:
    return _keyring(settings.DATA_KEY, tuple(settings.DATA_KEYS_OLD))


@lru_cache(maxsize=8)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(plaintext: str) -> str:
    kid, keys = keyring()
    nonce = os.urandom(12)
    sealed = _cipher(keys[kid]).encrypt(nonce, plaintext.encode("utf-8"), kid.encode("ascii"))
    return f"{PREFIX}:{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    try:
        prefix, kid, payload = token.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != PREFIX:
        raise DecryptionError("unknown ciphertext version")
    _, keys = keyring()
    key = keys.get(kid)
    if key is None:
        raise DecryptionError(f"no configured key has id {kid}")
    raw = base64.b64decode(payload)
    try:
        return _cipher(key).decrypt(raw[:12], raw[12:], kid.encode("ascii")).decode("utf-8")
    except Exception as exc:  # InvalidTag: tampered or wrong key
        raise DecryptionError("ciphertext failed authentication") from exc


def is_current(token: str) -> bool:
    kid, _ = keyring()
    return token.startswith(f"{PREFIX}:{kid}:")


@lru_cache(maxsize=4)
def _index_key(current: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"huxiao-blind-index").derive(
        _decode_key(current)
    )


def blind_index(value: str, *, normalise=str.upper) -> str:
    """Keyed hash for exact-match lookup of an encrypted value (e.g. an ID number)."""
    key = _index_key(settings.DATA_KEY)
    return hmac.new(key, normalise(value.strip()).encode("utf-8"), hashlib.sha256).hexdigest()


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return (
        value[:keep_start]
        + "*" * (len(value) - keep_start - keep_end)
        + value[len(value) - keep_end :]
    )


def mask_id_number(value: str) -> str:
    """GB 11643 ID: first 6 (region) and last 4 visible, as public agencies display it."""
    return mask_middle(value, 6, 4)


def mask_phone(value: str) -> str:
    return mask_middle(value, 3, 4)


def mask_address(value: str) -> str:
    return mask_middle(value, 6, 0)


def mask_middle_default(value: str) -> str:
    return mask_middle(value, 1, 1)
