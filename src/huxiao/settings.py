"""The one settings module of Huxiao, driven only by environment variables.

Profiles: ``HUXIAO_PROFILE=embedded`` (default: SQLite under ``var/``, embedded task
queue, in-memory real-time layer, generated secrets) and ``HUXIAO_PROFILE=production``
(every secret must come from the environment; HTTPS-only cookies and headers).
See README.md, section "Configuration".
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from huxiao.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

PROFILE = env_str("HUXIAO_PROFILE", "embedded")
if PROFILE not in {"embedded", "production"}:
    raise ImproperlyConfiguredEnv(f"HUXIAO_PROFILE={PROFILE!r} must be 'embedded' or 'production'")
PRODUCTION = PROFILE == "production"

VAR_DIR = Path(env_str("HUXIAO_VAR_DIR", str(PROJECT_DIR / "var"))).resolve()


def _generated_secret(name: str, filename: str, factory) -> str:
    """Return the secret from the environment, or (embedded profile only) from var/.

    The embedded profile generates the file once, so running ``make demo`` twice
    keeps sessions and encrypted fields readable.
    """
    value = env_str(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfiguredEnv(f"{name} must be set in the production profile")
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(factory())
    return path.read_text(encoding="utf-8").strip()


def _new_data_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


SECRET_KEY = _generated_secret("HUXIAO_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
DATA_KEY = _generated_secret("HUXIAO_DATA_KEY", "data_key", _new_data_key)
# Earlier data keys, still accepted for decryption while records are re-encrypted.
DATA_KEYS_OLD = env_list("HUXIAO_DATA_KEYS_OLD", [])
# The audit chain's own key (HMAC-SHA256 of each record): whoever can write the database but
# not read this key cannot recompute the chain. Earlier keys still verify the records they
# signed, so the key can rotate (docs/security.md, "Audit trail").
AUDIT_KEY = _generated_secret("HUXIAO_AUDIT_KEY", "audit_key", _new_data_key)
AUDIT_KEYS_OLD = env_list("HUXIAO_AUDIT_KEYS_OLD", [])
# Signed checkpoints of the chain's head, appended outside the database (hourly, and by
# ``huxiao audit checkpoint``); ``huxiao audit verify`` compares the chain with them.
AUDIT_CHECKPOINT_FILE = Path(
    env_str("HUXIAO_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl"))
)
if len(SECRET_KEY) < 50 and PRODUCTION:
    raise ImproperlyConfiguredEnv("HUXIAO_SECRET_KEY must be at least 50 characters")

DEBUG = env_bool("HUXIAO_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "HUXIAO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfiguredEnv("HUXIAO_ALLOWED_HOSTS must be set in the production profile")
CSRF_TRUSTED_ORIGINS = env_list("HUXIAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin, so that core's admin/base_site.html gives the admin the product's look.
    "huxiao.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "channels",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huxiao.schools",
    "huxiao.inspections",
    "huxiao.persons",
    "huxiao.patrols",
    "huxiao.alarms",
    "huxiao.gate",
    "huxiao.preparedness",
    "huxiao.system",
    "huxiao.reports",
    # The demo city (huxiao seed): last, above every module.
    "huxiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "huxiao.core.middleware.RequestContextMiddleware",
    "huxiao.core.middleware.ApiGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huxiao.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "huxiao.core.middleware.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "huxiao.core.middleware.SessionActivityMiddleware",
    "huxiao.core.middleware.ForcePasswordChangeMiddleware",
    "huxiao.core.middleware.SecondFactorMiddleware",
    "huxiao.core.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "huxiao.core.middleware.MapTileCspMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "huxiao.core.middleware.OutOfRangeMiddleware",
]
CSRF_FAILURE_VIEW = "huxiao.core.views.errors.csrf_failure"

ROOT_URLCONF = "huxiao.urls"
WSGI_APPLICATION = "huxiao.wsgi.application"
ASGI_APPLICATION = "huxiao.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # each app keeps its templates in <app>/templates/<app>/
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "huxiao.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'huxiao.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_sqlite) or _default_sqlite
try:
    _db = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("HUXIAO_DB_CONN_MAX_AGE", 0, minimum=0)
    )
except Exception as exc:  # dj-database-url raises several types for bad URLs
    raise ImproperlyConfiguredEnv(f"DATABASE_URL={DATABASE_URL!r} cannot be parsed: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE serialises writers at BEGIN, so the audit hash chain never forks
        # and concurrent writers wait (timeout) instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    # ":memory:" said outright (Django's default): pytest-django recognises an in-memory test
    # database by this name only, since the engine is ours (below).
    _db["TEST"] = {"NAME": env_str("HUXIAO_TEST_SQLITE", None) or ":memory:"}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfiguredEnv(
        f"DATABASE_URL engine {_db['ENGINE']} is not supported (SQLite or PostgreSQL)"
    )
# Django's backends with the audit records held to the commit (huxiao.core.db).
_db["ENGINE"] = {
    "django.db.backends.sqlite3": "huxiao.core.db.sqlite3",
    "django.db.backends.postgresql": "huxiao.core.db.postgresql",
}[_db["ENGINE"]]
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: tasks, cache and real-time fan-out -------------------------------------------
REDIS_URL = env_str("REDIS_URL", "") or ""
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfiguredEnv(
        f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://"
    )

# One name per deployment (HUXIAO_TASK_QUEUE): deployments sharing a Redis keep their queues,
# caches and live channels apart.
HUEY_NAME = env_str("HUXIAO_TASK_QUEUE", "huxiao") or "huxiao"
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, serving on when Redis is down (core/cache.py).
            "BACKEND": "huxiao.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": HUEY_NAME,
            # A Redis that does not answer fails a call within a second, not a request's time.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": HUEY_NAME},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

HUEY_IMMEDIATE = env_bool("HUXIAO_TASKS_IMMEDIATE", False)
HUEY = {
    "name": HUEY_NAME,
    "immediate": HUEY_IMMEDIATE,
    "utc": True,
    "consumer": {
        "workers": env_int("HUXIAO_WORKER_THREADS", 2, minimum=1),
        "worker_type": "thread",
    },
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "tasks.sqlite3")})

# --- Authentication and security baseline (等保2.0 level 3, application layer) -----------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "huxiao.core.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "huxiao.core.hashers.Argon2Hasher",  # Argon2id, OWASP's parameters (core/hashers.py)
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "huxiao.core.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "huxiao.core.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Defaults of business parameters (core.parameters): administrators may change them in 参数设置;
# the environment variable, when set, wins.
LOGIN_FAILURE_LIMIT = env_int("HUXIAO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOCKOUT_MINUTES = env_int("HUXIAO_LOCKOUT_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = "huxiao.core.parameters.lockout_failure_limit"
AXES_COOLOFF_TIME = "huxiao.core.parameters.lockout_cooloff"
AXES_LOCKOUT_PARAMETERS = ["username"]
# The second factor (TOTP) for the roles that require it (core.secondfactor). Always on in
# production; HUXIAO_SECOND_FACTOR=0 turns it off elsewhere (the test settings do).
SECOND_FACTOR = True if PRODUCTION else env_bool("HUXIAO_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "护校安园"
# One address failing to sign in this many times within the window is refused (429) until the
# window passes, whatever the accounts it tries (password spraying; 等保2.0 入侵防范).
LOGIN_IP_FAILURE_LIMIT = env_int("HUXIAO_LOGIN_IP_FAILURE_LIMIT", 20, minimum=1)
LOGIN_IP_WINDOW_MINUTES = env_int("HUXIAO_LOGIN_IP_WINDOW_MINUTES", 15, minimum=1)
# The OpenAPI document and its docs page: public in the embedded profile (to try the API),
# behind sign-in in production.
API_DOCS_PUBLIC = env_bool("HUXIAO_API_DOCS_PUBLIC", not PRODUCTION)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "huxiao.core.views.auth.lockout_response"
AXES_VERBOSE = False
# Lock the account, not the address: a station behind one NAT address must not be locked
# out by one officer's typos (docs/decisions.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_IPWARE_PROXY_COUNT = env_int("HUXIAO_PROXY_COUNT", 0, minimum=0) or None

# Idle timeout: the session expires after this many seconds without a request.
SESSION_IDLE_SECONDS = env_int("HUXIAO_SESSION_IDLE_SECONDS", 600, minimum=60)
# A parameter (core.parameters): core.middleware.SessionIdleMiddleware applies a changed value.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# The idle timeout slides: a signed-in session is saved again (its expiry moved on) when its
# activity is touched, at most once a minute (core.middleware.SessionActivityMiddleware), not
# by every request — a write per request was most of a cheap page's cost and serialised SQLite.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("HUXIAO_SSL_REDIRECT", True)
    # A load balancer probes the processes directly over plain HTTP (system/probes.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("HUXIAO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("HUXIAO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    # WhiteNoise serves straight from the apps' static folders here, but warns without this one.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("HUXIAO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files (attachments, import previews): MEDIA_ROOT on one machine; an S3-compatible
# bucket when HUXIAO_S3_BUCKET is set, shared by every process of a deployment on any machine
# (issue 23). Files are still served only through the application's permission checks
# (/files/<id>/), never from the bucket; the deployment's objects sit under one prefix, by
# default its name (HUXIAO_TASK_QUEUE), so deployments may share a bucket as they share a Redis.
S3_BUCKET = env_str("HUXIAO_S3_BUCKET", "") or ""
if S3_BUCKET:
    from huxiao.s3 import storage_settings

    _default_storage = storage_settings(
        bucket=S3_BUCKET,
        endpoint_url=env_str("HUXIAO_S3_ENDPOINT_URL", ""),
        region=env_str("HUXIAO_S3_REGION", ""),
        access_key=env_str("HUXIAO_S3_ACCESS_KEY", ""),
        secret_key=env_str("HUXIAO_S3_SECRET_KEY", ""),
        prefix=env_str("HUXIAO_S3_PREFIX", HUEY_NAME) or "",
        addressing_style=env_str("HUXIAO_S3_ADDRESSING_STYLE", "path") or "path",
    )
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded photos and evidence (huxiao.core.files): size limit per file, in MiB.
UPLOAD_MAX_MB = env_int("HUXIAO_UPLOAD_MAX_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WHITENOISE_AUTOREFRESH = DEBUG

# --- Schools: compliance policy (huxiao.schools.policy; README "Configuration") ---------
SCHOOL_STAFFING_POLICY = env_str("HUXIAO_STAFFING_POLICY", "gbt29315")
SCHOOL_STAFFING_ROUNDING = env_str("HUXIAO_STAFFING_ROUNDING", "up")
if SCHOOL_STAFFING_ROUNDING not in {"up", "down"}:
    raise ImproperlyConfiguredEnv(
        f"HUXIAO_STAFFING_ROUNDING={SCHOOL_STAFFING_ROUNDING!r}: use up or down"
    )
SCHOOL_STAFFING_168_READING = env_str("HUXIAO_STAFFING_168_READING", "mixed")
SCHOOL_STAFFING_BOARDER_ADDON = env_int("HUXIAO_STAFFING_BOARDER_ADDON", 0, minimum=0)
SCHOOL_MIN_KIT = env_str("HUXIAO_MIN_KIT", "") or ""
SCHOOL_CAMERA_RETENTION_DAYS = env_int("HUXIAO_CAMERA_RETENTION_DAYS", 30, minimum=1)
SCHOOL_GUARD_MAX_AGE = env_int("HUXIAO_GUARD_MAX_AGE", 60, minimum=18)

# --- Inspections: the rectification loop (huxiao.inspections.rules) -------------------------
# Working days before a deadline when the responsible school is reminded.
HAZARD_REMIND_WORKDAYS = env_int("HUXIAO_HAZARD_REMIND_WORKDAYS", 3, minimum=0)
# Default rectification period of a notice, in working days.
NOTICE_DEFAULT_WORKDAYS = env_int("HUXIAO_NOTICE_DEFAULT_WORKDAYS", 10, minimum=1)
# A hazard overdue this many times is escalated to 挂牌督办 whatever its severity.
HAZARD_ESCALATE_AFTER_OVERDUES = env_int("HUXIAO_HAZARD_ESCALATE_AFTER_OVERDUES", 2, minimum=1)

# --- Key persons (huxiao.persons.rules; docs/persons.md) -----------------------------------
# Field cipher for new ciphertexts: aes-256-gcm (default) or sm4-gcm (GB/T 32907, 国密);
# values written under either stay readable whatever the setting.
DATA_CIPHER = env_str("HUXIAO_CIPHER", "aes-256-gcm")
if DATA_CIPHER not in {"aes-256-gcm", "sm4-gcm"}:
    raise ImproperlyConfiguredEnv(f"HUXIAO_CIPHER={DATA_CIPHER!r}: use aes-256-gcm or sm4-gcm")
# Review cadence in days (rules.next_review): mental-disorder levels 3–5, 1–2 and 0,
# threats of revenge, high overall risk, and everyone else.
PERSONS_REVIEW_DAYS_MENTAL_HIGH = env_int("HUXIAO_REVIEW_DAYS_MENTAL_HIGH", 14, minimum=1)
PERSONS_REVIEW_DAYS_MENTAL_MEDIUM = env_int("HUXIAO_REVIEW_DAYS_MENTAL_MEDIUM", 30, minimum=1)
PERSONS_REVIEW_DAYS_MENTAL_STABLE = env_int("HUXIAO_REVIEW_DAYS_MENTAL_STABLE", 90, minimum=1)
PERSONS_REVIEW_DAYS_REVENGE = env_int("HUXIAO_REVIEW_DAYS_REVENGE", 7, minimum=1)
PERSONS_REVIEW_DAYS_HIGH_RISK = env_int("HUXIAO_REVIEW_DAYS_HIGH_RISK", 14, minimum=1)
PERSONS_REVIEW_DAYS_DEFAULT = env_int("HUXIAO_REVIEW_DAYS_DEFAULT", 30, minimum=1)
# A review due within this many days shows in the officer's "my tasks".
PERSONS_REVIEW_REMIND_DAYS = env_int("HUXIAO_REVIEW_REMIND_DAYS", 3, minimum=0)
# Distances from a key person's home to schools are stored rounded to this many metres.
PERSONS_DISTANCE_ROUNDING_M = env_int("HUXIAO_DISTANCE_ROUNDING_M", 100, minimum=1)
# Default time to resolve a school-related dispute, in days from its registration.
PERSONS_DISPUTE_DUE_DAYS = env_int("HUXIAO_DISPUTE_DUE_DAYS", 30, minimum=1)
# Watchlist queries one account may make per minute (a guard in the morning rush makes a
# few dozen; more looks like enumeration of the list).
PERSONS_WATCHLIST_PER_MINUTE = env_int("HUXIAO_WATCHLIST_PER_MINUTE", 60, minimum=1)

# --- One-key alarms (huxiao.alarms.rules; docs/decisions.md "Signed alarm posts") ---------------
# A signed post older or newer than this is refused (replay window), and its nonce is kept as long.
ALARMS_REPLAY_WINDOW_SECONDS = env_int("HUXIAO_ALARMS_REPLAY_WINDOW_SECONDS", 300, minimum=30)
# After a secret is rotated the previous one is still accepted this many hours.
ALARMS_ROTATION_WINDOW_HOURS = env_int("HUXIAO_ALARMS_ROTATION_WINDOW_HOURS", 24, minimum=0)
# An alarm nobody acknowledges escalates this many seconds after receipt (sub-bureau), and again
# as long after that (the city command centre).
ALARMS_ESCALATION_SECONDS = env_int("HUXIAO_ALARMS_ESCALATION_SECONDS", 60, minimum=10)
# A supervised one-key alarm device silent longer than this (unless its own interval is set)
# goes offline: an outage, a hazard for the school and an urgent notice (issue 16 item 6).
ALARMS_HEARTBEAT_INTERVAL_SECONDS = env_int(
    "HUXIAO_ALARMS_HEARTBEAT_INTERVAL_SECONDS", 300, minimum=30
)

# --- Gate (huxiao.gate.rules) -----------------------------------------------------------------
# The key-person match of a visitor's registration gives up after this many milliseconds; the
# registration is then held and flagged 未完成比对 (never let through silently).
GATE_MATCH_TIMEOUT_MS = env_int("HUXIAO_GATE_MATCH_TIMEOUT_MS", 2000, minimum=100)
# A school with this many seizures within GATE_SEIZURE_FLAG_DAYS days is flagged (0: never).
GATE_SEIZURE_FLAG_COUNT = env_int("HUXIAO_GATE_SEIZURE_FLAG_COUNT", 3, minimum=0)
GATE_SEIZURE_FLAG_DAYS = env_int("HUXIAO_GATE_SEIZURE_FLAG_DAYS", 30, minimum=1)

# --- Maps (Leaflet) ---------------------------------------------------------------------------
# A tile URL template, e.g. 天地图 "https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY"; empty
# draws maps without tiles (markers and shapes only), which is what an offline deployment needs.
MAP_TILE_URL = env_str("HUXIAO_MAP_TILE_URL", "") or ""
MAP_TILE_ATTRIBUTION = env_str("HUXIAO_MAP_TILE_ATTRIBUTION", "") or ""


def _tile_sources(template: str) -> list[str]:
    """CSP img-src entries for the tile hosts ("t{s}.example.cn" → "*.example.cn")."""
    from urllib.parse import urlsplit

    sources = []
    for url in filter(None, (part.strip() for part in template.split("|"))):
        parts = urlsplit(url)
        host = parts.netloc
        if "{" in host:
            host = "*." + host.split(".", 1)[1] if "." in host else ""
        if parts.scheme in ("http", "https") and host:
            sources.append(f"{parts.scheme}://{host}")
        else:
            raise ImproperlyConfiguredEnv(f"HUXIAO_MAP_TILE_URL={url!r}: not an http(s) URL")
    return sources


CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += list(dict.fromkeys(_tile_sources(MAP_TILE_URL)))

# --- Audit ----------------------------------------------------------------------------------
# 网络安全法 art. 21: network logs are kept for no less than six months.
AUDIT_MIN_RETENTION_DAYS = 180

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HUXIAO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
