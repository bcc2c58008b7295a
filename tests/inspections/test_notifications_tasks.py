"""Every message of the rectification loop that asks for a task resolves when the task is done
(issue 14): a 整改通知书 once every hazard on it is reported, a deadline change and an overdue
warning when the school reports, a 督办 when the supervising organisation gives its opinion."""

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.core.models import Notification
from huxiao.core.selectors import unread_count
from huxiao.inspections import services
from tests.conftest import make_user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def inbox(user, title_start) -> Notification:
    return Notification.objects.get(recipient=user, title__startswith=title_start)


def resolved(notification) -> bool:
    notification.refresh_from_db()
    return notification.resolved_at is not None and notification.read_at is not None


def test_it_resolves_a_notice_once_every_hazard_on_it_is_reported(
    ischools, make_hazard, people, on_commit
):
    school = ischools[0]
    with on_commit():
        first = make_hazard(school, title="校门未设防冲撞设施")
        second = make_hazard(school, title="围墙破损")
        notice = services.notice_issue(
            school=school, hazards=[first, second], working_days=5, actor=people.officer_a
        )
    served = inbox(people.chief, "整改通知书")
    assert served.subject.endswith(f":{notice.pk}:rectify")
    before = unread_count(user=people.chief)

    with on_commit():
        services.hazard_report(hazard=first, measures="已加装防冲撞桩", actor=people.chief)
    assert not resolved(served)  # one hazard of the notice still owes its report

    with on_commit():
        services.hazard_report(hazard=second, measures="已修复围墙", actor=people.chief)
    assert resolved(served)
    # the notice and the two hazards' 新隐患 messages: read now, without opening them
    assert unread_count(user=people.chief) == before - 3


def test_it_resolves_a_deadline_change_and_an_overdue_warning_when_the_school_reports(
    ischools, make_hazard, people, on_commit
):
    today = timezone.localdate()
    with on_commit():
        hazard = make_hazard(ischools[0], deadline=today)
        services.hazard_sweep(today=today + dt.timedelta(days=1))
        services.hazard_change_deadline(
            hazard=hazard,
            deadline=today + dt.timedelta(days=7),
            reason="材料采购需要时间",
            actor=people.officer_a,
        )
    overdue_school = inbox(people.chief, "隐患整改逾期")
    overdue_police = inbox(people.officer_a, "隐患整改逾期")
    moved = inbox(people.chief, "整改期限调整")
    assert not any(resolved(n) for n in (overdue_school, overdue_police, moved))

    with on_commit():
        services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    assert resolved(overdue_school) and resolved(overdue_police) and resolved(moved)


def test_it_resolves_a_supervisors_message_when_the_escalation_is_handled(
    ischools, make_hazard, people, city, on_commit
):
    supervisor = make_user("sub_officer", city.sub_bureau, "officer")
    with on_commit():
        hazard = make_hazard(ischools[0], severity="major")
        escalation = services.hazard_escalate(
            hazard=hazard, reason="重大隐患", supervisor=city.sub_bureau, actor=people.commander
        )
    asked = inbox(supervisor, "挂牌督办")
    told = inbox(people.chief, "挂牌督办")
    assert asked.subject.endswith(f":{escalation.pk}:handle")
    assert told.subject.endswith(f":{hazard.pk}:rectify")

    with on_commit():
        services.escalation_handle(escalation=escalation, note="限期整改", actor=supervisor)
    assert resolved(asked)
    assert not resolved(told)  # the school still owes its report

    opinion = inbox(people.chief, "督办意见")
    with on_commit():
        services.hazard_start(hazard=hazard, actor=people.chief)
        services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    assert resolved(told) and resolved(opinion)


def test_a_closed_hazard_leaves_nothing_open_about_it(ischools, make_hazard, people, on_commit):
    with on_commit():
        hazard = make_hazard(ischools[0])
        services.hazard_start(hazard=hazard, actor=people.chief)
        services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
        services.hazard_recheck(hazard=hazard, passed=True, actor=people.officer_a)
    subject = f"inspections.hazard:{hazard.pk}:"
    still_open = Notification.objects.filter(subject__startswith=subject, resolved_at__isnull=True)
    assert not still_open.exists()
    assert inbox(people.officer_a, "整改报告待复查").read_at is not None
