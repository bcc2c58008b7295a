"""An urgent message's toast is claimed once (POST /notifications/<id>/alert/): the first page
gets its text and shows it, every later page or tab gets 204; someone else's message is 404."""

import pytest
from django.test import Client
from django.urls import reverse

from huxiao.core import services
from huxiao.core.choices import NotificationLevel
from huxiao.core.models import Notification


def urgent(user, **extra):
    fields = {"title": "布控比中：张某", "body": "请立即处置", "link": "/persons/1/"} | extra
    return services.notify(recipients=[user], level=NotificationLevel.URGENT, **fields)[0]


def claim(client, notification):
    return client.post(reverse("core:notification_alert", args=[notification.pk]))


def test_it_gives_the_first_page_the_message_and_later_ones_nothing(client_for, people):
    notification = urgent(people.officer_a)
    client = client_for("officer_a")
    first = claim(client, notification)
    assert first.status_code == 200
    assert first.json() == {
        "id": notification.pk,
        "title": "布控比中：张某",
        "body": "请立即处置",
        "link": "/persons/1/",
        "next": None,
    }
    notification.refresh_from_db()
    assert notification.alerted_at is not None
    # A reload, or another tab signed in as the same user: already shown.
    assert claim(client, notification).status_code == 204
    assert claim(client_for("officer_a"), notification).status_code == 204


def test_it_names_the_next_message_still_to_be_shown(client_for, people):
    older, newer = urgent(people.officer_a, title="一"), urgent(people.officer_a, title="二")
    services.notify(recipients=[people.officer_a], title="普通通知")
    urgent(people.officer_b, title="乙的")
    client = client_for("officer_a")
    assert claim(client, newer).json()["next"] == older.pk
    assert claim(client, older).json()["next"] is None


def test_it_answers_404_for_someone_elses_notification(client_for, people):
    theirs = urgent(people.officer_b)
    assert claim(client_for("officer_a"), theirs).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).alerted_at is None
    # Their own page still shows it.
    assert claim(client_for("officer_b"), theirs).status_code == 200


def test_it_refuses_a_post_without_the_csrf_token(people):
    notification = urgent(people.officer_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.officer_a)
    assert claim(client, notification).status_code == 403
    assert Notification.objects.get(pk=notification.pk).alerted_at is None
    # The page's token (data-csrf of #hx-urgent-alerts, sent as X-CSRFToken) is accepted.
    client.get(reverse("core:home"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("core:notification_alert", args=[notification.pk]), HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


def test_it_refuses_get_and_sends_anonymous_callers_to_sign_in(client_for, client, people):
    notification = urgent(people.officer_a)
    url = reverse("core:notification_alert", args=[notification.pk])
    assert client_for("officer_a").get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response.url
    assert Notification.objects.get(pk=notification.pk).alerted_at is None


@pytest.mark.parametrize("level", [NotificationLevel.INFO, NotificationLevel.WARNING])
def test_it_has_no_toast_for_a_message_that_is_not_urgent(client_for, people, level):
    notification = services.notify(recipients=[people.officer_a], title="提醒", level=level)[0]
    assert claim(client_for("officer_a"), notification).status_code == 204
    assert Notification.objects.get(pk=notification.pk).alerted_at is None


def test_it_sends_only_links_inside_the_platform(client_for, people):
    notification = urgent(people.officer_a, link="https://evil.example/")
    assert claim(client_for("officer_a"), notification).json()["link"] == ""
