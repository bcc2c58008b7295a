"""The demo city lives relative to the day it is seeded: seeded with the clock months ahead, on
a school day and on a summer-vacation day, it shows the same living city — the previous
campaign finished, the current one running, school01's notice due in the coming days,
officer01's re-check and reviews, commander's 督办 — and today's 护学岗 as that day has it.
``huxiao seed demo --today`` seeds the city as of the day given.

chinese-calendar knows holidays up to 2026 only: in 2027 the work calendar is plain weekdays.
"""

import datetime as dt
import zoneinfo
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import CommandError, call_command

from huxiao.core import workcalendar
from huxiao.core.models import User
from huxiao.core.worklist import items_for
from huxiao.demo.generator import DEFAULT_PASSWORD, seed_demo
from huxiao.demo.patrols_month import MIN_SCHOOL_DAYS
from huxiao.demo.persons import SHOWCASE_NAMES
from huxiao.demo.timeline import CURRENT, PREVIOUS, Timeline
from huxiao.inspections.models import Campaign, Escalation, Hazard, Inspection
from huxiao.patrols import rules
from huxiao.patrols.models import CheckIn, DutyShift
from huxiao.patrols.stats import day_stats
from huxiao.persons.models import Dispute, KeyPerson, ScreeningBatch
from huxiao.schools.models import Guard, School
from tests.transactions import rolled_back

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Wednesday of the autumn term that is no statutory holiday (2027-09-15 is 中秋, which the
# calendar counts for a year whose 放假调休 arrangement is not loaded).
SCHOOL_DAY = dt.datetime(2027, 9, 22, 10, 0, tzinfo=SHANGHAI)
VACATION_DAY = dt.datetime(2027, 7, 26, 10, 0, tzinfo=SHANGHAI)  # a Monday of the summer


@contextmanager
def seeded_at(moment, django_db_blocker):
    """The demo city seeded with the clock at ``moment`` (and running on), rolled back after."""
    with django_db_blocker.unblock(), rolled_back(), time_machine.travel(moment, tick=True):
        yield seed_demo(seed=2026, password=DEFAULT_PASSWORD)


def user(username):
    return User.objects.select_related("organization", "role").get(username=username)


def tasks(username, kind):
    return [i for i in items_for(user(username)) if i.kind == kind]


def assert_living_city(result, names: dict[str, str]) -> None:
    """What the demo logins find whatever the day: checked on every seeding day below."""
    today = result.today
    timeline = result.timeline
    previous = Campaign.objects.get(name=names[PREVIOUS])
    current = Campaign.objects.get(name=names[CURRENT])
    assert timeline.campaign(PREVIOUS).name == previous.name
    assert previous.end_date < today
    assert current.start_date <= today <= current.end_date
    assert 21 <= (today - current.start_date).days <= 30 and (current.end_date - today).days == 28
    inspections = Inspection.objects.all()
    assert inspections.filter(campaign=previous).count() == 81
    assert all(workcalendar.is_workday(d) for d in inspections.values_list("date", flat=True))
    assert not inspections.filter(date__gte=today).exists()

    # school01 rectifies a hazard of its school with a notice due in the coming days.
    due = [i.due for i in tasks("school01", "hazard_rectify") if i.due is not None]
    assert any(today <= d <= today + dt.timedelta(days=21) for d in due), due
    # officer01 re-checks a report and has key-person reviews due this week, one overdue.
    assert tasks("officer01", "hazard_recheck")
    reviews = {i.title: i.due for i in tasks("officer01", "key_person_review")}
    assert today < reviews[SHOWCASE_NAMES[0]] <= today + dt.timedelta(days=7)
    assert reviews[SHOWCASE_NAMES[1]] < today
    # commander handles the 督办 officer02 asked for; the sweep listed an overdue 重大 one.
    escalations = tasks("commander", "escalation_handle")
    assert Escalation.objects.filter(
        pk__in=[i.object_id for i in escalations], created_by=user("officer02")
    ).exists()
    assert Escalation.objects.filter(created_by=None, hazard__is_overdue=True).exists()
    overdue = Hazard.objects.filter(is_overdue=True)
    assert overdue.exists() and all(h.deadline < today for h in overdue)

    # Guards: ages and certificates from the start of the term, 82 days before today.
    guards = Guard.objects.all()
    assert guards.filter(certificate_valid_until__lt=today).exists()
    assert guards.filter(certificate_valid_until__gt=today + dt.timedelta(days=300)).exists()
    assert not guards.filter(
        certificate_valid_until__gte=today,
        certificate_valid_until__lt=today + dt.timedelta(days=300),
    ).exists()
    # Key persons, disputes and screening count from today too.
    assert KeyPerson.objects.filter(last_review_date__gte=today - dt.timedelta(days=5)).exists()
    assert not Dispute.objects.filter(registered_on__gt=today).exists()
    screened = set(ScreeningBatch.objects.values_list("period_start", "period_end"))
    assert screened == {(previous.start_date, previous.end_date)}

    # Every school has the terms around today; the last month's school days have check-ins.
    calendars = list(School.objects.values_list("term_calendar", flat=True))
    assert len(calendars) == 81 and all(c == timeline.terms for c in calendars)
    checkin_days = set(CheckIn.objects.filter(date__lt=today).values_list("date", flat=True))
    assert len(checkin_days) >= MIN_SCHOOL_DAYS
    assert all(timeline.is_school_day(d) for d in checkin_days)
    assert max(DutyShift.objects.values_list("date", flat=True)) < today + dt.timedelta(days=14)


class TestOnASchoolDayMonthsAhead:
    @pytest.fixture(scope="class")
    def city(self, django_db_setup, django_db_blocker):
        with seeded_at(SCHOOL_DAY, django_db_blocker) as result:
            yield result

    def test_it_finds_the_same_living_city(self, city, db):
        assert city.today == SCHOOL_DAY.date()
        assert_living_city(
            city,
            {
                # Placed at 2026-12-10 (a 开学 check in December: the names follow the dates).
                PREVIOUS: "2026年秋季开学安全大检查",
                CURRENT: "2027年秋季护校安园专项检查",  # from 2027-08-25
            },
        )
        assert "演示日期：2027-09-22（星期三，上学日）" in city.summary()

    def test_it_shows_todays_guard_posts_in_progress(self, city, db):
        today = city.today
        assert rules.is_school_day(School.objects.first().term_calendar, today)
        shifts = DutyShift.objects.filter(date=today)
        # Both windows of all 81 posts on the roster (police, guard; parents at the pilots).
        assert set(shifts.values_list("window", flat=True)) == {"am", "pm"}
        assert shifts.filter(window="pm").count() >= 81 * 2
        assert shifts.filter(person=user("officer01")).exists()
        # At 10:00 the morning windows are over and the afternoon's not open: check-ins of the
        # morning only, none after the seeding moment.
        checkins = CheckIn.objects.filter(date=today)
        assert checkins.filter(is_valid=True).count() > 81
        assert set(checkins.values_list("window", flat=True)) <= {"am", ""}
        assert not checkins.filter(at__gt=city.timeline.moment).exists()
        assert not checkins.filter(received_at__gt=city.timeline.moment).exists()
        stats = day_stats(user=user("commander"), day=today)
        assert stats.schools_in_session == 81 and stats.police_person_times > 0


class TestOnASummerVacationDayMonthsAhead:
    """Seeded by ``huxiao seed demo --today`` while the clock shows the real day: the command
    moves the clock to that day for the seeding; the checks run with the clock on that day."""

    @pytest.fixture(scope="class")
    def city(self, django_db_setup, django_db_blocker):
        from io import StringIO

        out = StringIO()
        with django_db_blocker.unblock(), rolled_back():
            call_command("seed", "demo", "--today", VACATION_DAY.date().isoformat(), stdout=out)
            with time_machine.travel(VACATION_DAY, tick=True):
                day = VACATION_DAY.date()
                yield SimpleNamespace(
                    today=day, timeline=Timeline(day), summary=lambda: out.getvalue()
                )

    def test_it_finds_the_same_living_city(self, city, db):
        assert city.today == VACATION_DAY.date()
        assert_living_city(
            city,
            {
                PREVIOUS: "2026年秋季开学安全大检查",  # from 2026-10-20
                CURRENT: "2027年春季护校安园专项检查",  # from 2027-07-05: July is spring
            },
        )
        assert "演示日期：2027-07-26（星期一，非上学日）" in city.summary()

    def test_it_shows_an_empty_day_and_counts_nothing_missed(self, city, db):
        today = city.today
        assert workcalendar.is_workday(today)  # a working day, but out of term
        assert not rules.in_term(School.objects.first().term_calendar, today)
        assert not DutyShift.objects.filter(date__gte=today).exists()
        assert not CheckIn.objects.filter(date__gte=today).exists()
        stats = day_stats(user=user("commander"), day=today)
        assert stats.schools_in_session == 0 and stats.expected_posts == 0
        assert not any(w.unstaffed for w in stats.windows)
        assert stats.police_rate is None
        # The last school weeks (up to the end of term, 07-10) are in the history.
        last = max(CheckIn.objects.values_list("date", flat=True))
        assert last == dt.date(2027, 7, 9)  # Friday; the term's last day is a Saturday

    def test_it_was_seeded_as_of_the_day_given_on_the_command_line(self, city, db):
        day = city.today
        current = Campaign.objects.get(name=city.timeline.campaign(CURRENT).name)
        assert (current.start_date, current.end_date) == (
            city.timeline.campaign(CURRENT).start,
            city.timeline.campaign(CURRENT).end,
        )
        assert max(Inspection.objects.values_list("date", flat=True)) < day
        assert max(CheckIn.objects.values_list("date", flat=True)) < day
        assert School.objects.first().term_calendar == city.timeline.terms
        # Nothing of the city lies on or after the day it was seeded as.
        assert max(Hazard.objects.values_list("found_on", flat=True)) < day


def test_it_refuses_a_bad_date_in_chinese(db):
    with pytest.raises(CommandError, match="演示日期“2027-13-01”无效"):
        call_command("seed", "demo", "--today", "2027-13-01")
