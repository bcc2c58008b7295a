"""Writes of 用户管理: accounts made, edited, disabled, reset and unlocked by administrators.

Every service takes the acting administrator and re-checks what the page already offered:
the account and its organisation are in the actor's scope (``visible_to``), the role is one the
actor may assign (``system.rules``). Saves are audited by the model signals; the actions that
change no field worth a diff (a password reset, an unlock, ending sessions) append their own
record (core.audit), never with the password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import audit, parameters, secondfactor
from huxiao.core import services as core_services
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import Organization, Role, RoleGrant, User, UserSession
from huxiao.system import rules

# Letters and digits without look-alikes (0/O, 1/l/I), and symbols easy to read aloud.
_LETTERS = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_SYMBOLS = "#%+=@"
PASSWORD_LENGTH = 12


def one_time_password(user: User | None = None) -> str:
    """A random password that satisfies AUTH_PASSWORD_VALIDATORS (every class present)."""
    alphabet = _LETTERS + _LETTERS.upper() + _DIGITS + _SYMBOLS
    while True:
        chars = [
            secrets.choice(_LETTERS),
            secrets.choice(_LETTERS.upper()),
            secrets.choice(_DIGITS),
            secrets.choice(_SYMBOLS),
            *(secrets.choice(alphabet) for _i in range(PASSWORD_LENGTH - 4)),
        ]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:  # e.g. too similar to the username: draw again
            continue
        return password


# ---- scope and rules ------------------------------------------------------------------------


def _check_org(actor: User, organization: Organization | None) -> None:
    if organization is None:
        raise ValidationError({"organization": _("请选择所属单位。")})
    if not Organization.objects.visible_to(actor).filter(pk=organization.pk).exists():
        # The same words as for a missing one: the form reveals nothing outside the scope.
        raise ValidationError({"organization": _("所属单位不存在或不在您的管理范围内。")})


def _check_role(actor: User, role: Role | None) -> None:
    if role is not None and not rules.assignable_roles(actor).filter(pk=role.pk).exists():
        raise ValidationError({"role": _("您无权分配该角色。")})


def _check_manage(actor: User, user: User) -> None:
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise ValidationError(_("用户不存在或不在您的管理范围内。"))
    if not rules.may_manage(actor, user):
        raise PermissionDenied(_("该账号的角色不在您的管理权限之内。"))


# ---- create ---------------------------------------------------------------------------------


@dataclass
class Created:
    user: User
    password: str  # shown once, never stored
    grant: RoleGrant | None  # the pending grant of a police role


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    organization: Organization | None,
    role: Role | None = None,
    full_name: str = "",
    phone: str = "",
    police_number: str = "",
) -> Created:
    """Make an account with a one-time password (changed at the first sign-in).

    A role the actor may assign at once is set; a role that reads police-only data is
    requested instead: the account starts without a role and a pending grant waits for a
    security administrator (``rules.grants_directly``).
    """
    _check_org(actor, organization)
    _check_role(actor, role)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名已被使用。")})
    direct = role is not None and rules.grants_directly(role)
    password = one_time_password(User(username=username, full_name=full_name))
    user = core_services.user_create(
        username=username,
        password=password,
        organization=organization,
        role=role if direct else None,
        full_name=full_name,
        phone=phone,
        police_number=police_number,
        must_change_password=True,
    )
    grant = None
    if role is not None and not direct:
        grant = request_role(actor=actor, user=user, role=role, reason=_("新建账号时申请"))
    return Created(user=user, password=password, grant=grant)


def request_role(*, actor: User, user: User, role: Role, reason: str) -> RoleGrant:
    """File a pending grant of a police role for a security administrator to decide."""
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        previous_role=user.role,
        reason=reason,
        state=RoleGrant.State.PENDING,
        requested_by=actor,
    )
    title = _("角色授予待批准")
    body = _("%(actor)s 申请为 %(user)s 授予“%(role)s”（涉及公安数据），须安全管理员批准。") % {
        "actor": actor.display_name,
        "user": user.display_name,
        "role": role.name,
    }
    core_services.tell_auditors(title, body)
    core_services.notify(
        recipients=User.objects.filter(is_active=True, role__code="secadmin").exclude(pk=actor.pk),
        title=title,
        body=body,
        link=reverse("system:grant_decide", args=[grant.pk]),
    )
    return grant


# ---- edit -----------------------------------------------------------------------------------


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    phone: str,
    police_number: str,
    organization: Organization | None,
) -> User:
    """Name, phone, police number, and a move to another organisation of the actor's scope."""
    _check_manage(actor, user)
    _check_org(actor, organization)
    if user.pk == actor.pk and organization.pk != user.organization_id:
        raise ValidationError({"organization": _("不能修改自己的所属单位。")})
    user.full_name = full_name.strip()
    user.phone = phone
    user.police_number = police_number.strip()
    user.organization = organization
    user.full_clean()
    user.save(update_fields=["full_name", "phone", "phone_index", "police_number", "organization"])
    return user


