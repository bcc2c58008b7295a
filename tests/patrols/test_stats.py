"""Day statistics equal a direct count of the records; a holiday expects nothing."""

import datetime as dt

from huxiao.patrols import services, stats
from huxiao.patrols.models import CheckIn

from .conftest import GATE_A, GATE_B, HOLIDAY, SCHOOL_DAY, local


def _in(post, user, day, hh, mm=0, gate=GATE_A):
    when = local(day, hh, mm)
    return services.checkin_record(
        post=post,
        user=user,
        at=when,
        latitude=gate[0],
        longitude=gate[1],
        accuracy_m=10,
        now=when + dt.timedelta(minutes=1),
    )[0]


def test_it_counts_person_times_coverage_and_unstaffed_posts(posts, people):
    a, b = posts
    _in(a, people.officer_a, SCHOOL_DAY, 7, 10)
    _in(a, people.guard, SCHOOL_DAY, 7, 15)
    _in(a, people.officer_a, SCHOOL_DAY, 16, 30)
    _in(b, people.officer_b, SCHOOL_DAY, 7, 5, gate=GATE_B)
    _in(b, people.officer_b, SCHOOL_DAY, 12, 0, gate=GATE_B)  # invalid: no window
    s = stats.day_stats(user=people.commander, day=SCHOOL_DAY)
    am = next(w for w in s.windows if w.code == "am")
    pm = next(w for w in s.windows if w.code == "pm")
    assert (am.expected_posts, am.covered_posts, am.police_posts) == (2, 2, 2)
    assert (pm.expected_posts, pm.covered_posts, pm.police_posts) == (2, 1, 1)
    assert pm.unstaffed == [(b.pk, b.school_id)]
    assert s.police_person_times_checkins == 3
    direct = (
        CheckIn.objects.filter(date=SCHOOL_DAY, is_valid=True, person_kind="police")
        .values("user", "post", "window")
        .distinct()
        .count()
    )
    assert s.police_person_times_checkins == direct
    assert s.police_rate == 3 / 4
    assert (am.schools_covered, am.schools_expected) == (2, 2)
    # Station 01 sees its own school only.
    mine = stats.day_stats(user=people.officer_a, day=SCHOOL_DAY)
    assert mine.expected_posts == 2 and mine.police_person_times_checkins == 2


def test_a_holiday_expects_nothing(posts, people):
    s = stats.day_stats(user=people.commander, day=HOLIDAY)
    assert s.expected_posts == 0 and s.police_rate is None
    assert all(w.unstaffed == [] for w in s.windows)
