"""Rolling screening counted from records (issue 15, item 2): a batch lists the persons it
checked; new listings and removals follow from it through the key-person services; its
排查人数 is the count of its persons, the same column the list sums and the figure
``persons.screened`` reads. A batch imported from history keeps typed totals and says so
(历史导入). Users of two stations see only their own batches and persons.

Dates count from ``timezone.localdate()`` (the batch runs over the last ten days).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.core.modules import Period
from huxiao.persons import services
from huxiao.persons.models import KeyPerson, ScreeningBatch, ScreeningEntry
from tests.figures_support import module_figures
from tests.schools.conftest import id_number


def _today() -> dt.date:
    return timezone.localdate()


def _person(station, officer, name, seq, *, days_ago=60, last_review=None):
    today = _today()
    person = services.key_person_create(
        station=station,
        name=name,
        id_number=id_number("510402", dt.date(1981, 2, 3), seq),
        categories=["idle"],
        risk_level="medium",
        officer=officer,
        listed_on=today - dt.timedelta(days=days_ago),
        actor=officer,
        today=today,
    )
    if last_review is not None:  # the last review is a follow-up record (issue 14)
        services.follow_up_create(
            person=person,
            actor=officer,
            date=last_review,
            method="visit",
            observations="走访",
            today=today,
        )
        person.refresh_from_db()
    return person


def _figure(code: str):
    return next(f for f in module_figures("persons") if f.code == code)


@pytest.fixture
def period():
    today = _today()
    return Period(today - dt.timedelta(days=10), today)


@pytest.fixture
def batch(city, people, period):
    return services.screening_batch_create(
        organization=city.station_a,
        period_start=period.start,
        period_end=period.end,
        actor=people.officer_a,
    )


@pytest.fixture
def pair(city, people):
    """Two persons of station 01 listed two months ago: 甲 to be checked, 乙 to be removed."""
    a = _person(city.station_a, people.officer_a, "测试核查甲", 801)
    b = _person(city.station_a, people.officer_a, "测试撤销乙", 802)
    return a, b


def _total(html: str, key: str = "screened") -> str:
    return html.split(f'data-total="{key}">')[1].split("<")[0]


def _export(client, query: str) -> list[dict]:
    response = client.get(reverse("persons:screening_export") + query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if any(row)]


def _new_person_form(station, seq, listed_on):
    return {
        "name": "测试新列丙",
        "id_number": id_number("510402", dt.date(1984, 6, 7), seq),
        "categories": ["grievance"],
        "risk_level": "medium",
        "station": station.pk,
        "status": "in_control",
        "listed_on": listed_on.isoformat(),
    }


def test_a_batch_counts_the_persons_it_lists(client_for, people, city, batch, pair, period):
    """3 entries (1 checked, 1 removal, 1 new listing) → 排查人数 3, 新增列管 1, 撤销列管 1: on the
    batch, the list's totals, its export and the figure; the removal went through the
    key-person service (the state changed, with its history)."""
    checked, removed = pair
    officer = client_for("officer_a")
    entries_url = reverse("persons:screening_entries", args=[batch.pk])
    response = officer.post(entries_url, {"persons": [checked.pk], "outcome": "checked"})
    assert response.status_code == 302
    # The officer may not end a listing: the commander's approval, in the service's words.
    refused = officer.post(
        entries_url, {"persons": [removed.pk], "outcome": "removed", "note": "已迁出辖区"}
    )
    assert refused.status_code == 400 and "须经指挥长审批" in refused.content.decode()
    assert KeyPerson.objects.get(pk=removed.pk).status == "in_control"
    assert ScreeningEntry.objects.filter(batch=batch).count() == 1
    # The commander approves it as the batch's removal (the service, with the approval).
    services.screening_entries_add(
        batch=batch,
        actor=people.commander,
        persons=[removed],
        outcome="removed",
        note="已迁出辖区",
    )
    # A person not yet in the registry is listed through the batch (新增列管).
    create = reverse("persons:key_person_create") + f"?screening={batch.pk}"
    assert officer.get(create).status_code == 200
    response = officer.post(create, _new_person_form(city.station_a, 803, period.end))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("persons:screening_detail", args=[batch.pk])

    batch.refresh_from_db()
    assert (batch.screened, batch.newly_listed, batch.removed) == (3, 1, 1)
    outcomes = dict(
        ScreeningEntry.objects.filter(batch=batch).values_list("person__name", "outcome")
    )
    assert outcomes == {"测试核查甲": "checked", "测试撤销乙": "removed", "测试新列丙": "listed"}
    new = KeyPerson.objects.get(name="测试新列丙")
    assert new.station == city.station_a and new.listed_on == period.end
    # The removal changed the person's state through key_person_update, with its history.
    gone = KeyPerson.objects.get(pk=removed.pk)
    assert (gone.status, gone.status_note, gone.version) == ("revoked", "已迁出辖区", 2)
    history = AuditRecord.objects.filter(
        object_type="persons.keyperson", object_id=str(removed.pk), action="update"
    )
    assert any("status" in (r.after or {}) for r in history)
    person_page = officer.get(reverse("persons:key_person_detail", args=[removed.pk]))
    assert 'data-outcome="removed"' in person_page.content.decode()

    figure = _figure("persons.screened")
    for user in ("officer_a", "commander"):
        assert figure.value(getattr(people, user), period) == 3, user
        client = client_for(user)
        listed = client.get(figure.url(period))
        assert listed.status_code == 200
        html = listed.content.decode()
        assert _total(html) == "3" and _total(html, "newly_listed") == "1"
        assert _total(html, "removed") == "1"
        query = "?" + figure.url(period).split("?", 1)[1]
        assert sum(r["排查人数"] for r in _export(client, query)) == 3
    assert figure.value(people.officer_b, period) == 0
    page = officer.get(reverse("persons:screening_detail", args=[batch.pk])).content.decode()
    assert 'data-count="screened">3<' in page and "测试新列丙" in page
    assert 'data-testid="imported"' not in page


def test_an_imported_batch_keeps_its_typed_totals_and_says_so(
    client_for, people, city, batch, pair, period
):
    services.screening_entries_add(batch=batch, actor=people.officer_a, persons=pair)
    history = services.screening_batch_create(
        organization=city.station_a,
        period_start=period.start,
        period_end=period.end,
        imported=True,
        screened=50,
        newly_listed=2,
        removed=1,
        note="纸质台账",
    )
    figure = _figure("persons.screened")
    assert figure.value(people.officer_a, period) == 52
    client = client_for("officer_a")
    html = client.get(reverse("persons:screening_list")).content.decode()
    assert _total(html) == "52" and "其中历史导入1" in html
    rows = {r.split('data-batch="')[1].split('"')[0]: r for r in html.split("<tr ")[1:]}
    assert 'data-testid="imported"' in rows[str(history.pk)]
    assert 'data-testid="imported"' not in rows[str(batch.pk)]
    detail = client.get(reverse("persons:screening_detail", args=[history.pk])).content.decode()
    assert "历史导入" in detail and 'data-count="screened">50<' in detail
    assert 'data-testid="action-entries"' not in detail  # nobody is listed on history
    # The export names where each count comes from.
    sources = {r["排查人数"]: r["人数来源"] for r in _export(client, "")}
    assert sources == {50: "历史导入（合计）", 2: "逐人登记"}
    # So does the API; and a person cannot be added to history.
    items = client.get("/api/v1/screening-batches").json()["items"]
    assert {i["id"]: i["imported"] for i in items} == {history.pk: True, batch.pk: False}
    refused = client.post(
        f"/api/v1/screening-batches/{history.pk}/entries",
        data=json.dumps({"person_ids": [pair[0].pk]}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "历史导入" in refused.json()["detail"]
    page = client.post(
        reverse("persons:screening_entries", args=[history.pk]), {"persons": [pair[0].pk]}
    )
    assert page.status_code == 400
    history.refresh_from_db()
    assert (history.screened, history.newly_listed, history.removed) == (50, 2, 1)
    # Typing totals on a batch that lists its persons is refused, in Chinese.
    with pytest.raises(Exception, match="历史导入"):
        services.screening_batch_create(
            organization=city.station_a,
            period_start=period.start,
            period_end=period.end,
            screened=5,
        )


def test_users_of_two_stations_see_only_their_own(client_for, people, city, batch, pair, person_b):
    services.screening_entries_add(batch=batch, actor=people.officer_a, persons=[pair[0]])
    other = client_for("officer_b")
    assert other.get(reverse("persons:screening_detail", args=[batch.pk])).status_code == 404
    response = other.post(
        reverse("persons:screening_entries", args=[batch.pk]), {"persons": [person_b.pk]}
    )
    assert response.status_code == 404
    assert other.get(f"/api/v1/screening-batches/{batch.pk}").status_code == 404
    assert other.get(f"/api/v1/screening-batches/{batch.pk}/entries").status_code == 404
    posted = other.post(
        f"/api/v1/screening-batches/{batch.pk}/entries",
        data=json.dumps({"person_ids": [person_b.pk]}),
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert other.get("/api/v1/screening-batches").json()["items"] == []
    # Station 01's officer cannot add station 02's person: a clear 400, nothing written.
    officer = client_for("officer_a")
    page = officer.post(
        reverse("persons:screening_entries", args=[batch.pk]), {"persons": [person_b.pk]}
    )
    assert page.status_code == 400 and "不在本批次排查单位的辖区内" in page.content.decode()
    api = officer.post(
        f"/api/v1/screening-batches/{batch.pk}/entries",
        data=json.dumps({"person_ids": [person_b.pk]}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "不在您的数据范围内" in api.json()["detail"]
    # The commander sees both stations, but a batch covers its own organisation only.
    with pytest.raises(Exception, match="不在本批次排查单位"):
        services.screening_entries_add(batch=batch, actor=people.commander, persons=[person_b])
    assert ScreeningEntry.objects.filter(batch=batch).count() == 1
    batch.refresh_from_db()
    assert batch.screened == 1
    # The commander reads the batch and its persons.
    detail = client_for("commander").get(f"/api/v1/screening-batches/{batch.pk}").json()
    assert detail["screened"] == 1 and [e["person_name"] for e in detail["entries"]] == [
        "测试核查甲"
    ]


@pytest.mark.parametrize("user", ["edu_officer", "chief", "guard", "admin", "auditor"])
def test_non_police_get_404_on_batches(client_for, batch, pair, user):
    client = client_for(user)
    assert client.get(reverse("persons:screening_detail", args=[batch.pk])).status_code == 404
    assert (
        client.post(
            reverse("persons:screening_entries", args=[batch.pk]), {"persons": [pair[0].pk]}
        ).status_code
        == 404
    )
    for path in (
        f"/api/v1/screening-batches/{batch.pk}",
        f"/api/v1/screening-batches/{batch.pk}/entries",
    ):
        assert client.get(path).status_code == 404, path
    posted = client.post(
        f"/api/v1/screening-batches/{batch.pk}/entries",
        data=json.dumps({"person_ids": [pair[0].pk]}),
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert not ScreeningEntry.objects.exists()


def test_the_commander_reads_but_does_not_register(client_for, batch, pair):
    client = client_for("commander")
    assert client.get(reverse("persons:screening_detail", args=[batch.pk])).status_code == 200
    response = client.post(
        reverse("persons:screening_entries", args=[batch.pk]), {"persons": [pair[0].pk]}
    )
    assert response.status_code == 403
    assert not ScreeningEntry.objects.exists()


def test_entries_through_the_api(client_for, city, batch, pair, period):
    client = client_for("officer_a")
    url = f"/api/v1/screening-batches/{batch.pk}/entries"
    created = client.post(
        url,
        data=json.dumps({"person_ids": [p.pk for p in pair], "outcome": "checked"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["screened"] == 2 and created.json()["newly_listed"] == 0
    again = client.post(
        url, data=json.dumps({"person_ids": [pair[0].pk]}), content_type="application/json"
    )
    assert again.status_code == 400 and "已在本批次中登记" in again.json()["detail"]
    new = client.post(
        url,
        data=json.dumps(
            {
                "outcome": "listed",
                "note": "排查新发现",
                "new_person": {
                    "name": "测试接口丁",
                    "id_number": id_number("510402", dt.date(1986, 8, 9), 804),
                    "station_id": city.station_a.pk,
                    "categories": ["drug"],
                },
            }
        ),
        content_type="application/json",
    )
    assert new.status_code == 201, new.content
    body = new.json()
    assert (body["screened"], body["newly_listed"], body["removed"]) == (3, 1, 0)
    assert [e["outcome"] for e in body["entries"]] == ["checked", "checked", "listed"]
    listed = client.get(url).json()
    assert listed["count"] == 3 and listed["items"][2]["person_name"] == "测试接口丁"
    assert KeyPerson.objects.get(name="测试接口丁").listed_on == min(_today(), period.end)
    totals = client.get("/api/v1/screening-batches/totals").json()
    assert totals == {"screened": 3, "newly_listed": 1, "removed": 0, "batches": 1, "imported": 0}
    assert ScreeningBatch.objects.get(pk=batch.pk).screened == 3


def test_a_revoked_person_is_not_checked_and_a_removal_needs_a_reason(people, batch, pair):
    checked, removed = pair
    with pytest.raises(Exception, match="撤销列管须填写理由"):
        services.screening_entries_add(
            batch=batch, actor=people.commander, persons=[removed], outcome="removed"
        )
    services.key_person_update(
        person=removed, status="revoked", status_note="已死亡", actor=people.commander
    )
    with pytest.raises(Exception, match="不能登记为“核查在控”"):
        services.screening_entries_add(
            batch=batch, actor=people.officer_a, persons=[checked, removed]
        )
    assert not ScreeningEntry.objects.exists()  # all or nothing
    # Revoked (approved) before: the officer records the batch's removal once.
    services.screening_entries_add(
        batch=batch, actor=people.officer_a, persons=[removed], outcome="removed", note="已死亡"
    )
    batch.refresh_from_db()
    assert (batch.screened, batch.removed) == (1, 1)


def test_reviews_due_counts_the_next_seven_days_as_its_list(client_for, people, city):
    today = _today()
    for seq, days in ((811, 27), (812, 25), (813, 15), (814, 32), (815, 30)):
        _person(
            city.station_a,
            people.officer_a,
            f"测试核查{seq}",
            seq,
            last_review=today - dt.timedelta(days=days),
        )
    dues = list(KeyPerson.objects.values_list("next_review_date", flat=True))
    expected = sum(1 for d in dues if today <= d <= today + dt.timedelta(days=7))
    assert expected >= 2  # due in 3, 5 and 0 days under the default monthly cadence
    figure = _figure("persons.reviews_due")
    period = Period(today, today)
    assert not figure.periodic
    assert figure.value(people.officer_a, period) == expected
    assert figure.value(people.commander, period) == expected
    assert figure.value(people.officer_b, period) == 0
    assert figure.url(period).endswith("?review=week")
    client = client_for("officer_a")
    rows = load_workbook(
        io.BytesIO(client.get(reverse("persons:key_person_export") + "?review=week").content)
    ).active
    assert sum(1 for r in rows.iter_rows(min_row=2, values_only=True) if any(r)) == expected
    assert client.get("/api/v1/key-persons?review=week").json()["count"] == expected
