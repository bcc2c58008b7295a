"""Uploads are kept a day from their creation, on the same clock as the rest of the code."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huxiao.schools.imports import uploads
from tests.schools import test_import_fixtures as fx
from tests.schools.test_import_fixtures import guard_row, xlsx_bytes

schools_ab = fx.schools_ab  # shared fixtures
import_perms = fx.import_perms


def upload_token(client) -> str:
    data = xlsx_bytes(fx.GUARD_HEADERS, [guard_row(1)])
    response = client.post(
        "/schools/import/",
        {"ledger": "guards", "file": SimpleUploadedFile("保安员台账.xlsx", data)},
    )
    assert response.status_code == 302 and response["Location"].startswith("/schools/import/")
    token = response["Location"].rstrip("/").split("/")[-1]
    assert token != "import", response["Location"]
    return token


def test_it_sweeps_an_upload_a_day_old_and_keeps_a_fresh_one(
    schools_ab, import_perms, client_for, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The clock, not the file system's: the files are written now, the upload "two days ago".
    # (A client signed in on each side of the jump: an idle session would time out.)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2)):
        old = upload_token(client_for("officer_a"))
    client = client_for("officer_a")
    fresh = upload_token(client)  # creating an upload sweeps the old ones
    assert uploads.load(old, people.officer_a) is None
    assert uploads.load(fresh, people.officer_a) is not None
    assert client.get(f"/schools/import/{old}/").status_code == 404


def test_it_keeps_uploads_made_today_when_the_clock_runs_ahead_of_the_files(
    schools_ab, import_perms, client_for, people, settings, tmp_path
):
    # A moved clock (make test-clock) writes files with today's real times: an upload made a
    # moment ago on the moved clock is a moment old, whatever its file says.
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(timezone.now() + dt.timedelta(days=200)):
        client = client_for("officer_a")
        first = upload_token(client)
        upload_token(client)
        assert uploads.load(first, people.officer_a) is not None
        assert uploads.sweep() == 0
