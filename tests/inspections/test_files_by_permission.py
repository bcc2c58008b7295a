"""A file is served only to whoever may read the record it belongs to (issue 13, item 5).

The organisation scope alone let the auditor (who sees every organisation) and the gate guard
(who sees school 01) download hazard photos they cannot open otherwise.
"""

from __future__ import annotations

import pytest

from huxiao.core.models import Attachment
from huxiao.inspections import services
from tests.inspections.conftest import photo


@pytest.fixture
def hazard_files(ischools, make_hazard, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, _ = ischools
    hazard = make_hazard(a)
    services.hazard_add_photos(hazard=hazard, uploads=[photo("现场.png")], actor=people.officer_a)
    services.hazard_start(hazard=hazard, actor=people.chief)
    services.hazard_report(
        hazard=hazard, measures="已加装防冲撞桩", evidence=[photo("整改后.png")], actor=people.chief
    )
    owned = {a.original_name: a.pk for a in Attachment.objects.all()}
    return owned["现场.png"], owned["整改后.png"]


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("officer_a", 200),
        ("chief", 200),
        ("edu_officer", 200),
        ("commander", 200),
        ("auditor", 404),  # every organisation, but not hazards
        ("guard", 404),  # school 01, but not hazards
        ("officer_b", 404),  # hazards, but not school 01
    ],
)
def test_a_hazard_photo_and_its_report_evidence_follow_the_hazard(
    client_for, hazard_files, user, status
):
    client = client_for(user)
    for pk in hazard_files:
        assert client.get(f"/files/{pk}/").status_code == status, (user, pk)
    assert client.get("/files/987654/").status_code == 404  # the same answer as missing
