"""Writes of the core app: organisations, users, tokens, notifications.

Services take keyword-only arguments, validate with ``full_clean()`` and run in
a transaction; side effects (pushes to consoles) run on commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core.choices import NotificationLevel, OrgKind
from huxiao.core.models import ApiToken, Notification, Organization, Role, RoleGrant, User

# ---- organisations ---------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    kind: str,
    name: str,
    code: str,
    division_code: str,
    parent: Organization | None = None,
    education_bureau: Organization | None = None,
    **fields,
) -> Organization:
    org = Organization(
        kind=kind,
        name=name,
        code=code,
        division_code=division_code,
        parent=parent,
        education_bureau=education_bureau,
        **fields,
    )
    _validate_org(org)
    org.full_clean(exclude=["path", "depth"])
    org.save()
    org.path = (parent.path if parent else "/") + Organization.path_segment(org.pk)
    org.depth = parent.depth + 1 if parent else 0
    # The path is derived from the new primary key; store it without a second audit record.
    Organization.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
    return org


def _validate_org(org: Organization) -> None:
    if org.education_bureau is not None and org.education_bureau.kind != OrgKind.EDUCATION_BUREAU:
        raise ValidationError({"education_bureau": _("主管教育局必须是教育局类型的单位。")})
    if (
        org.parent is not None
        and org.pk is not None
        and org.parent.path.startswith(org.path or "\0")
    ):
        raise ValidationError({"parent": _("不能把单位移动到它自己的下级单位之下。")})


ORG_EDITABLE = frozenset(
    {
        "name",
        "short_name",
        "code",
        "division_code",
        "education_bureau",
        "doc_prefix",
        "address",
        "latitude",
        "longitude",
        "is_active",
        "sort_order",
        "kind",
    }
)


@transaction.atomic
def organization_update(*, org: Organization, **changes) -> Organization:
    unknown = set(changes) - ORG_EDITABLE
    if unknown:
        raise ValidationError(
            _("不可修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for key, value in changes.items():
        setattr(org, key, value)
    _validate_org(org)
    org.full_clean(exclude=["path", "depth"])
    org.save()
    return org


@transaction.atomic
def organization_move(*, org: Organization, new_parent: Organization) -> Organization:
    """Re-parent a node and rewrite the paths of its whole subtree in one statement."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("不能把单位移动到它自己的下级单位之下。")})
    old_path, new_path = org.path, new_parent.path + Organization.path_segment(org.pk)
    depth_delta = new_parent.depth + 1 - org.depth
    org.parent = new_parent
    org.save(update_fields=["parent", "updated_at"])
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    org.refresh_from_db()
    return org


# ---- users ---------------------------------------------------------------------------------


STAFF_ROLES = ("sysadmin", "secadmin")


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organization: Organization | None,
    role: Role | None,
    full_name: str = "",
    phone: str = "",
    police_number: str = "",
    must_change_password: bool = True,
    is_demo: bool = False,
    is_superuser: bool = False,
    validate: bool = True,
) -> User:
    user = User(
        username=username,
        organization=organization,
        role=role,
        full_name=full_name,
        phone=phone,
        police_number=police_number,
        must_change_password=must_change_password,
        is_demo=is_demo,
        is_superuser=is_superuser,
        # System and security administrators reach Django admin (accounts, roles, grants).
        is_staff=is_superuser or (role is not None and role.code in STAFF_ROLES),
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    return user


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, phone: str) -> User:
    user.full_name = full_name
    user.phone = phone
    user.full_clean()
    user.save(update_fields=["full_name", "phone", "phone_index"])
    return user


@transaction.atomic
def user_update_alert_settings(*, user: User, mute_urgent_sound: bool) -> User:
    """The user's own choice of the urgent toast's sound (the change log records it)."""
    user.mute_urgent_sound = mute_urgent_sound
    user.full_clean()
    user.save(update_fields=["mute_urgent_sound"])
    return user


# ---- API tokens ----------------------------------------------------------------------------

TOKEN_PREFIX = "hx_"  # noqa: S105 - a marker, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", expires_at=None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationError(_("停用的用户不能创建令牌。"))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=raw[:10], digest=token_digest(raw), expires_at=expires_at
    )
    token.full_clean(exclude=["digest"])
    token.save()
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# ---- roles: separation of duties ---------------------------------------------------------------


# Permissions of the persons module that read nothing police-only: the gate's watch-list match
# answers an instruction, never an identity (persons/watchlist.py), so school and gate roles
# hold it without becoming police-data roles.
NOT_POLICE_DATA = frozenset({"persons.match_watchlist"})


