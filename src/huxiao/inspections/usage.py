"""How many records use an entry of the module's dictionaries (字典管理 refuses to delete a used
entry; it can only be disabled). Named in the registry's ``Dictionary.usage``."""

from __future__ import annotations


def hazard_category(value: str) -> int:
    from huxiao.inspections.models import Hazard

    return Hazard.objects.filter(category=value).count()
