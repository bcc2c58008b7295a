"""The demo city has the shape of the Panzhihua report: 26 stations, 81 schools."""

import math
from collections import Counter

from huxiao.core.choices import OrgKind
from huxiao.core.models import Organization
from huxiao.demo import data


def by_kind():
    return Counter(Organization.objects.values_list("kind", flat=True))


def test_it_builds_the_whole_jurisdiction_tree(demo):
    assert by_kind() == {
        OrgKind.CITY_BUREAU: 1,
        OrgKind.SUB_BUREAU: 3,
        OrgKind.STATION: 26,
        OrgKind.POLICE_UNIT: 3,
        OrgKind.EDUCATION_BUREAU: 4,
        OrgKind.COORDINATION_OFFICE: 1,
        OrgKind.SECURITY_COMPANY: 1,
        OrgKind.SCHOOL: 81,
    }


def test_it_numbers_stations_and_schools(demo):
    stations = Organization.objects.filter(kind=OrgKind.STATION)
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL)
    assert sorted(stations.values_list("code", flat=True)) == [
        f"PZH-PS-{n:02d}" for n in range(1, 27)
    ]
    assert sorted(schools.values_list("code", flat=True)) == [f"SCH-{n:02d}" for n in range(1, 82)]
    assert len(set(schools.values_list("name", flat=True))) == 81


def test_it_uses_the_real_districts_of_panzhihua(demo):
    city = demo.org("PZH-PSB")
    assert (city.name, city.division_code, city.doc_prefix) == ("攀枝花市公安局", "510400", "攀公")
    subs = Organization.objects.filter(kind=OrgKind.SUB_BUREAU)
    assert {(s.short_name, s.division_code, s.parent_id) for s in subs} == {
        ("东区分局", "510402", city.pk),
        ("西区分局", "510403", city.pk),
        ("仁和区分局", "510411", city.pk),
    }
    units = Organization.objects.filter(kind=OrgKind.POLICE_UNIT)
    assert {u.short_name for u in units} == {"治安支队", "巡特警支队", "交警支队"}
    assert {u.parent_id for u in units} == {city.pk}


def test_it_puts_every_station_under_a_sub_bureau_of_its_district_with_a_school(demo):
    for station in Organization.objects.filter(kind=OrgKind.STATION).select_related("parent"):
        assert station.parent.kind == OrgKind.SUB_BUREAU
        assert station.parent.division_code == station.division_code
        assert station.children.filter(kind=OrgKind.SCHOOL).exists(), station.name


def test_it_gives_every_school_the_education_bureau_of_its_district(demo):
    city_edu = demo.org("PZH-EDU")
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL).select_related(
        "parent", "education_bureau"
    )
    for school in schools:
        assert school.parent.kind == OrgKind.STATION
        assert school.education_bureau.kind == OrgKind.EDUCATION_BUREAU
        assert (
            school.education_bureau.division_code
            == school.division_code
            == school.parent.division_code
        )
        assert school.education_bureau.parent_id == city_edu.pk
        assert school.path.startswith(school.parent.path)


def test_it_puts_school_01_under_station_01_and_edu01s_bureau(demo):
    school = demo.org("SCH-01")
    assert school.parent.code == "PZH-PS-01"
    assert school.education_bureau.code == "PZH-EDU-DQ"
    assert demo.user("edu01").organization == school.education_bureau
    # SPEC 4: school 05's alarm rings on officer01's console.
    assert demo.org("SCH-05").parent.code == "PZH-PS-01"


def test_it_places_schools_in_their_district_near_their_station(demo):
    boxes = {d.division_code: d.bbox for d in data.DISTRICTS}
    for school in Organization.objects.filter(kind=OrgKind.SCHOOL).select_related("parent"):
        lat, lon = school.latitude, school.longitude
        assert lat.as_tuple().exponent == -6 and lon.as_tuple().exponent == -6
        south, west, north, east = boxes[school.division_code]
        assert south <= lat <= north and west <= lon <= east, school.name
        station = school.parent
        dy = float(lat - station.latitude) * 111.32
        dx = float(lon - station.longitude) * 111.32 * math.cos(math.radians(float(lat)))
        assert math.hypot(dx, dy) <= 5.1, school.name


def test_it_keeps_the_city_around_the_jinsha_valley(demo):
    for org in Organization.objects.exclude(latitude=None):
        assert 26.0 < org.latitude < 26.8 and 101.4 < org.longitude < 102.0, org.name
