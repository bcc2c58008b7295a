"""The object-type filter is a picker of Chinese names (issue 14, item 2); old links with a code
still work, and an unknown type is refused with a message, never a 500."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from huxiao.core import audit
from huxiao.core.choices import AuditAction, AuditKind


@pytest.fixture
def trail(db):
    for object_type, object_id in (
        ("persons.keyperson", "1"),
        ("persons.keyperson", "2"),
        ("persons.watchlist", ""),
        ("inspections.hazard", "9"),
    ):
        audit.append(
            kind=AuditKind.ACCESS,
            action=AuditAction.VIEW,
            object_type=object_type,
            object_id=object_id,
            object_repr="测试",
        )


def _types(response) -> set[str]:
    return {r.object_type for r in response.context["page_obj"].object_list}


def test_it_offers_the_models_by_chinese_name_grouped_by_module(client_for):
    body = client_for("auditor").get(reverse("core:audit_list")).content.decode()
    select = re.search(r'<select name="object_type".*?</select>', body, re.S).group(0)
    assert '<option value="persons.keyperson">重点人员</option>' in select
    assert '<option value="inspections.hazard">隐患</option>' in select
    assert '<optgroup label="重点人员与矛盾纠纷">' in select
    assert '<option value="" selected>全部对象类型</option>' in select


@pytest.mark.parametrize(
    "value", ["重点人员", "persons.keyperson", "Persons.KeyPerson", " 重点人员 "]
)
def test_it_finds_the_key_persons_by_name_or_by_the_old_code(client_for, trail, value):
    response = client_for("auditor").get(reverse("core:audit_list"), {"object_type": value})
    assert response.status_code == 200
    assert _types(response) == {"persons.keyperson"}
    assert response.context["page_obj"].paginator.count == 2
    assert (
        '<option value="persons.keyperson" selected>重点人员</option>' in response.content.decode()
    )


def test_it_keeps_a_code_that_names_no_model_for_old_links(client_for, trail):
    response = client_for("auditor").get(
        reverse("core:audit_list"), {"object_type": "persons.watchlist"}
    )
    assert response.status_code == 200
    assert _types(response) == {"persons.watchlist"}
    assert '<option value="persons.watchlist" selected>' in response.content.decode()


@pytest.mark.parametrize("value", ["不存在的类型", "nosuchapp.thing", "<b>x</b>", "persons."])
def test_it_refuses_an_unknown_type_with_a_chinese_message(client_for, trail, value):
    client = client_for("auditor")
    for name in ("core:audit_list", "core:audit_export"):
        response = client.get(reverse(name), {"object_type": value})
        assert response.status_code == 400, (name, value)
        body = response.content.decode()
        assert "未知的对象类型" in body and "请从列表中选择" in body
        assert "<b>x</b>" not in body


def test_the_export_filters_by_the_name_too(client_for, trail):
    import io

    from openpyxl import load_workbook

    response = client_for("auditor").get(reverse("core:audit_export"), {"object_type": "重点人员"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    code = rows[0].index("对象类型代码")
    assert {r[code] for r in rows[1:]} == {"persons.keyperson"}
    assert {r[code - 1] for r in rows[1:]} == {"重点人员"}
