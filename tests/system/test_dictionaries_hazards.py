# ruff: noqa: F811  (the fixtures imported from another test package are parameters here)
"""A hazard category added in 字典管理 is used by the hazard pages, exports and API at once;
disabled, it leaves the choices of new hazards while the hazards that have it keep it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huxiao.inspections.models import Hazard
from tests.inspections.conftest import checklist, ischools, make_inspection  # noqa: F401
from tests.system.test_dictionaries import xlsx_rows

API = "/api/v1"
CODE = "inspections.hazard_category"


@pytest.fixture
def food(client_for):
    """The system administrator adds the category 食品安全."""
    response = client_for("admin").post(
        reverse("system:dictionary_item_create", args=[CODE]),
        {"code": "food_safety", "label": "食品安全", "is_enabled": "on"},
    )
    assert response.status_code == 302
    from huxiao.core.models import DictionaryItem

    return DictionaryItem.objects.get(dictionary=CODE, code="food_safety")


def options(response, field="category") -> dict[str, str]:
    form = response.context["form"] if field in response.context["form"].fields else None
    form = form or response.context["filter"].form
    return dict(form.fields[field].choices)


def register(client, school, category, title="食堂操作间无防鼠网"):
    return client.post(
        reverse("inspections:hazard_create"),
        {"school": school.pk, "source": "patrol", "category": category, "title": title},
    )


def test_an_added_category_is_offered_used_shown_and_exported(food, ischools, client_for):
    school_a, _ = ischools
    officer = client_for("officer_a")
    assert options(officer.get(reverse("inspections:hazard_create")))["food_safety"] == "食品安全"
    hazard_list = reverse("inspections:hazard_list")
    assert "food_safety" in dict(
        officer.get(hazard_list).context["filter"].form["category"].field.choices
    )

    assert register(officer, school_a, "food_safety").status_code == 302
    hazard = Hazard.objects.get(title="食堂操作间无防鼠网")
    assert hazard.category == "food_safety" and hazard.category_label == "食品安全"

    listed = officer.get(hazard_list, {"category": "food_safety"})
    assert [h.pk for h in listed.context["page_obj"]] == [hazard.pk]
    assert "食品安全" in listed.content.decode()
    rows = xlsx_rows(officer.get(reverse("inspections:hazard_export"), {"category": "food_safety"}))
    assert rows[0][2] == "类别" and rows[1][1:3] == ["食堂操作间无防鼠网", "食品安全"]
    detail = officer.get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert "食品安全" in detail.content.decode()
    shown = officer.get(f"{API}/hazards/{hazard.pk}").json()
    assert (shown["category"], shown["category_label"]) == ("food_safety", "食品安全")

    # Through the API too.
    created = officer.post(
        f"{API}/hazards",
        {"school_id": school_a.pk, "source": "tip", "category": "food_safety", "title": "过期食材"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["category_label"] == "食品安全"


def test_a_disabled_category_stays_on_its_hazards_but_is_no_longer_offered(
    food,
    ischools,
    client_for,
):
    school_a, _ = ischools
    officer, admin = client_for("officer_a"), client_for("admin")
    assert register(officer, school_a, "food_safety").status_code == 302
    hazard = Hazard.objects.get()
    disabled = admin.post(
        reverse("system:dictionary_item_edit", args=[CODE, food.pk]),
        {"label": "食品安全", "sort_order": food.sort_order},
    )
    assert disabled.status_code == 302

    assert "food_safety" not in options(officer.get(reverse("inspections:hazard_create")))
    refused = register(officer, school_a, "food_safety", title="又一项")
    assert refused.status_code == 400
    assert refused.context["form"].errors["category"] == ["隐患类别不存在或已停用，请重新选择。"]
    api = officer.post(
        f"{API}/hazards",
        {"school_id": school_a.pk, "source": "tip", "category": "food_safety", "title": "又一项"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "已停用" in api.content.decode("utf-8")
    assert Hazard.objects.count() == 1

    # The hazard that has it keeps it, shown by its label, and the list still finds it.
    hazard.refresh_from_db()
    assert hazard.category == "food_safety"
    detail = officer.get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert "食品安全" in detail.content.decode()
    listed = officer.get(reverse("inspections:hazard_list"), {"category": "food_safety"})
    assert [h.pk for h in listed.context["page_obj"]] == [hazard.pk]
    # Used: it cannot be deleted any more, only stay disabled.
    admin.post(reverse("system:dictionary_item_delete", args=[CODE, food.pk]))
    assert food.__class__.objects.filter(pk=food.pk).exists()


@pytest.mark.parametrize("category", ["no_such", "", "物防"])
def test_an_invalid_category_is_refused_in_chinese_and_nothing_written(
    category,
    ischools,
    client_for,
):
    school_a, _ = ischools
    officer = client_for("officer_a")
    page = register(officer, school_a, category)
    assert page.status_code == 400
    assert page.context["form"].errors["category"] in (
        ["隐患类别不存在或已停用，请重新选择。"],
        ["这个字段是必填项。"],
    )
    api = officer.post(
        f"{API}/hazards",
        {"school_id": school_a.pk, "source": "tip", "category": category, "title": "x"},
        content_type="application/json",
    )
    assert 400 <= api.status_code < 500
    if category:
        assert "隐患类别不存在或已停用" in api.content.decode("utf-8")
    assert not Hazard.objects.exists()


def test_a_hazard_from_a_checklist_item_keeps_its_disabled_group(
    ischools,
    make_inspection,
    client_for,
):
    """An administrator disabling a built-in category for manual choice does not stop a
    failed checklist item from becoming a hazard of its group."""
    from huxiao.core.models import DictionaryItem
    from huxiao.inspections import services

    DictionaryItem.objects.filter(dictionary=CODE).update(is_enabled=False)
    from huxiao.core import dictionaries

    dictionaries.forget()
    inspection = make_inspection(ischools[0])
    result = inspection.results.get(item__code="RF-01")
    hazard = services.hazard_from_result(result=result)
    assert hazard.category == result.item.group == "personnel"
    assert hazard.category_label == "人防"
