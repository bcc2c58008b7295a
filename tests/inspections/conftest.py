"""Inspection fixtures over the harness city: school_a (station 01, bureau A) and school_b
(station 02, bureau B) registered as schools, the default checklist, and factories for the
loop's records. Every write goes through the services, as in production."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huxiao.inspections import services
from huxiao.inspections.choices import ItemResult
from huxiao.inspections.models import ChecklistTemplate
from huxiao.schools import services as school_services


def png_bytes(color=(200, 30, 30)) -> bytes:
    """A real 4x4 PNG (what a phone photo upload is checked against)."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes(color) * 4 for _ in range(4))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def photo(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def ischools(city):
    """(school_a, school_b) as School records (no guards/devices: the loop does not need them)."""
    city.station_a.doc_prefix = "测甲公治"
    city.station_a.save(update_fields=["doc_prefix"])
    a = school_services.school_register(
        organization=city.school_a,
        school_code="5301119001",
        level="primary",
        locality="urban",
        students=600,
        staff=40,
    )
    b = school_services.school_register(
        organization=city.school_b,
        school_code="5301119002",
        level="junior",
        locality="rural",
        students=300,
        staff=30,
    )
    return a, b


@pytest.fixture
def checklist(db):
    return ChecklistTemplate.objects.order_by("pk").first()


@pytest.fixture
def make_inspection(people, checklist):
    def _make(school, *, officer=None, fail=("RF-01",), campaign=None, date=None, finish=True):
        officer = officer or people.officer_a
        inspection = services.inspection_start(
            school=school,
            date=date or timezone.localdate(),
            inspectors=[officer],
            campaign=campaign,
            checklist=None if campaign else checklist,
            actor=officer,
        )
        results = {
            r.pk: {
                "result": ItemResult.FAIL if r.item.code in fail else ItemResult.PASS,
                "note": "不符合要求" if r.item.code in fail else "",
            }
            for r in inspection.results.select_related("item")
        }
        services.inspection_record(inspection=inspection, results=results, actor=officer)
        if finish:
            services.inspection_finish(inspection=inspection, summary="检查完毕", actor=officer)
        return inspection

    return _make


@pytest.fixture
def make_hazard(people):
    def _make(
        school, *, severity="ordinary", deadline=None, actor=None, title="校门未设防冲撞设施"
    ):
        return services.hazard_create(
            school=school,
            source="inspection",
            category="physical",
            severity=severity,
            title=title,
            deadline=deadline,
            actor=actor or people.officer_a,
        )

    return _make


__all__ = ["dt", "io", "photo", "png_bytes"]
