"""The demo's key persons have their last review as a follow-up record (issue 14): the date the
pages show as 最近核查 is always the latest record the person's page lists."""

from django.db.models import Max

from huxiao.persons.models import FollowUp, KeyPerson
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)


def test_every_last_review_is_the_latest_follow_up(demo):  # noqa: F811
    latest = dict(
        FollowUp.objects.values("person").annotate(d=Max("date")).values_list("person", "d")
    )
    persons = list(KeyPerson.objects.values_list("pk", "last_review_date"))
    assert sum(1 for _pk, last in persons if last) > 300  # the demo's reviews are recorded
    assert dict(persons) == {pk: latest.get(pk) for pk, _last in persons}
