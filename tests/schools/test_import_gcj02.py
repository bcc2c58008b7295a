"""Coordinates declared GCJ-02 (高德/腾讯地图) are converted and stored as WGS-84."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huxiao.core.models import Organization
from huxiao.schools.geo import wgs84_to_gcj02
from huxiao.schools.imports import commit, get_ledger
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import (
    SCHOOL_HEADERS,
    school_row,
    xlsx_bytes,
)

schools_ab = fx.schools_ab  # shared fixtures

pytestmark = pytest.mark.django_db

WGS = (102.712345, 25.041234)  # a point in Kunming


def _import(gcj02: bool, lng: float, lat: float):
    data = xlsx_bytes(SCHOOL_HEADERS, [school_row(1, 经度=lng, 纬度=lat)])
    outcome = commit(get_ledger("schools"), data, "s.xlsx", gcj02=gcj02)
    assert outcome.ok, outcome.plan.errors
    return Organization.objects.get(code="T-NEW-01")


def test_it_converts_gcj02_to_wgs84(schools_ab):
    gcj = wgs84_to_gcj02(*WGS)
    assert abs(gcj[0] - WGS[0]) > 0.001  # GCJ-02 is hundreds of metres off
    org = _import(True, *gcj)
    assert abs(float(org.longitude) - WGS[0]) < 2e-6
    assert abs(float(org.latitude) - WGS[1]) < 2e-6


def test_it_keeps_wgs84_as_given_when_not_declared_gcj02(schools_ab):
    org = _import(False, *WGS)
    assert (org.longitude, org.latitude) == (Decimal("102.712345"), Decimal("25.041234"))
