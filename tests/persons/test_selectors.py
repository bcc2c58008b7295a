"""The police-only guard on top of scope, "my tasks", counts and the screening totals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.core import worklist
from huxiao.core.models import AuditRecord
from huxiao.persons import selectors, services
from huxiao.persons.models import Dispute, KeyPerson, ScreeningBatch

NOT_POLICE = ("edu_officer", "chief", "guard", "volunteer", "outsider", "admin", "auditor")


@pytest.mark.parametrize("who", NOT_POLICE)
def test_non_police_see_nothing_even_where_their_scope_would_reach(who, people, person_a):
    user = getattr(people, who)
    assert not selectors.key_person_list(user=user).exists()
    assert not selectors.dispute_list(user=user).exists()
    with pytest.raises(Http404):
        selectors.key_person_get(user=user, pk=person_a.pk)
    with pytest.raises(PermissionDenied):
        selectors.key_person_reveal(user=user, person=person_a)
    assert not AuditRecord.objects.filter(kind="access").exists()


def test_the_education_officers_scope_covers_the_school_but_not_its_key_persons(people, person_a):
    # Without the guard, visible_to alone would not stop a role that had the permission.
    assert KeyPerson.objects.visible_to(people.commander).filter(pk=person_a.pk).exists()
    assert not selectors.police_only(KeyPerson, people.edu_officer).exists()


def test_a_superuser_without_a_police_role_sees_nothing(people, person_a):
    people.admin.is_superuser = True
    people.admin.role = None
    people.admin.save()
    assert not selectors.key_person_list(user=people.admin).exists()


def test_officers_see_their_station_and_the_commander_all(people, person_a, person_b):
    assert list(selectors.key_person_list(user=people.officer_a)) == [person_a]
    assert list(selectors.key_person_list(user=people.officer_b)) == [person_b]
    assert selectors.key_person_list(user=people.commander).count() == 2


def test_filters(people, person_a, person_b, schools):
    F = selectors.PersonFilters
    c = people.commander
    assert list(selectors.key_person_list(user=c, filters=F(category="mental"))) == [person_a]
    assert list(selectors.key_person_list(user=c, filters=F(q="乙某"))) == [person_b]
    # A whole ID number goes through the blind index.
    assert list(selectors.key_person_list(user=c, filters=F(q=person_b.id_number))) == [person_b]
    assert list(selectors.key_person_list(user=c, filters=F(school=schools[0].pk))) == [person_a]
    assert list(selectors.key_person_list(user=c, filters=F(risk="medium"))) == [person_b]


def test_my_tasks_list_due_reviews_by_name_only(people, person_a, person_b, settings, monkeypatch):
    from django.utils import timezone

    due_day = person_a.next_review_date
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: due_day - dt.timedelta(days=2))
    items = [i for i in worklist.items_for(people.officer_a) if i.kind == "key_person_review"]
    assert [i.title for i in items] == ["测试甲某"] and items[0].object_id == person_a.pk
    assert person_a.id_number not in repr(items)
    assert not [i for i in worklist.items_for(people.officer_b) if i.kind == "key_person_review"]
    assert not [i for i in worklist.items_for(people.edu_officer) if i.kind == "key_person_review"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: due_day + dt.timedelta(days=1))
    late = [i for i in worklist.items_for(people.officer_a) if i.kind == "key_person_review"]
    assert late[0].urgent and late[0].overdue


def test_screening_totals_add_up_over_a_jurisdiction_and_period(people, city):
    for station, n in ((city.station_a, 200), (city.station_b, 118)):
        services.screening_batch_create(
            organization=station,
            period_start=dt.date(2026, 2, 20),
            period_end=dt.date(2026, 3, 10),
            imported=True,
            screened=n,
            newly_listed=3,
            removed=1,
        )
    services.screening_batch_create(
        organization=city.station_a,
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 9, 20),
        imported=True,
        screened=50,
    )
    spring = {"start": dt.date(2026, 2, 1), "end": dt.date(2026, 3, 31)}
    totals = selectors.screening_totals(
        user=people.commander, organization=city.sub_bureau, **spring
    )
    assert totals == {
        "screened": 318,
        "newly_listed": 6,
        "removed": 2,
        "batches": 2,
        "imported": 2,
    }
    assert selectors.screening_totals(user=people.officer_a, **spring)["screened"] == 200
    assert selectors.screening_totals(user=people.edu_officer, **spring)["screened"] == 0
    assert ScreeningBatch.objects.count() == 3


def test_schools_see_counts_only(people, person_a, schools):
    assert selectors.school_key_person_counts(user=people.chief) == {schools[0].pk: 1}
    assert selectors.school_key_person_counts(user=people.edu_officer) == {schools[0].pk: 1}
    assert selectors.key_person_counts(user=people.chief) == {
        "in_control": 0,
        "lost": 0,
        "revoked": 0,
    }
    assert selectors.key_person_counts(user=people.officer_a)["in_control"] == 1


def test_dispute_status_machine(people, person_a, schools):
    from django.core.exceptions import ValidationError

    d = services.dispute_create(
        school=schools[0],
        kind="labour",
        parties="施工方某",
        summary="工程款",
        responsible_kind="station",
        actor=people.officer_a,
    )
    assert d.responsible_org == schools[0].organization.parent and d.due_date
    with pytest.raises(ValidationError) as refused:
        services.dispute_transition(dispute=d, to="resolved", note="x")
    assert "登记" in refused.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.dispute_transition(dispute=d, to="transferred")  # needs a note
    services.dispute_transition(dispute=d, to="transferred", note="移交区信访局")
    d.refresh_from_db()
    assert d.status == "transferred" and d.closed_on
    with pytest.raises(ValidationError):
        services.dispute_transition(dispute=d, to="mediating")
    with pytest.raises(ValidationError):
        services.mediation_create(
            dispute=d, actor=people.officer_a, date=d.registered_on, content="再次调解"
        )
    assert Dispute.objects.get().status == "transferred"


def test_a_dispute_needs_a_responsible_org_of_the_right_kind(people, schools, city):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.dispute_create(
            school=schools[0],
            kind="labour",
            parties="某",
            summary="某",
            responsible_kind="education_bureau",
            responsible_org=city.station_a,
        )
    assert "responsible_org" in exc.value.message_dict
    d = services.dispute_create(
        school=schools[0],
        kind="labour",
        parties="某",
        summary="某",
        responsible_kind="education_bureau",
    )
    assert d.responsible_org == city.edu_a
