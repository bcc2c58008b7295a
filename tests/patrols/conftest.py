"""Patrol fixtures over the harness city: a 护学岗 at school_a's gate (station 01) and one at
school_b's (station 02), with the default windows 上学 07:00–08:30 and 放学 16:00–18:00."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from huxiao.patrols import services
from huxiao.schools import services as school_services

GATE_A = (Decimal("26.580000"), Decimal("101.720000"))
GATE_B = (Decimal("26.560000"), Decimal("101.700000"))
# A school day (Monday 2026-11-23) and a national holiday (Thursday 2026-10-01).
SCHOOL_DAY = dt.date(2026, 11, 23)
HOLIDAY = dt.date(2026, 10, 1)


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


def offset(lat, lon, metres_north: float):
    """A point ``metres_north`` north of (lat, lon)."""
    return lat + Decimal(str(round(metres_north / 111_195, 6))), lon


@pytest.fixture
def pschools(city):
    a = school_services.school_register(
        organization=city.school_a,
        school_code="5301118001",
        level="primary",
        locality="urban",
        students=600,
        staff=40,
    )
    b = school_services.school_register(
        organization=city.school_b,
        school_code="5301118002",
        level="junior",
        locality="urban",
        students=300,
        staff=30,
    )
    return a, b


@pytest.fixture
def posts(pschools):
    a, b = pschools
    post_a = services.post_create(
        school=a, name="南门护学岗", latitude=GATE_A[0], longitude=GATE_A[1]
    )
    post_b = services.post_create(
        school=b, name="正门护学岗", latitude=GATE_B[0], longitude=GATE_B[1]
    )
    return post_a, post_b
