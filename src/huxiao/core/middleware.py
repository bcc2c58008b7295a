"""Request context for the audit trail, and the forced password change."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from huxiao.core import context, parameters

logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str:
    """The client address; with HUXIAO_PROXY_COUNT set, taken from X-Forwarded-For."""
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    if count:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


class RequestContextMiddleware:
    """Gives each request an id (kept from X-Request-ID when well formed) and its client IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        source = "api" if request.path.startswith("/api/") else "web"
        token = context.set_for_request(
            context.ActionContext(
                source=source, request_id=request_id, ip=client_ip(request), request=request
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ForcePasswordChangeMiddleware:
    """Seeded and administrator-created accounts must choose their own password first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {
                reverse("core:password_change"),
                reverse("core:logout"),
                reverse("set_language"),
            }
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    from django.utils.translation import gettext as _

                    from huxiao.core.views.errors import json_error

                    return json_error(_("首次登录须先修改密码。"), 403)
                return redirect("core:password_change")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A user whose role asks for the second factor reaches nothing but the second-factor step
    (enrolment or the code) until the session has passed it (core.secondfactor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from huxiao.core import secondfactor

        user = getattr(request, "user", None)
        if user is None or secondfactor.satisfied(user):
            return self.get_response(request)
        allowed = {
            reverse("core:second_factor"),
            reverse("core:logout"),
            reverse("core:password_change"),
            reverse("set_language"),
        }
        if request.path in allowed or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the session does not authenticate the API yet
        from urllib.parse import urlencode

        return redirect(
            f"{reverse('core:second_factor')}?{urlencode({'next': request.get_full_path()})}"
        )


class LanguageMiddleware:
    """Chinese unless the user chose otherwise (the language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer with
    an English-language browser would get English pages; SPEC 3 wants Chinese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class OutOfRangeMiddleware:
    """A number too large for the database (``?page=99999999999999999999``, a filter id) makes
    the driver raise instead of answering "nothing": answer it as bad input, never as a 500.
    A database too busy to take a write now (a lock wait that ran out) answers 503 with
    Retry-After, not 500: nothing was written, the request may be sent again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DataError

        from huxiao.core.views.errors import busy, database_busy, out_of_range

        if isinstance(exception, OverflowError) or (
            isinstance(exception, DataError) and "out of range" in str(exception)
        ):
            return out_of_range(request, exception)
        if database_busy(exception):
            logger.warning("busy on %s: %s", request.path, exception)
            return busy(request, exception)
        return None


_INTEGER = re.compile(r"^[+-]?\d+$")
_BODY_TYPES = ("application/json", "multipart/form-data")


class ApiGuardMiddleware:
    """What every API request and answer gets before any router runs:

    - a body is read as JSON only from ``application/json`` (files come as
      ``multipart/form-data``): a browser sends ``text/plain`` or a form across sites without a
      preflight, so any other type is refused (415) rather than parsed;
    - a query number beyond a signed 64-bit integer (``?offset=99999999999999999999``) is bad
      input (400), not a driver error;
    - answers carry personal data (a revealed identity, a phone number): ``Cache-Control:
      no-store``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        response = self._refusal(request) or self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response

    def _refusal(self, request):
        from django.utils.translation import gettext as _

        from huxiao.core.views.errors import MAX_BIGINT, json_error, out_of_range_message

        has_body = request.method in ("POST", "PUT", "PATCH") and (
            request.META.get("CONTENT_LENGTH") not in (None, "", "0")
        )
        if has_body and request.content_type not in _BODY_TYPES:
            return json_error(_("请求体须为 JSON（Content-Type: application/json）。"), 415)
        for values in request.GET.lists():
            for value in values[1]:
                if _INTEGER.match(value.strip()) and abs(int(value)) > MAX_BIGINT:
                    return json_error(out_of_range_message(), 400)
        if has_body and request.content_type == "application/json":
            import json

            from django.core.exceptions import RequestDataTooBig

            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError, RequestDataTooBig):
                return None  # the API answers these itself (400, 413)
            if _has_huge_integer(body, MAX_BIGINT):
                return json_error(out_of_range_message(), 400)
        return None


def _has_huge_integer(value, limit: int) -> bool:
    """Whether a parsed JSON body holds an integer no database column can take."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            if abs(item) > limit:
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SessionActivityMiddleware:
    """Keeps a signed-in session's last activity (在线用户): its UserSession row is touched at
    most once a minute; the time of the last touch is kept in the session itself, so other
    requests cost no query. That touch also saves the session, which slides its idle timeout
    (``SESSION_SAVE_EVERY_REQUEST`` is off: SessionIdleMiddleware)."""

    TOUCH_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            self._touch(session)
        return self.get_response(request)

    def _touch(self, session) -> None:
        from django.utils import timezone

        from huxiao.core.models import UserSession
        from huxiao.core.signals import SESSION_ROW_KEY, SESSION_TOUCHED

        now = timezone.now()
        opened_as = session.get(SESSION_ROW_KEY)
        if opened_as and session.session_key and opened_as != session.session_key:
            # The key was cycled (a password change): the row follows, so that forcing this
            # session out deletes the session in use.
            UserSession.objects.filter(session_key=opened_as).update(
                session_key=session.session_key
            )
            session[SESSION_ROW_KEY] = session.session_key
        last = session.get(SESSION_TOUCHED, 0)
        if isinstance(last, int | float) and 0 <= now.timestamp() - last < self.TOUCH_EVERY:
            return
        if session.session_key:
            UserSession.objects.filter(session_key=session.session_key, ended_at=None).update(
                last_seen_at=now
            )
        session[SESSION_TOUCHED] = now.timestamp()


class SessionIdleMiddleware:
    """Applies the idle timeout an administrator set in 参数设置 (SESSION_IDLE_SECONDS).

    The session cookie's age is fixed when the process starts (``SESSION_COOKIE_AGE``, from
    the environment); when the parameter in force differs, a signed-in user's session gets it
    as its own expiry. When they agree nothing is set, and the session keeps ending when the
    browser closes.

    The timeout slides without a write on every request: ``SessionActivityMiddleware`` touches
    the session at most once a minute, which saves it and moves its expiry on. A session
    therefore ends between ``idle − 60`` and ``idle`` seconds after its last request — never
    later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            idle = int(parameters.get("SESSION_IDLE_SECONDS"))
            if idle != settings.SESSION_COOKIE_AGE:
                if session.get("_session_expiry") != idle:
                    session.set_expiry(idle)
            elif "_session_expiry" in session:
                session.set_expiry(None)  # back to the default: ends with the browser
        return self.get_response(request)


class MapTileCspMiddleware:
    """Lets pages load the map tiles of a MAP_TILE_URL saved in 参数设置: the hosts of the
    environment's template are in the CSP from the start (settings), a changed template's are
    added to each HTML response here. Placed after CSPMiddleware, so it runs first on the way
    out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        template = parameters.get("MAP_TILE_URL") or ""
        if template and template != settings.MAP_TILE_URL:
            from django.core.exceptions import ValidationError

            from huxiao.core.maps import tile_sources

            try:
                hosts = tile_sources(template)
            except ValidationError:  # saved before the check existed: no tiles, no failure
                return response
            update = dict(getattr(response, "_csp_update", None) or {})
            update["img-src"] = [*update.get("img-src", []), *hosts]
            response._csp_update = update
        return response


_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
IDEMPOTENCY_REPLAYED = "Idempotent-Replayed"


class IdempotencyMiddleware:
    """``Idempotency-Key`` on an API POST: a client that did not see the answer (the connection
    cut after the commit) sends the same request again and gets the first answer, not a second
    record.

    The key is the client's: it is scoped to the caller (the token, or the signed-in user). The
    request runs in one transaction with the key's row, inserted first. A repeat arriving while
    the first runs waits on the unique index and then reads its answer. The answer is kept when
    it is a success (2xx). A 4xx keeps nothing but what the view wrote (a refusal's log), so the
    client may correct and resend under the same key. A 5xx rolls everything back. The same key
    with another request (method, path, body) answers 422. Records are kept a day
    (``core.tasks.idempotency_sweep``); the check-in and gate endpoints keep their own keys in
    the body as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        from django.utils.translation import gettext as _

        from huxiao.core.views.errors import json_error

        if not _IDEMPOTENCY_KEY.match(key):
            return json_error(_("Idempotency-Key 须为1–128个可见ASCII字符。"), 400)
        owner = self._owner(request)
        if owner is None:
            return self.get_response(request)  # not signed in: the API answers 401
        return self._once(request, owner, key, self._fingerprint(request))

    @staticmethod
    def _owner(request) -> str | None:
        from huxiao.core.apikit.auth import bearer_token
        from huxiao.core.services import token_digest

        token = bearer_token(request)
        if token:
            return "token:" + token_digest(token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return None

    @staticmethod
    def _fingerprint(request) -> str:
        import hashlib

        digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
        if request.content_type == "multipart/form-data":
            # Files are not read twice: the form's length stands for its content.
            digest.update(f"multipart {request.META.get('CONTENT_LENGTH', '')}".encode())
        else:
            digest.update(request.body)
        return digest.hexdigest()

    def _once(self, request, owner: str, key: str, fingerprint: str):
        from django.db import IntegrityError, transaction

        from huxiao.core.models import IdempotencyRecord

        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        owner=owner, key=key, fingerprint=fingerprint, status=0
                    )
            except IntegrityError:
                return self._replay(
                    IdempotencyRecord.objects.get(owner=owner, key=key), fingerprint
                )
            response = self.get_response(request)
            status = response.status_code
            if status >= 500:
                transaction.set_rollback(True)
            elif 200 <= status < 300 and not response.streaming:
                record.status = status
                record.content_type = response.get("Content-Type", "")[:100]
                record.body = response.content
                record.save(update_fields=["status", "content_type", "body"])
            else:
                record.delete()
        return response

    @staticmethod
    def _replay(record, fingerprint: str):
        from django.http import HttpResponse
        from django.utils.translation import gettext as _

        from huxiao.core.views.errors import json_error

        if record.fingerprint != fingerprint:
            return json_error(_("该 Idempotency-Key 已用于另一个请求，请换一个键。"), 422)
        response = HttpResponse(
            bytes(record.body), status=record.status, content_type=record.content_type
        )
        response[IDEMPOTENCY_REPLAYED] = "true"
        response["Cache-Control"] = "no-store"
        return response
