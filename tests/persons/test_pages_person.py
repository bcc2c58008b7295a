"""The key-person pages: the list and its export show masked values only; opening the detail
writes the access log; "查看完整信息" shows the identity on that answer only and logs the
reason; create and edit go through the services (ID checksum, duplicates, stale versions);
the follow-up form moves the next review date."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord, Role
from huxiao.persons import rules
from huxiao.persons.models import FollowUp, KeyPerson
from tests.conftest import make_user
from tests.persons.conftest import ADDRESS_A, ID_A, PHONE_A, id_number


def accesses(person):
    return list(
        AuditRecord.objects.filter(
            kind="access", action="view", object_type="persons.keyperson", object_id=str(person.pk)
        )
        .order_by("seq")
        .values_list("actor__username", "after")
    )


def all_cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


# ---- masked everywhere -----------------------------------------------------------------------


def test_it_lists_masked_identities_only(client_for, person_a):
    html = client_for("officer_a").get(reverse("persons:key_person_list")).content.decode()
    assert person_a.name in html
    assert "510402********" + ID_A[-4:] in html and "138****1234" in html
    assert ID_A not in html and PHONE_A not in html and "测试路" not in html


def test_it_exports_masked_identities_and_records_the_export(client_for, person_a, person_b):
    response = client_for("officer_a").get(reverse("persons:key_person_export"))
    assert response.status_code == 200
    cells = all_cells(response)
    assert "测试甲某" in cells and "测试乙某" not in cells  # station 02's person is out of scope
    assert "510402********" + ID_A[-4:] in cells and "138****1234" in cells
    text = "\n".join(cells)
    assert ID_A not in text and PHONE_A not in text and ADDRESS_A not in text
    export = AuditRecord.objects.get(kind="access", action="export")
    assert export.object_type == "persons.keyperson" and export.after["count"] == 1


def test_a_searched_id_number_is_masked_in_the_export_record(client_for, person_a):
    response = client_for("officer_a").get(reverse("persons:key_person_export"), {"q": ID_A})
    assert "测试甲某" in all_cells(response)
    export = AuditRecord.objects.get(kind="access", action="export")
    assert export.after["filters"] == {"q": "510402********" + ID_A[-4:]}
    assert ID_A not in str(export.after)


def test_it_shows_the_detail_masked(client_for, person_a):
    response = client_for("officer_a").get(reverse("persons:key_person_detail", args=[person_a.pk]))
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "510402********" + ID_A[-4:] in html and "138****1234" in html
    assert ID_A not in html and PHONE_A not in html and ADDRESS_A not in html
    assert "26.581" not in html  # the home coordinates
    # the targeted school with its rounded distance
    assert "甲小学" in html and "约 100 米" in html


# ---- the access log ----------------------------------------------------------------------------


def test_it_logs_every_opening_of_the_detail(client_for, person_a, people):
    client = client_for("officer_a")
    assert accesses(person_a) == []
    client.get(reverse("persons:key_person_detail", args=[person_a.pk]))
    assert accesses(person_a) == [("officer_a", None)]
    client.get(reverse("persons:key_person_detail", args=[person_a.pk]))
    assert len(accesses(person_a)) == 2


def test_it_logs_nothing_for_a_refused_opening(client_for, person_a):
    for who in ("officer_b", "edu_officer", "chief"):
        response = client_for(who).get(reverse("persons:key_person_detail", args=[person_a.pk]))
        assert response.status_code == 404, who
    assert accesses(person_a) == []


def test_it_reveals_the_identity_once_and_logs_the_reason(client_for, person_a, people):
    client = client_for("officer_a")
    url = reverse("persons:key_person_reveal", args=[person_a.pk])
    response = client.post(url, {"reason": "入户走访前核对身份"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert ID_A in html and PHONE_A in html and ADDRESS_A in html
    assert "26.581000,101.721000" in html
    assert accesses(person_a) == [("officer_a", {"reason": "入户走访前核对身份"})]
    # Nothing kept: the next opening is masked again (and logged without a reason).
    again = client.get(reverse("persons:key_person_detail", args=[person_a.pk])).content.decode()
    assert ID_A not in again
    assert accesses(person_a)[-1] == ("officer_a", None)


def test_it_reveals_without_a_reason_too(client_for, person_a):
    response = client_for("officer_a").post(
        reverse("persons:key_person_reveal", args=[person_a.pk])
    )
    assert response.status_code == 200 and ID_A in response.content.decode()
    assert accesses(person_a) == [("officer_a", None)]


def test_it_refuses_a_reveal_by_get_and_without_the_permission(client_for, person_a, city):
    url = reverse("persons:key_person_reveal", args=[person_a.pk])
    assert client_for("officer_a").get(url).status_code == 405
    # A police role that may read the registry but not reveal identities: 403, nothing logged.
    role = Role.objects.create(
        code="reader",
        name="只读民警",
        data_scope="subtree",
        is_police=True,
        permissions=["persons.view_keyperson"],
    )
    reader = Client()
    reader.force_login(make_user("reader", city.station_a, role.code))
    page = reader.get(reverse("persons:key_person_detail", args=[person_a.pk]))
    assert page.status_code == 200 and "submit-reveal" not in page.content.decode()
    assert reader.post(url, {"reason": "看看"}).status_code == 403
    assert all(after is None for _, after in accesses(person_a))


def test_it_shows_the_whereabouts_only_when_revealed(client_for, person_a, people):
    from huxiao.persons import services

    services.follow_up_create(
        person=person_a,
        actor=people.officer_a,
        date=timezone.localdate(),
        method="visit",
        observations="在家，情绪稳定",
        whereabouts="在某工地打工",
    )
    client = client_for("officer_a")
    masked = client.get(reverse("persons:key_person_detail", args=[person_a.pk])).content.decode()
    assert "在家，情绪稳定" in masked and "在某工地打工" not in masked
    shown = client.post(reverse("persons:key_person_reveal", args=[person_a.pk])).content.decode()
    assert "在某工地打工" in shown


# ---- filters -----------------------------------------------------------------------------------


def test_it_filters_by_name_whole_id_number_and_overdue_review(client_for, person_a, people):
    client = client_for("officer_a")

    def names(**query):
        html = client.get(reverse("persons:key_person_list"), query).content.decode()
        return person_a.name in html

    assert names(q="甲某") and not names(q="乙某")
    assert names(q=ID_A) and not names(q=id_number("510402", dt.date(1985, 3, 14), 999))
    assert names(category="revenge") and not names(category="drug")
    assert names(risk="high") and not names(risk="low")
    KeyPerson.objects.filter(pk=person_a.pk).update(
        next_review_date=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.get(reverse("persons:key_person_list"), {"review": "overdue"})
    html = response.content.decode()
    assert person_a.name in html and 'data-review="overdue"' in html
    assert "hx-row-overdue" in html


def test_a_station_outside_the_scope_filters_to_nothing(client_for, person_a, city):
    response = client_for("officer_a").get(
        reverse("persons:key_person_list"), {"station": city.station_b.pk}
    )
    assert response.status_code == 200 and person_a.name not in response.content.decode()


# ---- create and edit ---------------------------------------------------------------------------


def new_person(**extra):
    data = {
        "name": "测试丙某",
        "id_number": id_number("510402", dt.date(1979, 5, 6), 321),
        "phone": "13900001111",
        "address": "测试街9号",
        "categories": ["grievance"],
        "risk_level": "medium",
        "status": "in_control",
    }
    data.update(extra)
    return data


def test_it_lists_a_new_person_with_the_officers_station_by_default(client_for, city, people):
    client = client_for("officer_a")
    form = client.get(reverse("persons:key_person_create"))
    assert form.status_code == 200
    assert f'<option value="{city.station_a.pk}" selected>' in form.content.decode()
    response = client.post(
        reverse("persons:key_person_create"),
        new_person(station=city.station_a.pk, officer=people.officer_a.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = KeyPerson.objects.get(name="测试丙某")
    assert response["Location"] == reverse("persons:key_person_detail", args=[person.pk])
    assert person.station == city.station_a and person.phone == "13900001111"
    # a listed grievance person is visited monthly
    assert person.next_review_date == timezone.localdate() + dt.timedelta(days=30)


def test_it_refuses_a_bad_checksum_in_chinese_and_creates_nothing(client_for, city):
    good = id_number("510402", dt.date(1979, 5, 6), 321)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client_for("officer_a").post(
        reverse("persons:key_person_create"), new_person(id_number=bad, station=city.station_a.pk)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "校验" in html
    assert not KeyPerson.objects.filter(name="测试丙某").exists()


def test_it_refuses_a_duplicate_id_number(client_for, city, person_a, person_b):
    response = client_for("officer_a").post(
        reverse("persons:key_person_create"), new_person(id_number=ID_A, station=city.station_a.pk)
    )
    assert response.status_code == 400
    assert "不能重复登记" in response.content.decode()
    # the same words for a person of another station (nothing more is revealed)
    response = client_for("officer_a").post(
        reverse("persons:key_person_create"),
        new_person(id_number=person_b.id_number, station=city.station_a.pk),
    )
    assert response.status_code == 400 and "不能重复登记" in response.content.decode()


def test_it_cannot_list_a_person_at_another_station(client_for, city):
    response = client_for("officer_a").post(
        reverse("persons:key_person_create"), new_person(station=city.station_b.pk)
    )
    assert response.status_code == 400
    assert not KeyPerson.objects.filter(name="测试丙某").exists()


def edit_data(person, **changes):
    data = {
        "name": person.name,
        "categories": person.categories,
        "mental_risk_level": person.mental_risk_level,
        "risk_level": person.risk_level,
        "station": person.station_id,
        "officer": person.officer_id or "",
        "control_measures": person.control_measures,
        "status": person.status,
        "status_note": person.status_note,
        "version": person.version,
        "targeted_schools": [k.school_id for k in person.school_links.filter(relation="targeted")],
        "nearby_schools": [k.school_id for k in person.school_links.filter(relation="nearby")],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_edit_form_never_shows_the_identity_and_keeps_it_when_blank(client_for, person_a):
    client = client_for("officer_a")
    url = reverse("persons:key_person_edit", args=[person_a.pk])
    html = client.get(url).content.decode()
    assert ID_A not in html and PHONE_A not in html and ADDRESS_A not in html
    assert "510402********" + ID_A[-4:] in html  # as the placeholder
    response = client.post(url, edit_data(person_a, risk_level="medium"))
    assert response.status_code == 302, response.content.decode()[:3000]
    person_a.refresh_from_db()
    assert person_a.risk_level == "medium" and person_a.version == 2
    assert (person_a.id_number, person_a.phone, person_a.address) == (ID_A, PHONE_A, ADDRESS_A)
    assert person_a.school_links.get().relation == "targeted"


def test_a_stale_edit_answers_409(client_for, person_a):
    client = client_for("officer_a")
    url = reverse("persons:key_person_edit", args=[person_a.pk])
    stale = edit_data(person_a, risk_level="low")
    assert client.post(url, edit_data(person_a, risk_level="medium")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    person_a.refresh_from_db()
    assert person_a.risk_level == "medium"


def test_an_officer_cannot_revoke_without_approval(client_for, person_a):
    response = client_for("officer_a").post(
        reverse("persons:key_person_edit", args=[person_a.pk]),
        edit_data(person_a, status="revoked", status_note="已搬离"),
    )
    assert response.status_code == 400
    assert "审批" in response.content.decode()


def test_the_commander_revokes_on_the_edit_page(client_for, person_a):
    response = client_for("commander").post(
        reverse("persons:key_person_edit", args=[person_a.pk]),
        edit_data(person_a, status="revoked", status_note="已迁出辖区"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person_a.refresh_from_db()
    assert person_a.status == "revoked"


# ---- follow-ups ------------------------------------------------------------------------------


def test_the_follow_up_form_moves_the_next_review_date(client_for, person_a, people):
    client = client_for("officer_a")
    today = timezone.localdate()
    # Listed three weeks ago, reviewed never: the weekly review is two weeks overdue.
    KeyPerson.objects.filter(pk=person_a.pk).update(
        listed_on=today - dt.timedelta(days=21), next_review_date=today - dt.timedelta(days=14)
    )
    person_a.refresh_from_db()
    before = person_a.next_review_date
    response = client.post(
        reverse("persons:key_person_follow_up", args=[person_a.pk]),
        {
            "date": today.isoformat(),
            "method": "visit",
            "observations": "在家，服药规律",
            "whereabouts": "在家",
            "status_after": "in_control",
            "mental_risk_level_after": "2",
            "version": person_a.version,
        },
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    # revenge (7 days) is still the strictest rule after the level went down to 2
    expected = rules.next_review(
        base=today,
        categories=person_a.categories,
        mental_risk_level=2,
        risk_level=person_a.risk_level,
        status="in_control",
    ).due
    assert person_a.last_review_date == today
    assert person_a.next_review_date == expected == today + dt.timedelta(days=7)
    assert expected != before
    follow = FollowUp.objects.get(person=person_a)
    assert (follow.officer, follow.mental_risk_level_after) == (people.officer_a, 2)
    page = client.get(response["Location"]).content.decode()
    assert "在家，服药规律" in page and expected.isoformat() in page


def test_the_follow_up_form_refuses_a_future_date(client_for, person_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for("officer_a").post(
        reverse("persons:key_person_follow_up", args=[person_a.pk]),
        {
            "date": tomorrow.isoformat(),
            "method": "visit",
            "observations": "x",
            "status_after": "in_control",
            "version": person_a.version,
        },
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_follow_up_on_a_stale_page_answers_409(client_for, person_a):
    response = client_for("officer_a").post(
        reverse("persons:key_person_follow_up", args=[person_a.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "method": "phone",
            "observations": "电话联系",
            "status_after": "in_control",
            "version": person_a.version + 5,
        },
    )
    assert response.status_code == 409
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("who", ["officer_b", "edu_officer", "guard"])
def test_nobody_else_records_a_follow_up(client_for, person_a, who):
    response = client_for(who).post(
        reverse("persons:key_person_follow_up", args=[person_a.pk]),
        {"date": timezone.localdate().isoformat(), "method": "visit", "observations": "x"},
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_the_last_review_and_the_follow_up_list_agree(client_for, person_a):
    """One source for the last review (issue 14): a date from the paper ledger says so, and the
    empty follow-up list says where the date came from; a recorded follow-up replaces both."""
    client = client_for("officer_a")
    url = reverse("persons:key_person_detail", args=[person_a.pk])
    today = timezone.localdate()
    ledger = today - dt.timedelta(days=6)
    KeyPerson.objects.filter(pk=person_a.pk).update(last_review_date=ledger)
    page = client.get(url).content.decode()
    assert "列管时据台账录入，本系统中无该次走访核查记录" in page
    assert f"本系统中尚无走访核查记录；最近核查日期 {ledger:%Y-%m-%d} 为列管时据台账录入。" in page
    assert "尚无走访核查记录。</div>" not in page

    person_a.refresh_from_db()
    response = client.post(
        reverse("persons:key_person_follow_up", args=[person_a.pk]),
        {
            "date": today.isoformat(),
            "method": "visit",
            "observations": "在家",
            "whereabouts": "在家",
            "status_after": "in_control",
            "mental_risk_level_after": "3",
            "version": person_a.version,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "台账录入" not in page and f"{today:%Y-%m-%d}" in page
