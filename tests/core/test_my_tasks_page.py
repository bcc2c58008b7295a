"""“我的待办” (/my-tasks/): what waits on each user, nearest deadline first, overdue in red.

The chief rectifies school_a's hazards (never school_b's); officer_a re-checks school_a's
reports; the supervising organisation (sub-bureau, city bureau) handles its 督办 items; a
volunteer has nothing to do.
"""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huxiao.inspections import services
from huxiao.inspections.models import Hazard
from tests.conftest import make_user
from tests.inspections.conftest import checklist, ischools, make_hazard  # noqa: F401

TODAY = timezone.localdate


def rows(client, query=""):
    """(kind, hazard id, overdue) of each row, in page order."""
    html = client.get(reverse("core:my_tasks") + query).content.decode()
    table = html[html.index('id="my-tasks"') :] if 'id="my-tasks"' in html else ""
    return [
        (kind, int(pk), bool(overdue))
        for kind, overdue, pk in re.findall(
            r'<tr class="[^"]*" data-kind="([a-z_]+)"( data-overdue="1")?>.*?href="/inspections/hazards/(\d+)/"',
            table,
            re.S,
        )
    ]


def set_deadline(hazard, days):
    # The services refuse a deadline in the past; the sweep would find one there.
    Hazard.objects.filter(pk=hazard.pk).update(deadline=TODAY() + dt.timedelta(days=days))


@pytest.fixture
def loop(ischools, make_hazard, people):  # noqa: F811
    school_a, school_b = ischools
    later = make_hazard(school_a, title="十日后到期")
    soon = make_hazard(school_a, title="两日后到期")
    late = make_hazard(school_a, title="已逾期")
    undated = make_hazard(school_a, title="未定期限")
    set_deadline(later, 10)
    set_deadline(soon, 2)
    set_deadline(late, -1)
    other = make_hazard(school_b, title="乙中学隐患", actor=people.officer_b)
    reported = make_hazard(school_a, title="已提交报告")
    set_deadline(reported, 3)
    services.hazard_report(hazard=reported, measures="已整改", actor=people.chief)
    reported_b = make_hazard(school_b, title="乙中学已报告", actor=people.officer_b)
    services.hazard_report(hazard=reported_b, measures="已整改", actor=people.chief)
    return {
        "later": later,
        "soon": soon,
        "late": late,
        "undated": undated,
        "other": other,
        "reported": reported,
        "reported_b": reported_b,
    }


def test_it_lists_the_chiefs_hazards_to_rectify_nearest_deadline_first(client_for, loop):
    shown = rows(client_for("chief"))
    assert shown == [
        ("hazard_rectify", loop["late"].pk, True),
        ("hazard_rectify", loop["soon"].pk, False),
        ("hazard_rectify", loop["later"].pk, False),
        ("hazard_rectify", loop["undated"].pk, False),
    ]
    html = client_for("chief").get(reverse("core:my_tasks")).content.decode()
    assert "乙中学隐患" not in html and "已提交报告" not in html
    assert "table-danger hx-task-overdue" in html and "hx-task-due-overdue" in html
    assert 'data-testid="tasks-overdue"' in html


def test_it_lists_the_officers_hazards_awaiting_recheck(client_for, loop):
    assert rows(client_for("officer_a")) == [("hazard_recheck", loop["reported"].pk, False)]
    assert rows(client_for("officer_b")) == [("hazard_recheck", loop["reported_b"].pk, False)]


def test_it_lists_unhandled_escalations_for_the_supervising_organisation(
    client_for, city, loop, people
):
    services.hazard_escalate(hazard=loop["soon"], reason="久拖不改", actor=people.officer_a)
    services.hazard_escalate(
        hazard=loop["later"], reason="重大隐患", supervisor=city.city, actor=people.officer_a
    )
    sub = Client()
    sub.force_login(make_user("sub_commander", city.sub_bureau, "commander"))
    assert rows(sub, "?kind=escalation_handle") == [("escalation_handle", loop["soon"].pk, False)]
    commander = rows(client_for("commander"), "?kind=escalation_handle")
    assert commander == [("escalation_handle", loop["later"].pk, False)]
    # The station asked for it; it does not handle it.
    assert all(kind != "escalation_handle" for kind, _, _ in rows(client_for("officer_a")))

    escalation = loop["soon"].escalations.get()
    services.escalation_handle(escalation=escalation, note="已督促", actor=people.commander)
    assert all(kind != "escalation_handle" for kind, _, _ in rows(sub))


def test_it_shows_a_pill_per_kind_and_filters_by_it(client_for, city, loop, people):
    services.hazard_escalate(
        hazard=loop["later"], reason="重大隐患", supervisor=city.city, actor=people.officer_a
    )
    client = client_for("commander")  # re-checks and handles 督办
    html = client.get(reverse("core:my_tasks")).content.decode()
    assert 'data-kind="hazard_recheck"' in html and 'data-kind="escalation_handle"' in html
    assert {k for k, _, _ in rows(client)} == {"hazard_recheck", "escalation_handle"}
    assert {k for k, _, _ in rows(client, "?kind=escalation_handle")} == {"escalation_handle"}
    assert len(rows(client, "?kind=nonsense")) == len(rows(client))


def test_it_gives_the_volunteer_an_empty_list(client_for, loop):
    html = client_for("volunteer").get(reverse("core:my_tasks")).content.decode()
    assert 'data-testid="tasks-empty"' in html and 'id="my-tasks"' not in html


def test_it_sends_anonymous_visitors_to_sign_in(client, city):
    response = client.get(reverse("core:my_tasks"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))
