"""API authentication: the browser's session (with CSRF) or ``Authorization: Bearer <token>``."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from huxiao.core.models import ApiToken
from huxiao.core.rowloader import JoinedRowLoader
from huxiao.core.services import token_digest

# last_used_at is written at most this often, so a busy integration does not write on every call.
_TOUCH_EVERY = dt.timedelta(minutes=1)
# Every API call reads its token with the user, the role and the organisation the scope starts
# from: one statement, its SQL built once (select_related compiled it on each call).
_TOKEN_WITH_USER = JoinedRowLoader(
    ApiToken, ["user", "user__role", "user__organization"], by="digest"
)


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None without one (pages
    outside the API that also take tokens, and the idempotency middleware, read it here)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        found = _TOKEN_WITH_USER.get(token_digest(token.strip()))
        if found is None or not found.is_usable or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


def session_auth(request):
    """The browser's session (CSRF checked by ninja); none while a password change is due."""
    from huxiao.core import secondfactor

    user = django_auth(request)
    if user and getattr(user, "must_change_password", False):
        return None
    if user and not secondfactor.satisfied(user):
        return None  # signed in with the password only: not yet
    return user


api_auth = [TokenAuth(), session_auth]


def docs_guard(view):
    """The OpenAPI document and docs page: open when settings.API_DOCS_PUBLIC (embedded
    profile), otherwise only to a signed-in user (production), 401 in Chinese before that."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            from huxiao.core.views.errors import json_error

            return json_error(_("未登录，或API令牌无效、已过期、已吊销。"), 401)
        return view(request, *args, **kwargs)

    return wrapped
