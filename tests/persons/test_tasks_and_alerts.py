"""我的待办 names a key person's schools (issue 14: "key persons linked to a school show '—' in the
school column"); a 失控 alert resolves when the person is found."""

import datetime as dt

from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.core.worklist import items_for
from huxiao.persons import services
from huxiao.persons.models import KeyPerson


def test_my_tasks_names_the_schools_a_person_is_linked_to(person_a, people, schools, client_for):
    KeyPerson.objects.filter(pk=person_a.pk).update(next_review_date=timezone.localdate())
    [item] = [i for i in items_for(people.officer_a) if i.kind == "key_person_review"]
    assert item.school == str(schools[0]) and item.school
    [row] = [
        t
        for t in client_for("officer_a").get("/api/v1/my-tasks").json()
        if t["kind"] == "key_person_review"
    ]
    assert row["school"] == str(schools[0])


def test_a_lost_alert_resolves_when_the_person_is_found(
    person_b, people, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_create(
            person=person_b,
            actor=people.officer_b,
            date=today - dt.timedelta(days=1),
            method="visit",
            observations="人不在家，电话无法接通",
            status_after="lost",
        )
    alert = Notification.objects.get(recipient=people.officer_b, title__startswith="重点人员失控")
    assert alert.read_at is None and alert.subject.endswith(f":{person_b.pk}:find")

    person_b.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_create(
            person=person_b,
            actor=people.officer_b,
            date=today,
            method="check",
            observations="已找到本人，落实稳控",
            status_after="in_control",
        )
    alert.refresh_from_db()
    assert alert.read_at is not None and alert.resolved_at is not None
