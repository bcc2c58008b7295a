"""Bans, passes, vehicles, pick-ups and seizures: the services' checks and who is told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.gate import services
from huxiao.gate.choices import PassKind, SeizedFrom, SeizureCategory, SeizureState
from tests.gate.conftest import ban, new_id

pytestmark = pytest.mark.django_db


def test_a_ban_is_kept_only_by_police_or_education_and_not_twice(schools, people, city):
    ident = new_id()
    with pytest.raises(ValidationError) as school_keeper:
        ban(city.school_a, people.chief, ident)
    assert "教育行政部门或公安机关" in str(school_keeper.value)
    ban(city.edu_a, people.edu_officer, ident)
    with pytest.raises(ValidationError) as twice:
        ban(city.edu_a, people.edu_officer, ident)
    assert "请勿重复" in str(twice.value)
    with pytest.raises(ValidationError) as backwards:
        ban(
            city.edu_a,
            people.edu_officer,
            new_id(),
            ends_on=timezone.localdate() - dt.timedelta(days=5),
        )
    assert "截止日期" in str(backwards.value)


def test_an_education_bureaus_ban_keeps_no_police_note(schools, people, city):
    kept = ban(city.edu_a, people.edu_officer, new_id(), police_note="不应保存")
    assert kept.police_note == ""


def test_a_vehicle_with_a_pass_in_force_is_linked_and_a_revoked_one_is_not(schools, people):
    school = schools[0]
    today = timezone.localdate()
    issued = services.pass_issue(
        school=school,
        actor=people.chief,
        kind=PassKind.VEHICLE,
        number="C-9",
        holder="配送车",
        plate="川dd 12345",
        valid_from=today,
        valid_until=today + dt.timedelta(days=10),
    )
    assert issued.plate == "川DD12345"
    entry = services.vehicle_register(
        school=school, actor=people.guard, plate="川DD12345", driver="司机", purpose="配送"
    )
    assert entry.pass_used == issued
    services.pass_revoke(pass_=issued, actor=people.chief, reason="合同到期")
    later = services.vehicle_register(
        school=school, actor=people.guard, plate="川DD12345", driver="司机", purpose="配送"
    )
    assert later.pass_used is None
    services.vehicle_check_out(entry=later, actor=people.guard)
    with pytest.raises(ValidationError):
        services.vehicle_check_out(entry=later, actor=people.guard)


def test_pass_checks(schools, people):
    today = timezone.localdate()
    common = {"school": schools[0], "actor": people.chief, "holder": "某", "valid_from": today}
    with pytest.raises(ValidationError) as no_plate:
        services.pass_issue(kind=PassKind.VEHICLE, number="C1", valid_until=today, **common)
    assert "plate" in no_plate.value.message_dict
    with pytest.raises(ValidationError) as backwards:
        services.pass_issue(
            kind=PassKind.STAFF, number="J1", valid_until=today - dt.timedelta(days=1), **common
        )
    assert "valid_until" in backwards.value.message_dict
    services.pass_issue(kind=PassKind.STAFF, number="J1", valid_until=today, **common)
    with pytest.raises(ValidationError) as duplicate:
        services.pass_issue(kind=PassKind.STAFF, number="J1", valid_until=today, **common)
    assert "number" in duplicate.value.message_dict


def test_a_pickup_keeps_only_the_tail_of_the_id(schools, people):
    today = timezone.localdate()
    common = {
        "school": schools[0],
        "actor": people.chief,
        "pupil_name": "学生",
        "pupil_class": "一年级1班",
        "adult_name": "家长",
        "relation": "父亲",
        "phone": "13800000000",
        "valid_from": today,
    }
    with pytest.raises(ValidationError) as bad_tail:
        services.pickup_create(id_tail="12", **common)
    assert "后四位" in str(bad_tail.value)
    made = services.pickup_create(id_tail="123x", **common)
    assert made.id_tail == "123X" and made.phone_masked != "13800000000"
    services.pickup_revoke(pickup=made, actor=people.chief)
    allowed, answer = services.pickup_check(
        school=schools[0],
        actor=people.guard,
        pupil_name="学生",
        pupil_class="一年级1班",
        adult_name="家长",
        id_tail="123X",
    )
    assert not allowed and "没有有效的接送授权" in answer


def test_a_seizure_tells_the_station_and_repeated_ones_flag_the_school(schools, people, settings):
    school = schools[0]
    settings.GATE_SEIZURE_FLAG_COUNT = 2
    first = services.seizure_record(
        school=school,
        actor=people.guard,
        category=SeizureCategory.DAGGER,
        description="匕首",
        seized_from=SeizedFrom.STUDENT,
    )
    assert first.state == SeizureState.REPORTED and first.alerted >= 1
    told = Notification.objects.filter(recipient=people.officer_a, level="urgent")
    assert told.filter(title__contains="收缴").count() == 1
    assert "重点关注" not in told.get().body
    services.seizure_record(
        school=school,
        actor=people.guard,
        category=SeizureCategory.REPLICA_GUN,
        description="仿真枪",
        seized_from=SeizedFrom.VISITOR,
    )
    assert "重点关注" in told.order_by("-pk").first().body
    from huxiao.gate.selectors import flagged_schools

    assert flagged_schools(user=people.officer_a) == {school.pk: 2}
    assert flagged_schools(user=people.officer_b) == {}
    received = services.seizure_receive(seizure=first, actor=people.officer_a, note="已登记")
    assert received.state == SeizureState.RECEIVED and received.received_by == people.officer_a
    with pytest.raises(ValidationError):
        services.seizure_receive(seizure=first, actor=people.officer_a)


def test_a_seizure_in_the_future_or_of_nothing_is_refused(schools, people):
    with pytest.raises(ValidationError) as refused:
        services.seizure_record(
            school=schools[0],
            actor=people.guard,
            category="sword",
            description="",
            seized_from=SeizedFrom.STUDENT,
            quantity=0,
            seized_at=timezone.now() + dt.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"category", "description", "quantity", "seized_at"}
