"""Urgent messages to the police of a station (key person lost, watchlist match)."""

from __future__ import annotations

from django.db import transaction

from huxiao.core.choices import NotificationLevel


def detail_link(person_id: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("key_person_detail", args=[person_id])
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return f"/persons/{person_id}/"


def station_recipients(*, stations, person=None) -> list:
    """Active police users of the stations, and the person's responsible officer."""
    from huxiao.core.models import User

    users = list(
        User.objects.filter(
            organization__in=[s for s in stations if s is not None],
            is_active=True,
            role__is_police=True,
        ).order_by("pk")
    )
    officer = person.officer if person is not None and person.officer_id else None
    if officer is not None and officer.is_active and officer.pk not in {u.pk for u in users}:
        users.append(officer)
    return users


def notify_station(*, person, stations, title: str, body: str) -> int:
    """Inbox messages (urgent) in the caller's transaction; the live push runs on commit."""
    from huxiao.core.services import notify

    recipients = station_recipients(stations=stations, person=person)
    if not recipients:
        return 0
    with transaction.atomic():
        notify(
            recipients=recipients,
            title=title,
            body=body,
            link=detail_link(person.pk) if person is not None else "",
            level=NotificationLevel.URGENT,
        )
    return len(recipients)
