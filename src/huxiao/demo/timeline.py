"""Where the demo city's dates fall: everything is placed relative to the seeding day.

The demo is drawn as a picture of one reference day (``REFERENCE_DAY``, 2026-11-22: the
autumn 护校安园专项检查 has run three weeks, school01's notice is due in the coming days, the
spring campaign's leftovers are overdue). Seeded on another day, each reference date lands at
``today + (date - REFERENCE_DAY)``; a visit (an inspection, a showcase) or a campaign launch
that lands on a weekend or an official holiday moves back to the previous working day
(``workcalendar.is_workday``). Campaign names follow their placed dates, so a city seeded in
2027 runs a "2027年…" campaign. School terms are fixed calendar dates (秋季学期 Sep 1 – Jan 20,
春季学期 Feb 20 – Jul 10) of the school years around the seeding day.

``seed_demo`` builds one ``Timeline`` (it reads the clock once) and every step reads its dates
from it: no step calls the clock itself. docs/demo.md, “Dates”.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from huxiao.core import workcalendar
from huxiao.patrols import rules as patrol_rules

REFERENCE_DAY = dt.date(2026, 11, 22)  # a Sunday; the day the demo city is pictured on

# The reference calendar (dates as pictured on REFERENCE_DAY).
SCHOOLS_AS_OF = dt.date(2026, 9, 1)  # guards' ages, certificates and training count from here
RECENT_VISITS_FROM = dt.date(2026, 11, 11)  # the running campaign's latest visits


@dataclass(frozen=True)
class ReferenceCampaign:
    key: str
    kind: str  # the name after the year and season: 开学安全大检查, 护校安园专项检查
    start: dt.date
    end: dt.date
    first_visit: dt.date  # inspections fall on working days of this window
    last_visit: dt.date


PREVIOUS, CURRENT = "previous", "current"
REFERENCE_CAMPAIGNS: tuple[ReferenceCampaign, ...] = (
    # Finished last term: every school inspected once.
    ReferenceCampaign(
        PREVIOUS,
        "开学安全大检查",
        dt.date(2026, 2, 16),
        dt.date(2026, 3, 31),
        dt.date(2026, 2, 24),
        dt.date(2026, 3, 27),
    ),
    # Running: started three weeks ago, ends in four.
    ReferenceCampaign(
        CURRENT,
        "护校安园专项检查",
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 20),
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 20),
    ),
)

# School terms, as (month, day) of their first and last day; the autumn term ends next year.
SPRING_TERM = ((2, 20), (7, 10))
AUTUMN_TERM = ((9, 1), (1, 20))


@dataclass(frozen=True)
class PlacedCampaign:
    key: str
    name: str
    start: dt.date
    end: dt.date
    first_visit: dt.date
    last_visit: dt.date


def season(day: dt.date) -> tuple[int, str]:
    """(school year, 春季 | 秋季) of a day: Feb–Jul is spring, Aug–Jan autumn (January counts
    as the previous year's autumn)."""
    if day.month == 1:
        return day.year - 1, "秋季"
    return day.year, "春季" if day.month <= 7 else "秋季"


def campaign_name(kind: str, start: dt.date) -> str:
    year, name = season(start)
    return f"{year}年{name}{kind}"


def previous_workday(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not workcalendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Timeline:
    """The demo's dates for one seeding day. ``moment`` is the seeding moment (aware): today's
    duty windows that opened before it have their check-ins; None means none has opened."""

    today: dt.date
    moment: dt.datetime | None = None

    @property
    def offset(self) -> dt.timedelta:
        return self.today - REFERENCE_DAY

    def place(self, reference: dt.date) -> dt.date:
        """A reference date moved to the seeding day's picture."""
        return reference + self.offset

    def visit(self, reference: dt.date) -> dt.date:
        """A placed date for something done on a working day (back to the previous one)."""
        return previous_workday(self.place(reference))

    def campaign(self, key: str) -> PlacedCampaign:
        ref = next(c for c in REFERENCE_CAMPAIGNS if c.key == key)
        start = self.visit(ref.start)
        return PlacedCampaign(
            key=key,
            name=campaign_name(ref.kind, start),
            start=start,
            end=self.place(ref.end),
            first_visit=self.place(ref.first_visit),
            last_visit=self.place(ref.last_visit),
        )

    @property
    def campaigns(self) -> tuple[PlacedCampaign, ...]:
        return tuple(self.campaign(c.key) for c in REFERENCE_CAMPAIGNS)

    @property
    def recent_visits_from(self) -> dt.date:
        return self.place(RECENT_VISITS_FROM)

    @property
    def schools_as_of(self) -> dt.date:
        return self.place(SCHOOLS_AS_OF)

    @property
    def terms(self) -> list[dict]:
        """``School.term_calendar``: the terms of the school years around the seeding day
        (from the spring term of last year to the autumn term of next year)."""
        terms = []
        for year in range(self.today.year - 1, self.today.year + 2):
            (sm, sd), (em, ed) = SPRING_TERM
            terms.append(
                {
                    "name": f"{year}年春季学期",
                    "start": dt.date(year, sm, sd).isoformat(),
                    "end": dt.date(year, em, ed).isoformat(),
                }
            )
            (sm, sd), (em, ed) = AUTUMN_TERM
            terms.append(
                {
                    "name": f"{year}年秋季学期",
                    "start": dt.date(year, sm, sd).isoformat(),
                    "end": dt.date(year + 1, em, ed).isoformat(),
                }
            )
        return terms

    def is_school_day(self, day: dt.date) -> bool:
        """A working day in one of the demo's terms."""
        return patrol_rules.is_school_day(self.terms, day)
