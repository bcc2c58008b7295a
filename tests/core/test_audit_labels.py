"""The audit page speaks Chinese (issue 14, item 1): object types, fields and values by their
names, related records by name and number, the codes kept beside them, hidden values hidden."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.core import audit, audit_labels, services
from huxiao.core.choices import AuditAction, AuditKind
from huxiao.core.models import AuditRecord


def _hazard_moved(object_id="7"):
    return audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.UPDATE,
        object_type="inspections.hazard",
        object_id=object_id,
        object_repr="消防通道堵塞",
        before={"state": "rectifying", "is_escalated": False},
        after={"state": "awaiting_recheck", "is_escalated": True},
    )


def _page(client, **query):
    response = client.get(reverse("core:audit_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_state_change_by_its_labels_with_the_codes_in_titles(client_for):
    _hazard_moved()
    body = _page(client_for("auditor"), object_type="inspections.hazard")
    assert '<span class="hx-field" title="state">状态</span>' in body
    assert '<span class="hx-before" title="rectifying">整改中</span>' in body
    assert '<span class="hx-after" title="awaiting_recheck">待复查</span>' in body
    assert '<span class="hx-before" title="false">否</span>' in body
    assert '<span class="hx-after" title="true">是</span>' in body
    # the object type by its name, its code kept as secondary text
    assert '<span class="hx-type">隐患</span> #7' in body
    assert "inspections.hazard#7" in body


def test_it_names_a_related_account_by_its_holders_name_and_number(client_for, people):
    services.user_update_profile(user=people.chief, full_name="赵主任", phone="")
    services.token_create(user=people.chief, name="对接令牌", expires_at=None)
    body = _page(client_for("auditor"), object_type="core.apitoken")
    assert f"用户 赵主任（#{people.chief.pk}）" in body
    assert f'title="{people.chief.pk}"' in body  # the stored id stays at hand
    assert "core.user#" not in body


def test_it_names_the_actor_by_name_beside_the_account(client_for, people):
    services.user_update_profile(user=people.auditor, full_name="钱审计", phone="")
    client = client_for("auditor")
    client.get(reverse("core:audit_export"))  # an export, recorded with the auditor as actor
    body = _page(client, action="export")
    assert "钱审计" in body and '<span class="hx-mono small text-secondary">auditor</span>' in body


def test_it_keeps_encrypted_values_hidden(client_for, people):
    services.user_update_profile(user=people.chief, full_name="赵主任", phone="13612345678")
    body = _page(client_for("auditor"), object_type="core.user", action="update")
    assert "手机号" in body and audit.HIDDEN in body
    assert "13612345678" not in body and "5678" not in body


def test_it_reads_the_names_of_related_records_in_one_query_whatever_the_rows(city, people):
    for i in range(3):
        services.organization_update(org=city.school_a, name=f"甲小学{i}")
        services.token_create(user=people.chief, name=f"令牌{i}", expires_at=None)

    def queries(n):
        records = list(AuditRecord.objects.order_by("-seq")[:n])
        with CaptureQueriesContext(connection) as ctx:
            rows = audit_labels.Labeller().rows(records)
        return len(ctx.captured_queries), rows

    few, _rows = queries(3)
    many, rows = queries(60)
    assert few == many == 1
    texts = [c.after.text for r in rows for c in r.changes if c.after is not None]
    assert any(t.startswith("单位 ") for t in texts) and any(t.startswith("用户 ") for t in texts)


def test_records_holding_personal_or_police_only_data_are_named_by_kind_and_number():
    from huxiao.gate.models import Visit
    from huxiao.persons.models import KeyPerson
    from huxiao.schools.models import School

    assert audit_labels._name_expression(KeyPerson) is None  # police-only
    assert audit_labels._name_expression(Visit) is None  # an ID number inside
    assert audit_labels._name_expression(School) is not None  # its organisation's name
    assert audit_labels.record_label(KeyPerson, "5") == "重点人员 #5"


def test_a_police_only_record_shows_field_names_only(client_for, people):
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.UPDATE,
        object_type="persons.followup",
        object_id="3",
        object_repr="走访核查 #3",
        before={"person_id": audit.HIDDEN},
        after={"person_id": audit.HIDDEN},
    )
    audit.append(
        kind=AuditKind.CHANGE,
        action=AuditAction.CREATE,
        object_type="persons.followup",
        object_id="4",
        object_repr="走访核查 #4",
        after={"person_id": 1, "officer_id": people.officer_a.pk},
    )
    body = _page(client_for("auditor"), object_type="persons.followup")
    assert "重点人员" in body  # the field's name
    assert f"用户 {people.officer_a.display_name}" not in body  # nothing read for its values


def test_the_keys_a_service_adds_and_the_source_have_names_too(client_for):
    audit.record_export(object_type="core.user", count=3, filters={"kind": "school"})
    body = _page(client_for("auditor"), action="export")
    assert '<span class="hx-field" title="count">数量</span>' in body
    assert '<span class="hx-field" title="filters">筛选条件</span>' in body
    assert "网页" in body or "系统" in body
