"""Each hazard picture is filed by the action that uploaded it and shown once, in its column,
on the page and in the API alike (issue 14: "a re-check's photo is filed under 整改后 while the
复查 column says 无; the school's report photos do not appear under 整改后")."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from huxiao.core import files
from huxiao.core.models import Attachment
from huxiao.inspections import services
from huxiao.inspections.choices import PhotoPurpose
from tests.inspections.conftest import photo
from tests.inspections.test_photo_columns import column

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="验收单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def purpose_of(name: str) -> str:
    return Attachment.objects.get(original_name=name).purpose


@pytest.fixture
def looped(ischools, make_hazard, people):
    """A hazard with a picture of each action: found, reported (with a PDF), re-checked."""
    hazard = make_hazard(ischools[0], deadline=timezone.localdate() + dt.timedelta(days=5))
    services.hazard_add_photos(hazard=hazard, uploads=[photo("found.png")], actor=people.officer_a)
    services.hazard_start(hazard=hazard, actor=people.chief)
    services.hazard_report(
        hazard=hazard,
        measures="已加装防冲撞桩",
        evidence=[photo("fixed.png"), pdf()],
        actor=people.chief,
    )
    services.hazard_recheck(
        hazard=hazard, passed=True, photos=[photo("rechecked.png")], actor=people.officer_a
    )
    return hazard


def test_it_files_each_picture_by_the_action_that_uploaded_it(looped):
    assert purpose_of("found.png") == PhotoPurpose.BEFORE
    assert purpose_of("fixed.png") == PhotoPurpose.AFTER  # the report's picture: 整改后
    assert purpose_of("验收单.pdf") == PhotoPurpose.EVIDENCE  # not a photo: the report's only
    assert purpose_of("rechecked.png") == PhotoPurpose.RECHECK


def test_it_shows_each_picture_once_in_its_column_on_the_page_and_in_the_api(looped, client_for):
    ids = {n: Attachment.objects.get(original_name=n).pk for n in ("found.png", "fixed.png")}
    ids["rechecked.png"] = Attachment.objects.get(original_name="rechecked.png").pk
    ids["验收单.pdf"] = Attachment.objects.get(original_name="验收单.pdf").pk
    client = client_for("officer_a")

    html = client.get(reverse("inspections:hazard_detail", args=[looped.pk])).content.decode()
    # each thumbnail links its file and shows it: one picture, two references
    page = {
        name: list(dict.fromkeys(column(html, name))) for name in ("before", "after", "recheck")
    }
    assert page == {
        "before": [str(ids["found.png"])],
        "after": [str(ids["fixed.png"])],
        "recheck": [str(ids["rechecked.png"])],
    }

    detail = client.get(f"{API}/hazards/{looped.pk}").json()
    photos = [(p["id"], p["purpose"], p["purpose_label"]) for p in detail["photos"]]
    assert photos == [
        (ids["found.png"], "before", "整改前"),
        (ids["fixed.png"], "after", "整改后"),
        (ids["rechecked.png"], "recheck", "复查照片"),
    ]
    evidence = detail["reports"][0]["evidence"]
    assert {e["id"]: e["purpose"] for e in evidence} == {
        ids["fixed.png"]: "after",
        ids["验收单.pdf"]: "evidence",
    }


def test_it_refuses_pictures_under_a_purpose_no_column_shows(ischools, make_hazard, client_for):
    hazard = make_hazard(ischools[0])
    path = f"{API}/hazards/{hazard.pk}/photos"
    refused = client_for("chief").post(path, {"files": [photo()], "purpose": "evidence"})
    assert refused.status_code == 400, refused.content
    assert "照片用途不正确" in refused.content.decode()
    assert not Attachment.objects.filter(object_id=hazard.pk).exists()


def test_it_refuses_pictures_on_a_closed_hazard_through_the_api_too(looped, client_for):
    path = f"{API}/hazards/{looped.pk}/photos"
    refused = client_for("officer_a").post(path, {"files": [photo("late.png")], "purpose": "after"})
    assert refused.status_code == 400, refused.content
    assert "隐患已销号" in refused.content.decode()
    assert not Attachment.objects.filter(original_name="late.png").exists()


def test_the_migration_refiles_the_pictures_stored_before(ischools, make_hazard, people):
    """Pictures stored by the old code: a report's as 整改佐证, a passed re-check's as 整改后."""
    hazard = make_hazard(ischools[0])
    services.hazard_start(hazard=hazard, actor=people.chief)
    report = services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    org = hazard.school.organization
    old_report = files.attachment_add(
        owner=report, organization=org, upload=photo("old-fixed.png"), purpose="evidence"
    )
    old_pdf = files.attachment_add(owner=report, organization=org, upload=pdf(), purpose="evidence")
    added_before = files.attachment_add(
        owner=hazard,
        organization=org,
        upload=photo("school-after.png"),
        purpose="after",
        actor=people.chief,
    )
    services.hazard_recheck(hazard=hazard, passed=True, actor=people.officer_a)
    old_recheck = files.attachment_add(
        owner=hazard,
        organization=org,
        upload=photo("old-recheck.png"),
        purpose="after",
        actor=people.officer_a,
    )

    migration = importlib.import_module(
        "huxiao.inspections.migrations.0005_photos_filed_by_purpose"
    )
    migration.file_by_purpose(apps, None)

    def purpose(a):
        return Attachment.objects.get(pk=a.pk).purpose

    assert purpose(old_report) == "after"
    assert purpose(old_pdf) == "evidence"
    assert purpose(added_before) == "after"  # the school's own 整改后, before the re-check
    assert purpose(old_recheck) == "recheck"
