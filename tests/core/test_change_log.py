"""Every create/update/delete leaves a change record with actor, request id, IP and masked secrets."""

from huxiao.core import context, services
from huxiao.core.choices import AuditAction, AuditKind, OrgKind
from huxiao.core.models import AuditRecord, Organization


def last(**filters):
    return AuditRecord.objects.filter(**filters).order_by("-seq").first()


def test_it_logs_a_create_with_the_acting_user_and_request(people):
    with context.acting(source="web", actor=people.admin, request_id="req-12345678", ip="10.1.2.3"):
        org = services.organization_create(
            kind=OrgKind.STATION, name="新站", code="NEW-1", division_code="530111"
        )
    record = last(object_type="core.organization", object_id=str(org.pk))
    assert record.action == AuditAction.CREATE and record.kind == AuditKind.CHANGE
    assert record.actor == people.admin and record.actor_name == "admin"
    assert (
        record.request_id == "req-12345678" and record.ip == "10.1.2.3" and record.source == "web"
    )
    assert record.after["name"] == "新站"


def test_it_logs_only_the_changed_fields_of_an_update(city, people):
    with context.acting(actor=people.admin):
        services.organization_update(org=city.station_a, name="甲派出所（新）")
    record = last(object_id=str(city.station_a.pk), action=AuditAction.UPDATE)
    assert record.before == {"name": "甲派出所"} and record.after == {"name": "甲派出所（新）"}


def test_it_logs_a_delete_with_the_before_state(city):
    org = services.organization_create(
        kind=OrgKind.STATION, name="临时站", code="TMP", division_code="530111"
    )
    Organization.objects.filter(pk=org.pk).get().delete()
    record = last(object_id=str(org.pk), action=AuditAction.DELETE)
    assert record.before["code"] == "TMP" and record.after is None


def test_it_masks_encrypted_fields_and_hides_passwords(people):
    services.user_update_profile(user=people.officer_a, full_name="张警官", phone="13708463901")
    record = last(
        object_type="core.user", object_id=str(people.officer_a.pk), action=AuditAction.UPDATE
    )
    assert record.after["phone"] == "[已隐藏]"  # changed, and named, but not even masked
    assert "13708463901" not in str(record.before) + str(record.after)
    created = last(
        object_type="core.user", object_id=str(people.officer_a.pk), action=AuditAction.CREATE
    )
    assert "password" not in created.after and "phone_index" not in created.after


def test_it_stores_the_phone_encrypted_at_rest(people):
    from django.db import connection

    services.user_update_profile(user=people.officer_a, full_name="张警官", phone="13708463901")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_user WHERE id = %s", [people.officer_a.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and "13708463901" not in stored
    people.officer_a.refresh_from_db()
    assert people.officer_a.phone == "13708463901"
