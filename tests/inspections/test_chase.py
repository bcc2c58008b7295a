"""催办 (issue 14): the education bureau and the police press a school on an overdue or
near-due hazard; the school is told, the history keeps it, the count and the figure show it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huxiao.core import workcalendar
from huxiao.core.models import Notification
from huxiao.inspections import services
from huxiao.inspections.choices import HazardAction
from huxiao.inspections.models import Hazard, HazardEvent

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def overdue(make_hazard, school, **kw):
    """A hazard two days past its deadline, before the daily sweep has marked it."""
    hazard = make_hazard(school, deadline=timezone.localdate(), **kw)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    hazard.refresh_from_db()
    return hazard


def chase(client, hazard, **data):
    hazard.refresh_from_db()
    data.setdefault("version", hazard.version)
    return client.post(reverse("inspections:hazard_action", args=[hazard.pk, "chase"]), data)


def page(client, hazard) -> str:
    return client.get(reverse("inspections:hazard_detail", args=[hazard.pk])).content.decode()


def test_the_education_bureau_chases_an_overdue_hazard_and_the_school_sees_it(
    ischools, make_hazard, people, client_for, django_capture_on_commit_callbacks
):
    hazard = overdue(make_hazard, ischools[0])
    edu = client_for("edu_officer")
    before = page(edu, hazard)
    assert 'data-testid="action-chase"' in before and "当前没有您可执行的操作" not in before

    with django_capture_on_commit_callbacks(execute=True):
        response = chase(edu, hazard, note="请本周内完成整改")
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.chase_count == 1 and hazard.state == "pending"
    event = hazard.events.get(action=HazardAction.CHASED)
    assert event.actor_name == "edu_officer" and event.note == "请本周内完成整改"
    assert event.data["organization"] == people.edu_officer.organization.name
    assert event.data["overdue"] is True

    told = Notification.objects.get(recipient=people.chief, title__startswith="催办")
    assert told.level == "urgent" and "已逾期" in told.title
    assert told.body == "请本周内完成整改" and told.link.endswith(f"/hazards/{hazard.pk}/")
    school_page = page(client_for("chief"), hazard)
    assert "被催办 1 次" in school_page and "催办" in school_page
    assert 'data-testid="action-chase"' not in school_page  # the school does not chase itself

    # Once a day per organisation; the station may still chase the same day.
    again = chase(edu, hazard)
    assert again.status_code == 400
    assert "今天已催办过该隐患，请勿重复催办。" in again.content.decode()
    assert chase(client_for("officer_a"), hazard).status_code == 302
    hazard.refresh_from_db()
    assert hazard.chase_count == 2


def test_a_hazard_far_from_its_deadline_is_not_chased(
    ischools, make_hazard, people, client_for, django_capture_on_commit_callbacks
):
    far = workcalendar.add_workdays(timezone.localdate(), 10)
    hazard = make_hazard(ischools[0], deadline=far)
    edu = client_for("edu_officer")
    assert 'data-testid="action-chase"' not in page(edu, hazard)
    refused = chase(edu, hazard)
    assert refused.status_code == 400
    assert "暂不需要催办" in refused.content.decode()
    with pytest.raises(ValidationError, match="暂不需要催办"):
        services.hazard_chase(hazard=hazard, actor=people.edu_officer)
    hazard.refresh_from_db()
    assert hazard.chase_count == 0 and not hazard.events.filter(action="chased").exists()

    # Within the reminder window (3 working days by default) it may be chased.
    near = workcalendar.add_workdays(timezone.localdate(), 2)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=near)
    with django_capture_on_commit_callbacks(execute=True):
        assert chase(edu, hazard).status_code == 302
    told = Notification.objects.get(recipient=people.chief, title__startswith="催办")
    assert told.level == "warning" and "已逾期" not in told.title


def test_a_hazard_waiting_for_the_police_or_closed_is_not_chased(
    ischools, make_hazard, people, client_for
):
    hazard = overdue(make_hazard, ischools[0])
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    with pytest.raises(ValidationError, match="待复查"):
        services.hazard_chase(hazard=hazard, actor=people.edu_officer)
    assert chase(client_for("edu_officer"), hazard).status_code == 400


def test_only_the_bureau_and_the_police_of_the_school_may_chase(ischools, make_hazard, client_for):
    hazard = overdue(make_hazard, ischools[0])
    assert chase(client_for("chief"), hazard).status_code == 403
    assert chase(client_for("guard"), hazard).status_code in (403, 404)
    assert chase(client_for("officer_b"), hazard).status_code == 404  # another jurisdiction
    hazard.refresh_from_db()
    assert hazard.chase_count == 0


def test_the_api_offers_and_runs_the_chase(ischools, make_hazard, client_for):
    hazard = overdue(make_hazard, ischools[0])
    edu = client_for("edu_officer")
    seen = edu.get(f"{API}/hazards/{hazard.pk}").json()
    assert "chased" in seen["allowed_actions"]
    assert (
        "chased"
        not in client_for("chief").get(f"{API}/hazards/{hazard.pk}").json()["allowed_actions"]
    )
    done = edu.post(
        f"{API}/hazards/{hazard.pk}/transitions",
        {"action": "chased", "version": seen["version"], "note": "速改"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    twice = edu.post(
        f"{API}/hazards/{hazard.pk}/transitions",
        {"action": "chased", "version": done.json()["version"]},
        content_type="application/json",
    )
    assert twice.status_code == 400 and "请勿重复催办" in twice.content.decode("utf-8")
    history = edu.get(f"{API}/hazards/{hazard.pk}/transitions").json()
    assert [e["action"] for e in history][-1] == "chased"


def test_the_hazard_list_filters_and_exports_the_chased(ischools, make_hazard, people, client_for):
    chased = overdue(make_hazard, ischools[0], title="围墙破损")
    overdue(make_hazard, ischools[0], title="监控离线")
    services.hazard_chase(hazard=chased, actor=people.edu_officer)
    HazardEvent.objects.filter(hazard=chased, action="chased").update(
        at=timezone.now() - dt.timedelta(days=10)
    )
    officer = client_for("officer_a")
    today = timezone.localdate()
    url = reverse("inspections:hazard_list")
    recent = officer.get(url, {"chased_from": (today - dt.timedelta(days=3)).isoformat()})
    assert "围墙破损" not in recent.content.decode()
    window = {
        "chased_from": (today - dt.timedelta(days=12)).isoformat(),
        "chased_to": (today - dt.timedelta(days=8)).isoformat(),
    }
    html = officer.get(url, window).content.decode()
    assert "围墙破损" in html and "监控离线" not in html
    exported = officer.get(reverse("inspections:hazard_export"), window)
    assert exported.status_code == 200
