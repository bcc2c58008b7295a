"""Business parameters (参数设置): declared by each module, set by administrators in the UI.

A module declares its parameters in its registry (``Module.parameters``). Each has a settings
name holding the deployment's default (read from the environment in ``huxiao/settings.py``)
and the environment variable that sets it. ``get(key)`` answers, in this order:

1. the environment variable, when it is set: the operator's choice wins over the UI, and the
   parameter page says so;
2. the value an administrator saved (``ParameterValue``);
3. the settings default (which ``override_settings`` changes in tests), or, for a parameter
   with no setting of its name, its ``fallback``.

Saved values are read in one query and kept in the cache (Redis when configured) for
``CACHE_SECONDS``; a save clears it, so a change is used by the next request of every process
sharing the cache (within ``CACHE_SECONDS`` for processes with a local cache).

Secrets and infrastructure (database, Redis, keys, hosts) are not parameters: they stay in
the environment only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

CACHE_KEY = "huxiao:parameters:v1"
CACHE_SECONDS = 30


@dataclass(frozen=True)
class Parameter:
    """One business parameter. ``key`` is also the settings name of its default."""

    key: str
    label: Any
    help: Any = ""  # what it changes, and its source (a rule, a standard)
    kind: str = "int"  # "int" | "str" | "choice" | "bool"
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    env: str = ""  # the environment variable that sets it
    unit: Any = ""
    group: Any = ""
    # A further check of the typed value (a tile URL, a kit list): raises ValidationError.
    validator: Callable[[Any], None] | None = None
    # The default when no setting of that name exists, so a module brings its parameters
    # without a line in the settings module; the environment variable (``env``) still wins.
    fallback: Any = None

    @property
    def default(self) -> Any:
        if self.fallback is None or hasattr(settings, self.key):
            return getattr(settings, self.key)
        raw = os.environ.get(self.env, "").strip() if self.env else ""
        if not raw:
            return self.fallback
        try:
            return self.clean(raw)
        except ValidationError:
            raise ImproperlyConfigured(f"{self.env}={raw!r} is not a valid value") from None

    @property
    def env_overrides(self) -> bool:
        """Whether the environment sets it (the UI value, if any, is then not used)."""
        return bool(self.env) and os.environ.get(self.env, "").strip() != ""

    def clean(self, raw: Any) -> Any:
        """The typed value of ``raw`` (a form's string or a JSON value), or ValidationError."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "on", "yes", "是"}:
                return True
            if text in {"0", "false", "off", "no", "否", ""}:
                return False
            raise ValidationError(_("请选择“是”或“否”。"))
        if self.kind == "int":
            try:
                number = int(str(raw).strip())
            except (TypeError, ValueError):
                raise ValidationError(_("请输入整数。")) from None
            if self.minimum is not None and number < self.minimum:
                raise ValidationError(_("不能小于 %(min)s。") % {"min": self.minimum})
            if self.maximum is not None and number > self.maximum:
                raise ValidationError(_("不能大于 %(max)s。") % {"max": self.maximum})
            return number
        text = "" if raw is None else str(raw).strip()
        if self.kind == "choice" and text not in {code for code, _label in self.choices}:
            raise ValidationError(_("请从列表中选择。"))
        if len(text) > 500:
            raise ValidationError(_("不能超过500个字符。"))
        if self.validator is not None:
            self.validator(text)
        return text


def declared() -> list[Parameter]:
    from huxiao.core import modules

    return [p for m in modules.installed() for p in m.parameters]


def spec(key: str) -> Parameter:
    for p in declared():
        if p.key == key:
            return p
    raise LookupError(key)


def saved() -> dict[str, Any]:
    """What administrators saved, by key (cached)."""
    values = cache.get(CACHE_KEY)
    if values is None:
        from huxiao.core.models import ParameterValue

        values = dict(ParameterValue.objects.values_list("key", "value"))
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return values


def forget() -> None:
    """Drop the cached values (after a save)."""
    cache.delete(CACHE_KEY)


def get(key: str) -> Any:
    """The parameter's value in force: environment, then the saved value, then the default."""
    p = spec(key)
    if not p.env_overrides:
        values = saved()
        if key in values:
            return values[key]
    return p.default


def source(key: str) -> str:
    """Where the value in force comes from: "env", "saved" or "default"."""
    p = spec(key)
    if p.env_overrides:
        return "env"
    return "saved" if key in saved() else "default"


# ---- the parameters other libraries read through settings -----------------------------------


def lockout_failure_limit(request=None, credentials=None) -> int:
    """django-axes: failed sign-ins before an account is locked (AXES_FAILURE_LIMIT)."""
    return int(get("LOGIN_FAILURE_LIMIT"))


def lockout_cooloff(request=None):
    """django-axes: how long a locked account stays locked (AXES_COOLOFF_TIME)."""
    import datetime as dt

    return dt.timedelta(minutes=int(get("LOCKOUT_MINUTES")))
