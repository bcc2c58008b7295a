"""Every rule gives the same status in Python (detail page) and in SQL (lists, roll-up)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.test import override_settings

from huxiao.core import services as core_services
from huxiao.core.choices import OrgKind
from huxiao.patrols import services as patrol_services
from huxiao.schools import compliance, rules, services
from huxiao.schools.choices import AntiCollisionKind, DeviceKind, EquipmentItem, GuardStatus
from huxiao.schools.models import School
from tests.schools.conftest import TODAY, id_number


def _random_school(rng, station, edu, n):
    locality = rng.choice(["urban", "town", "rural"])
    boarding = rng.random() < 0.3
    students = rng.choice([40, 99, 100, 650, 999, 1000, 1001, 1499, 1500, 1501, 2600])
    school = services.school_create(
        name=f"随机学校{n}",
        code=f"R-{n}",
        division_code="530111",
        station=station,
        education_bureau=edu,
        school_code=f"53{n:08d}",
        level="primary",
        locality=locality,
        students=students,
        staff=rng.choice([5, 60, 150]),
        is_boarding=boarding,
        boarders=students // 3 if boarding else 0,
        closed_management=rng.random() < 0.7,
        duty_24h=rng.random() < 0.5,
        anti_collision=rng.sample(AntiCollisionKind.values, rng.choice([0, 1, 2])),
    )
    for i in range(rng.choice([0, 1, 2, 3, 4, 5])):
        born = dt.date(
            rng.choice([1958, 1965, 1966, 1985, 1995]), rng.randint(1, 12), rng.randint(1, 28)
        )
        services.guard_create(
            school=school,
            name=f"保安{i}",
            id_number=id_number("530111", born, i) if rng.random() < 0.8 else "",
            certificate_number=rng.choice(["", f"C{n}{i}", f"C{n}{i}"]),
            certificate_valid_until=rng.choice(
                [None, TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=90)]
            ),
            is_full_time=rng.random() < 0.9,
            status=rng.choice([GuardStatus.ON_DUTY, GuardStatus.ON_DUTY, GuardStatus.LEFT]),
        )
    for _ in range(rng.choice([0, 1, 3])):
        services.device_create(
            school=school,
            kind=rng.choice(
                [DeviceKind.CAMERA, DeviceKind.ONE_KEY_ALARM, DeviceKind.ACCESS_CONTROL]
            ),
            networked_police=rng.random() < 0.6,
            retention_days=rng.choice([None, 15, 30, 90]),
        )
    # 护学岗: none, one or two; an inactive post does not count.
    for i in range(rng.choice([0, 0, 1, 2])):
        post = patrol_services.post_create(
            school=school, name=f"岗{i}", latitude=Decimal("26.58"), longitude=Decimal("101.72")
        )
        if rng.random() < 0.3:
            patrol_services.post_update(post=post, is_active=False)
    full_kit = rng.random() < 0.3
    for item in rng.sample(EquipmentItem.values, 9 if full_kit else rng.choice([0, 4, 9])):
        services.equipment_set(
            school=school, item=item, quantity=5 if full_kit else rng.choice([0, 1, 2, 5])
        )
    return school


@pytest.mark.parametrize(
    "policy_settings", [{}, {"SCHOOL_STAFFING_POLICY": "168", "SCHOOL_STAFFING_BOARDER_ADDON": 200}]
)
def test_python_and_sql_statuses_agree(city, policy_settings):
    rng = random.Random(20261122)
    edu = core_services.organization_create(
        kind=OrgKind.EDUCATION_BUREAU, name="随机教育局", code="R-EDU", division_code="530111"
    )
    schools = [_random_school(rng, city.station_a, edu, n) for n in range(40)]
    with override_settings(**policy_settings):
        rows = {
            row["pk"]: row
            for row in compliance.with_facts(
                School.objects.filter(pk__in=[s.pk for s in schools]), today=TODAY
            ).values("pk", *compliance.STATUS_FIELDS)
        }
        seen = set()
        for school in schools:
            for result in compliance.results_for(school, today=TODAY):
                assert rows[school.pk][f"{result.code}_status"] == result.status, (
                    school.pk,
                    result,
                )
                seen.add((result.code, result.status))
    # The scenario reaches both outcomes of every rule that can fail today.
    for code in rules.RULE_CODES:
        assert (code, "pass") in seen and (code, "fail") in seen, code


def test_the_age_rule_turns_on_the_61st_birthday():
    assert rules.age_cutoff(dt.date(2026, 11, 22), 60) == dt.date(1965, 11, 22)
    assert rules.age_cutoff(dt.date(2028, 2, 29), 60) == dt.date(1967, 2, 28)
