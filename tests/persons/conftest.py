"""Key persons of the harness: Alice's (officer_a, station 01) near school 01, Bob's
(officer_b, station 02) near school 02; everyone else must get 404."""

import datetime as dt
from decimal import Decimal

import pytest

from huxiao.persons import services
from tests.schools.conftest import id_number, schools  # noqa: F401  (fixture)

TODAY = dt.date(2026, 11, 22)
ID_A = id_number("510402", dt.date(1985, 3, 14), 123)
ID_B = id_number("510403", dt.date(1990, 7, 2), 456)
PHONE_A = "13800001234"
ADDRESS_A = "四川省攀枝花市东区测试路88号3栋2单元"


@pytest.fixture
def located(city):
    """Coordinates for the two schools (so distances can be computed)."""
    for org, lat, lng in (
        (city.school_a, "26.580000", "101.720000"),
        (city.school_b, "26.600000", "101.700000"),
    ):
        org.latitude, org.longitude = Decimal(lat), Decimal(lng)
        org.save(update_fields=["latitude", "longitude"])
    return city


@pytest.fixture
def person_a(people, schools, located):  # noqa: F811
    return services.key_person_create(
        station=located.station_a,
        name="测试甲某",
        id_number=ID_A,
        phone=PHONE_A,
        address=ADDRESS_A,
        categories=["mental", "revenge"],
        mental_risk_level=3,
        risk_level="high",
        officer=people.officer_a,
        control_measures=["stabilise", "guardianship"],
        home_latitude="26.581000",
        home_longitude="101.721000",
        schools=[(schools[0], "targeted")],
        actor=people.officer_a,
        today=TODAY,
    )


@pytest.fixture
def person_b(people, schools, located):  # noqa: F811
    return services.key_person_create(
        station=located.station_b,
        name="测试乙某",
        id_number=ID_B,
        phone="13800005678",
        address="四川省攀枝花市西区样例街1号",
        categories=["drug"],
        risk_level="medium",
        officer=people.officer_b,
        schools=[schools[1]],
        actor=people.officer_b,
        today=TODAY,
    )
