"""Bulk services validate every row like the single ones and leave one audit record."""

import pytest
from django.core.exceptions import ValidationError

from huxiao.core.models import AuditRecord
from huxiao.schools import services
from huxiao.schools.models import Device, EquipmentStock


def test_device_create_many_validates_all_and_writes_nothing_on_error(schools):
    a, _ = schools
    before = Device.objects.count()
    with pytest.raises(ValidationError):
        services.device_create_many(school=a, devices=[{"kind": "camera"}, {"kind": "not-a-kind"}])
    assert Device.objects.count() == before


def test_device_create_many_leaves_one_audit_record(schools):
    a, _ = schools
    records = AuditRecord.objects.count()
    created = services.device_create_many(
        school=a, devices=[{"kind": "camera", "retention_days": 30}, {"kind": "public_address"}]
    )
    assert len(created) == 2 and all(d.pk for d in created)
    assert AuditRecord.objects.count() == records + 1
    record = AuditRecord.objects.order_by("-seq").first()
    assert record.object_type == "schools.device" and record.after["count"] == 2


def test_equipment_set_many_creates_and_updates(schools):
    a, b = schools
    services.equipment_set_many(school=b, quantities={"shield": 2, "helmet": 1})
    services.equipment_set_many(school=b, quantities={"shield": 5})
    stock = dict(EquipmentStock.objects.filter(school=b).values_list("item", "quantity"))
    assert stock == {"shield": 5, "helmet": 1}
    record = AuditRecord.objects.order_by("-seq").first()
    assert record.before == {"shield": 2} and record.after["shield"] == 5
