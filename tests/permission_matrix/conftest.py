"""Worlds for the tables: the objects behind a route's ids, built with the module fixtures.

A world turns (kind, side) into the id a URL carries: side "a" is station/school 01's object,
"b" station/school 02's, "missing" an id that exists nowhere. A kind starting with ``new_``
builds a fresh object on every call, for the routes that consume theirs (a delete).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huxiao.core import services as core_services
from huxiao.core.choices import NotificationLevel
from huxiao.schools import services as school_services
from tests.gate.conftest import gate_world  # noqa: F401  (fixture)
from tests.schools.conftest import schools  # noqa: F401  (fixture)
from tests.schools.test_import_fixtures import CODE_A, CODE_B, GUARD_HEADERS, guard_row, xlsx_bytes

MISSING = {"upload": "00000000-0000-4000-8000-000000000000"}
MISSING_ID = 999_999


class World:
    def __init__(self, ids: Mapping[str, Mapping[str, Any | Callable[[], Any]]]):
        self.ids = ids

    def id(self, kind: str, side: str) -> Any:
        if kind.startswith("="):
            return kind[1:]
        if side == "missing":
            return MISSING.get(kind, MISSING_ID)
        value = self.ids[kind][side]
        return value() if callable(value) else value


@pytest.fixture
def schools_world(schools, city):  # noqa: F811
    a, b = schools

    def new_guard(school):
        return lambda: school_services.guard_create(school=school, name="矩阵待删保安").pk

    def new_device(school):
        return lambda: school_services.device_create(school=school, kind="camera").pk

    return World(
        {
            "school": {"a": a.pk, "b": b.pk},
            "school_org": {"a": city.school_a.pk, "b": city.school_b.pk},
            "new_guard": {"a": new_guard(a), "b": new_guard(b)},
            "new_device": {"a": new_device(a), "b": new_device(b)},
        }
    )


@pytest.fixture
def uploads_world(schools, client_for, settings, tmp_path):  # noqa: F811
    """A guard ledger uploaded (previewed, not committed) by officer_a and one by officer_b."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def upload(who: str, code: str, serial: int) -> str:
        data = xlsx_bytes(GUARD_HEADERS, [guard_row(serial, code=code)])
        response = client_for(who).post(
            "/schools/import/",
            {"ledger": "guards", "file": SimpleUploadedFile("保安员台账.xlsx", data)},
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return response["Location"].rstrip("/").split("/")[-1]

    return World(
        {"upload": {"a": upload("officer_a", CODE_A, 1), "b": upload("officer_b", CODE_B, 2)}}
    )


@pytest.fixture
def personal_world(people):
    """Records that belong to one user: "a" is officer_a's, "b" officer_b's."""

    def notification(user):
        return core_services.notify(recipients=[user], title="矩阵通知")[0].pk

    def new_token(user):
        return lambda: core_services.token_create(user=user, name="矩阵令牌")[0].pk

    def new_urgent_notification(user):
        return lambda: (
            core_services.notify(
                recipients=[user], title="矩阵紧急通知", level=NotificationLevel.URGENT
            )[0].pk
        )

    return World(
        {
            "notification": {
                "a": notification(people.officer_a),
                "b": notification(people.officer_b),
            },
            "new_token": {"a": new_token(people.officer_a), "b": new_token(people.officer_b)},
            "new_urgent_notification": {
                "a": new_urgent_notification(people.officer_a),
                "b": new_urgent_notification(people.officer_b),
            },
        }
    )
