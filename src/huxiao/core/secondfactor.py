"""The second factor (等保2.0 level 3, 身份鉴别: two kinds of authentication for privileged
users): a TOTP authenticator app (django-otp), with one-time recovery codes.

A role marks whether its holders need it (``Role.requires_second_factor``; every police role by
default). Such a user signs in with the password, then either enrols an authenticator (a QR
code, confirmed by its first code, ten recovery codes shown once) or enters its current code.
Until then every page sends them to that step and the session does not authenticate the API.
API tokens keep working for integrations, but one is created only from a session that passed
the second factor. A security administrator resets a lost authenticator (audited).

``settings.SECOND_FACTOR`` turns it off for tests that are not about it; production always
has it on.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind

ISSUER = "护校安园"
RECOVERY_CODES = 10


def required(user) -> bool:
    if not settings.SECOND_FACTOR or not getattr(user, "is_authenticated", False):
        return False
    role = getattr(user, "role", None)
    return bool(role and role.requires_second_factor)


def satisfied(user) -> bool:
    """Signed in with whatever the user's role asks for."""
    return not required(user) or bool(getattr(user, "is_verified", lambda: False)())


def satisfied_in_session(user, session) -> bool:
    """``satisfied`` where django-otp's middleware does not run (a WebSocket's scope): the
    device the session was verified with, read as ``OTPMiddleware`` reads it — it must exist
    and be the user's. A password alone opens no live socket for a role that asks for more."""
    if not required(user):
        return True
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one per user, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)
    return device


@transaction.atomic
def confirm(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an enrolment with its first code: the session passes the second factor and the
    user gets fresh recovery codes (returned once). None when the code is wrong."""
    if not device.verify_token((token or "").strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(device.user)
    otp_login(request, device)
    audit.append(
        kind=AuditKind.LOGIN, action=AuditAction.UPDATE, obj=device.user, actor=device.user,
        after={"second_factor": "enrolled"},
    )  # fmt: skip
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("恢复码"), confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(request, token: str) -> bool:
    """Check the current code (or a recovery code, used up) and mark the session verified."""
    device = match_token(request.user, (token or "").strip().replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def reset(*, user, actor) -> int:
    """A security administrator removes a user's authenticator and recovery codes (a lost
    phone): the user enrols again at the next sign-in. Audited."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit.append(
        kind=AuditKind.CHANGE, action=AuditAction.UPDATE, obj=user, actor=actor,
        after={"second_factor": "reset"},
    )  # fmt: skip
    return removed


def current_code(user) -> str:
    """The code an enrolled authenticator shows now (the demo's ``huxiao otp code``)."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise LookupError(_("该账号尚未绑定身份验证器"))
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"