# ---- disable / enable -----------------------------------------------------------------------


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """停用 / 启用. Disabling also ends every browser session of the account (API tokens are
    left as they are: an inactive user's token no longer authenticates)."""
    _check_manage(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用或启用自己的账号。"))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ended = end_sessions(user=user, actor=actor)
        if ended:
            audit.append(
                kind=AuditKind.SYSTEM, action=AuditAction.LOGOUT, obj=user, actor=actor,
                after={"sessions_ended": ended, "reason": "disabled"},
            )  # fmt: skip
    return user


def end_sessions(*, user: User, actor: User | None = None) -> int:
    """Delete the account's Django sessions (database sessions) and mark them ended in the
    online-users table; returns how many sessions went."""
    now = timezone.now()
    keys = set(
        UserSession.objects.filter(user=user, ended_at__isnull=True).values_list(
            "session_key", flat=True
        )
    )
    # Sessions that the online-users table did not record (made before it existed): read
    # each live session's user id. Only the live ones, and only on this rare action.
    for session in Session.objects.filter(expire_date__gt=now).iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.add(session.session_key)
    deleted = Session.objects.filter(session_key__in=keys).delete()[0]
    UserSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor
    )
    return deleted


# ---- password, lockout, second factor --------------------------------------------------------


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """Give the account a one-time password, returned once to be shown once; the user must
    change it at the next sign-in. Audited without the password."""
    _check_manage(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("请在“修改密码”页面修改自己的密码。"))
    password = one_time_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.append(
        kind=AuditKind.SYSTEM, action=AuditAction.UPDATE, obj=user, actor=actor,
        after={"password": "reset", "must_change_password": True},
    )  # fmt: skip
    return password


def lock_state(user: User) -> dict:
    """django-axes' view of the account: failures within the lockout period and whether they
    reach the limit (AXES_LOCKOUT_PARAMETERS = ["username"])."""
    from axes.models import AccessAttempt

    since = timezone.now() - parameters.lockout_cooloff()
    attempts = AccessAttempt.objects.filter(username=user.username, attempt_time__gte=since)
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    last = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    limit = parameters.lockout_failure_limit()
    return {
        "failures": failures,
        "limit": limit,
        "locked": failures >= limit,
        "last_attempt": last,
        "until": last + parameters.lockout_cooloff() if last and failures >= limit else None,
    }


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Clear django-axes' failed attempts for the username (axes' own reset helper)."""
    from axes.utils import reset

    _check_manage(actor, user)
    cleared = reset(username=user.username)
    audit.append(
        kind=AuditKind.SYSTEM, action=AuditAction.UPDATE, obj=user, actor=actor,
        after={"unlocked": True, "attempts_cleared": cleared},
    )  # fmt: skip
    return cleared


def user_reset_second_factor(*, actor: User, user: User) -> int:
    """Remove the authenticator and recovery codes (core.secondfactor.reset, which audits):
    only a security administrator (core.reset_second_factor), never for oneself."""
    if not actor.has_perm("core.reset_second_factor"):
        raise PermissionDenied(_("只有安全管理员可以重置双因素认证。"))
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise ValidationError(_("用户不存在或不在您的管理范围内。"))
    if user.pk == actor.pk:
        raise ValidationError(_("不能重置自己的双因素认证。"))
    removed = secondfactor.reset(user=user, actor=actor)
    core_services.tell_auditors(
        _("双因素认证已重置"),
        _("%(actor)s 重置了 %(users)s 的身份验证器。")
        % {"actor": actor.display_name, "users": user.display_name},
    )
    return removed
