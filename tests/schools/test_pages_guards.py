"""A school's guards: masked on every page and in the export, written through the services."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core import crypto
from huxiao.core.models import AuditRecord
from huxiao.schools import services
from huxiao.schools.models import Guard
from tests.schools.conftest import id_number
from tests.schools.test_pages_support import grant_school_permissions

NEW_ID = id_number("530102", dt.date(1975, 6, 15), 7)


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def guards_of(school):
    return list(Guard.objects.filter(school=school).order_by("pk"))


def guard_data(**changes):
    data = {"name": "李保安", "status": "on_duty", "is_full_time": "on", "id_number": NEW_ID}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_lists_the_guards_with_the_id_number_masked(pages, schools):
    a, _ = schools
    html = (
        pages("edu_officer").get(reverse("schools:school_guard_list", args=[a.pk])).content.decode()
    )
    for guard in guards_of(a):
        assert guard.name in html
        assert crypto.mask_id_number(guard.id_number) in html
        assert guard.id_number not in html
        # the birth date would complete the masked number: it is not shown, the age is
        assert guard.birth_date.strftime("%Y-%m-%d") not in html
    assert "保安0" in html and "保安1" in html


def test_it_adds_a_guard_through_the_service_and_audits_it(pages, schools, people):
    a, _ = schools
    response = pages("chief").post(reverse("schools:school_guard_add", args=[a.pk]), guard_data())
    assert response.status_code == 302
    assert response.url == reverse("schools:school_guard_list", args=[a.pk])
    guard = Guard.objects.get(school=a, name="李保安")
    assert guard.id_number == NEW_ID and guard.birth_date == dt.date(1975, 6, 15)
    record = AuditRecord.objects.get(
        object_type="schools.guard", object_id=str(guard.pk), action="create"
    )
    assert record.actor_id == people.chief.pk
    # Never in the trail, not even masked: the auditor reads it (issue 13, item 1).
    assert record.after["id_number"] == "[已隐藏]" and NEW_ID not in str(record.after)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "身份证号校验位错误"),
        ({"id_number": "12345"}, "身份证号应为18位"),
        ({"name": ""}, "这个字段是必填项。"),
        ({"birth_date": "1980-01-01"}, "出生日期与身份证号不一致。"),
        ({"phone": "555"}, "请输入11位手机号"),
        ({"status": "nonsense"}, "选择一个有效的选项"),
    ],
)
def test_it_answers_400_in_chinese_for_a_guard_it_cannot_take(pages, schools, changes, message):
    a, _ = schools
    response = pages("officer_a").post(
        reverse("schools:school_guard_add", args=[a.pk]), guard_data(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(guards_of(a)) == 2


def test_it_never_prefills_the_id_number_phone_or_birth_date(pages, schools):
    a, _ = schools
    guard = guards_of(a)[0]
    services.guard_update(guard=guard, phone="13712345678")
    html = (
        pages("chief")
        .get(reverse("schools:school_guard_edit", args=[a.pk, guard.pk]))
        .content.decode()
    )
    assert guard.id_number not in html and "13712345678" not in html
    assert guard.birth_date.isoformat() not in html
    assert crypto.mask_id_number(guard.id_number) in html  # named in the "leave blank" hint
    assert "留空表示不修改" in html


def test_it_keeps_the_id_number_when_left_blank(pages, schools, people):
    a, _ = schools
    guard = guards_of(a)[0]
    old_id, old_birth = guard.id_number, guard.birth_date
    valid = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = pages("chief").post(
        reverse("schools:school_guard_edit", args=[a.pk, guard.pk]),
        guard_data(
            name="保安0",
            id_number="",
            certificate_number="BA-2026-001",
            certificate_valid_until=valid,
        ),
    )
    assert response.status_code == 302
    guard.refresh_from_db()
    assert (guard.id_number, guard.birth_date) == (old_id, old_birth)
    assert guard.certificate_number == "BA-2026-001"
    record = AuditRecord.objects.filter(
        object_type="schools.guard", object_id=str(guard.pk), action="update"
    ).latest("seq")
    assert record.actor_id == people.chief.pk
    assert "id_number" not in record.after


def test_it_changes_the_id_number_when_given(pages, schools):
    a, _ = schools
    guard = guards_of(a)[0]
    response = pages("officer_a").post(
        reverse("schools:school_guard_edit", args=[a.pk, guard.pk]), guard_data(name=guard.name)
    )
    assert response.status_code == 302
    guard.refresh_from_db()
    assert guard.id_number == NEW_ID and guard.birth_date == dt.date(1975, 6, 15)


def test_it_answers_400_for_an_invalid_edit_and_changes_nothing(pages, schools):
    a, _ = schools
    guard = guards_of(a)[0]
    response = pages("officer_a").post(
        reverse("schools:school_guard_edit", args=[a.pk, guard.pk]),
        guard_data(name="新名字", id_number="110101199003070000"),
    )
    assert response.status_code == 400
    assert "身份证号校验位错误" in response.content.decode()
    guard.refresh_from_db()
    assert guard.name == "保安0"


def test_it_asks_before_deleting_and_audits_the_deletion(pages, schools, people):
    a, _ = schools
    guard = guards_of(a)[0]
    client = pages("chief")
    url = reverse("schools:school_guard_delete", args=[a.pk, guard.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "确定要删除保安员“保安0”吗" in confirm.content.decode()
    assert Guard.objects.filter(pk=guard.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Guard.objects.filter(pk=guard.pk).exists()
    record = AuditRecord.objects.get(
        object_type="schools.guard", object_id=str(guard.pk), action="delete"
    )
    assert record.actor_id == people.chief.pk


def test_it_exports_the_school_s_guards_masked(pages, schools, people):
    a, _ = schools
    services.guard_update(guard=guards_of(a)[0], phone="13712345678")
    response = pages("officer_a").get(reverse("schools:school_guard_export", args=[a.pk]))
    assert response.status_code == 200
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    ]
    header, body = rows[0], rows[1:]
    assert header[:4] == ["姓名", "身份证号", "年龄", "手机号"]
    assert "出生日期" not in header
    assert sorted(r[0] for r in body) == ["保安0", "保安1"]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    first = guards_of(a)[0]
    assert by_name["保安0"]["身份证号"] == crypto.mask_id_number(first.id_number)
    assert by_name["保安0"]["手机号"] == "137****5678"
    text = " ".join(str(c) for r in rows for c in r)
    for guard in guards_of(a):
        assert guard.id_number not in text
    assert "13712345678" not in text
    record = AuditRecord.objects.filter(action="export").latest("seq")
    assert record.actor_id == people.officer_a.pk and record.object_type == "schools.guard"
    assert record.after["filters"] == {"school": str(a.pk)}


def test_it_filters_the_guards_by_status_and_name(pages, schools):
    a, _ = schools
    services.guard_update(guard=guards_of(a)[1], status="left")
    client = pages("officer_a")
    url = reverse("schools:school_guard_list", args=[a.pk])
    names = [g.name for g in client.get(url, {"status": "left"}).context["page_obj"].object_list]
    assert names == ["保安1"]
    names = [g.name for g in client.get(url, {"q": "保安0"}).context["page_obj"].object_list]
    assert names == ["保安0"]


def test_a_guard_with_a_retired_region_code_is_saved_with_a_warning(pages, schools):
    """Issue 13, item 8: older GB/T 2260 codes are accepted, with a warning on the page."""
    a, _ = schools
    retired = id_number("110103", dt.date(1970, 1, 2), 5)  # 崇文区, merged in 2010
    response = pages("chief").post(
        reverse("schools:school_guard_add", args=[a.pk]),
        guard_data(id_number=retired),
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("已撤销的行政区划代码" in m and "崇文区" in m for m in shown), shown
    assert Guard.objects.get(school=a, name="李保安").id_number == retired
