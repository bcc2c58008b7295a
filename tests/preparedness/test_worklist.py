"""“我的待办”: the school's staff who keep plans see the reviews due within the notice days and the
drills they owe; the bureau and the police do not."""

import datetime as dt

import pytest

from huxiao.core import worklist
from tests.preparedness.conftest import missed, plan, planned, today

pytestmark = pytest.mark.django_db


def test_the_school_sees_reviews_due_and_drills_to_record(schools, people):
    a = schools[0]
    due = plan(a, approved_on=today() - dt.timedelta(days=370))
    soon = plan(a, title="临近评审", approved_on=today() - dt.timedelta(days=350))
    plan(a, title="不到期", approved_on=today() - dt.timedelta(days=10))
    drill = planned(a)
    late = missed(a)
    items = [i for i in worklist.items_for(people.chief) if i.object_type.startswith("prep")]
    by_id = {(i.kind, i.object_id): i for i in items}
    assert set(by_id) == {
        ("plan_review", due.pk),
        ("plan_review", soon.pk),
        ("drill_record", drill.pk),
        ("drill_record", late.pk),
    }
    assert by_id[("plan_review", due.pk)].overdue and not by_id[("plan_review", soon.pk)].overdue
    assert by_id[("drill_record", late.pk)].overdue
    for who in ("edu_officer", "officer_a", "guard"):
        assert not [
            i for i in worklist.items_for(getattr(people, who)) if i.object_type.startswith("prep")
        ]
