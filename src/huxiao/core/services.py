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
from huxiao.core.models import ApiToken, Notification, Organization, Role, User

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


_ORG_EDITABLE = {
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


@transaction.atomic
def organization_update(*, org: Organization, **changes) -> Organization:
    unknown = set(changes) - _ORG_EDITABLE
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
        # System administrators reach Django admin (roles are edited there).
        is_staff=is_superuser or (role is not None and role.code == "sysadmin"),
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


# ---- notifications ---------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    level: str = NotificationLevel.INFO,
) -> list[Notification]:
    """Put a message in each recipient's inbox and push the new unread count after commit."""
    from huxiao.core.realtime import push_unread_counts

    items = [
        Notification(recipient=u, title=title, body=body, link=link, level=level)
        for u in recipients
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(items)
    user_ids = sorted({n.recipient_id for n in created})
    transaction.on_commit(lambda: push_unread_counts(user_ids))
    return created


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    count = qs.update(read_at=timezone.now())
    if count:
        from huxiao.core.realtime import push_unread_counts

        transaction.on_commit(lambda: push_unread_counts([user.pk]))
    return count
