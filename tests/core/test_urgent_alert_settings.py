"""The profile's 提醒设置: a user mutes the urgent toast's sound for themselves, recorded in the
change log as their own edit."""

from django.urls import reverse

from huxiao.core.choices import AuditAction
from huxiao.core.models import AuditRecord

CHECKBOX = 'name="mute_urgent_sound"'


def test_it_shows_the_setting_on_the_profile(client_for):
    body = client_for("officer_a").get(reverse("core:profile")).content.decode()
    assert "静音紧急提醒提示音" in body and CHECKBOX in body
    assert f'{CHECKBOX} class="form-check-input" id="id_mute_urgent_sound" checked' not in body


def test_it_saves_the_mute_setting_and_records_who_did(client_for, people):
    client = client_for("officer_a")
    response = client.post(reverse("core:profile_alerts"), {"mute_urgent_sound": "on"})
    assert response.status_code == 302 and response.url == reverse("core:profile")
    people.officer_a.refresh_from_db()
    assert people.officer_a.mute_urgent_sound is True
    record = (
        AuditRecord.objects.filter(
            object_type="core.user", object_id=str(people.officer_a.pk), action=AuditAction.UPDATE
        )
        .order_by("-seq")
        .first()
    )
    assert record.actor == people.officer_a and record.source == "web"
    assert record.before == {"mute_urgent_sound": False}
    assert record.after == {"mute_urgent_sound": True}
    page = client.get(reverse("core:profile")).content.decode()
    assert "提醒设置已保存" in page
    assert 'data-mute-urgent-sound="1"' in page
    assert "checked" in page.split(CHECKBOX, 1)[1].split(">", 1)[0]


def test_it_unmutes_when_the_box_is_cleared(client_for, people):
    client = client_for("officer_a")
    client.post(reverse("core:profile_alerts"), {"mute_urgent_sound": "on"})
    client.post(reverse("core:profile_alerts"), {})
    people.officer_a.refresh_from_db()
    assert people.officer_a.mute_urgent_sound is False
    assert 'data-mute-urgent-sound="0"' in client.get(reverse("core:profile")).content.decode()


def test_it_changes_only_the_signed_in_users_setting(client_for, people):
    client_for("officer_a").post(reverse("core:profile_alerts"), {"mute_urgent_sound": "on"})
    people.officer_b.refresh_from_db()
    assert people.officer_b.mute_urgent_sound is False


def test_it_refuses_get(client_for, client):
    assert client_for("officer_a").get(reverse("core:profile_alerts")).status_code == 405
    response = client.post(reverse("core:profile_alerts"), {"mute_urgent_sound": "on"})
    assert response.status_code == 302 and "/login/" in response.url
