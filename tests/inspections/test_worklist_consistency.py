"""我的待办 says what the hazard's own page says (issue 14): 今日到期 only on the day itself, and
overdue by the one definition of an overdue hazard (rules.hazard_overdue)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from huxiao.inspections import services
from huxiao.inspections.models import Hazard


def _tasks(client) -> str:
    return client.get(reverse("core:my_tasks")).content.decode()


def test_only_a_deadline_of_today_is_labelled_due_today(ischools, make_hazard, client_for):
    today = timezone.localdate()
    due_today = make_hazard(ischools[0], deadline=today, title="今日到期的隐患")
    html = _tasks(client_for("chief"))
    assert html.count('data-testid="due-today"') == 1
    Hazard.objects.filter(pk=due_today.pk).update(deadline=today + dt.timedelta(days=1))
    tomorrow = _tasks(client_for("chief"))
    # Tomorrow is "1 working day left" or, before a weekend or holiday, "due in 1 day".
    assert 'data-testid="due-today"' not in tomorrow
    assert "还剩 1 个工作日" in tomorrow or "1 天后到期（其间无工作日）" in tomorrow


def test_a_hazard_waiting_for_its_recheck_is_not_overdue_in_my_tasks(
    ischools, make_hazard, people, client_for
):
    hazard = make_hazard(ischools[0], deadline=timezone.localdate())
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    officer = client_for("officer_a")
    page = officer.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert '逾期</dt><dd class="col-sm-9">否' in page.replace("\n", "")
    tasks = _tasks(officer)
    assert "复查隐患" in tasks and 'data-overdue="1"' not in tasks
    # Marked overdue by the sweep before the report: overdue on both.
    Hazard.objects.filter(pk=hazard.pk).update(is_overdue=True)
    assert 'data-overdue="1"' in _tasks(officer)
    page = officer.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()
    assert 'text-danger">是' in page
