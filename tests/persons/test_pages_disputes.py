"""The dispute pages: list, board and export (parties masked), detail with the moves allowed
from the current status, legal and illegal transitions through the page, mediation records,
registration (a threat of revenge needs a key person) and the logged "查看当事人"."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.persons import services
from huxiao.persons.models import Dispute, MediationRecord
from tests.persons.conftest import TODAY

PARTIES = "家长测试某、班主任样例某"


@pytest.fixture
def dispute_a(person_a, schools, people):
    return services.dispute_create(
        school=schools[0],
        kind="home_school",
        parties=PARTIES,
        summary="学生受伤赔偿纠纷",
        responsible_kind="school",
        threat_of_revenge=True,
        key_person=person_a,
        actor=people.officer_a,
        registered_on=TODAY,
    )


@pytest.fixture
def dispute_b(schools, people):
    return services.dispute_create(
        school=schools[1],
        kind="labour",
        parties="保安样例某",
        summary="乙中学工资纠纷",
        responsible_kind="station",
        actor=people.officer_b,
        registered_on=TODAY,
    )


def move(client, dispute, to, **extra):
    dispute.refresh_from_db()
    data = {"to": to, "version": dispute.version, **extra}
    return client.post(reverse("persons:dispute_transition", args=[dispute.pk]), data)


# ---- list, board, export -------------------------------------------------------------------


def test_it_lists_the_stations_disputes_with_parties_hidden(client_for, dispute_a, dispute_b):
    html = client_for("officer_a").get(reverse("persons:dispute_list")).content.decode()
    assert "学生受伤赔偿纠纷" in html and "乙中学工资纠纷" not in html
    assert "家长测试某" not in html
    assert "测试甲某" in html  # the linked key person's name


def test_it_filters_by_threat_kind_and_status(client_for, dispute_a):
    client = client_for("officer_a")

    def shown(**query):
        return (
            "学生受伤赔偿纠纷"
            in client.get(reverse("persons:dispute_list"), query).content.decode()
        )

    assert shown(threat="1") and not shown(threat="0")
    assert shown(kind="home_school") and not shown(kind="labour")
    assert shown(status="registered") and not shown(status="resolved")


def test_the_board_puts_each_dispute_in_its_status_column(client_for, dispute_a, people):
    services.dispute_transition(dispute=dispute_a, to="mediating", actor=people.officer_a)
    response = client_for("officer_a").get(reverse("persons:dispute_board"))
    assert response.status_code == 200
    html = response.content.decode()
    for status in ("registered", "mediating", "resolved", "transferred"):
        assert f'data-column="{status}"' in html
    assert 'data-count="mediating">1<' in html and 'data-count="registered">0<' in html
    column = html.split('data-column="mediating"')[1].split("</section>")[0]
    assert f'data-dispute="{dispute_a.pk}"' in column
    assert 'name="status"' not in html  # the columns are the statuses


def test_the_board_keeps_the_other_filters(client_for, dispute_a):
    client = client_for("officer_a")
    html = client.get(reverse("persons:dispute_board"), {"kind": "labour", "status": "registered"})
    assert 'data-count="registered">0<' in html.content.decode()
    html = client.get(reverse("persons:dispute_board"), {"threat": "1"}).content.decode()
    assert 'data-count="registered">1<' in html


def test_the_export_masks_the_parties(client_for, dispute_a):
    response = client_for("officer_a").get(reverse("persons:dispute_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "学生受伤赔偿纠纷" in text and "******" in text
    assert "家长测试某" not in text
    assert AuditRecord.objects.filter(action="export", object_type="persons.dispute").exists()


# ---- detail and reveal -----------------------------------------------------------------------


def test_the_detail_offers_the_moves_of_its_status(client_for, dispute_a):
    html = (
        client_for("officer_a").get(reverse("persons:dispute_detail", args=[dispute_a.pk])).content
    )
    html = html.decode()
    assert 'data-testid="move-mediating"' in html and 'data-testid="move-transferred"' in html
    assert 'data-testid="move-resolved"' not in html
    assert "家长测试某" not in html and "******" in html


def test_it_reveals_the_parties_and_logs_the_reason(client_for, dispute_a, people):
    client = client_for("officer_a")
    response = client.post(
        reverse("persons:dispute_reveal", args=[dispute_a.pk]), {"reason": "调解前"}
    )
    assert response.status_code == 200 and PARTIES in response.content.decode()
    log = AuditRecord.objects.get(kind="access", object_type="persons.dispute")
    assert (log.actor_id, log.object_id, log.after) == (
        people.officer_a.pk,
        str(dispute_a.pk),
        {"reason": "调解前"},
    )
    again = client.get(reverse("persons:dispute_detail", args=[dispute_a.pk])).content.decode()
    assert "家长测试某" not in again


# ---- transitions -----------------------------------------------------------------------------


def test_a_legal_transition_goes_through(client_for, dispute_a):
    client = client_for("officer_a")
    response = move(client, dispute_a, "mediating")
    assert response.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == "mediating" and dispute_a.version == 2
    response = move(client, dispute_a, "resolved", note="双方达成赔偿协议")
    assert response.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == "resolved" and dispute_a.outcome == "双方达成赔偿协议"
    assert dispute_a.closed_on == timezone.localdate()
    html = client.get(reverse("persons:dispute_detail", args=[dispute_a.pk])).content.decode()
    assert 'data-testid="closed"' in html and 'data-testid="move-' not in html


def test_an_illegal_transition_is_refused_with_the_services_message(client_for, dispute_a):
    response = move(client_for("officer_a"), dispute_a, "resolved", note="想直接办结")
    assert response.status_code == 400
    html = response.content.decode()
    assert "纠纷当前为“登记”，不能转为“已化解”" in html
    dispute_a.refresh_from_db()
    assert dispute_a.status == "registered" and dispute_a.version == 1


def test_closing_needs_a_note(client_for, dispute_a, people):
    services.dispute_transition(dispute=dispute_a, to="mediating", actor=people.officer_a)
    response = move(client_for("officer_a"), dispute_a, "transferred")
    assert response.status_code == 400
    assert "请填写化解结果或移交去向" in response.content.decode()
    dispute_a.refresh_from_db()
    assert dispute_a.status == "mediating"


def test_a_move_from_a_closed_dispute_is_refused(client_for, dispute_a, people):
    services.dispute_transition(
        dispute=dispute_a, to="transferred", note="移交司法所", actor=people.officer_a
    )
    response = move(client_for("officer_a"), dispute_a, "mediating")
    assert response.status_code == 400
    assert "无，已办结" in response.content.decode()


def test_a_stale_move_answers_409(client_for, dispute_a):
    client = client_for("officer_a")
    response = client.post(
        reverse("persons:dispute_transition", args=[dispute_a.pk]),
        {"to": "mediating", "version": dispute_a.version + 1},
    )
    assert response.status_code == 409
    dispute_a.refresh_from_db()
    assert dispute_a.status == "registered"


def test_the_commander_reads_but_may_not_move(client_for, dispute_a):
    client = client_for("commander")
    html = client.get(reverse("persons:dispute_detail", args=[dispute_a.pk])).content.decode()
    assert 'data-testid="move-' not in html
    assert move(client, dispute_a, "mediating").status_code == 403


# ---- mediation ---------------------------------------------------------------------------------


def test_the_first_mediation_moves_a_registered_dispute_to_mediating(client_for, dispute_a):
    response = client_for("officer_a").post(
        reverse("persons:dispute_mediation", args=[dispute_a.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "participants": "学校、家长、派出所",
            "content": "三方座谈，家长情绪缓和",
            "result": "约定下周再谈",
        },
    )
    assert response.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == "mediating"
    record = MediationRecord.objects.get(dispute=dispute_a)
    assert record.content == "三方座谈，家长情绪缓和"


def test_a_mediation_in_the_future_is_refused(client_for, dispute_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for("officer_a").post(
        reverse("persons:dispute_mediation", args=[dispute_a.pk]),
        {"date": tomorrow.isoformat(), "content": "x"},
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    assert not MediationRecord.objects.exists()


# ---- registration ------------------------------------------------------------------------------


def register(client, **data):
    body = {
        "kind": "teacher_student",
        "parties": "学生家长某",
        "summary": "体罚投诉",
        "responsible_kind": "education_bureau",
    }
    body.update(data)
    return client.post(reverse("persons:dispute_create"), body)


def test_it_registers_a_dispute_with_the_schools_bureau_responsible(client_for, schools, city):
    response = register(client_for("officer_a"), school=schools[0].pk)
    assert response.status_code == 302
    dispute = Dispute.objects.get(summary="体罚投诉")
    assert response["Location"] == reverse("persons:dispute_detail", args=[dispute.pk])
    assert dispute.station == city.station_a and dispute.responsible_org == city.edu_a
    assert dispute.parties == "学生家长某" and dispute.status == "registered"


def test_a_threat_of_revenge_needs_a_key_person(client_for, schools, person_a):
    client = client_for("officer_a")
    response = register(client, school=schools[0].pk, threat_of_revenge="on")
    assert response.status_code == 400
    assert "须关联重点人员" in response.content.decode()
    assert not Dispute.objects.exists()
    response = register(
        client, school=schools[0].pk, threat_of_revenge="on", key_person=person_a.pk
    )
    assert response.status_code == 302
    assert Dispute.objects.get().key_person == person_a


def test_it_cannot_register_at_a_school_or_person_out_of_scope(client_for, schools, person_b):
    client = client_for("officer_a")
    assert register(client, school=schools[1].pk).status_code == 400
    response = register(
        client, school=schools[0].pk, threat_of_revenge="on", key_person=person_b.pk
    )
    assert response.status_code == 400
    assert not Dispute.objects.exists()
