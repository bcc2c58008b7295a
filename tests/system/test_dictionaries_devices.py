# ruff: noqa: F811  (the fixtures imported from another test package are parameters here)
"""Device kinds (schools.device_kind) as a dictionary: an added kind is offered, used, listed,
exported, imported and shown; disabled, it is refused for new devices (page, service, API,
import) and kept by the old ones; the shipped kinds the compliance rules reason about stay."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from huxiao.core import dictionaries
from huxiao.core.models import DictionaryItem
from huxiao.schools import services
from huxiao.schools.choices import DEVICE_KIND, DeviceKind
from huxiao.schools.imports import commit, get_ledger, prepare
from huxiao.schools.imports.base import Scope
from huxiao.schools.models import Device
from huxiao.system.services import dictionaries as dictionary_services
from tests.inspections.conftest import ischools  # noqa: F401  (fixture)
from tests.schools.conftest import schools  # noqa: F401  (fixture)
from tests.schools.test_import_fixtures import CODE_A, xlsx_bytes
from tests.schools.test_pages_support import grant_school_permissions
from tests.system.test_dictionaries import xlsx_rows

HEADERS = ["学校标识码", "类型", "名称", "覆盖区域"]


@pytest.fixture
def pages(schools, client_for):
    grant_school_permissions()
    return client_for


@pytest.fixture
def gate(client_for):
    """The system administrator adds the device kind 人脸识别闸机."""
    response = client_for("admin").post(
        reverse("system:dictionary_item_create", args=[DEVICE_KIND]),
        {"code": "face_gate", "label": "人脸识别闸机", "is_enabled": "on"},
    )
    assert response.status_code == 302
    return DictionaryItem.objects.get(dictionary=DEVICE_KIND, code="face_gate")


def disable(item):
    dictionary_services.dictionary_item_update(
        item=item, label=item.label, sort_order=item.sort_order, is_enabled=False
    )


def kind_options(response) -> dict[str, str]:
    return dict(response.context["form"].fields["kind"].choices)


def import_devices(rows, **kw):
    return prepare(get_ledger("devices"), xlsx_bytes(HEADERS, rows), "设备.xlsx", **kw)


def test_the_shipped_kinds_are_the_entries_and_the_codes_stay(db):
    assert [(e.code, e.label) for e in dictionaries.entries(DEVICE_KIND)] == [
        (value, str(label)) for value, label in DeviceKind.choices
    ]
    camera = DictionaryItem.objects.get(dictionary=DEVICE_KIND, code=DeviceKind.CAMERA)
    assert camera.is_builtin
    spec = dictionaries.spec(DEVICE_KIND)
    assert "内置" in dictionary_services.delete_refusal(spec, camera)


def test_an_added_kind_is_offered_used_listed_exported_and_shown(gate, pages, schools, people):
    a, _ = schools
    chief = pages("chief")
    add = reverse("schools:school_device_add", args=[a.pk])
    assert kind_options(chief.get(add))["face_gate"] == "人脸识别闸机"
    response = chief.post(add, {"kind": "face_gate", "name": "南门闸机", "is_online": "on"})
    assert response.status_code == 302
    device = Device.objects.get(name="南门闸机")
    assert (device.kind, device.kind_label, str(device)) == (
        "face_gate",
        "人脸识别闸机",
        "南门闸机",
    )

    device_list = reverse("schools:school_device_list", args=[a.pk])
    listed = chief.get(device_list, {"kind": "face_gate"})
    assert [d.pk for d in listed.context["page_obj"]] == [device.pk]
    assert "人脸识别闸机" in listed.content.decode()
    export = xlsx_rows(
        chief.get(reverse("schools:school_device_export", args=[a.pk]), {"kind": "face_gate"})
    )
    assert export[1][0] == "人脸识别闸机"

    detail = chief.get(reverse("schools:school_detail", args=[a.pk]))
    summary = {row["kind"]: row for row in detail.context["devices"]}
    assert summary["face_gate"]["label"] == "人脸识别闸机" and summary["face_gate"]["total"] == 1

    api = chief.get(f"/api/v1/schools/{a.pk}/devices").json()["items"]
    assert {"kind": "face_gate", "kind_label": "人脸识别闸机"}.items() <= next(
        d for d in api if d["id"] == device.pk
    ).items()
    made = chief.post(
        f"/api/v1/schools/{a.pk}/devices",
        {"kind": "face_gate", "name": "北门闸机"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["kind_label"] == "人脸识别闸机"


def test_a_disabled_kind_is_refused_for_new_devices_and_kept_by_old_ones(
    gate, pages, schools, people
):
    a, _ = schools
    old = services.device_create(school=a, kind="face_gate", name="南门闸机")
    disable(gate)
    chief = pages("chief")
    add = reverse("schools:school_device_add", args=[a.pk])
    assert "face_gate" not in kind_options(chief.get(add))
    refused = chief.post(add, {"kind": "face_gate", "name": "北门闸机"})
    assert refused.status_code == 400
    assert "设备类型不存在或已停用" in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        services.device_create(school=a, kind="face_gate", name="北门闸机")
    assert error.value.message_dict["kind"] == ["设备类型不存在或已停用，请重新选择。"]
    with pytest.raises(ValidationError):
        services.device_create_many(school=a, devices=[{"kind": "face_gate"}])
    with pytest.raises(ValidationError):
        services.device_update(device=Device.objects.get(kind="camera", school=a), kind="face_gate")
    api = chief.post(
        f"/api/v1/schools/{a.pk}/devices",
        {"kind": "face_gate", "name": "北门闸机"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "已停用" in api.content.decode("utf-8")
    assert not Device.objects.filter(name="北门闸机").exists()

    # The old device keeps its kind through an edit, which still offers it; the list's filter
    # still finds it; its label is shown.
    edit = reverse("schools:school_device_edit", args=[a.pk, old.pk])
    assert kind_options(chief.get(edit))["face_gate"] == "人脸识别闸机"
    saved = chief.post(edit, {"kind": "face_gate", "name": "南门闸机", "area": "南门"})
    assert saved.status_code == 302
    old.refresh_from_db()
    assert (old.kind, old.area, old.kind_label) == ("face_gate", "南门", "人脸识别闸机")
    listed = chief.get(reverse("schools:school_device_list", args=[a.pk]), {"kind": "face_gate"})
    assert [d.pk for d in listed.context["page_obj"]] == [old.pk]
    # A used entry cannot be deleted.
    spec = dictionaries.spec(DEVICE_KIND)
    assert "1 条记录" in dictionary_services.delete_refusal(spec, gate)


def test_the_import_matches_the_dictionary_s_labels_and_names_the_bad_cell(gate, schools):
    plan = import_devices(
        [
            [CODE_A, "人脸识别闸机", "南门闸机", "南门"],
            [CODE_A, "face_gate", "北门闸机", "北门"],
            [CODE_A, "无人机", "巡逻机", ""],
        ]
    )
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(4, "类型", "无人机")]
    assert "人脸识别闸机" in plan.errors[0].message and "视频监控" in plan.errors[0].message
    outcome = commit(
        get_ledger("devices"),
        xlsx_bytes(HEADERS, [[CODE_A, "人脸识别闸机", "南门闸机", "南门"]]),
        "设备.xlsx",
    )
    assert outcome.ok
    assert Device.objects.get(name="南门闸机").kind == "face_gate"
    # The template's 说明 lists the enabled kinds, the added one among them.
    assert "人脸识别闸机" in str(get_ledger("devices").column("kind").help)


def test_the_import_refuses_a_disabled_kind_for_a_new_device_only(gate, schools):
    a, _ = schools
    services.device_create(school=a, kind="face_gate", name="南门闸机")
    disable(gate)
    assert "人脸识别闸机" not in str(get_ledger("devices").column("kind").help)
    # The exported ledger (with the old device's disabled kind) imports back onto it.
    exported = list(get_ledger("devices").export_rows(Scope()))
    assert [CODE_A, "人脸识别闸机", "南门闸机"] in [row[:3] for row in exported]
    plan = import_devices([[CODE_A, "人脸识别闸机", "南门闸机", "南门口"]])
    assert plan.ok and plan.updates == 1
    # A new device of the disabled kind: the row and column are named, nothing is written.
    before = Device.objects.count()
    outcome = commit(
        get_ledger("devices"),
        xlsx_bytes(
            HEADERS,
            [[CODE_A, "视频监控", "操场球机", "操场"], [CODE_A, "人脸识别闸机", "北门闸机", ""]],
        ),
        "设备.xlsx",
    )
    assert not outcome.ok
    assert [(e.row, e.column, e.value) for e in outcome.plan.errors] == [
        (3, "类型", "人脸识别闸机")
    ]
    assert "已停用" in outcome.plan.errors[0].message
    assert Device.objects.count() == before


def test_a_relabelled_shipped_kind_keeps_its_code_for_the_rules(pages, schools):
    a, _ = schools
    camera = DictionaryItem.objects.get(dictionary=DEVICE_KIND, code=DeviceKind.CAMERA)
    dictionary_services.dictionary_item_update(
        item=camera, label="视频监控摄像机", sort_order=camera.sort_order, is_enabled=True
    )
    plan = import_devices([[CODE_A, "视频监控摄像机", "操场球机", "操场"]])
    assert plan.ok and plan.items[0].values["kind"] == "camera"
    page = pages("chief").get(reverse("schools:school_device_list", args=[a.pk]))
    assert "视频监控摄像机" in page.content.decode()
    # The compliance rules still count the school's camera (by its code).
    detail = pages("chief").get(reverse("schools:school_detail", args=[a.pk]))
    assert {row["kind"]: row["total"] for row in detail.context["devices"]}["camera"] == 1


# ---- exports read a dictionary once, whatever their length --------------------------------


@pytest.fixture
def reads(monkeypatch):
    """How many times each dictionary is read (``core.dictionaries.entries``)."""
    counts: dict[str, int] = {}
    real = dictionaries.entries

    def counted(code):
        counts[code] = counts.get(code, 0) + 1
        return real(code)

    monkeypatch.setattr(dictionaries, "entries", counted)
    return counts


def export_reads(client, url, params, reads, code) -> tuple[int, int]:
    reads.clear()
    rows = xlsx_rows(client.get(url, params))
    return len(rows) - 1, reads.get(code, 0)


def test_the_device_export_reads_the_kinds_once(pages, schools, reads):
    a, _ = schools
    chief = pages("chief")
    url = reverse("schools:school_device_export", args=[a.pk])
    few = export_reads(chief, url, {}, reads, DEVICE_KIND)
    services.device_create_many(school=a, devices=[{"kind": "camera"} for _ in range(6)])
    many = export_reads(chief, url, {}, reads, DEVICE_KIND)
    assert (few[0], many[0]) == (2, 8)
    assert many[1] == few[1] <= 2  # the filter's choices and the column's labels
    reads.clear()
    assert len(list(get_ledger("devices").export_rows(Scope()))) == 10
    assert reads[DEVICE_KIND] == 1


def test_the_dispute_export_reads_the_types_once(schools, people, client_for, reads):
    from huxiao.persons import services as person_services
    from huxiao.persons.choices import DISPUTE_KIND

    def register(n):
        for _ in range(n):
            person_services.dispute_create(
                school=schools[0],
                kind="home_school",
                parties="家长某",
                summary="接送纠纷",
                responsible_kind="school",
                actor=people.officer_a,
            )

    officer = client_for("officer_a")
    url = reverse("persons:dispute_export")
    register(1)
    few = export_reads(officer, url, {}, reads, DISPUTE_KIND)
    register(5)
    many = export_reads(officer, url, {}, reads, DISPUTE_KIND)
    assert (few[0], many[0]) == (1, 6)
    assert many[1] == few[1] <= 2
    assert xlsx_rows(officer.get(url))[1][1] == "家校"


def test_the_hazard_export_reads_the_categories_once(ischools, people, client_for, reads):
    from huxiao.inspections.choices import HAZARD_CATEGORY
    from huxiao.inspections.services import hazards as hazard_services

    def register(n):
        for i in range(n):
            hazard_services.hazard_create(
                school=ischools[0],
                source="patrol",
                category="physical",
                title=f"围墙破损{i}",
                actor=people.officer_a,
            )

    officer = client_for("officer_a")
    url = reverse("inspections:hazard_export")
    register(1)
    few = export_reads(officer, url, {}, reads, HAZARD_CATEGORY)
    register(5)
    many = export_reads(officer, url, {}, reads, HAZARD_CATEGORY)
    assert (few[0], many[0]) == (1, 6)
    assert many[1] == few[1] <= 2
    assert xlsx_rows(officer.get(url))[1][2] == "物防"
