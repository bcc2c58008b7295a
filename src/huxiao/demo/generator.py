"""The deterministic demo city: ``seed_demo(seed=2026, password=...)``.

The city is built by the steps the modules register (``registered_steps()``). Each step is a function taking the
``DemoContext``: the step's own random generator (seeded from the seed and the step's
name, so adding a step never changes what the others produce), the organisations and
users made so far, and counters for the summary. A module adds its demo data by declaring
a ``DemoStep`` in its registry (``Module.demo``: the step's dotted path and the steps it
builds on); the step itself lives in ``huxiao/demo/<module>.py`` (docs/demo.md). Every step is idempotent: it looks up what exists by a
natural key (a code, a username) and creates only what is missing, through the module's
services, so the audit trail records the demo city like any other write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from huxiao.core import context, modules
from huxiao.core.models import Organization
from huxiao.core.roles import ensure_default_roles
from huxiao.demo import data
from huxiao.demo.timeline import Timeline

DEFAULT_PASSWORD = "Huxiao@2026"  # noqa: S105 (the documented demo password)


@dataclass
class DemoContext:
    """What the steps share while one demo city is built."""

    seed: int
    password: str
    timeline: Timeline | None = None  # the seeding day's dates (seed_demo sets it)
    rng: random.Random = field(default_factory=random.Random)
    orgs: dict[str, Organization] = field(default_factory=dict)  # by code
    users: dict = field(default_factory=dict)  # by username
    school_levels: dict[str, str] = field(
        default_factory=dict
    )  # school code -> data.SCHOOL_LEVELS key
    logins: list = field(default_factory=list)  # (DemoLogin, User, status) for the summary
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def rng_for(self, name: str) -> random.Random:
        # A string seed is hashed with SHA-512 by random.seed: stable across runs and
        # independent of PYTHONHASHSEED.
        return random.Random(f"huxiao-demo:{self.seed}:{name}")

    def org(self, code: str) -> Organization:
        return self.orgs[code]

    @property
    def today(self) -> dt.date:
        """The seeding day: steps read it here, never from the clock."""
        return self.timeline.today

    @property
    def city(self) -> Organization:
        return self.orgs[data.CITY_BUREAU.code]

    @property
    def stations(self) -> list[Organization]:
        return [self.orgs[f"PZH-PS-{n:02d}"] for n in range(1, len(data.STATIONS) + 1)]

    @property
    def schools(self) -> list[Organization]:
        total = sum(len(s.schools) for s in data.STATIONS)
        return [self.orgs[f"SCH-{n:02d}"] for n in range(1, total + 1)]

    def count_created(self, label: str, n: int = 1) -> None:
        self.created[label] += n

    def count_existing(self, label: str, n: int = 1) -> None:
        self.existing[label] += n

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass(frozen=True)
class Step:
    name: str  # also the key of the step's random generator: never rename a step
    run: Callable[[DemoContext], None]


def registered_steps() -> list[Step]:
    """The demo steps the installed modules register (``Module.demo``), each after the steps
    it names, otherwise in INSTALLED_APPS order."""
    return [Step(step.name, import_string(step.run)) for step in modules.demo_steps()]


@dataclass
class SeedResult:
    seed: int
    password_is_default: bool
    password: str
    created: Counter
    existing: Counter
    logins: list
    notes: list[str]
    today: dt.date
    timeline: Timeline

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        lines = [f"演示城市：{data.CITY_NAME}（{data.CITY_BUREAU.name}，随机种子 {self.seed}）"]
        school_day = "上学日" if self.timeline.is_school_day(self.today) else "非上学日"
        weekday = "一二三四五六日"[self.today.weekday()]
        lines.append(f"演示日期：{self.today:%Y-%m-%d}（星期{weekday}，{school_day}）")
        if self.created_total:
            lines.append("本次新建：" + _counts(self.created))
        else:
            lines.append("本次新建：无（演示数据已存在，已复用）")
        if self.existing:
            lines.append("已存在并复用：" + _counts(self.existing))
        shown = self.password if self.password_is_default else "--password 指定的密码"
        lines.append("")
        lines.append(f"演示账号（密码均为 {shown}，首次登录无需修改密码）：")
        rows = [("用户名", "姓名", "角色", "单位", "状态")]
        for login, user, status in self.logins:
            org = user.organization.name if user.organization_id else "-"
            role = user.role.name if user.role_id else "-"
            rows.append((login.username, user.full_name or "-", role, org, status))
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            lines.append(
                "  "
                + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        lines.extend(f"注意：{note}" for note in self.notes)
        return "\n".join(lines)


def _counts(counter: Counter) -> str:
    return "，".join(f"{label} {n}" for label, n in counter.items())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def seed_demo(
    *,
    seed: int = 2026,
    password: str,
    steps: list[Step] | None = None,
    today: dt.date | None = None,
) -> SeedResult:
    """Build (or complete) the demo city as of ``today`` (default: the clock's day); safe to
    run again, which only resets demo passwords.

    The clock is read once here; the steps read the day from ``ctx.timeline``. When ``today``
    is another day, the seeding runs with the clock moved to that day at the current time of
    day (time-machine), so that the services' own checks (no inspection after today, no
    deadline before it) agree with the demo's dates (docs/decisions.md).
    """
    try:
        validate_password(password)
    except ValidationError as exc:
        raise CommandError("演示账号密码不符合密码策略：" + "；".join(exc.messages)) from exc
    now = timezone.localtime()
    today = today or now.date()
    moment = now.replace(year=today.year, month=today.month, day=today.day)
    timeline = Timeline(today=today, moment=moment)
    ctx = DemoContext(seed=seed, password=password, timeline=timeline)
    moved = today != now.date()
    with _clock_at(moment, moved=moved), context.acting(source="cli"), transaction.atomic():
        ensure_default_roles()
        for step in registered_steps() if steps is None else steps:
            ctx.rng = ctx.rng_for(step.name)
            step.run(ctx)
    return SeedResult(
        seed=seed,
        password_is_default=password == DEFAULT_PASSWORD,
        password=password,
        created=ctx.created,
        existing=ctx.existing,
        logins=ctx.logins,
        notes=ctx.notes,
        today=today,
        timeline=timeline,
    )


def _clock_at(moment: dt.datetime, *, moved: bool):
    """The clock moved to ``moment`` (and running on) while the city is seeded."""
    if not moved:
        return contextlib.nullcontext()
    import time_machine  # a runtime dependency for this only (docs/decisions.md)

    return time_machine.travel(moment, tick=True)
