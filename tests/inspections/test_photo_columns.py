"""Each photo in one column by its purpose (issue 14): the school's report pictures under 整改后,
the re-check's under 复查 — passed or not — and nothing under two columns."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.core.models import Attachment
from huxiao.inspections import services
from huxiao.inspections.choices import PhotoPurpose
from tests.inspections.conftest import photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def column(html: str, name: str) -> list[str]:
    section = re.search(rf'id="photos-{name}">(.*?)</div>\s*(?:<div class="col|</div>)', html, re.S)
    assert section, name
    return re.findall(r"/files/(\d+)/", section.group(1))


@pytest.mark.parametrize("passed", [True, False])
def test_report_pictures_show_after_and_recheck_pictures_under_recheck(
    ischools, make_hazard, people, client_for, passed
):
    hazard = make_hazard(ischools[0], deadline=timezone.localdate())
    services.hazard_add_photos(hazard=hazard, uploads=[photo("before.png")], actor=people.officer_a)
    services.hazard_start(hazard=hazard, actor=people.chief)
    report = services.hazard_report(
        hazard=hazard, measures="已加装防冲撞桩", evidence=[photo("after.png")], actor=people.chief
    )
    services.hazard_recheck(
        hazard=hazard,
        passed=passed,
        note="" if passed else "未固定",
        new_deadline=None if passed else timezone.localdate() + dt.timedelta(days=7),
        photos=[photo("recheck.png")],
        actor=people.officer_a,
    )
    recheck = Attachment.objects.get(original_name="recheck.png")
    assert recheck.purpose == PhotoPurpose.RECHECK
    evidence = Attachment.objects.get(original_name="after.png")
    assert str(evidence.object_id) == str(report.pk)  # filed with the report it proves

    html = client_for("officer_a").get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    html = html.content.decode()
    before, after, rechecked = (
        column(html, "before"),
        column(html, "after"),
        column(html, "recheck"),
    )
    assert str(evidence.pk) in after and str(evidence.pk) not in rechecked
    assert str(recheck.pk) in rechecked and str(recheck.pk) not in after
    assert str(recheck.pk) not in before and str(evidence.pk) not in before
