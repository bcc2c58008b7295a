"""Scope: a school sees its own plans and drills, an education bureau its schools', the police
their jurisdiction's; a security company sees nothing. Out of scope is 404 like missing."""

import pytest
from django.http import Http404

from huxiao.preparedness import selectors

pytestmark = pytest.mark.django_db

SEES = {
    "commander": {"a", "b"},
    "admin": {"a", "b"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "edu_officer": {"a"},
    "chief": {"a"},
    "outsider": set(),
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_user_sees_the_records_of_their_jurisdiction(world, people, schools, who):
    user = getattr(people, who)
    sides = {schools[0].pk: "a", schools[1].pk: "b"}
    plans = {sides[p.school_id] for p in selectors.plan_list(user=user)}
    drills = {sides[d.school_id] for d in selectors.drill_list(user=user)}
    assert plans == SEES[who] and drills == SEES[who]
    for side in ("a", "b"):
        pk = world["held"][side].pk
        if side in SEES[who]:
            assert selectors.drill_get(user=user, pk=pk).pk == pk
        else:
            with pytest.raises(Http404):
                selectors.drill_get(user=user, pk=pk)
            with pytest.raises(Http404):
                selectors.plan_get(user=user, pk=world["plan"][side].pk)
    with pytest.raises(Http404):
        selectors.drill_get(user=user, pk=999_999)


def test_the_planning_bureau_is_the_education_officers_organisation(people, city):
    assert selectors.planning_bureau(people.edu_officer) == city.edu_a
    assert selectors.planning_bureau(people.officer_a) is None
    assert selectors.planning_bureau(people.chief) is None


def test_the_school_owes_the_record_of_drills_whose_window_opened(world, people):
    owed = set(selectors.drills_to_record(user=people.chief).values_list("pk", flat=True))
    assert owed == {world["planned"]["a"].pk, world["missed"].pk}
