"""Writes of 参数设置: set a business parameter, or return it to its default.

A module declares its parameters (``core.parameters.Parameter``); the value an administrator
saves is checked by the declaration (type, minimum and maximum, choices, its own check) and
kept in ``ParameterValue``. A parameter the environment sets cannot be changed here: the
environment wins (``core.parameters.get``), so a saved value would never be used and the page
would lie. Resetting deletes the saved value, and the default applies again.

The change itself is audited by the model signals (the record keeps the old and new value:
``ParameterValue.value`` is plain JSON, never hidden). The parameters' cache is cleared at once
and again after commit, so the next request of every process sharing the cache reads the new
value.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huxiao.core import context, parameters
from huxiao.core.models import ParameterValue
from huxiao.core.parameters import Parameter


def _forget() -> None:
    parameters.forget()
    transaction.on_commit(parameters.forget)


def _spec(key: str) -> Parameter:
    try:
        return parameters.spec(key)
    except LookupError:
        raise ValidationError({"key": _("没有这个参数。")}) from None


def env_refusal(spec: Parameter) -> str:
    """Why the page may not change ``spec`` (empty: it may)."""
    if spec.env_overrides:
        return _("由环境变量 %(env)s 设置，页面修改不生效。") % {"env": spec.env}
    return ""


def _as(actor):
    """Attribute the audit record to ``actor`` when no request or command already names one."""
    if actor is not None and context.current().resolve_actor() is None:
        return context.acting(actor=actor, source=context.current().source)
    return contextlib.nullcontext()


@transaction.atomic
def parameter_set(*, key: str, raw, actor=None) -> ParameterValue:
    """Save ``raw`` (a form's text or a JSON value) as the value of parameter ``key``."""
    spec = _spec(key)
    refusal = env_refusal(spec)
    if refusal:
        raise ValidationError({"value": refusal})
    try:
        value = spec.clean(raw)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    record = ParameterValue.objects.select_for_update().filter(key=key).first()
    if record is not None and record.value == value:
        return record  # nothing changed: no save, no audit record
    if record is None:
        record = ParameterValue(key=key)
    record.value = value
    record.updated_by = actor
    # The declaration checked the value; an empty text (no map tiles) is a valid one.
    record.full_clean(exclude=["value"])
    with _as(actor):
        record.save()
    _forget()
    return record


@transaction.atomic
def parameter_reset(*, key: str, actor=None) -> bool:
    """Return parameter ``key`` to its default; False when no value was saved."""
    _spec(key)
    record = ParameterValue.objects.select_for_update().filter(key=key).first()
    if record is None:
        return False
    with _as(actor):
        record.delete()
    _forget()
    return True
