"""Coordinates: GCJ-02 → WGS-84 conversion and campus-boundary validation.

Chinese maps publish GCJ-02 ("火星坐标"); we store WGS-84 (SPEC 3). The conversion is the
published GCJ-02 forward transform inverted by fixed-point iteration (error < 1e-7°,
about a centimetre), so it needs no library.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_A = 6378245.0
_EE = 0.00669342162296594323


def _outside_china(lng: float, lat: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if _outside_china(lng, lat):
        return lng, lat
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """Invert the forward transform by iteration (converges in a few steps)."""
    if _outside_china(lng, lat):
        return lng, lat
    wlng, wlat = lng, lat
    for _step in range(30):
        glng, glat = wgs84_to_gcj02(wlng, wlat)
        dlng, dlat = glng - lng, glat - lat
        wlng, wlat = wlng - dlng, wlat - dlat
        if abs(dlng) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlng, wlat


def validate_point(lng, lat) -> None:
    if lng is None and lat is None:
        return
    if lng is None or lat is None:
        raise ValidationError(_("经度和纬度须同时填写。"))
    if not (-180 <= float(lng) <= 180) or not (-90 <= float(lat) <= 90):
        raise ValidationError(_("坐标超出范围：经度应在-180至180之间，纬度应在-90至90之间。"))


def validate_boundary(ring) -> None:
    """A campus boundary: a closed, valid polygon of at least 3 [lng, lat] points."""
    from shapely.geometry import Polygon

    try:
        points = [(float(p[0]), float(p[1])) for p in ring]
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise ValidationError(_("校园边界应为[经度, 纬度]坐标点的列表。")) from exc
    if len(points) < 3:
        raise ValidationError(_("校园边界至少需要3个坐标点。"))
    for lng, lat in points:
        validate_point(lng, lat)
    polygon = Polygon(points)
    if not polygon.is_valid or polygon.area == 0:
        raise ValidationError(_("校园边界不是有效的多边形（边不能自相交）。"))
