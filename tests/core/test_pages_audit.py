"""The audit list: filters and compact before/after, in Chinese with the codes kept."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from huxiao.core import services
from huxiao.core.models import AuditRecord


def test_it_shows_the_trail_to_the_auditor(client_for):
    response = client_for("auditor").get(reverse("core:audit_list"))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == AuditRecord.objects.count() > 0


def test_it_shows_only_the_changed_fields_of_an_update(client_for, city):
    services.organization_update(org=city.school_a, name="甲小学（新校区）")
    response = client_for("auditor").get(
        reverse("core:audit_list"), {"action": "update", "object_type": "core.organization"}
    )
    records = list(response.context["page_obj"].object_list)
    assert records, "the update should be in the trail"
    body = response.content.decode()
    assert '<span class="hx-field" title="name">名称</span>' in body
    assert "甲小学（新校区）" in body


def test_it_filters_by_kind_and_actor(client_for):
    client = client_for("auditor")
    response = client.get(reverse("core:audit_list"), {"kind": "core:login"})
    assert all(r.kind == "core:login" for r in response.context["page_obj"].object_list)
    response = client.get(reverse("core:audit_list"), {"actor": "nobody-at-all"})
    assert list(response.context["page_obj"].object_list) == []


def test_it_filters_by_date_range_in_local_time(client_for):
    client = client_for("auditor")
    today = timezone.localdate()
    assert (
        client.get(reverse("core:audit_list"), {"date_from": today, "date_to": today})
        .context["page_obj"]
        .paginator.count
        > 0
    )
    yesterday = today - dt.timedelta(days=1)
    assert (
        client.get(reverse("core:audit_list"), {"date_to": yesterday})
        .context["page_obj"]
        .paginator.count
        == 0
    )


def test_it_refuses_a_malformed_date_with_a_chinese_message(client_for):
    response = client_for("auditor").get(reverse("core:audit_list"), {"date_from": "not-a-date"})
    assert response.status_code == 400
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["filter"].errors
    assert "有效的日期" in response.content.decode()


def test_it_refuses_a_date_range_that_ends_before_it_starts(client_for):
    response = client_for("auditor").get(
        reverse("core:audit_list"), {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in response.content.decode()
