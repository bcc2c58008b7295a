"""Editing a school: through services.school_update, audited, refused in Chinese with 400."""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from huxiao.core.models import AuditRecord
from huxiao.schools import services
from huxiao.schools.geo import gcj02_to_wgs84
from huxiao.schools.models import School
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def form_data(client, school, **changes):
    """What the edit form sends back unchanged, with ``changes`` applied."""
    form = client.get(reverse("schools:school_edit", args=[school.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    for name, value in changes.items():
        if value is False or value is None:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def post(client, school, **changes):
    return client.post(
        reverse("schools:school_edit", args=[school.pk]), form_data(client, school, **changes)
    )


def test_it_saves_through_the_service_and_audits_the_change(pages, schools, people):
    a, _ = schools
    client = pages("officer_a")
    response = post(
        client,
        a,
        name="甲小学（新校区）",
        students="1500",
        anti_collision=["barrier", "rising_bollard"],
        wall_compliant=True,
        principal_phone="13912345678",
    )
    assert response.status_code == 302 and response.url == reverse(
        "schools:school_detail", args=[a.pk]
    )
    a.refresh_from_db()
    a.organization.refresh_from_db()
    assert a.organization.name == "甲小学（新校区）" and a.students == 1500 and a.wall_compliant
    assert a.anti_collision == ["barrier", "rising_bollard"]
    assert a.principal_phone == "13912345678"
    school_change = AuditRecord.objects.filter(
        object_type="schools.school", object_id=str(a.pk), action="update"
    ).latest("seq")
    assert school_change.actor_id == people.officer_a.pk
    assert school_change.after["students"] == 1500
    assert school_change.after["principal_phone"] == "[已隐藏]"  # never in clear, nor masked
    org_change = AuditRecord.objects.filter(
        object_type="core.organization", object_id=str(a.organization_id), action="update"
    ).latest("seq")
    assert org_change.actor_id == people.officer_a.pk


def test_it_never_sends_the_phones_back_and_keeps_them_when_left_blank(pages, schools):
    a, _ = schools
    services.school_update(school=a, principal_phone="13912345678")
    client = pages("chief")
    html = client.get(reverse("schools:school_edit", args=[a.pk])).content.decode()
    assert "13912345678" not in html and "139****5678" in html
    assert post(client, a, students="1300").status_code == 302
    a.refresh_from_db()
    assert a.principal_phone == "13912345678" and a.students == 1300


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"boarders": "50"}, "非寄宿制学校的寄宿生人数应为0。"),
        ({"is_boarding": True, "boarders": "5000"}, "寄宿生人数不能超过学生人数。"),
        ({"school_code": "12345"}, "学校标识码应为10位数字"),
        ({"name": ""}, "这个字段是必填项。"),
        ({"students": "-3"}, "确保该值大于或等于0。"),
        ({"principal_phone": "12345"}, "请输入11位手机号"),
        ({"longitude": "102.7"}, "经度和纬度须同时填写。"),
        ({"campus_boundary": "[[1,2]]"}, "校园边界至少需要3个坐标点。"),
        ({"campus_boundary": "not json"}, "校园边界不是有效的 JSON 坐标列表。"),
    ],
)
def test_it_answers_400_with_the_reason_in_chinese(pages, schools, changes, message):
    a, _ = schools
    response = post(pages("officer_a"), a, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    a.refresh_from_db()
    assert a.boarders == 0 and a.school_code == "5301110001" and a.organization.name == "甲小学"


def test_it_refuses_a_school_code_already_taken(pages, schools):
    a, b = schools
    response = post(pages("admin"), a, school_code=b.school_code)
    assert response.status_code == 400
    assert "学校标识码" in response.content.decode() and "已存在" in response.content.decode()


def test_it_converts_gcj02_coordinates_to_wgs84(pages, schools):
    a, _ = schools
    response = post(
        pages("officer_a"),
        a,
        longitude="102.712345",
        latitude="25.045678",
        coordinate_system="gcj02",
    )
    assert response.status_code == 302
    a.organization.refresh_from_db()
    lng, lat = gcj02_to_wgs84(102.712345, 25.045678)
    assert a.organization.longitude == Decimal(f"{lng:.6f}")
    assert a.organization.latitude == Decimal(f"{lat:.6f}")
    assert a.organization.longitude != Decimal("102.712345")


def test_it_lets_only_organisation_managers_move_a_school(pages, schools, city):
    a, _ = schools
    officer_form = (
        pages("officer_a").get(reverse("schools:school_edit", args=[a.pk])).context["form"]
    )
    assert "station" not in officer_form.fields
    # a station sent anyway is ignored
    assert post(pages("officer_a"), a, station=str(city.station_b.pk)).status_code == 302
    a.organization.refresh_from_db()
    assert a.organization.parent_id == city.station_a.pk
    admin = pages("admin")
    assert post(admin, a, station=str(city.station_b.pk)).status_code == 302
    a.organization.refresh_from_db()
    assert a.organization.parent_id == city.station_b.pk
    # officer_a's scope no longer holds the school: 404 like a missing one
    assert pages("officer_a").get(reverse("schools:school_detail", args=[a.pk])).status_code == 404


def test_it_offers_only_stations_in_scope(pages, schools, city, people):
    a, _ = schools
    from huxiao.core.models import Role

    Role.objects.filter(code="officer").update(
        permissions=[*Role.objects.get(code="officer").permissions, "core.change_organization"]
    )
    form = pages("officer_a").get(reverse("schools:school_edit", args=[a.pk])).context["form"]
    assert list(form.fields["station"].queryset) == [city.station_a]
    response = post(pages("officer_a"), a, station=str(city.station_b.pk))
    assert response.status_code == 400
    assert School.objects.get(pk=a.pk).organization.parent_id == city.station_a.pk
