"""The jurisdiction under the statistics map's markers: each police station's area and its
schools, so that the map reads on an intranet where no tile server answers.

A station's area is the convex hull of its schools' coordinates (the latitude and longitude
numbers of their organisations, WGS-84; there is no GIS database), computed with shapely in
``station_area`` — the one place it is computed. ``jurisdiction`` reads the schools the user
may see and gives the page (``views_stats``) the areas and the schools to draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from shapely.geometry import MultiPoint

from huxiao.schools.models import School

# Metres from an area's edge to the schools on its hull: a school is drawn inside its area,
# not on the line, and a station with one or two schools still has an area to label.
AREA_MARGIN_M = 250
MAX_SCHOOLS = 3000
_METRES_PER_DEGREE = 111_195  # of latitude (mean Earth radius); of longitude × cos(latitude)


def station_area(points: Iterable[tuple[float, float]], margin_m: float = AREA_MARGIN_M):
    """The area of a station whose schools stand at ``points`` ((longitude, latitude) pairs): the
    convex hull of the points widened by ``margin_m`` metres, as an open ring
    [[longitude, latitude], …] (the first point is not repeated), or [] without points.

    The hull is taken in local metres (longitude scaled by the cosine of the mean latitude,
    exact enough over a city), so the margin is as wide east–west as north–south.
    """
    unique = sorted({(float(lon), float(lat)) for lon, lat in points})
    if not unique:
        return []
    lat0 = sum(lat for _lon, lat in unique) / len(unique)
    lon0 = sum(lon for lon, _lat in unique) / len(unique)
    x_scale = _METRES_PER_DEGREE * math.cos(math.radians(lat0))
    local = MultiPoint(
        [((lon - lon0) * x_scale, (lat - lat0) * _METRES_PER_DEGREE) for lon, lat in unique]
    )
    # Three or more schools not on one line: the hull is a polygon, widened by the margin.
    # One or two schools (or all on one street): the hull is a point or a segment, with no
    # area; buffering it gives a small disc or capsule around them instead.
    area = local.convex_hull.buffer(margin_m, quad_segs=4)
    ring = list(area.exterior.coords)[:-1]
    return [
        [round(lon0 + x / x_scale, 6), round(lat0 + y / _METRES_PER_DEGREE, 6)] for x, y in ring
    ]


def jurisdiction(*, user, schools=None) -> dict:
    """{"areas": [{"name", "schools", "ring"}], "schools": [{"lat", "lon", "name"}]}: the
    schools ``user`` may see (within ``schools`` when given) that have coordinates, and each
    of their stations' areas (``station_area``), in tree order. One query."""
    rows = School.objects.visible_to(user).filter(
        organization__is_active=True,
        organization__latitude__isnull=False,
        organization__longitude__isnull=False,
    )
    if schools is not None:
        rows = rows.filter(pk__in=schools.values("pk"))
    rows = rows.order_by("organization__path").values_list(
        "organization__name",
        "organization__latitude",
        "organization__longitude",
        "organization__parent_id",
        "organization__parent__name",
    )[:MAX_SCHOOLS]
    stations: dict[int | None, tuple[str, list]] = {}
    found = []
    for name, lat, lon, station_id, station_name in rows:
        found.append({"lat": float(lat), "lon": float(lon), "name": name})
        stations.setdefault(station_id, (station_name or "", []))[1].append((lon, lat))
    areas = [
        {"name": station_name, "schools": len(points), "ring": station_area(points)}
        for station_id, (station_name, points) in stations.items()
        if station_id is not None
    ]
    return {"areas": areas, "schools": found}
