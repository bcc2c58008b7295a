"""Urgent messages to the police of a station (key person lost, watchlist match)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from huxiao.core.choices import NotificationLevel


def detail_link(person_id: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("persons:key_person_detail", args=[person_id])
    except NoReverseMatch:  # pages not installed (API-only deployment)
        return f"/persons/{person_id}/"


def station_recipients(*, station_ids, officer_id: int | None = None) -> list:
    """Active police users of the stations, and the person's responsible officer (one query)."""
    from huxiao.core.models import User

    who = Q(organization_id__in=[s for s in station_ids if s is not None], role__is_police=True)
    if officer_id is not None:
        who |= Q(pk=officer_id)
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


def notify_station(
    *,
    person_id: int,
    station_ids,
    officer_id: int | None,
    title: str,
    body: str,
    subject: str = "",
) -> int:
    """Inbox messages (urgent) in the caller's transaction; the live push runs on commit.
    ``subject`` names the task they ask for (``core.services.notification_subject``)."""
    from huxiao.core.services import notify

    recipients = station_recipients(station_ids=station_ids, officer_id=officer_id)
    if not recipients:
        return 0
    with transaction.atomic():
        notify(
            recipients=recipients,
            title=title,
            body=body,
            link=detail_link(person_id),
            level=NotificationLevel.URGENT,
            subject=subject,
        )
    return len(recipients)
