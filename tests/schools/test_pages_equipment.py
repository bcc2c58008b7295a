"""A school's guard equipment against the minimum kit, saved through services.equipment_set."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.schools.choices import EquipmentItem
from huxiao.schools.models import EquipmentStock
from huxiao.schools.policy import DEFAULT_KIT
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def stock(school):
    return dict(EquipmentStock.objects.filter(school=school).values_list("item", "quantity"))


def quantities(school, **changes):
    data = {item: str(stock(school).get(item, 0)) for item in EquipmentItem.values}
    data.update({k: str(v) for k, v in changes.items()})
    return data


def test_it_shows_every_item_against_the_minimum_kit(pages, schools):
    _, b = schools
    response = pages("officer_b").get(reverse("schools:school_equipment", args=[b.pk]))
    assert response.status_code == 200
    rows = {row["item"]: row for row in response.context["rows"]}
    assert set(rows) == set(EquipmentItem.values)
    assert rows["steel_fork"]["need"] == DEFAULT_KIT["steel_fork"] and not rows["steel_fork"]["ok"]
    assert rows["pepper_spray"]["need"] == 0 and rows["pepper_spray"]["ok"]
    assert "未配齐" in response.content.decode()


@override_settings(SCHOOL_MIN_KIT="helmet:4")
def test_it_follows_the_deployment_s_kit(pages, schools):
    a, _ = schools
    rows = {
        row["item"]: row
        for row in pages("officer_a")
        .get(reverse("schools:school_equipment", args=[a.pk]))
        .context["rows"]
    }
    assert rows["helmet"]["need"] == 4 and not rows["helmet"]["ok"]
    assert rows["steel_fork"]["need"] == 0


def test_it_saves_the_changed_quantities_and_audits_them(pages, schools, people):
    _, b = schools
    client = pages("officer_b")
    response = client.post(
        reverse("schools:school_equipment", args=[b.pk]),
        quantities(b, **{**DEFAULT_KIT, "radio": 5}),
    )
    assert response.status_code == 302
    assert stock(b)["radio"] == 5 and stock(b)["helmet"] == DEFAULT_KIT["helmet"]
    assert "pepper_spray" not in stock(b)  # unchanged items are not written
    record = AuditRecord.objects.filter(object_type="schools.equipmentstock").latest("seq")
    assert record.actor_id == people.officer_b.pk
    html = client.get(reverse("schools:school_equipment", args=[b.pk])).content.decode()
    assert "已配齐" in html and "防护装备已保存" in html


def test_it_answers_400_and_saves_nothing_for_a_bad_quantity(pages, schools):
    _, b = schools
    before = stock(b)
    response = pages("officer_b").post(
        reverse("schools:school_equipment", args=[b.pk]), quantities(b, helmet=3, radio=-1)
    )
    assert response.status_code == 400
    assert "确保该值大于或等于0。" in response.content.decode()
    assert stock(b) == before


def test_it_shows_read_only_quantities_without_the_change_permission(pages, schools):
    a, _ = schools
    html = pages("commander").get(reverse("schools:school_equipment", args=[a.pk])).content.decode()
    assert 'name="helmet"' not in html and "保存" not in html.split("hx-list-foot")[-1]


def test_it_exports_the_equipment_table(pages, schools, people):
    a, _ = schools
    response = pages("chief").get(reverse("schools:school_equipment_export", args=[a.pk]))
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    ]
    assert rows[0] == ["装备", "最低配备", "现有数量", "状态"]
    assert ["钢叉/安全叉", 2, 2, "达标"] in rows
    assert len(rows) == 1 + len(EquipmentItem.values)
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.object_type == "schools.equipmentstock" and record.actor_id == people.chief.pk
