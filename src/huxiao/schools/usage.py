"""How many records use an entry of the module's dictionaries (字典管理 refuses to delete a used
entry; it can only be disabled). Named in the registry's ``Dictionary.usage``."""

from __future__ import annotations


def device_kind(value: str) -> int:
    from huxiao.schools.models import Device

    return Device.objects.filter(kind=value).count()


def equipment_kind(value: str) -> int:
    """The schools' stock rows of the kind, and one more while the minimum kit (参数设置) names
    it: the compliance rule needs the kind."""
    from huxiao.schools import policy
    from huxiao.schools.models import EquipmentStock

    in_kit = 1 if value in policy.current().min_kit else 0
    return EquipmentStock.objects.filter(item=value).count() + in_kit
