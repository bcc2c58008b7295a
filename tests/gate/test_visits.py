"""Visitor registration at the gate: the match never fails silently.

A clear visitor is in school at once; a key person or a banned person is held with the guard's
instruction and the station told; a match that cannot be made (an error, a timeout) holds the
registration as 未完成比对 and tells the station; a re-sent registration counts once; bad input
is refused in Chinese with nothing stored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.gate import services
from huxiao.gate.choices import MatchOutcome, VisitAction, VisitState
from huxiao.gate.models import Visit
from tests.gate.conftest import ban, new_id
from tests.persons.conftest import ID_A, located, person_a  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def register(school, actor, **extra):
    fields = {"name": "测试访客", "id_number": new_id(), "purpose": "parent"} | extra
    return services.visit_register(school=school, actor=actor, **fields)


def urgent_for(user):
    return Notification.objects.filter(recipient=user, level="urgent")


def test_a_clear_visitor_is_in_school_and_the_host_told(schools, people, city):
    from tests.conftest import make_user

    teacher = make_user("teacher_a", city.school_a, "school_security_chief")
    visit, created = register(schools[0], people.guard, host=teacher)
    assert created and visit.state == VisitState.IN and visit.match_outcome == MatchOutcome.CLEAR
    assert Notification.objects.filter(recipient=teacher, title__contains="测试访客").exists()
    assert not urgent_for(people.officer_a).exists()


def test_a_key_person_is_held_with_the_instruction_and_the_station_alerted(
    schools,
    people,
    person_a,  # noqa: F811
):
    visit, _ = register(schools[0], people.guard, id_number=ID_A)
    assert visit.state == VisitState.HELD
    assert visit.match_outcome == MatchOutcome.KEY_PERSON
    assert "测试甲某" not in visit.instruction  # the guard learns what to do, not who
    assert visit.instruction and visit.alerted >= 1
    assert urgent_for(people.officer_a).filter(title__contains="重点人员").exists()


def test_a_banned_person_is_stopped_at_every_school_under_the_keeper(schools, people, city):
    ident = new_id()
    # Kept by the sub-bureau: both stations' schools enforce it.
    ban(city.sub_bureau, people.commander, ident)
    for school in schools:
        visit, _ = register(school, people.chief, id_number=ident)
        assert visit.match_outcome == MatchOutcome.BANNED and visit.state == VisitState.HELD
        assert "禁入名单" in visit.instruction
    assert urgent_for(people.officer_a).filter(title__contains="禁入人员").exists()
    assert urgent_for(people.officer_b).filter(title__contains="禁入人员").exists()


def test_a_ban_of_one_station_is_not_enforced_at_another_stations_school(schools, people, city):
    ident = new_id()
    ban(city.station_b, people.officer_b, ident)
    visit, _ = register(schools[0], people.guard, id_number=ident)
    assert visit.match_outcome == MatchOutcome.CLEAR


def test_a_revoked_or_expired_ban_is_not_enforced(schools, people, city):
    ident, old = new_id(), new_id()
    services.ban_revoke(
        ban=ban(city.station_a, people.officer_a, ident), actor=people.officer_a, reason="撤销"
    )
    today = timezone.localdate()
    ban(
        city.station_a,
        people.officer_a,
        old,
        starts_on=today - dt.timedelta(days=9),
        ends_on=today - dt.timedelta(days=1),
    )
    for who in (ident, old):
        assert (
            register(schools[0], people.guard, id_number=who)[0].match_outcome == MatchOutcome.CLEAR
        )


@pytest.mark.parametrize("failure", [RuntimeError("down"), TimeoutError()])
def test_a_match_that_cannot_be_made_holds_the_visit_and_tells_the_station(
    schools, people, monkeypatch, failure
):
    def broken(**kwargs):
        raise failure

    monkeypatch.setattr("huxiao.persons.watchlist.watchlist_lookup", broken)
    visit, _ = register(schools[0], people.guard)
    assert visit.match_outcome == MatchOutcome.UNMADE and visit.state == VisitState.HELD
    assert visit.match_error and "未能完成" in visit.instruction
    assert visit.alerted >= 1
    assert urgent_for(people.officer_a).filter(title__contains="比对未完成").exists()


def test_a_database_error_in_the_match_rolls_back_only_the_match(schools, people, monkeypatch):
    from django.db import DatabaseError

    def broken(**kwargs):
        raise DatabaseError("statement timeout")

    monkeypatch.setattr("huxiao.persons.watchlist.watchlist_lookup", broken)
    visit, _ = register(schools[0], people.guard)
    assert Visit.objects.get(pk=visit.pk).match_outcome == MatchOutcome.UNMADE


def test_a_ban_match_that_fails_is_flagged_too(schools, people, monkeypatch):
    def broken(**kwargs):
        raise OSError("ban list unreachable")

    monkeypatch.setattr("huxiao.gate.services._ban_match", broken)
    visit, _ = register(schools[0], people.guard)
    assert visit.match_outcome == MatchOutcome.UNMADE and visit.state == VisitState.HELD
    assert "禁入名单" in visit.match_error


def test_a_re_sent_registration_counts_once(schools, people):
    first, created = register(schools[0], people.guard, idempotency_key="offline-key-0001")
    again, created_again = register(schools[0], people.guard, idempotency_key="offline-key-0001")
    assert created and not created_again and again.pk == first.pk
    assert Visit.objects.count() == 1
    with pytest.raises(ValidationError):
        register(schools[0], people.chief, idempotency_key="offline-key-0001")


def test_the_same_key_sent_twice_at_once_is_stored_once(schools, people, monkeypatch):
    first, _ = register(schools[0], people.guard, idempotency_key="crossing-key-01")
    real = services._stored
    calls = []

    def late(key):  # the second request looked before the first committed
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(services, "_stored", late)
    again, created = register(schools[0], people.guard, idempotency_key="crossing-key-01")
    assert not created and again.pk == first.pk and Visit.objects.count() == 1


def test_an_offline_registration_keeps_its_time_within_two_days(schools, people):
    at = timezone.now() - dt.timedelta(hours=5)
    visit, _ = register(schools[0], people.guard, at=at, was_offline=True)
    assert visit.arrived_at == at and visit.was_offline
    with pytest.raises(ValidationError) as stale:
        register(schools[0], people.guard, at=timezone.now() - dt.timedelta(days=3))
    assert "离线登记" in str(stale.value)
    with pytest.raises(ValidationError):
        register(schools[0], people.guard, at=timezone.now() + dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110105194912310021", "校验"),
        ("id_number", "", "请填写身份证号"),
        ("name", " ", "请填写姓名"),
        ("purpose", "picnic", "请选择来访事由"),
        ("plate", "ABC123", "车牌号"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_stored(schools, people, field, value, message):
    with pytest.raises(ValidationError) as refused:
        register(schools[0], people.guard, **{field: value})
    assert message in " ".join(refused.value.message_dict[field])
    assert not Visit.objects.exists()


def test_the_host_must_work_at_the_school(schools, people):
    with pytest.raises(ValidationError) as refused:
        register(schools[0], people.guard, host=people.officer_a)
    assert "host" in refused.value.message_dict


def test_check_out_one_and_all_and_review_a_held_visit(schools, people, monkeypatch):
    school = schools[0]
    one, _ = register(school, people.guard)
    others = [register(school, people.guard)[0] for _ in range(3)]
    services.visit_transition(visit=one, action=VisitAction.CHECK_OUT, actor=people.guard)
    with pytest.raises(ValidationError):
        services.visit_transition(visit=one, action=VisitAction.CHECK_OUT, actor=people.guard)
    assert services.visits_check_out_all(school=school, actor=people.guard) == 3
    assert all(Visit.objects.get(pk=v.pk).state == VisitState.OUT for v in others)

    monkeypatch.setattr(
        "huxiao.persons.watchlist.watchlist_lookup", lambda **k: (_ for _ in ()).throw(OSError())
    )
    held, _ = register(school, people.guard)
    with pytest.raises(ValidationError) as no_note:
        services.visit_transition(visit=held, action=VisitAction.RELEASE, actor=people.officer_a)
    assert "核查说明" in str(no_note.value)
    with pytest.raises(ValidationError):  # a held visitor is not checked out as if in school
        services.visit_transition(visit=held, action=VisitAction.CHECK_OUT, actor=people.guard)
    released = services.visit_transition(
        visit=held, action=VisitAction.RELEASE, actor=people.officer_a, note="人工核验证件无误"
    )
    assert released.state == VisitState.IN and released.reviewed_by == people.officer_a


def test_a_banned_visitor_cannot_be_released(schools, people, city):
    ident = new_id()
    ban(city.station_a, people.officer_a, ident)
    held, _ = register(schools[0], people.guard, id_number=ident)
    with pytest.raises(ValidationError):
        services.visit_transition(
            visit=held, action=VisitAction.RELEASE, actor=people.officer_a, note="放行"
        )
    refused = services.visit_transition(
        visit=held, action=VisitAction.REFUSE, actor=people.officer_a, note="劝离"
    )
    assert refused.state == VisitState.REFUSED and refused.left_at is not None


def test_the_live_dashboards_hear_of_a_visit(
    schools, people, monkeypatch, django_capture_on_commit_callbacks
):
    heard = []
    monkeypatch.setattr(
        "huxiao.core.realtime._send_org_changed", lambda org, what: heard.append((org, what))
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(schools[0], people.guard)
    assert (schools[0].organization_id, "visit") in heard
