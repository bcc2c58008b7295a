"""A key person's last review (issue 14: "最近核查 2026-11-29" beside "尚无走访核查记录"): a
recorded follow-up moves it everywhere at once, so the page, the list's export and the API agree
with the records the page lists; the many-at-once service moves it as one follow-up does."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.persons import services
from huxiao.persons.models import FollowUp, KeyPerson

API = "/api/v1"


def _last_review_everywhere(client, person) -> dict[str, str]:
    page = client.get(reverse("persons:key_person_detail", args=[person.pk])).content.decode()
    shown = page.split('data-testid="last-review">', 1)[1].split("<", 1)[0].strip()
    export = client.get(reverse("persons:key_person_export"))
    rows = load_workbook(io.BytesIO(export.content), read_only=True).active.iter_rows(
        values_only=True
    )
    headers = next(rows)
    row = next(dict(zip(headers, r, strict=True)) for r in rows if r[0] == person.name)
    exported = row["最近核查日期"]
    listed = next(
        p for p in client.get(f"{API}/key-persons").json()["items"] if p["id"] == person.pk
    )
    detail = client.get(f"{API}/key-persons/{person.pk}").json()
    return {
        "page": shown,
        "export": str(exported)[:10] if exported else "—",
        "api list": listed["last_review_date"] or "—",
        "api detail": detail["last_review_date"] or "—",
    }


def test_the_page_the_export_and_the_api_show_the_latest_follow_up(person_a, people, client_for):
    client = client_for("officer_a")
    assert set(_last_review_everywhere(client, person_a).values()) == {"—"}

    today = timezone.localdate()
    latest, earlier = today - dt.timedelta(days=2), today - dt.timedelta(days=9)
    for day in (latest, earlier):  # an older visit recorded afterwards stays older
        person_a.refresh_from_db()
        services.follow_up_create(
            person=person_a,
            actor=people.officer_a,
            date=day,
            method="visit",
            observations="在家",
        )
    shown = _last_review_everywhere(client, person_a)
    assert set(shown.values()) == {f"{latest:%Y-%m-%d}"}, shown
    listed = client.get(f"{API}/key-persons/{person_a.pk}/follow-ups").json()["items"]
    assert max(f["date"] for f in listed) == f"{latest:%Y-%m-%d}"


def test_many_follow_ups_move_the_reviews_as_one_does(person_a, person_b, people):
    today = timezone.localdate()
    one = services.follow_up_create(
        person=person_a,
        actor=people.officer_a,
        date=today - dt.timedelta(days=3),
        method="phone",
        observations="电话核查",
    )
    person_a.refresh_from_db()
    expected = (person_a.last_review_date, person_a.next_review_date, person_a.review_rule)

    FollowUp.objects.filter(pk=one.pk).delete()
    KeyPerson.objects.filter(pk=person_a.pk).update(last_review_date=None)
    person_a.refresh_from_db()
    created = services.follow_ups_create_many(
        follow_ups=[
            {
                "person": person_a,
                "date": today - dt.timedelta(days=3),
                "method": "phone",
                "observations": "电话核查",
                "officer": people.officer_a,
            },
            {
                "person": person_b,
                "date": today - dt.timedelta(days=1),
                "method": "visit",
                "observations": "走访",
                "officer": people.officer_b,
            },
        ],
        today=today,
    )
    assert len(created) == 2 and all(f.pk for f in created)
    person_a.refresh_from_db()
    person_b.refresh_from_db()
    assert (person_a.last_review_date, person_a.next_review_date, person_a.review_rule) == expected
    assert person_b.last_review_date == today - dt.timedelta(days=1)
    assert created[0].next_review_date == person_a.next_review_date
