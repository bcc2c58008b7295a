"""字典管理: the declared dictionaries, their entries, adding, editing, disabling, deleting,
and who may do it (the system administrator writes; an org_admin only reads; an officer
neither)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.core import dictionaries
from huxiao.core.models import AuditRecord, DictionaryItem
from huxiao.inspections.choices import HAZARD_CATEGORY
from tests.conftest import make_user

CODE = HAZARD_CATEGORY


def url(name, *args):
    return reverse(f"system:{name}", args=args)


def xlsx_rows(response):
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def admin(client_for):
    return client_for("admin")


def builtin(code="physical"):
    return DictionaryItem.objects.get(dictionary=CODE, code=code)


def test_it_lists_every_declared_dictionary_with_its_module_and_counts(admin):
    builtin("rules").__class__.objects.filter(dictionary=CODE, code="rules").update(
        is_enabled=False
    )
    page = admin.get(url("dictionary_list"))
    assert page.status_code == 200
    rows = {r["spec"].code: r for r in page.context["rows"]}
    assert {d.code for d in dictionaries.declared()} == set(rows)
    hazard = rows[CODE]
    assert (str(hazard["spec"].name), hazard["module"], hazard["total"], hazard["enabled"]) == (
        "隐患类别",
        "隐患排查整改",
        6,
        5,
    )
    assert url("dictionary_detail", CODE) in page.content.decode()


def test_it_filters_and_exports_the_list_of_dictionaries(admin):
    found = admin.get(url("dictionary_list"), {"q": "隐患"}).context["rows"]
    assert [r["spec"].code for r in found] == [CODE]
    assert admin.get(url("dictionary_list"), {"q": "没有这种字典"}).context["rows"] == []
    by_module = admin.get(url("dictionary_list"), {"module": "inspections"}).context["rows"]
    assert {r["spec"].code for r in by_module} == {CODE}
    # A module that declares nothing is not a choice: the filter refuses it, shows nothing.
    assert admin.get(url("dictionary_list"), {"module": "nope"}).context["rows"] == []
    rows = xlsx_rows(admin.get(url("dictionary_list_export"), {"q": "隐患"}))
    assert rows[0][:5] == ["字典名称", "字典编码", "所属模块", "字典项数", "启用项数"]
    assert rows[1][:5] == ["隐患类别", CODE, "隐患排查整改", 6, 6] and len(rows) == 2


def test_it_shows_and_exports_the_entries_in_order(admin):
    page = admin.get(url("dictionary_detail", CODE))
    assert page.status_code == 200
    codes = [i.code for i in page.context["page_obj"]]
    assert codes == ["personnel", "physical", "technical", "rules", "emergency", "surroundings"]
    rows = xlsx_rows(admin.get(url("dictionary_export", CODE)))
    assert rows[0][:6] == ["编码", "名称", "排序", "启用", "内置", "备注"]
    assert rows[2][:5] == ["physical", "物防", 20, "是", "是"]
    assert AuditRecord.objects.filter(action="export", object_type="core.dictionaryitem").exists()
    only_off = admin.get(url("dictionary_detail", CODE), {"enabled": "0"})
    assert list(only_off.context["page_obj"]) == []


def test_an_administrator_adds_an_entry_at_the_end(admin):
    response = admin.post(
        url("dictionary_item_create", CODE),
        {"code": "food_safety", "label": " 食品安全 ", "is_enabled": "on", "note": "食堂"},
    )
    assert response.status_code == 302
    item = DictionaryItem.objects.get(dictionary=CODE, code="food_safety")
    assert (item.label, item.sort_order, item.is_enabled, item.is_builtin, item.note) == (
        "食品安全",
        70,
        True,
        False,
        "食堂",
    )
    # The cache was cleared: the next reader sees the entry at once.
    assert dictionaries.label(CODE, "food_safety") == "食品安全"
    assert AuditRecord.objects.filter(object_type="core.dictionaryitem", action="create").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "Food Safety", "label": "食品安全"}, "code", "小写字母"),
        ({"code": "食品", "label": "食品安全"}, "code", "小写字母"),
        ({"code": "physical", "label": "食品安全"}, "code", "已有该编码"),
        ({"code": "food", "label": "物防"}, "label", "同名"),
        ({"code": "food", "label": "  "}, "label", ""),
        ({"code": "x" * 33, "label": "食品安全"}, "code", ""),
    ],
)
def test_a_bad_entry_is_refused_with_a_message_and_nothing_written(admin, data, field, message):
    before = DictionaryItem.objects.count()
    response = admin.post(url("dictionary_item_create", CODE), {**data, "is_enabled": "on"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert DictionaryItem.objects.count() == before


def test_an_edit_relabels_reorders_and_disables_but_never_changes_a_code(admin):
    item = builtin()
    response = admin.post(
        url("dictionary_item_edit", CODE, item.pk),
        {"code": "walls", "label": "物防设施", "sort_order": "5", "note": "围墙、校门"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.code, item.label, item.sort_order, item.is_enabled, item.note) == (
        "physical",
        "物防设施",
        5,
        False,
        "围墙、校门",
    )
    assert dictionaries.choices(CODE)[0] == ("personnel", "人防")  # disabled: not offered
    assert dictionaries.label(CODE, "physical") == "物防设施"  # still named


def test_a_builtin_entry_cannot_be_deleted(admin):
    item = builtin()
    page = admin.get(url("dictionary_item_edit", CODE, item.pk)).content.decode()
    assert "内置字典项不能删除" in page and url("dictionary_item_delete", CODE, item.pk) not in page
    response = admin.post(url("dictionary_item_delete", CODE, item.pk), follow=True)
    assert "内置字典项不能删除" in response.content.decode()
    assert DictionaryItem.objects.filter(pk=item.pk).exists()


def test_an_added_entry_is_deleted_unless_a_record_uses_it(admin, monkeypatch):
    admin.post(url("dictionary_item_create", CODE), {"code": "food", "label": "食品安全"})
    item = DictionaryItem.objects.get(dictionary=CODE, code="food")
    monkeypatch.setattr("huxiao.inspections.usage.hazard_category", lambda value: 3)
    refused = admin.post(url("dictionary_item_delete", CODE, item.pk), follow=True)
    assert "已有 3 条记录使用该字典项" in refused.content.decode()
    assert DictionaryItem.objects.filter(pk=item.pk).exists()
    monkeypatch.setattr("huxiao.inspections.usage.hazard_category", lambda value: 0)
    assert admin.post(url("dictionary_item_delete", CODE, item.pk)).status_code == 302
    assert not DictionaryItem.objects.filter(pk=item.pk).exists()
    assert dictionaries.label(CODE, "food") == "food"


def test_an_unknown_dictionary_or_an_entry_of_another_is_not_found(admin):
    for name in ("dictionary_detail", "dictionary_export", "dictionary_item_create"):
        assert admin.get(url(name, "inspections.nope")).status_code == 404
    missing = DictionaryItem.objects.order_by("-pk").first().pk + 1
    assert admin.get(url("dictionary_item_edit", CODE, missing)).status_code == 404
    other = DictionaryItem.objects.create(dictionary="other.list", code="x", label="x")
    assert admin.get(url("dictionary_item_edit", CODE, other.pk)).status_code == 404
    assert admin.post(url("dictionary_item_delete", CODE, other.pk)).status_code == 404


def test_only_the_system_administrator_writes(client, people, city, client_for):
    org_admin = make_user("county_admin", city.station_a, "org_admin")
    client.force_login(org_admin)
    item = builtin()
    writes = [
        ("get", url("dictionary_item_create", CODE), {}),
        ("post", url("dictionary_item_create", CODE), {"code": "food", "label": "食品安全"}),
        ("get", url("dictionary_item_edit", CODE, item.pk), {}),
        ("post", url("dictionary_item_edit", CODE, item.pk), {"label": "x", "sort_order": 1}),
        ("post", url("dictionary_item_delete", CODE, item.pk), {}),
    ]
    # The unit administrator reads the dictionaries, without a way to change them.
    page = client.get(url("dictionary_detail", CODE))
    assert page.status_code == 200
    assert url("dictionary_item_create", CODE) not in page.content.decode()
    officer = client_for("officer_a")
    for who in (client, officer):
        for method, target, data in writes:
            assert getattr(who, method)(target, data).status_code == 403, (method, target)
    assert officer.get(url("dictionary_list")).status_code == 403
    item.refresh_from_db()
    assert item.label == "物防" and not DictionaryItem.objects.filter(code="food").exists()


def test_the_cache_is_cleared_again_after_commit(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin.post(url("dictionary_item_create", CODE), {"code": "food", "label": "食品安全"})
    assert dictionaries.forget in callbacks
