"""Who is acting, from where: carried to the audit trail without passing it through every call."""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class ActionContext:
    source: str = "system"  # web / api / cli / task / system
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str = ""
    request: object | None = None
    actor: object | None = None

    def resolve_actor(self):
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None) if self.request is not None else None
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_current: ContextVar[ActionContext | None] = ContextVar("huxiao_action_context", default=None)


def current() -> ActionContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActionContext()


@contextlib.contextmanager
def acting(**kwargs):
    """Run a block as a given actor/source (CLI commands, tasks, the demo generator)."""
    token = _current.set(ActionContext(**kwargs))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_for_request(ctx: ActionContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
