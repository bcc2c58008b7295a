"""The inbox: list, mark one read, mark all read, with htmx and without."""

import pytest
from django.urls import reverse

from huxiao.core import services
from huxiao.core.models import Notification


@pytest.fixture
def inbox(people):
    mine = services.notify(
        recipients=[people.officer_a] * 3,
        title="整改期限提醒",
        body="请跟进",
        link="/organizations/",
    )
    theirs = services.notify(recipients=[people.officer_b], title="乙所的通知")
    return mine, theirs[0]


def test_it_lists_only_my_notifications(client_for, inbox):
    response = client_for("officer_a").get(reverse("core:notification_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("整改期限提醒") == 3
    assert "乙所的通知" not in body


def test_it_filters_unread(client_for, inbox):
    mine, _ = inbox
    services.notification_mark_read(user=mine[0].recipient, ids=[mine[0].pk])
    response = client_for("officer_a").get(reverse("core:notification_list"), {"show": "unread"})
    assert len(response.context["page_obj"].object_list) == 2


def test_it_marks_one_read_without_javascript(client_for, inbox):
    mine, _ = inbox
    response = client_for("officer_a").post(
        reverse("core:notification_read", args=[mine[0].pk]),
        {"next": "/notifications/?show=unread"},
    )
    assert response.status_code == 302
    assert response.url == "/notifications/?show=unread"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert (
        Notification.objects.filter(read_at__isnull=True, recipient=mine[0].recipient).count() == 2
    )


def test_it_marks_one_read_over_htmx_and_updates_the_badges(client_for, inbox):
    mine, _ = inbox
    response = client_for("officer_a").post(
        reverse("core:notification_read", args=[mine[0].pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="notice-{mine[0].pk}"' in body
    assert "hx-read" in body
    assert body.count('hx-swap-oob="true"') == 2
    assert 'id="hx-unread-top"' in body and ">2</span>" in body


def test_it_refuses_to_mark_someone_elses_notification(client_for, inbox):
    _, theirs = inbox
    response = client_for("officer_a").post(reverse("core:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_it_refuses_get_on_the_mark_read_url(client_for, inbox):
    mine, _ = inbox
    assert (
        client_for("officer_a")
        .get(reverse("core:notification_read", args=[mine[0].pk]))
        .status_code
        == 405
    )


def test_it_marks_all_read(client_for, inbox, people):
    response = client_for("officer_a").post(
        reverse("core:notification_read_all"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="hx-inbox"' in response.content.decode()
    assert not Notification.objects.filter(
        recipient=people.officer_a, read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(recipient=people.officer_b, read_at__isnull=True).count() == 1
    )


def test_it_marks_all_read_without_javascript(client_for, inbox, people):
    response = client_for("officer_a").post(reverse("core:notification_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(
        recipient=people.officer_a, read_at__isnull=True
    ).exists()


def test_it_links_only_to_pages_inside_the_platform(client_for, people):
    services.notify(recipients=[people.officer_a], title="外部链接", link="https://evil.example/")
    body = client_for("officer_a").get(reverse("core:notification_list")).content.decode()
    assert "evil.example" not in body
