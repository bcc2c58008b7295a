"""How many records use an entry of the module's dictionaries (字典管理 refuses to delete a used
entry; it can only be disabled). Named in the registry's ``Dictionary.usage``. A count by type,
never a record: the system administrator who reads it sees no police data."""

from __future__ import annotations


def dispute_kind(value: str) -> int:
    from huxiao.persons.models import Dispute

    return Dispute.objects.filter(kind=value).count()