def reads_police_data(role: Role) -> bool:
    """A role whose holders read police-only records (key persons, disputes): granting it needs
    a second security administrator."""
    return role.is_police or any(
        p.startswith("persons.") and p not in NOT_POLICE_DATA for p in role.permissions
    )


def tell_auditors(title: str, body: str, *, level: str = NotificationLevel.WARNING) -> None:
    """Put a notice in every active auditor's inbox (role and security changes, the chain)."""
    auditors = User.objects.filter(is_active=True, role__code="auditor")
    notify(recipients=auditors, title=title, body=body, link="/audit/", level=level)


def role_grant_check(*, user: User, role: Role, reason: str, actor: User) -> None:
    """Why ``actor`` may not ask for ``role`` for ``user`` (ValidationError), the admin form's
    check and the service's."""
    if not actor.has_perm("core.add_rolegrant"):
        raise ValidationError(_("只有安全管理员可以办理角色授予。"))
    if user.pk == actor.pk:
        raise ValidationError({"user": _("不能为自己授予角色。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写授予理由。")})
    if user.role_id == role.pk:
        raise ValidationError({"role": _("该用户已是此角色。")})
    if not role.is_active:
        raise ValidationError({"role": _("该角色已停用，不能再授予。")})


@transaction.atomic
def role_grant_request(*, user: User, role: Role, reason: str, actor: User) -> RoleGrant:
    """A security administrator asks for ``role`` for ``user``: applied at once, or pending a
    second administrator's approval when the role reads police-only data."""
    role_grant_check(user=user, role=role, reason=reason, actor=actor)
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        previous_role=user.role,
        reason=reason.strip(),
        state=RoleGrant.State.PENDING,
        requested_by=actor,
    )
    if reads_police_data(role):
        tell_auditors(
            _("角色授予待批准"),
            _("%(actor)s 申请为 %(user)s 授予“%(role)s”（涉及公安数据），须另一名安全管理员批准。")
            % {"actor": actor.display_name, "user": user.display_name, "role": role.name},
        )
        return grant
    return _apply(grant, actor)


def _apply(grant: RoleGrant, decider: User) -> RoleGrant:
    user = User.objects.select_for_update().get(pk=grant.user_id)
    user.role = grant.role
    user.is_staff = user.is_superuser or grant.role.code in STAFF_ROLES
    user.save(update_fields=["role", "is_staff"])
    grant.state, grant.decided_by, grant.decided_at = (
        RoleGrant.State.APPLIED,
        decider,
        timezone.now(),
    )
    grant.save(update_fields=["state", "decided_by", "decided_at"])
    tell_auditors(
        _("角色已变更"),
        _("%(user)s 的角色由“%(old)s”改为“%(new)s”（申请人 %(by)s，批准人 %(decider)s）。")
        % {
            "user": user.display_name,
            "old": grant.previous_role.name if grant.previous_role else "—",
            "new": grant.role.name,
            "by": grant.requested_by.display_name,
            "decider": decider.display_name,
        },
    )
    return grant


@transaction.atomic
def role_grant_decide(*, grant: RoleGrant, approve: bool, actor: User) -> RoleGrant:
    """A second security administrator approves or refuses a pending grant."""
    grant = (
        RoleGrant.objects.select_for_update()
        .select_related("role", "requested_by")
        .get(pk=grant.pk)
    )
    if not actor.has_perm("core.change_rolegrant"):
        raise ValidationError(_("只有安全管理员可以批准角色授予。"))
    if grant.state != RoleGrant.State.PENDING:
        raise ValidationError(_("该申请已处理。"))
    if actor.pk in (grant.requested_by_id, grant.user_id):
        raise ValidationError(_("申请人和被授予人不能批准该申请，须由另一名安全管理员批准。"))
    if approve:
        return _apply(grant, actor)
    grant.state, grant.decided_by, grant.decided_at = (
        RoleGrant.State.REFUSED,
        actor,
        timezone.now(),
    )
    grant.save(update_fields=["state", "decided_by", "decided_at"])
    tell_auditors(
        _("角色授予已驳回"),
        _("%(actor)s 驳回了为 %(user)s 授予“%(role)s”的申请。")
        % {"actor": actor.display_name, "user": grant.user.display_name, "role": grant.role.name},
    )
    return grant


def role_update_notify(*, role: Role, actor: User, changed: Iterable[str]) -> None:
    """A role's definition changed (the admin): the auditors are told (the change itself is in
    the audit trail through the model signals)."""
    tell_auditors(
        _("角色权限已修改"),
        _("%(actor)s 修改了角色“%(role)s”：%(fields)s。")
        % {"actor": actor.display_name, "role": role.name, "fields": "、".join(changed)},
    )


