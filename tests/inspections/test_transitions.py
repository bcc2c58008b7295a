"""One table runs a hazard's transitions (``rules.TRANSITIONS``): the hazard page and
``POST /api/v1/hazards/{id}/transitions`` dispatch from it, with the same argument names, the
same required arguments and messages, and the same permissions."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from huxiao.core.models import Attachment
from huxiao.inspections import rules, services
from huxiao.inspections.choices import HazardAction, HazardState, PhotoPurpose
from huxiao.inspections.models import Hazard, RectificationReport
from huxiao.inspections.views_hazards import FORMS
from tests.conftest import make_user

from .conftest import photo

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="验收单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


def transitions_url(hazard) -> str:
    return f"{API}/hazards/{hazard.pk}/transitions"


def api_json(client, hazard, body):
    return client.post(transitions_url(hazard), body, content_type="application/json")


def page_act(client, hazard, action, **data):
    hazard.refresh_from_db()
    data.setdefault("version", hazard.version)
    return client.post(reverse("inspections:hazard_action", args=[hazard.pk, action]), data)


def evidence_of(report) -> list[tuple[str, str]]:
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(RectificationReport), object_id=report.pk
    )
    return sorted(rows.values_list("original_name", "purpose"))


# ---- the table ---------------------------------------------------------------------------------


def test_every_transition_names_a_service_taking_its_arguments():
    for transition in rules.TRANSITIONS.values():
        params = inspect.signature(import_string(transition.service)).parameters
        names = {a.name for a in transition.args} | {k for k, _ in transition.fixed}
        if transition.page or transition.api:  # run on one hazard by services.hazard_transition
            names |= {"hazard", "actor", "expected_version"}
        assert names <= set(params), (transition.action, names - set(params))
        assert all(params[n].kind == inspect.Parameter.KEYWORD_ONLY for n in names)
        assert all(a.missing for a in transition.args if a.required), transition.action


def test_every_page_action_has_its_form_and_the_form_takes_the_tables_arguments():
    pages = {t.page for t in rules.TRANSITIONS.values() if t.page}
    assert pages == set(FORMS) - {"photos"}  # photos are added, not a transition
    for page in pages:
        form = FORMS[page](action=page)
        transitions = rules.page_transitions(page)
        for transition in transitions:
            assert {a.name for a in transition.args} <= set(form.fields), page
            assert {k for k, _ in transition.fixed} <= set(form.fields), page
        for arg in {a.name: a for t in transitions for a in t.args}.values():
            required_by_all = all(
                any(a.name == arg.name and a.required for a in t.args) for t in transitions
            )
            assert form.fields[arg.name].required is required_by_all, (page, arg.name)
    # A failed re-check needs a note, a passed one does not: the page's note is optional and
    # the service asks for it when the re-check fails.
    assert not FORMS["recheck"](action="recheck").fields["note"].required
    assert FORMS["deadline"](action="deadline").fields["reason"].required


def test_the_api_lists_the_transitions_the_page_shows(ischools, client_for, make_hazard, people):
    pending, waiting = make_hazard(ischools[0]), make_hazard(ischools[0], title="围墙破损")
    services.hazard_report(hazard=waiting, measures="已整改", actor=people.chief)
    by_page = {"recheck": {"recheck_passed", "recheck_failed"}, "deadline": {"deadline_changed"}}
    by_page |= {"escalate": {"escalated"}, "start": {"started"}, "report": {"reported"}}
    seen = set()
    for hazard in (pending, waiting):
        for who in ("officer_a", "commander", "edu_officer", "chief"):
            client = client_for(who)
            allowed = set(client.get(f"{API}/hazards/{hazard.pk}").json()["allowed_actions"])
            url = reverse("inspections:hazard_detail", args=[hazard.pk])
            html = client.get(url).content.decode()
            shown = {page for page in by_page if f'data-testid="action-{page}"' in html}
            assert allowed == {a for page in shown for a in by_page[page]}, (who, hazard.state)
            seen |= allowed
    assert seen == {a for actions in by_page.values() for a in actions}


# ---- the same arguments ------------------------------------------------------------------------


def test_the_api_reports_with_evidence_as_the_page_does(ischools, client_for, make_hazard, media):
    school_a, _ = ischools
    through_api, through_page = make_hazard(school_a), make_hazard(school_a, title="围墙破损")
    chief = client_for("chief")
    response = chief.post(
        transitions_url(through_api),
        {
            "action": "reported",
            "version": through_api.version,
            "measures": "已安装防冲撞桩4根",
            "evidence": [photo("after.png"), pdf()],
        },
    )
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["state"] == HazardState.AWAITING_RECHECK
    [report] = detail["reports"]
    assert report["measures"] == "已安装防冲撞桩4根"
    assert sorted(e["name"] for e in report["evidence"]) == ["after.png", "验收单.pdf"]
    # the picture is the school's 整改后 photo, the PDF the report's evidence (issue 14)
    purposes = {e["name"]: e["purpose_label"] for e in report["evidence"]}
    assert purposes == {"after.png": "整改后", "验收单.pdf": "整改佐证"}
    assert chief.get(report["evidence"][0]["url"]).status_code == 200

    page = page_act(
        chief, through_page, "report", measures="已修复", evidence=[photo("after.png"), pdf()]
    )
    assert page.status_code == 302
    assert (
        evidence_of(through_page.reports.get())
        == evidence_of(through_api.reports.get())
        == [("after.png", PhotoPurpose.AFTER), ("验收单.pdf", PhotoPurpose.EVIDENCE)]
    )
    history = through_api.events.get(action=HazardAction.REPORTED)
    assert history.data["evidence"] == 2 and history.actor_name == "chief"


def test_the_api_refuses_bad_evidence_as_the_page_does_and_writes_nothing(
    ischools, client_for, make_hazard, media
):
    hazard = make_hazard(ischools[0])
    chief = client_for("chief")

    def fake():
        return SimpleUploadedFile("验收单.jpg", b"plain text, not a picture")

    body = {"action": "reported", "measures": "已整改", "evidence": [photo(), fake()]}
    refused = chief.post(transitions_url(hazard), body)
    assert refused.status_code == 400
    assert "文件“验收单.jpg”的类型不受支持" in refused.json()["detail"]
    page = page_act(chief, hazard, "report", measures="已整改", evidence=[photo(), fake()])
    assert page.status_code == 400 and "文件“验收单.jpg”的类型不受支持" in page.content.decode()

    too_many = chief.post(
        transitions_url(hazard),
        {"action": "reported", "measures": "已整改", "evidence": [photo() for _ in range(11)]},
    )
    assert too_many.status_code == 400 and "一次最多上传 10 个文件" in too_many.json()["detail"]
    hazard.refresh_from_db()
    assert hazard.state == HazardState.PENDING and not hazard.reports.exists()
    assert not Attachment.objects.exists()


def test_a_failed_recheck_takes_photos_and_fields_through_multipart(
    ischools, client_for, make_hazard, people, media
):
    hazard = make_hazard(ischools[0])
    services.hazard_report(hazard=hazard, measures="已整改", actor=people.chief)
    hazard.refresh_from_db()
    response = client_for("officer_a").post(
        transitions_url(hazard),
        {
            "action": "recheck_failed",
            "version": str(hazard.version),
            "note": "桩间距过大",
            "new_working_days": "3",
            "new_deadline": "",  # an empty form field is no value
            "photos": [photo("recheck.png")],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == HazardState.RECTIFYING
    assert [p["purpose"] for p in response.json()["photos"]] == [PhotoPurpose.RECHECK]
    bad_number = client_for("officer_a").post(
        transitions_url(hazard), {"action": "deadline_changed", "version": "two"}
    )
    assert bad_number.status_code == 422 and "version" in bad_number.json()["detail"]


def test_the_reason_is_named_as_on_the_page_or_as_the_note(ischools, client_for, make_hazard):
    first, second = make_hazard(ischools[0]), make_hazard(ischools[0], title="围墙破损")
    officer = client_for("officer_a")
    later = timezone.localdate() + dt.timedelta(days=40)
    moved = api_json(
        officer, first, {"action": "deadline_changed", "deadline": str(later), "reason": "采购"}
    )
    assert moved.status_code == 200, moved.content
    assert first.events.get(action=HazardAction.DEADLINE_CHANGED).note == "采购"
    # Older clients sent the reason as "note"; the table keeps it as an alias.
    again = api_json(
        officer, first, {"action": "deadline_changed", "deadline": str(later), "note": "再延"}
    )
    assert again.status_code == 200
    # The escalation's deadline (督办期限) is taken as on the page.
    due = timezone.localdate() + dt.timedelta(days=10)
    escalated = api_json(
        officer, second, {"action": "escalated", "reason": "久拖不改", "deadline": str(due)}
    )
    assert escalated.status_code == 200, escalated.content
    assert escalated.json()["escalations"][0]["deadline"] == str(due)
    page = page_act(officer, first, "escalate", reason="屡改不到位", deadline=str(due))
    assert page.status_code == 302
    assert first.escalations.get().deadline == second.escalations.get().deadline == due


@pytest.mark.parametrize(
    ("action", "page", "data", "message"),
    [
        ("reported", "report", {"measures": " "}, "请填写整改措施。"),
        ("deadline_changed", "deadline", {"reason": "采购"}, "请填写调整后的整改期限。"),
        ("deadline_changed", "deadline", {"deadline": "2099-01-01"}, "请写明调整期限的原因。"),
        ("escalated", "escalate", {}, "请写明督办原因。"),
    ],
)
def test_a_missing_required_argument_gets_the_tables_message_on_both(
    ischools, client_for, make_hazard, action, page, data, message
):
    hazard = make_hazard(ischools[0])
    who = "chief" if action == "reported" else "officer_a"
    through_api = api_json(client_for(who), hazard, {"action": action, **data})
    assert through_api.status_code == 400 and message in through_api.json()["detail"]
    through_page = page_act(client_for(who), hazard, page, **data)
    assert through_page.status_code == 400 and message in through_page.content.decode()
    hazard.refresh_from_db()
    assert hazard.version == 1 and not hazard.is_escalated


def test_a_service_called_directly_refuses_the_same_missing_arguments(ischools, make_hazard):
    from django.core.exceptions import ValidationError

    hazard = make_hazard(ischools[0])
    with pytest.raises(ValidationError, match="请填写调整后的整改期限"):
        services.hazard_change_deadline(hazard=hazard, deadline=None, reason="x")
    hazard.refresh_from_db()
    assert hazard.version == 1


# ---- the same permissions ------------------------------------------------------------------------


def test_only_the_schools_own_users_run_its_steps_on_both(ischools, city, make_hazard):
    # A superuser holds every permission but belongs to the city bureau, not to the school.
    hazard = make_hazard(ischools[0])
    root = Client()
    root.force_login(make_user("root", city.city, None, is_superuser=True))
    refused = api_json(root, hazard, {"action": "started"})
    assert refused.status_code == 403 and "该校" in refused.json()["detail"]
    assert page_act(root, hazard, "start").status_code == 403
    assert "started" not in root.get(f"{API}/hazards/{hazard.pk}").json()["allowed_actions"]
    assert api_json(root, hazard, {"action": "escalated", "reason": "督办"}).status_code == 200
    assert Hazard.objects.get(pk=hazard.pk).state == HazardState.PENDING


def test_a_notice_is_not_issued_through_a_hazards_transitions(ischools, client_for, make_hazard):
    hazard = make_hazard(ischools[0])
    response = api_json(client_for("officer_a"), hazard, {"action": "notice_issued"})
    assert response.status_code == 400 and "未知的操作" in response.json()["detail"]
    bad_json = client_for("officer_a").post(
        transitions_url(hazard), "{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["detail"]
