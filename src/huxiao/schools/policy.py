"""The deployment's compliance policy: business parameters (参数设置, ``core.parameters``) an
administrator may change in the UI; their defaults come from these environment variables, which
win over the UI when set.

HUXIAO_STAFFING_POLICY        gbt29315 (default) | 168 | 38
HUXIAO_STAFFING_ROUNDING      up (default: a part of 500 counts, "不低于") | down
HUXIAO_STAFFING_168_READING   mixed (default) | students | total
HUXIAO_STAFFING_BOARDER_ADDON 0 (off) or N: +1 guard per N boarders beyond the first N
HUXIAO_MIN_KIT                item:qty,… (default below)
HUXIAO_CAMERA_RETENTION_DAYS  30
HUXIAO_GUARD_MAX_AGE          60
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from huxiao.core import dictionaries, parameters
from huxiao.schools.choices import EQUIPMENT_KIND, EquipmentItem

POLICY_168 = "168"
POLICY_GBT = "gbt29315"
POLICY_38 = "38"  # 公通字〔2010〕38号, quoted by seed 004
POLICIES = (POLICY_GBT, POLICY_168, POLICY_38)
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
    # The labels of the equipment kinds (字典管理, schools.equipment_kind), read once with the
    # policy; empty: the shipped labels.
    kit_labels: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.staffing not in POLICIES:
            raise ImproperlyConfigured(
                f"HUXIAO_STAFFING_POLICY={self.staffing!r}: use one of {', '.join(POLICIES)}"
            )
        if self.reading_168 not in READINGS:
            raise ImproperlyConfigured(
                f"HUXIAO_STAFFING_168_READING={self.reading_168!r}: use {READINGS}"
            )

    def kit_label(self, item: str) -> str:
        if item in self.kit_labels:
            return self.kit_labels[item]
        return str(dict(EquipmentItem.choices).get(item, item))


def parse_kit(text: str) -> dict:
    kit = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        item, _, qty = part.partition(":")
        try:
            kit[item.strip()] = int(qty)
        except ValueError as exc:
            raise ImproperlyConfigured(f"HUXIAO_MIN_KIT: {part!r} is not item:quantity") from exc
    return kit


def check_kit(text: str) -> None:
    """参数设置's check of a minimum kit typed by an administrator (empty: the default kit): the
    items are codes of enabled equipment kinds (字典管理, schools.equipment_kind)."""
    known = {e.code: e.label for e in dictionaries.entries(EQUIPMENT_KIND) if e.is_enabled}
    for part in filter(None, (p.strip() for p in text.split(","))):
        item, sep, qty = part.partition(":")
        item = item.strip()
        if not sep or not qty.strip().isdigit():
            raise ValidationError(
                _(
                    "“%(part)s”的格式不对：请写成 编码:数量，多项用英文逗号分隔，如 steel_fork:2,radio:2。"
                )
                % {"part": part}
            )
        if item not in known:
            raise ValidationError(
                _("没有装备“%(item)s”。可用的编码：%(codes)s。")
                % {"item": item, "codes": ", ".join(known)}
            )


def current() -> Policy:
    """The policy in force: the parameters (environment, then what an administrator saved,
    then the settings default, which tests override)."""
    kit = parameters.get("SCHOOL_MIN_KIT")
    min_kit = parse_kit(kit) if kit else dict(DEFAULT_KIT)
    labels = dictionaries.labels(EQUIPMENT_KIND)
    unknown = set(min_kit) - set(labels)
    if unknown:
        # 字典管理 never deletes a kind the kit names (usage.equipment_kind counts it), and
        # 参数设置 checks a saved kit: only the environment variable can name an unknown one.
        raise ImproperlyConfigured(f"HUXIAO_MIN_KIT names unknown items: {sorted(unknown)}")
    return Policy(
        staffing=parameters.get("SCHOOL_STAFFING_POLICY"),
        round_up=parameters.get("SCHOOL_STAFFING_ROUNDING") == "up",
        reading_168=parameters.get("SCHOOL_STAFFING_168_READING"),
        boarder_addon=parameters.get("SCHOOL_STAFFING_BOARDER_ADDON"),
        min_kit=min_kit,
        camera_retention_days=parameters.get("SCHOOL_CAMERA_RETENTION_DAYS"),
        guard_max_age=parameters.get("SCHOOL_GUARD_MAX_AGE"),
        kit_labels=labels,
    )