# ---- notifications ---------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    level: str = NotificationLevel.INFO,
    subject: str = "",
) -> list[Notification]:
    """Put a message in each recipient's inbox and push the new unread count after commit.

    ``subject`` names the task the message asks for (``notification_subject(obj, "recheck")``);
    ``notifications_resolve`` closes every message about it once the task is done."""
    from huxiao.core.realtime import push_unread_counts

    items = [
        Notification(recipient=u, title=title, body=body, link=link, level=level, subject=subject)
        for u in recipients
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(items)
    user_ids = sorted({n.recipient_id for n in created})
    urgent = [(n.recipient_id, n.pk) for n in created if level == NotificationLevel.URGENT]
    transaction.on_commit(lambda: push_unread_counts(user_ids, urgent=urgent))
    return created


def notification_subject(obj, task: str) -> str:
    """The key of one task about one record: ``"inspections.hazard:42:recheck"``."""
    return f"{obj._meta.label_lower}:{obj.pk}:{task}"


def notifications_resolve(*, subject: str) -> int:
    """The task ``subject`` is done: its messages still unread are marked read and resolved in
    every inbox (a "整改报告待复查" stays no longer unread once the hazard is re-checked)."""
    if not subject:
        return 0
    qs = Notification.objects.filter(subject=subject, resolved_at__isnull=True)
    user_ids = sorted(set(qs.filter(read_at__isnull=True).values_list("recipient_id", flat=True)))
    now = timezone.now()
    count = qs.filter(read_at__isnull=True).update(read_at=now, resolved_at=now)
    count += qs.update(resolved_at=now)
    if user_ids:
        from huxiao.core.realtime import push_unread_counts

        transaction.on_commit(lambda: push_unread_counts(user_ids))
    return count


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    count = qs.update(read_at=timezone.now())
    if count:
        from huxiao.core.realtime import push_unread_counts

        transaction.on_commit(lambda: push_unread_counts([user.pk]))
    return count


def notification_mark_alerted(*, user: User, notification: Notification) -> bool:
    """Claim ``notification``'s urgent toast and sound: True for the first page (of any tab)
    that asks, which then shows it; False afterwards, and for a message that is not urgent."""
    if notification.level != NotificationLevel.URGENT:
        return False
    claimed = Notification.objects.filter(
        pk=notification.pk, recipient=user, alerted_at__isnull=True
    ).update(alerted_at=timezone.now())
    return claimed == 1


# ---- 工作日历: a year's 放假调休 arrangement ------------------------------------------------------


@transaction.atomic
def calendar_year_load(*, arrangement, actor: User, source: str = "") -> dict:
    """Load ``arrangement`` (``core.calendar_import.Arrangement`` without problems) as the
    whole of its year: the year's ``CalendarDay`` rows are replaced by its days, the year is
    marked loaded, and each module whose deadlines count working days is told which days
    changed (``Module.calendar_changed``). All or nothing; one audit record.

    Returns the year, its counts, the days whose working status changed and what each module
    did."""
    import datetime as dt

    from django.utils.module_loading import import_string

    from huxiao.core import audit, modules, workcalendar
    from huxiao.core.choices import AuditAction, AuditKind
    from huxiao.core.models import CalendarDay, CalendarYear

    if arrangement.problems:
        raise ValidationError(_("放假调休安排有错误，未导入。"))
    year = arrangement.year
    first, last = dt.date(year - 1, 12, 20), dt.date(year, 12, 31)
    before = workcalendar.statuses(first, last)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.filter(date__in=[d for d in arrangement.days if d.year != year]).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, is_workday=workday, name=name)
        for day, workday, name in arrangement.rows()
    )
    record, created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "holidays": arrangement.holidays,
            "workdays": arrangement.workdays,
            "source": source[:200],
            "loaded_by": actor,
        },
    )
    workcalendar.overrides_changed()
    after = workcalendar.statuses(first, last)
    changed = {day: (before[day], after[day]) for day in before if before[day] != after[day]}
    done = []
    for module in modules.installed():
        for path in module.calendar_changed:
            sentence = import_string(path)(changed=changed, actor=actor)
            if sentence:
                done.append(str(sentence))
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=record,
        after={
            "year": year,
            "holidays": arrangement.holidays,
            "workdays": arrangement.workdays,
            "source": source[:200],
            "changed_days": sorted(d.isoformat() for d in changed),
            "consequences": done,
        },
        actor=actor,
    )
    return {
        "year": year,
        "holidays": arrangement.holidays,
        "workdays": arrangement.workdays,
        "changed": changed,
        "done": done,
        "created": created,
    }
