"""One scoping mechanism: who sees which organisation."""

import pytest

from huxiao.core.models import Organization, User
from huxiao.core.selectors import organization_get


def names(user):
    return set(Organization.objects.visible_to(user).values_list("code", flat=True))


def test_it_limits_a_station_officer_to_the_station_subtree(people):
    assert names(people.officer_a) == {"T-STA-A", "T-SCH-A"}
    assert names(people.officer_b) == {"T-STA-B", "T-SCH-B"}


def test_it_gives_the_commander_the_whole_police_tree_but_not_education(people):
    assert names(people.commander) == {
        "T-CITY",
        "T-SUB",
        "T-STA-A",
        "T-STA-B",
        "T-SCH-A",
        "T-SCH-B",
    }


def test_it_shows_an_education_officer_the_schools_pointing_at_the_bureau(people):
    assert names(people.edu_officer) == {"T-EDU-A", "T-SCH-A"}


def test_it_shows_the_city_education_bureau_schools_of_all_districts(city, people):
    from tests.conftest import make_user

    city_edu = make_user("city_edu", city.edu_city, "education_officer")
    assert names(city_edu) == {"T-EDU", "T-EDU-A", "T-EDU-B", "T-SCH-A", "T-SCH-B"}


def test_it_limits_school_staff_to_their_school(people):
    assert names(people.chief) == {"T-SCH-A"}
    assert names(people.guard) == {"T-SCH-A"}


def test_it_shows_an_outsider_nothing_of_the_police_tree(people):
    assert names(people.outsider) == {"T-CO"}


def test_it_shows_a_volunteer_only_their_own_records(people):
    assert names(people.volunteer) == set()
    assert list(User.objects.visible_to(people.volunteer)) == [people.volunteer]


def test_it_shows_nothing_to_a_user_without_role_or_organization(city, db):
    from tests.conftest import make_user

    nobody = make_user("nobody", None, None)
    assert names(nobody) == set()


def test_it_answers_404_for_out_of_scope_exactly_as_for_missing(city, people):
    from django.http import Http404

    with pytest.raises(Http404):
        organization_get(user=people.officer_a, pk=city.school_b.pk)
    with pytest.raises(Http404):
        organization_get(user=people.officer_a, pk=999_999)
    assert organization_get(user=people.officer_a, pk=city.school_a.pk) == city.school_a


def test_it_follows_a_move_of_a_subtree(city, people):
    from huxiao.core.services import organization_move

    organization_move(org=city.school_b, new_parent=city.station_a)
    assert names(people.officer_a) == {"T-STA-A", "T-SCH-A", "T-SCH-B"}
    assert names(people.officer_b) == {"T-STA-B"}
