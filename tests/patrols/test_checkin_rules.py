"""Check-ins: inside the radius and window on a school day, with the proof kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huxiao.patrols import services
from huxiao.patrols.models import CheckIn

from .conftest import GATE_A, HOLIDAY, SCHOOL_DAY, local, offset


def checkin(post, user, when, metres=0, **kw):
    lat, lon = offset(GATE_A[0], GATE_A[1], metres)
    return services.checkin_record(
        post=post,
        user=user,
        at=when,
        latitude=lat,
        longitude=lon,
        accuracy_m=kw.pop("acc", 15),
        now=when + dt.timedelta(minutes=1),
        **kw,
    )


def test_it_accepts_a_check_in_inside_the_radius_and_window(posts, people):
    c, created = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 7, 20), metres=40)
    assert created and c.is_valid and c.window == "am" and c.proof == "gps"
    assert 35 <= c.distance_m <= 45 and c.person_kind == "police"


def test_it_refuses_500_metres_away_and_says_how_far(posts, people):
    c, _ = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 7, 20), metres=500)
    assert not c.is_valid and "距岗点 500 米" in c.problem and "100 米" in c.problem


def test_it_refuses_outside_the_windows_and_on_a_holiday(posts, people):
    noon, _ = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 12, 0))
    assert not noon.is_valid and noon.problem == "不在值守时段内。"
    holiday, _ = checkin(posts[0], people.officer_a, local(HOLIDAY, 7, 30))
    assert not holiday.is_valid and holiday.problem == "今天不是上学日。"


def test_it_counts_a_resent_check_in_once(posts, people):
    first, created = checkin(
        posts[0], people.guard, local(SCHOOL_DAY, 16, 5), idempotency_key="k-1"
    )
    again, created_again = checkin(
        posts[0], people.guard, local(SCHOOL_DAY, 16, 5), idempotency_key="k-1"
    )
    assert created and not created_again and first.pk == again.pk
    assert CheckIn.objects.count() == 1
    with pytest.raises(ValidationError):
        checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 16, 5), idempotency_key="k-1")


def test_it_needs_todays_qr_code_for_a_qr_proof(posts, people):
    post = posts[0]
    token = services.post_qr_token(post, SCHOOL_DAY)
    ok, _ = checkin(
        post, people.guard, local(SCHOOL_DAY, 7, 10), metres=900, proof="qr", qr_token=token
    )
    assert ok.is_valid and ok.proof == "qr"  # the scan proves presence whatever the GPS says
    with pytest.raises(ValidationError, match="二维码"):
        checkin(
            post,
            people.guard,
            local(SCHOOL_DAY, 7, 12),
            proof="qr",
            qr_token=services.post_qr_token(post, SCHOOL_DAY - dt.timedelta(days=1)),
        )


def test_it_refuses_a_fix_worse_than_the_radius(posts, people):
    c, _ = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 7, 20), metres=10, acc=300)
    assert not c.is_valid and "定位精度 300 米" in c.problem


def test_bulk_shifts_skip_holidays_and_weekends(posts, people):
    # 2026-09-28 (Mon) .. 2026-10-11 (Sun): 10-01..07 holiday, 10-10 (Sat) is a 调休 workday.
    shifts = services.shift_bulk_create(
        post=posts[0],
        start=dt.date(2026, 9, 28),
        end=dt.date(2026, 10, 11),
        windows=["am", "pm"],
        people=[people.officer_a],
    )
    days = sorted({s.date for s in shifts})
    assert days == [
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),
    ]
    assert len(shifts) == 12
    again = services.shift_bulk_create(
        post=posts[0],
        start=dt.date(2026, 9, 28),
        end=dt.date(2026, 10, 11),
        windows=["am"],
        people=[people.officer_a],
    )
    assert again == []


def test_a_check_in_is_linked_to_the_planned_shift_of_its_window(posts, people):
    """The INSERT finds the shift itself (services.checkin_record): the person's planned shift
    at that post, day and window, not another person's, window's or a swapped one."""
    shifts = services.shift_bulk_create(
        post=posts[0],
        start=SCHOOL_DAY,
        end=SCHOOL_DAY,
        windows=["am", "pm"],
        people=[people.officer_a, people.guard],
    )
    mine = {(s.person_id, s.window): s for s in shifts}
    am, _ = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 7, 20), idempotency_key="s-1")
    assert am.shift_id == mine[(people.officer_a.pk, "am")].pk  # read back from the row
    assert CheckIn.objects.get(pk=am.pk).shift == mine[(people.officer_a.pk, "am")]
    noon, _ = checkin(posts[0], people.officer_a, local(SCHOOL_DAY, 12, 0))
    assert noon.shift_id is None and CheckIn.objects.get(pk=noon.pk).shift_id is None
    chief_am, _ = checkin(posts[0], people.chief, local(SCHOOL_DAY, 7, 25))
    assert chief_am.shift is None  # no shift of the chief's that window
    mine[(people.guard.pk, "pm")].status = "swapped"
    mine[(people.guard.pk, "pm")].save(update_fields=["status"])
    guard_pm, _ = checkin(posts[0], people.guard, local(SCHOOL_DAY, 16, 10))
    assert guard_pm.is_valid and guard_pm.shift_id is None
    again, created = checkin(
        posts[0], people.officer_a, local(SCHOOL_DAY, 7, 20), idempotency_key="s-1"
    )
    assert not created and again.pk == am.pk and again.shift_id == am.shift_id


def test_the_stored_row_equals_the_check_in_returned(posts, people):
    """The INSERT is written from the model's fields (services._insert_checkin): every column
    read back from the database equals what the service returned, manual proof included."""
    when = local(SCHOOL_DAY, 7, 21)
    made, _ = checkin(
        posts[0],
        people.guard,
        when,
        metres=30,
        acc=9,
        proof="manual",
        recorded_by=people.chief,
        was_offline=True,
        idempotency_key="round-trip",
    )
    stored = CheckIn.objects.get(pk=made.pk)
    names = [f.attname for f in CheckIn._meta.concrete_fields]
    assert {n: getattr(stored, n) for n in names} == {n: getattr(made, n) for n in names}
    assert (stored.at, stored.recorded_by_id, stored.was_offline) == (when, people.chief.pk, True)
    assert stored.received_at is not None and stored.latitude == made.latitude
    assert not made._state.adding and made._state.db == "default"
