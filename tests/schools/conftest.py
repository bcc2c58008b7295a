"""School records for the harness's two schools, with guards, devices and equipment."""

import datetime as dt

import pytest

from huxiao.schools import services
from huxiao.schools.policy import DEFAULT_KIT

TODAY = dt.date(2026, 11, 22)


def id_number(region: str, born: dt.date, seq: int) -> str:
    from huxiao.core.validators import make_id_number

    return make_id_number(region, born, seq)


@pytest.fixture
def schools(city):
    """school_a: 1,200 students, 2 guards (fails staffing), networked, kit complete.
    school_b: 300 students, 2 guards, compliant except the kit."""
    a = services.school_register(
        organization=city.school_a,
        school_code="5301110001",
        level="primary",
        locality="urban",
        students=1200,
        staff=80,
        closed_management=True,
        anti_collision=["barrier"],
    )
    b = services.school_register(
        organization=city.school_b,
        school_code="5301110002",
        level="junior",
        locality="rural",
        students=300,
        staff=30,
        closed_management=True,
    )
    for school, n in ((a, 2), (b, 2)):
        for i in range(n):
            services.guard_create(
                school=school,
                name=f"保安{i}",
                id_number=id_number("530111", dt.date(1980, 1, 1 + i), i),
                certificate_number=f"C{school.pk}{i}",
                certificate_valid_until=TODAY + dt.timedelta(days=300),
            )
        services.device_create(school=school, kind="one_key_alarm", networked_police=True)
        services.device_create(
            school=school, kind="camera", networked_police=True, retention_days=30
        )
    for item, quantity in DEFAULT_KIT.items():
        services.equipment_set(school=a, item=item, quantity=quantity)
    return a, b
