# ruff: noqa: F811  (the fixtures imported from another test package are parameters here)
"""Guard equipment kinds (schools.equipment_kind) as a dictionary: an added kind is offered,
recorded, exported, imported and may join the minimum kit by its code; disabled, a school can
no longer start recording it while the schools that hold it keep it; the kinds the minimum kit
names cannot be deleted and stay recordable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from huxiao.core import dictionaries
from huxiao.core.models import DictionaryItem
from huxiao.schools import policy, rules, services
from huxiao.schools.choices import EQUIPMENT_KIND, EquipmentItem
from huxiao.schools.compliance import results_for
from huxiao.schools.imports import commit, get_ledger, prepare
from huxiao.schools.imports.base import Scope
from huxiao.schools.models import EquipmentStock
from huxiao.system.services import dictionaries as dictionary_services
from tests.schools.conftest import schools  # noqa: F401  (fixture)
from tests.schools.test_import_fixtures import CODE_A, CODE_B, xlsx_bytes
from tests.schools.test_pages_support import grant_school_permissions
from tests.system.test_dictionaries import xlsx_rows

HEADERS = ["学校标识码", "装备", "数量"]


@pytest.fixture
def pages(schools, client_for):
    grant_school_permissions()
    return client_for


@pytest.fixture
def riot_helmet(client_for):
    """The system administrator adds the kind 防暴头盔."""
    response = client_for("admin").post(
        reverse("system:dictionary_item_create", args=[EQUIPMENT_KIND]),
        {"code": "riot_helmet", "label": "防暴头盔", "is_enabled": "on"},
    )
    assert response.status_code == 302
    return DictionaryItem.objects.get(dictionary=EQUIPMENT_KIND, code="riot_helmet")


def disable(item):
    dictionary_services.dictionary_item_update(
        item=item, label=item.label, sort_order=item.sort_order, is_enabled=False
    )


def stock(school) -> dict[str, int]:
    return dict(EquipmentStock.objects.filter(school=school).values_list("item", "quantity"))


def page_rows(client, school) -> dict[str, dict]:
    response = client.get(reverse("schools:school_equipment", args=[school.pk]))
    return {row["item"]: row for row in response.context["rows"]}


def post_quantities(client, school, **changes):
    data = {item: str(row["have"]) for item, row in page_rows(client, school).items()}
    data.update({k: str(v) for k, v in changes.items()})
    return client.post(reverse("schools:school_equipment", args=[school.pk]), data)


def kit_result(school):
    return next(r for r in results_for(school) if r.code == "equipment_kit")


def test_the_shipped_kinds_are_the_entries(db):
    assert [(e.code, e.label) for e in dictionaries.entries(EQUIPMENT_KIND)] == [
        (value, str(label)) for value, label in EquipmentItem.choices
    ]
    fork = DictionaryItem.objects.get(dictionary=EQUIPMENT_KIND, code="steel_fork")
    assert "内置" in dictionary_services.delete_refusal(dictionaries.spec(EQUIPMENT_KIND), fork)


def test_an_added_kind_is_offered_recorded_exported_and_shown(riot_helmet, pages, schools):
    _, b = schools
    officer = pages("officer_b")
    assert page_rows(officer, b)["riot_helmet"]["label"] == "防暴头盔"
    assert post_quantities(officer, b, riot_helmet=3).status_code == 302
    assert stock(b)["riot_helmet"] == 3
    assert str(EquipmentStock.objects.get(item="riot_helmet")) == "防暴头盔 × 3"
    export = xlsx_rows(officer.get(reverse("schools:school_equipment_export", args=[b.pk])))
    assert ["防暴头盔", 0, 3, "达标"] in [list(r) for r in export]
    api = officer.get(f"/api/v1/schools/{b.pk}/equipment").json()["items"]
    assert {"item": "riot_helmet", "item_label": "防暴头盔", "quantity": 3} in api
    put = officer.put(
        f"/api/v1/schools/{b.pk}/equipment",
        {"items": {"riot_helmet": 4}},
        content_type="application/json",
    )
    assert put.status_code == 200 and stock(b)["riot_helmet"] == 4
    ledger = list(get_ledger("equipment").export_rows(Scope()))
    assert [CODE_B, "防暴头盔", 4] in ledger


def test_the_minimum_kit_may_name_an_added_kind_which_then_cannot_be_deleted(
    riot_helmet, pages, schools
):
    a, _ = schools
    policy.check_kit("steel_fork:2,riot_helmet:2")  # 参数设置 accepts it
    spec = dictionaries.spec(EQUIPMENT_KIND)
    assert dictionary_services.delete_refusal(spec, riot_helmet) == ""
    with override_settings(SCHOOL_MIN_KIT="steel_fork:2,riot_helmet:2"):
        assert policy.current().min_kit == {"steel_fork": 2, "riot_helmet": 2}
        result = kit_result(a)
        assert result.status == rules.FAIL and "防暴头盔 0/2" in result.detail
        assert dictionary_services.delete_refusal(spec, riot_helmet)
        with pytest.raises(ValidationError):
            dictionary_services.dictionary_item_delete(spec=spec, item=riot_helmet)
        assert page_rows(pages("officer_a"), a)["riot_helmet"]["need"] == 2
        services.equipment_set(school=a, item="riot_helmet", quantity=2)
        assert kit_result(a).status == rules.PASS
    # A disabled kind is no longer offered to 参数设置's kit.
    disable(riot_helmet)
    with pytest.raises(ValidationError):
        policy.check_kit("riot_helmet:2")


def test_a_disabled_kind_is_kept_where_held_and_refused_where_new(riot_helmet, pages, schools):
    a, b = schools
    services.equipment_set(school=a, item="riot_helmet", quantity=2)
    disable(riot_helmet)
    # The school that holds it keeps its row, shown and editable; the other no longer sees it.
    assert page_rows(pages("officer_a"), a)["riot_helmet"]["have"] == 2
    assert "riot_helmet" not in page_rows(pages("officer_b"), b)
    assert post_quantities(pages("officer_a"), a, riot_helmet=1).status_code == 302
    assert stock(a)["riot_helmet"] == 1
    with pytest.raises(ValidationError) as refused:
        services.equipment_set_many(school=b, quantities={"radio": 2, "riot_helmet": 1})
    assert "已停用" in str(refused.value)
    assert stock(b) == {}  # nothing half-written
    api = pages("officer_b").put(
        f"/api/v1/schools/{b.pk}/equipment",
        {"items": {"riot_helmet": 1}},
        content_type="application/json",
    )
    assert api.status_code == 400 and "已停用" in api.content.decode("utf-8")
    assert "防暴头盔" not in str(get_ledger("equipment").column("item").help)
    # The import: the holder's row updates; a new row of it is refused by row and column.
    plan = prepare(
        get_ledger("equipment"),
        xlsx_bytes(
            HEADERS, [[CODE_A, "防暴头盔", 5], [CODE_B, "对讲机", 2], [CODE_B, "防暴头盔", 1]]
        ),
        "装备.xlsx",
    )
    assert [(e.row, e.column, e.value) for e in plan.errors] == [(4, "装备", "防暴头盔")]
    assert "已停用" in plan.errors[0].message and "对讲机" in plan.errors[0].message
    outcome = commit(
        get_ledger("equipment"),
        xlsx_bytes(HEADERS, [[CODE_A, "防暴头盔", 5], [CODE_B, "对讲机", 2]]),
        "装备.xlsx",
    )
    assert outcome.ok and stock(a)["riot_helmet"] == 5 and stock(b) == {"radio": 2}


def test_a_disabled_kind_the_kit_names_stays_recordable(pages, schools):
    _, b = schools
    shield = DictionaryItem.objects.get(dictionary=EQUIPMENT_KIND, code="shield")
    disable(shield)
    assert page_rows(pages("officer_b"), b)["shield"]["need"] == 1  # the default kit names it
    services.equipment_set(school=b, item="shield", quantity=1)
    assert stock(b)["shield"] == 1


def test_a_relabelled_shipped_kind_keeps_its_code_for_the_rule(pages, schools):
    _, b = schools
    fork = DictionaryItem.objects.get(dictionary=EQUIPMENT_KIND, code="steel_fork")
    dictionary_services.dictionary_item_update(
        item=fork, label="安全叉", sort_order=fork.sort_order, is_enabled=True
    )
    assert "安全叉 0/2" in kit_result(b).detail
    plan = prepare(
        get_ledger("equipment"), xlsx_bytes(HEADERS, [[CODE_B, "安全叉", 2]]), "装备.xlsx"
    )
    assert plan.ok and plan.items[0].values["item"] == "steel_fork"
