"""Rolling screening pages: the batches of a campaign add up to the seeds' "已排查重点人员
318人" for the commander, to the station's own share for its officer; a new batch goes
through the service's checks."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huxiao.inspections.models import ChecklistTemplate
from huxiao.inspections.services import campaign_create
from huxiao.persons import services
from huxiao.persons.models import ScreeningBatch

SPRING = (dt.date(2026, 2, 20), dt.date(2026, 3, 10))


@pytest.fixture
def campaign(city, people):
    return campaign_create(
        name="春季护校安园专项行动",
        issuer=city.city,
        start_date=dt.date(2026, 2, 15),
        end_date=dt.date(2026, 3, 31),
        checklist=ChecklistTemplate.objects.order_by("pk").first(),
        actor=people.commander,
    )


@pytest.fixture
def batches(city, campaign):
    for station, n in ((city.station_a, 200), (city.station_b, 118)):
        services.screening_batch_create(
            organization=station,
            period_start=SPRING[0],
            period_end=SPRING[1],
            imported=True,
            screened=n,
            newly_listed=3,
            removed=1,
            campaign=campaign,
        )
    # another round outside the campaign
    services.screening_batch_create(
        organization=city.station_a,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 9, 20),
        imported=True,
        screened=50,
    )


def total(response, key="screened") -> str:
    return response.content.decode().split(f'data-total="{key}">')[1].split("<")[0]


def test_the_campaigns_batches_add_up_to_318_for_the_commander(client_for, campaign, batches):
    client = client_for("commander")
    response = client.get(reverse("persons:screening_list"), {"campaign": campaign.pk})
    assert response.status_code == 200
    assert total(response) == "318"
    assert total(response, "newly_listed") == "6" and total(response, "batches") == "2"
    assert total(client.get(reverse("persons:screening_list"))) == "368"


def test_an_officer_sees_the_stations_share(client_for, campaign, batches, city):
    client = client_for("officer_a")
    assert total(client.get(reverse("persons:screening_list"), {"campaign": campaign.pk})) == "200"
    # a jurisdiction outside the scope is an invalid filter: nothing, not everything
    response = client.get(reverse("persons:screening_list"), {"organization": city.station_b.pk})
    assert total(response) == "0"


def test_the_totals_follow_the_period_and_jurisdiction(client_for, batches, city):
    client = client_for("commander")
    response = client.get(
        reverse("persons:screening_list"),
        {"organization": city.sub_bureau.pk, "start": "2026-02-01", "end": "2026-03-31"},
    )
    assert total(response) == "318"
    response = client.get(reverse("persons:screening_list"), {"organization": city.station_b.pk})
    assert total(response) == "118"


def test_the_export_lists_the_batches(client_for, campaign, batches):
    response = client_for("commander").get(
        reverse("persons:screening_export"), {"campaign": campaign.pk}
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[4] for r in rows[1:]) == [118, 200]


def test_an_officer_registers_a_batch_then_lists_its_persons(client_for, campaign, city):
    response = client_for("officer_a").post(
        reverse("persons:screening_create"),
        {
            "organization": city.station_a.pk,
            "campaign": campaign.pk,
            "period_start": "2026-02-20",
            "period_end": "2026-03-10",
        },
    )
    batch = ScreeningBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("persons:screening_detail", args=[batch.pk])
    assert (batch.organization, batch.campaign, batch.screened) == (city.station_a, campaign, 0)
    assert not batch.imported


def test_typed_totals_only_for_history(client_for, campaign, city):
    client = client_for("officer_a")
    form = {
        "organization": city.station_a.pk,
        "campaign": campaign.pk,
        "period_start": "2026-02-20",
        "period_end": "2026-03-10",
        "screened": "120",
        "newly_listed": "2",
        "removed": "0",
    }
    refused = client.post(reverse("persons:screening_create"), form)
    assert refused.status_code == 400
    assert "历史导入" in refused.content.decode() and not ScreeningBatch.objects.exists()
    assert (
        client.post(reverse("persons:screening_create"), {**form, "imported": "on"}).status_code
        == 302
    )
    batch = ScreeningBatch.objects.get()
    assert (batch.imported, batch.screened, batch.newly_listed) == (True, 120, 2)


def test_the_services_checks_come_back_in_chinese(client_for, city):
    response = client_for("officer_a").post(
        reverse("persons:screening_create"),
        {
            "organization": city.station_a.pk,
            "period_start": "2026-03-10",
            "period_end": "2026-03-01",
            "screened": "5",
            "newly_listed": "0",
            "removed": "0",
        },
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not ScreeningBatch.objects.exists()


def test_a_batch_for_another_station_is_refused(client_for, city):
    response = client_for("officer_a").post(
        reverse("persons:screening_create"),
        {
            "organization": city.station_b.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-10",
            "screened": "5",
            "newly_listed": "0",
            "removed": "0",
        },
    )
    assert response.status_code == 400
    assert not ScreeningBatch.objects.exists()
