"""A school's technical-defence devices: list, add, edit, delete, export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.schools.models import Device
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def test_it_lists_the_school_s_devices_only(pages, schools):
    a, _ = schools
    response = pages("edu_officer").get(reverse("schools:school_device_list", args=[a.pk]))
    assert response.status_code == 200
    rows = list(response.context["page_obj"].object_list)
    assert sorted(d.kind for d in rows) == ["camera", "one_key_alarm"]
    assert all(d.school_id == a.pk for d in rows)
    assert "视频监控" in response.content.decode()


def test_it_filters_the_devices_by_kind(pages, schools):
    a, _ = schools
    response = pages("officer_a").get(
        reverse("schools:school_device_list", args=[a.pk]), {"kind": "camera"}
    )
    assert [d.kind for d in response.context["page_obj"].object_list] == ["camera"]


def test_it_adds_edits_and_deletes_a_device_through_the_services(pages, schools, people):
    a, _ = schools
    client = pages("chief")
    response = client.post(
        reverse("schools:school_device_add", args=[a.pk]),
        {
            "kind": "camera",
            "name": "东门枪机",
            "area": "东门",
            "retention_days": "15",
            "networked_police": "on",
            "is_online": "on",
        },
    )
    assert response.status_code == 302
    device = Device.objects.get(school=a, name="东门枪机")
    assert device.retention_days == 15 and device.networked_police
    created = AuditRecord.objects.get(
        object_type="schools.device", object_id=str(device.pk), action="create"
    )
    assert created.actor_id == people.chief.pk
    # the short retention makes the rule fail on the school page
    detail = client.get(reverse("schools:school_detail", args=[a.pk]))
    results = {r["code"]: r for r in detail.context["results"]}
    assert results["camera_retention"]["status"] == "fail"

    response = client.post(
        reverse("schools:school_device_edit", args=[a.pk, device.pk]),
        {"kind": "camera", "name": "东门枪机", "area": "东门", "retention_days": "30"},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.retention_days == 30 and not device.networked_police and not device.is_online
    updated = AuditRecord.objects.filter(
        object_type="schools.device", object_id=str(device.pk), action="update"
    ).latest("seq")
    assert updated.actor_id == people.chief.pk
    assert updated.after["retention_days"] == 30

    confirm = client.get(reverse("schools:school_device_delete", args=[a.pk, device.pk]))
    assert "确定要删除技防设备“东门枪机”吗" in confirm.content.decode()
    assert (
        client.post(reverse("schools:school_device_delete", args=[a.pk, device.pk])).status_code
        == 302
    )
    assert not Device.objects.filter(pk=device.pk).exists()
    deleted = AuditRecord.objects.get(
        object_type="schools.device", object_id=str(device.pk), action="delete"
    )
    assert deleted.actor_id == people.chief.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "drone"}, "设备类型不存在或已停用"),
        ({"kind": "camera", "retention_days": "-1"}, "确保该值大于或等于0。"),
        ({"kind": ""}, "这个字段是必填项。"),
    ],
)
def test_it_answers_400_in_chinese_for_a_device_it_cannot_take(pages, schools, data, message):
    a, _ = schools
    response = pages("officer_a").post(reverse("schools:school_device_add", args=[a.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Device.objects.filter(school=a).count() == 2


def test_it_exports_the_school_s_devices(pages, schools, people):
    a, _ = schools
    response = pages("officer_a").get(
        reverse("schools:school_device_export", args=[a.pk]), {"kind": "camera"}
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["类型", "名称", "覆盖区域", "录像保存天数"]
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [("视频监控", 30, "是")]
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.object_type == "schools.device" and record.actor_id == people.officer_a.pk
    assert record.after == {"count": 1, "filters": {"school": str(a.pk), "kind": "camera"}}
