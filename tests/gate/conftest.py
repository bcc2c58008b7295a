"""Gate fixtures over the harness city: school_a (station 01, education bureau A) and school_b
(station 02, bureau B) from tests.schools, and ``gate_world``: for each side a visit, a ban
(kept by that side's station), a pass, a vehicle entry, a pick-up authorisation and a seizure,
and makers of fresh ones for the routes that consume theirs."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from huxiao.core.models import User
from huxiao.gate import services
from huxiao.gate.choices import BanBasis, PassKind, SeizedFrom, SeizureCategory
from tests.schools.conftest import id_number, schools  # noqa: F401  (fixture)

_SEQ = itertools.count(100)


def new_id() -> str:
    """A valid ID number nobody else in the tests uses."""
    return id_number("530111", dt.date(1970, 1, 1), next(_SEQ) % 1000)


def guard_of(school) -> User:
    return User.objects.filter(organization_id=school.organization_id).order_by("pk").first()


def visit(school, actor, **extra):
    fields = {"name": "测试访客", "id_number": new_id(), "purpose": "parent"} | extra
    return services.visit_register(school=school, actor=actor, **fields)[0]


def ban(org, actor, ident, **extra):
    fields = {
        "name": "测试禁入",
        "id_number": ident,
        "basis": BanBasis.COURT,
        "reason": "法院禁止令",
        "decided_by": "测试法院",
        "starts_on": timezone.localdate() - dt.timedelta(days=1),
    } | extra
    return services.ban_create(organization=org, actor=actor, **fields)


@pytest.fixture
def gate_world(schools, city, people):  # noqa: F811
    from tests.permission_matrix.conftest import World  # (that conftest imports this fixture)

    a, b = schools
    by = {"a": (a, people.officer_a, city.station_a), "b": (b, people.officer_b, city.station_b)}
    today = timezone.localdate()
    ids: dict = {k: {} for k in ("visit", "new_visit", "ban", "new_ban", "pass", "new_pass")}
    ids |= {k: {} for k in ("vehicle", "new_vehicle", "pickup", "new_pickup", "seizure")}
    ids["new_seizure"] = {}
    for side, (school, officer, station) in by.items():
        ids["visit"][side] = visit(school, people.chief).pk
        ids["new_visit"][side] = lambda s=school: visit(s, people.chief).pk
        ids["ban"][side] = ban(station, officer, new_id()).pk
        ids["new_ban"][side] = lambda st=station, o=officer: ban(st, o, new_id()).pk

        def new_pass(s=school):
            return services.pass_issue(
                school=s,
                actor=people.chief,
                kind=PassKind.STAFF,
                number=f"P{next(_SEQ)}",
                holder="测试教师",
                valid_from=today,
                valid_until=today + dt.timedelta(days=30),
            ).pk

        ids["pass"][side] = new_pass()
        ids["new_pass"][side] = new_pass

        def new_vehicle(s=school):
            return services.vehicle_register(
                school=s, actor=people.chief, plate="川D12345", driver="测试司机", purpose="送货"
            ).pk

        ids["vehicle"][side] = new_vehicle()
        ids["new_vehicle"][side] = new_vehicle

        def new_pickup(s=school):
            return services.pickup_create(
                school=s,
                actor=people.chief,
                pupil_name="测试学生",
                pupil_class="一年级1班",
                adult_name="测试家长",
                relation="母亲",
                phone="13800000000",
                id_tail="1234",
                valid_from=today,
            ).pk

        ids["pickup"][side] = new_pickup()
        ids["new_pickup"][side] = new_pickup

        def new_seizure(s=school):
            return services.seizure_record(
                school=s,
                actor=people.chief,
                category=SeizureCategory.DAGGER,
                description="匕首一把",
                seized_from=SeizedFrom.STUDENT,
            ).pk

        ids["seizure"][side] = new_seizure()
        ids["new_seizure"][side] = new_seizure
    return World(ids)
