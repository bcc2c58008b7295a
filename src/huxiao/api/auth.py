"""API authentication: the browser's session (with CSRF) or ``Authorization: Bearer <token>``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from huxiao.core.models import ApiToken
from huxiao.core.services import token_digest

# last_used_at is written at most this often, so a busy integration does not write on every call.
_TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not token:
            return None
        # The digest is unique: no ORDER BY (``first()`` would add one, ~0.15 ms of compiling
        # on every API call).
        found = next(
            iter(
                ApiToken.objects.select_related("user", "user__role", "user__organization")
                .filter(digest=token_digest(token.strip()))
                .order_by()[:1]
            ),
            None,
        )
        if found is None or not found.is_usable or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


def _session(request):
    user = django_auth(request)
    if user and getattr(user, "must_change_password", False):
        return None
    return user


api_auth = [TokenAuth(), _session]
