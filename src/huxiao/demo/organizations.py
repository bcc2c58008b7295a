"""Demo step "organizations": the jurisdiction tree of 攀枝花市.

``plan_organizations(rng)`` is pure (no database): it lays out every organisation
with its code, parents and coordinates, so the plan for a seed can be compared
without writing anything. ``step_organizations`` writes the missing ones through
``huxiao.core.services.organization_create`` and reuses those whose code exists.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from huxiao.core import services
from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.demo import data

CITY_CODE = data.CITY_BUREAU.code


@dataclass(frozen=True)
class OrgSpec:
    """One organisation to create, parents listed before their children."""

    code: str
    kind: str
    name: str
    division_code: str
    parent: str | None = None  # code
    education_bureau: str | None = None  # code
    short_name: str = ""
    doc_prefix: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sort_order: int = 0
    level: str = ""  # schools only: a key of data.SCHOOL_LEVELS (not stored on Organization)


def station_code(number: int) -> str:
    return f"PZH-PS-{number:02d}"


def school_code(number: int) -> str:
    return f"SCH-{number:02d}"


def sub_bureau_code(district: data.District) -> str:
    return f"PZH-SB-{district.key}"


def education_bureau_code(district: data.District) -> str:
    return f"PZH-EDU-{district.key}"


def _coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _clamp(lat: float, lon: float, bbox: tuple[float, float, float, float]) -> tuple[float, float]:
    south, west, north, east = bbox
    return min(max(lat, south), north), min(max(lon, west), east)


def _offset(
    rng: random.Random, lat: float, lon: float, min_km: float, max_km: float
) -> tuple[float, float]:
    """A point ``min_km``–``max_km`` from (lat, lon) in a random direction."""
    bearing = rng.uniform(0, 2 * math.pi)
    distance = rng.uniform(min_km, max_km)
    dlat = distance * math.cos(bearing) / 111.32
    dlon = distance * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _short_school_name(name: str, district: data.District) -> str:
    short = name.removeprefix(data.CITY_NAME).removeprefix(district.name)
    return short or name


def plan_organizations(rng: random.Random) -> list[OrgSpec]:
    """Every organisation of the demo city, deterministic for a given ``rng`` state."""
    city = data.CITY_BUREAU
    specs: list[OrgSpec] = [
        OrgSpec(
            city.code,
            OrgKind.CITY_BUREAU,
            city.name,
            data.CITY_DIVISION,
            short_name=city.short_name,
            doc_prefix=city.doc_prefix,
            address="攀枝花市东区炳草岗大街28号",
            latitude=_coord(26.5862),
            longitude=_coord(101.7168),
        ),
    ]
    for order, unit in enumerate(data.POLICE_UNITS, start=1):
        specs.append(
            OrgSpec(
                unit.code,
                OrgKind.POLICE_UNIT,
                unit.name,
                data.CITY_DIVISION,
                parent=city.code,
                short_name=unit.short_name,
                doc_prefix=unit.doc_prefix,
                sort_order=order,
            )
        )
    for order, district in enumerate(data.DISTRICTS, start=1):
        specs.append(
            OrgSpec(
                sub_bureau_code(district),
                OrgKind.SUB_BUREAU,
                district.sub_bureau,
                district.division_code,
                parent=city.code,
                short_name=district.sub_bureau_short,
                doc_prefix=district.sub_bureau_doc_prefix,
                sort_order=10 + order,
            )
        )

    edu = data.CITY_EDUCATION_BUREAU
    specs.append(
        OrgSpec(
            edu.code,
            OrgKind.EDUCATION_BUREAU,
            edu.name,
            data.CITY_DIVISION,
            short_name=edu.short_name,
            doc_prefix=edu.doc_prefix,
        )
    )
    for order, district in enumerate(data.DISTRICTS, start=1):
        specs.append(
            OrgSpec(
                education_bureau_code(district),
                OrgKind.EDUCATION_BUREAU,
                district.education_bureau,
                district.division_code,
                parent=edu.code,
                short_name=district.education_bureau_short,
                doc_prefix=district.education_doc_prefix,
                sort_order=order,
            )
        )
    office = data.COORDINATION_OFFICE
    specs.append(
        OrgSpec(
            office.code,
            OrgKind.COORDINATION_OFFICE,
            office.name,
            data.CITY_DIVISION,
            short_name=office.short_name,
            doc_prefix=office.doc_prefix,
        )
    )
    company = data.SECURITY_COMPANY
    specs.append(
        OrgSpec(
            company.code,
            OrgKind.SECURITY_COMPANY,
            company.name,
            data.DISTRICT_BY_KEY["DQ"].division_code,
            short_name=company.short_name,
            address="攀枝花市东区攀枝花大道东段516号",
        )
    )

    school_number = 0
    for number, station in enumerate(data.STATIONS, start=1):
        district = data.DISTRICT_BY_KEY[station.district]
        # The station sits within ~300 m of its place's centre; its schools 0.3–2.5 km away
        # (up to 5 km in the rural towns of 仁和区).
        s_lat, s_lon = _clamp(
            *_offset(rng, station.latitude, station.longitude, 0.0, 0.3), district.bbox
        )
        specs.append(
            OrgSpec(
                station_code(number),
                OrgKind.STATION,
                station.name,
                district.division_code,
                parent=sub_bureau_code(district),
                doc_prefix="",
                address=f"{data.CITY_NAME}{district.name}{station.streets[0]}{rng.randint(1, 300)}号",
                latitude=_coord(s_lat),
                longitude=_coord(s_lon),
                sort_order=number,
            )
        )
        max_km = 5.0 if station.latitude < 26.46 else 2.5
        for school in station.schools:
            school_number += 1
            lat, lon = _clamp(*_offset(rng, s_lat, s_lon, 0.3, max_km), district.bbox)
            street = rng.choice(station.streets)
            specs.append(
                OrgSpec(
                    school_code(school_number),
                    OrgKind.SCHOOL,
                    school.name,
                    district.division_code,
                    parent=station_code(number),
                    education_bureau=education_bureau_code(district),
                    short_name=_short_school_name(school.name, district),
                    address=f"{data.CITY_NAME}{district.name}{street}{rng.randint(1, 400)}号",
                    latitude=_coord(lat),
                    longitude=_coord(lon),
                    sort_order=school_number,
                    level=school.level,
                )
            )
    return specs


KIND_LABELS = {
    OrgKind.CITY_BUREAU: "市公安局",
    OrgKind.SUB_BUREAU: "分局",
    OrgKind.STATION: "派出所",
    OrgKind.POLICE_UNIT: "警种支队",
    OrgKind.EDUCATION_BUREAU: "教育局",
    OrgKind.COORDINATION_OFFICE: "综治办/政法委",
    OrgKind.SECURITY_COMPANY: "保安公司",
    OrgKind.SCHOOL: "学校",
}


def step_organizations(ctx) -> None:
    """Create the organisations that do not exist yet (by code); reuse the others."""
    specs = plan_organizations(ctx.rng)
    existing = {o.code: o for o in Organization.objects.filter(code__in=[s.code for s in specs])}
    for spec in specs:
        org = existing.get(spec.code)
        if org is None:
            org = services.organization_create(
                kind=spec.kind,
                name=spec.name,
                code=spec.code,
                division_code=spec.division_code,
                parent=ctx.orgs[spec.parent] if spec.parent else None,
                education_bureau=ctx.orgs[spec.education_bureau] if spec.education_bureau else None,
                short_name=spec.short_name,
                doc_prefix=spec.doc_prefix,
                address=spec.address,
                latitude=spec.latitude,
                longitude=spec.longitude,
                sort_order=spec.sort_order,
            )
            ctx.count_created(KIND_LABELS[spec.kind])
        else:
            ctx.count_existing(KIND_LABELS[spec.kind])
        ctx.orgs[spec.code] = org
        if spec.level:
            ctx.school_levels[spec.code] = spec.level
