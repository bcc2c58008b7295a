"""The deployment's compliance policy, read from settings (environment variables).

HUXIAO_STAFFING_POLICY        gbt29315 (default) | 168
HUXIAO_STAFFING_ROUNDING      up (default: a part of 500 counts, "不低于") | down
HUXIAO_STAFFING_168_READING   mixed (default) | students | total
HUXIAO_STAFFING_BOARDER_ADDON 0 (off) or N: +1 guard per N boarders beyond the first N
HUXIAO_MIN_KIT                item:qty,… (default below)
HUXIAO_CAMERA_RETENTION_DAYS  30
HUXIAO_GUARD_MAX_AGE          60
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from huxiao.schools.choices import EquipmentItem

POLICY_168 = "168"
POLICY_GBT = "gbt29315"
READINGS = ("mixed", "students", "total")
DEFAULT_KIT = {
    EquipmentItem.STEEL_FORK: 2,
    EquipmentItem.BATON: 2,
    EquipmentItem.STAB_VEST: 2,
    EquipmentItem.CUT_GLOVES: 2,
    EquipmentItem.HELMET: 2,
    EquipmentItem.SHIELD: 1,
    EquipmentItem.FLASHLIGHT: 1,
    EquipmentItem.RADIO: 2,
}


@dataclass(frozen=True)
class Policy:
    staffing: str = POLICY_GBT
    round_up: bool = True
    reading_168: str = "mixed"
    boarder_addon: int = 0
    min_kit: dict = field(default_factory=lambda: dict(DEFAULT_KIT))
    camera_retention_days: int = 30
    guard_max_age: int = 60

    def __post_init__(self):
        if self.staffing not in (POLICY_168, POLICY_GBT):
            raise ImproperlyConfigured(
                f"HUXIAO_STAFFING_POLICY={self.staffing!r}: use 168 or gbt29315"
            )
        if self.reading_168 not in READINGS:
            raise ImproperlyConfigured(
                f"HUXIAO_STAFFING_168_READING={self.reading_168!r}: use {READINGS}"
            )
        unknown = set(self.min_kit) - set(EquipmentItem.values)
        if unknown:
            raise ImproperlyConfigured(f"HUXIAO_MIN_KIT names unknown items: {sorted(unknown)}")


def parse_kit(text: str) -> dict:
    kit = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        item, _, qty = part.partition(":")
        try:
            kit[item.strip()] = int(qty)
        except ValueError as exc:
            raise ImproperlyConfigured(f"HUXIAO_MIN_KIT: {part!r} is not item:quantity") from exc
    return kit


def current() -> Policy:
    """The policy of this deployment, from the settings (so tests can override them)."""
    return Policy(
        staffing=settings.SCHOOL_STAFFING_POLICY,
        round_up=settings.SCHOOL_STAFFING_ROUNDING == "up",
        reading_168=settings.SCHOOL_STAFFING_168_READING,
        boarder_addon=settings.SCHOOL_STAFFING_BOARDER_ADDON,
        min_kit=parse_kit(settings.SCHOOL_MIN_KIT)
        if settings.SCHOOL_MIN_KIT
        else dict(DEFAULT_KIT),
        camera_retention_days=settings.SCHOOL_CAMERA_RETENTION_DAYS,
        guard_max_age=settings.SCHOOL_GUARD_MAX_AGE,
    )
