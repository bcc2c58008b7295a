"""Field encryption (AES-256-GCM, or SM4-GCM) and blind indexes for exact lookup.

Ciphertexts carry the cipher and the id of the key that made them
(``v1:<kid>:<base64>`` for AES-256-GCM, ``s1:<kid>:<base64>`` for SM4-GCM), so the
key in ``HUXIAO_DATA_KEY`` can be rotated and the cipher chosen by ``HUXIAO_CIPHER``
changed: old keys listed in ``HUXIAO_DATA_KEYS_OLD`` still decrypt, whatever the
cipher, and ``huxiao keys rotate`` rewrites rows under the current key and cipher.
Blind indexes use an HMAC key derived from the data key with HKDF, so they are not
reversible and do not reveal the plaintext; during a rotation a look-up asks for the
index under the current key and under each old key (``blind_index_candidates``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"  # AES-256-GCM
SM4_PREFIX = "s1"  # SM4-GCM (GB/T 32907), 128-bit key derived from the data key
_PREFIXES = {"aes-256-gcm": PREFIX, "sm4-gcm": SM4_PREFIX}
_NONCE = 12
_TAG = 16


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


def cipher_prefix() -> str:
    """The ciphertext prefix of the configured cipher (``HUXIAO_CIPHER``)."""
    return _PREFIXES[getattr(settings, "DATA_CIPHER", "aes-256-gcm")]


def current_tag() -> str:
    """How every value written now begins: ``<cipher prefix>:<current key id>:``."""
    kid, _ = keyring()
    return f"{cipher_prefix()}:{kid}:"


@lru_cache(maxsize=8)
def _sm4_key(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"huxiao-sm4-gcm").derive(key)


def _sm4_seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < _TAG:
        raise ValueError("truncated")
    decryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, sealed[-_TAG:])).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(sealed[:-_TAG]) + decryptor.finalize()


def encrypt(plaintext: str) -> str:
    kid, keys = keyring()
    prefix = cipher_prefix()
    nonce = os.urandom(_NONCE)
    data, aad = plaintext.encode("utf-8"), kid.encode("ascii")
    if prefix == SM4_PREFIX:
        sealed = _sm4_seal(keys[kid], nonce, data, aad)
    else:
        sealed = _cipher(keys[kid]).encrypt(nonce, data, aad)
    return f"{prefix}:{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    try:
        prefix, kid, payload = token.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix not in (PREFIX, SM4_PREFIX):
        raise DecryptionError("unknown ciphertext version")
    _, keys = keyring()
    key = keys.get(kid)
    if key is None:
        raise DecryptionError(f"no configured key has id {kid}")
    try:
        raw = base64.b64decode(payload)
        aad = kid.encode("ascii")
        if prefix == SM4_PREFIX:
            return _sm4_open(key, raw[:_NONCE], raw[_NONCE:], aad).decode("utf-8")
        return _cipher(key).decrypt(raw[:_NONCE], raw[_NONCE:], aad).decode("utf-8")
    except Exception as exc:  # InvalidTag: tampered or wrong key
        raise DecryptionError("ciphertext failed authentication") from exc


def is_current(token: str) -> bool:
    """Written under the current key with the configured cipher (nothing left to rotate)."""
    return token.startswith(current_tag())


@lru_cache(maxsize=4)
def _index_key(current: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"huxiao-blind-index").derive(
        _decode_key(current)
    )


def blind_index(value: str, *, normalise=str.upper, data_key: str | None = None) -> str:
    """Keyed hash for exact-match lookup of an encrypted value (e.g. an ID number)."""
    key = _index_key(data_key or settings.DATA_KEY)
    return hmac.new(key, normalise(value.strip()).encode("utf-8"), hashlib.sha256).hexdigest()


def blind_index_candidates(value: str, *, normalise=str.upper) -> list[str]:
    """The index of ``value`` under the current key, then under each old key.

    Rows store the index under the key current when they were last saved, so while a
    rotation is under way a row may still carry an old key's index; looking up with
    ``field__in=blind_index_candidates(v)`` finds it in the same single query. Once every
    row is rewritten and the old keys are removed, this is just ``[blind_index(v)]``.
    """
    keys = [settings.DATA_KEY, *settings.DATA_KEYS_OLD]
    return list(dict.fromkeys(blind_index(value, normalise=normalise, data_key=k) for k in keys))


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
    """At most the first 6 characters, and never a number: a short address keeps its road,
    not its house number (``演示路023号`` → ``演示路****``)."""
    if not value:
        return ""
    shown = value[:6]
    for i, ch in enumerate(shown):
        if ch.isdigit():
            shown = shown[:i]
            break
    return shown + "*" * (len(value) - len(shown))


def mask_middle_default(value: str) -> str:
    return mask_middle(value, 1, 1)
