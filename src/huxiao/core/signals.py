"""Automatic change log and login log (NetBox's habit: every write is recorded).

Every model of a ``huxiao.*`` app is audited unless it sets ``audit_exclude``;
fields in ``audit_exclude_fields`` are left out (passwords, blind indexes, noisy
timestamps). Bulk operations (``bulk_create``, ``QuerySet.update``) send no
signals: services that use them call ``audit.append`` themselves.
"""

from __future__ import annotations

from django.contrib.auth import signals as auth_signals
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import signals
from django.dispatch import receiver

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.fields import plain_value_problem
from huxiao.core.validators import control_character_problem


def _audited(sender) -> bool:
    module = getattr(sender, "__module__", "")
    return module.startswith("huxiao.") and not getattr(sender, "audit_exclude", False)


@receiver(signals.pre_save)
def _refuse_control_characters(sender, instance, raw=False, **kwargs):
    """Every save of a module's record, whatever wrote it (page, API, import, service): a text
    holding a control character, a masked value sent back into an encrypted field
    (``199****5680``) or a phone that is not a phone number is refused with the field named,
    before anything is written (a signal, so the transaction stays usable)."""
    if raw or not getattr(sender, "__module__", "").startswith("huxiao."):
        return
    problems = {}
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and value:
                problem = control_character_problem(value)
                if problem:
                    problems[field.name] = f"{field.verbose_name}{problem}"
                elif getattr(field, "encrypted", False):
                    problem = plain_value_problem(value, field.mask)
                    if problem:
                        problems[field.name] = f"{field.verbose_name}：{problem}"
    if problems:
        raise ValidationError(problems)


@receiver(signals.pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            instance._audit_before = audit.comparable(old)


@receiver(signals.post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    after = audit.comparable(instance)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None  # plaintext of encrypted fields: do not keep it around
    if created or before is None:
        audit.append(
            kind=AuditKind.CHANGE,
            action=AuditAction.CREATE,
            obj=instance,
            after=audit.redact(sender, after),
        )
        return
    changed = {k for k in after if before.get(k) != after[k]} - {"updated_at"}
    if not changed:
        return
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.UPDATE,
        obj=instance,
        before=audit.redact(sender, {k: before.get(k) for k in sorted(changed)}),
        after=audit.redact(sender, {k: after[k] for k in sorted(changed)}),
    )


@receiver(signals.post_delete)
def _log_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.DELETE,
        obj=instance,
        before=audit.snapshot(instance),
    )


def _user_agent(request) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:255]


def _browser(request) -> dict | None:
    """What the sign-in log keeps of the browser (its user agent: browser and OS)."""
    agent = _user_agent(request)
    return {"user_agent": agent} if agent else None


@receiver(auth_signals.user_logged_in)
def _log_login(sender, request, user, **kwargs):
    audit.append(
        kind=AuditKind.LOGIN,
        action=AuditAction.LOGIN_SUCCESS,
        obj=user,
        actor=user,
        after=_browser(request),
    )
    _session_started(request, user)


@receiver(auth_signals.user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.append(kind=AuditKind.LOGIN, action=AuditAction.LOGOUT, obj=user, actor=user)
    _session_ended(request)


@receiver(auth_signals.user_login_failed)
def _log_login_failure(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.append(
        kind=AuditKind.LOGIN,
        action=AuditAction.LOGIN_FAILURE,
        object_type="core.user",
        object_repr=username,
        actor_name=username,
        after=_browser(request),
    )


# ---- signed-in sessions (在线用户, issue 21) --------------------------------------------------
#
# A sign-in opens a UserSession row for the session key (who, from where, with which browser),
# a sign-out closes it; core.middleware.SessionActivityMiddleware keeps its last activity. The
# rows are written without the model signals: the sign-in log above already records them.

SESSION_TOUCHED = "_hx_session_touched"  # when the session's row was last touched (epoch s)
# The key the session's row was opened under: a password change (update_session_auth_hash) or
# a second-factor step cycles the key, and the row follows it on the next request.
SESSION_ROW_KEY = "_hx_session_row_key"


def _valid_ip(value: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _session_started(request, user) -> None:
    from django.utils import timezone

    from huxiao.core.middleware import client_ip
    from huxiao.core.models import UserSession

    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return
    now = timezone.now()
    UserSession.objects.filter(session_key=key).delete()  # a key is never reused, but be sure
    UserSession.objects.bulk_create(
        [
            UserSession(
                session_key=key,
                user=user,
                ip=_valid_ip(client_ip(request)),
                user_agent=_user_agent(request),
                started_at=now,
                last_seen_at=now,
            )
        ]
    )
    session[SESSION_TOUCHED] = now.timestamp()
    session[SESSION_ROW_KEY] = key


def _session_ended(request) -> None:
    from django.utils import timezone

    from huxiao.core.models import UserSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key, ended_at=None).update(ended_at=timezone.now())
