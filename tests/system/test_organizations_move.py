"""单位管理: moving a node (调整隶属关系) — the preview of what moves, the move itself (paths
rewritten, so scopes follow), its audit record, and the refusals (own descendant, own root,
another subtree) that write nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from huxiao.core.choices import AuditKind, DataScope
from huxiao.core.models import AuditRecord, Organization, Role, User
from huxiao.schools.models import School
from tests.conftest import make_user
from tests.schools.conftest import schools  # noqa: F401  (fixture)
from tests.system.test_organizations import Second, client_of, second  # noqa: F401  (fixture)


def preview_value(response, name: str) -> str:
    match = re.search(rf'data-testid="moved-{name}">(.*?)</dd>', response.content.decode(), re.S)
    assert match, response.content.decode()[:3000]
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def paths():
    return dict(Organization.objects.values_list("code", "path"))


@pytest.fixture
def custom_role(city):
    role = Role.objects.create(code="station_watch", name="甲所查看", data_scope=DataScope.CUSTOM)
    role.scope_organizations.set([city.school_a])
    return role


def test_moving_a_station_to_another_sub_bureau_moves_its_schools_scope(
    client_for,
    city,
    people,
    second: Second,  # noqa: F811
    schools,  # noqa: F811
    custom_role,
):
    station_a, school_a = city.station_a, city.school_a
    make_user("officer_a2", city.station_a, "officer")
    url = reverse("system:organization_move", args=[station_a.pk])
    admin = client_for("admin")
    preview = admin.post(url, {"new_parent": second.sub.pk})
    assert preview.status_code == 200, preview.content.decode()[:3000]
    assert preview_value(preview, "organizations").startswith("1")  # the school
    assert preview_value(preview, "schools") == "1"
    # officer_a, the volunteer, the security chief, the guard and officer_a2
    assert preview_value(preview, "users") == "5"
    assert "station_watch" in preview_value(preview, "roles")
    assert "甲区教育局" in preview_value(preview, "bureaus")
    # Nothing is written by the preview.
    station_a.refresh_from_db()
    assert station_a.parent == city.sub_bureau

    done = admin.post(url, {"new_parent": second.sub.pk, "confirm": "1"})
    assert done.status_code == 302, done.content.decode()[:3000]
    station_a.refresh_from_db()
    school_a.refresh_from_db()
    assert station_a.parent == second.sub
    assert station_a.path == f"{second.sub.path}{station_a.pk:08d}/"
    assert school_a.path == f"{station_a.path}{school_a.pk:08d}/"
    assert school_a.depth == station_a.depth + 1

    # Its school is now the new sub-bureau's, no longer the old one's.
    new_admin, old_admin = second.admin_b, second.admin_a
    school = School.objects.get(organization=school_a)
    assert School.objects.visible_to(new_admin).filter(pk=school.pk).exists()
    assert not School.objects.visible_to(old_admin).filter(pk=school.pk).exists()
    assert old_admin.organization == city.sub_bureau
    # The station's own officer keeps the school (the subtree moved whole).
    officer_a = User.objects.get(pk=people.officer_a.pk)  # its organisation's path, fresh
    assert School.objects.visible_to(officer_a).filter(pk=school.pk).exists()
    # Under the new sub-bureau in the tree of its administrator; gone from the old one's.
    assert (
        client_of(new_admin)
        .get(reverse("system:organization_children", args=[second.sub.pk]))
        .content.decode()
        .count('data-org-code="T-STA-A"')
        == 1
    )
    assert client_of(old_admin).get(url).status_code == 404

    record = AuditRecord.objects.filter(kind=AuditKind.SYSTEM, object_id=str(station_a.pk)).get()
    assert record.before["parent"] == city.sub_bureau.pk
    assert record.after["parent"] == second.sub.pk
    assert record.after["schools"] == 1 and record.after["users"] == 5
    assert record.actor == people.admin


def test_it_counts_document_prefixes_and_the_whole_subtree(client_for, city, second):  # noqa: F811
    response = client_for("admin").get(
        reverse("system:organization_move", args=[second.sub.pk]),
        {"new_parent": city.city.pk},
    )
    # 第二分局 is already under the city bureau: refused, but its preview still shows the counts.
    assert response.status_code == 400
    assert "该单位已经在所选上级单位之下" in response.content.decode()
    assert preview_value(response, "organizations").startswith("2")
    assert "二公" in preview_value(response, "prefixes")
    assert preview_value(response, "users") == "1"  # admin_b


def test_moving_a_node_under_its_own_descendant_is_refused_and_writes_nothing(client_for, city):
    client = client_for("admin")  # (signing in is audited too)
    before = paths()
    records = AuditRecord.objects.count()
    response = client.post(
        reverse("system:organization_move", args=[city.sub_bureau.pk]),
        {"new_parent": city.station_a.pk, "confirm": "1"},
    )
    assert response.status_code == 400
    assert "不能把单位移动到它自己或它的下级单位之下" in response.content.decode()
    assert paths() == before
    assert AuditRecord.objects.count() == records


def test_the_service_refuses_a_descendant_too(people, city):
    from django.core.exceptions import ValidationError

    from huxiao.system.services.organizations import organization_relocate

    with pytest.raises(ValidationError) as caught:
        organization_relocate(org=city.city, new_parent=city.station_b, actor=people.admin)
    assert "不能把单位移动到它自己或它的下级单位之下。" in caught.value.messages


def test_it_refuses_a_kind_that_may_not_sit_there(client_for, city):
    before = paths()
    response = client_for("admin").post(
        reverse("system:organization_move", args=[city.school_a.pk]),
        {"new_parent": city.edu_a.pk, "confirm": "1"},
    )
    assert response.status_code == 400
    assert "学校只能设在派出所之下" in response.content.decode()
    assert paths() == before


def test_a_unit_administrator_moves_within_its_subtree(city, second):  # noqa: F811
    client = client_of(second.admin_a)
    url = reverse("system:organization_move", args=[city.school_a.pk])
    response = client.post(url, {"new_parent": city.station_b.pk, "confirm": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    city.school_a.refresh_from_db()
    assert city.school_a.parent == city.station_b


def test_a_unit_administrator_never_moves_its_own_root(city, second):  # noqa: F811
    before = paths()
    response = client_of(second.admin_a).post(
        reverse("system:organization_move", args=[city.sub_bureau.pk]),
        {"new_parent": city.city.pk, "confirm": "1"},
    )
    # The city bureau is outside its scope: not a valid choice, nothing moves.
    assert response.status_code == 400
    assert paths() == before


def test_a_unit_administrator_never_moves_outside_its_subtree(city, second):  # noqa: F811
    before = paths()
    response = client_of(second.admin_a).post(
        reverse("system:organization_move", args=[city.station_a.pk]),
        {"new_parent": second.sub.pk, "confirm": "1"},
    )
    assert response.status_code == 400
    assert paths() == before


def test_the_service_refuses_a_unit_administrators_own_organisation(city, second):  # noqa: F811
    from django.core.exceptions import ValidationError

    from huxiao.system.services.organizations import move_problems, organization_relocate

    # Give 测试分局's administrator a parent in scope to aim at: the rule still refuses.
    problems = move_problems(org=city.sub_bureau, new_parent=city.station_a, actor=second.admin_a)
    assert "不能移动您本人所在的单位或其上级单位。" in problems
    with pytest.raises(ValidationError):
        organization_relocate(org=city.sub_bureau, new_parent=second.sub, actor=second.admin_a)


def test_the_move_form_does_not_offer_the_subtree_or_the_current_parent(client_for, city):
    html = (
        client_for("admin")
        .get(reverse("system:organization_move", args=[city.station_a.pk]))
        .content.decode()
    )
    offered = set(re.findall(r'<option value="(\d+)"', html))
    assert str(city.city.pk) in offered  # a city bureau may hold a station
    assert str(city.sub_bureau.pk) not in offered  # its current parent
    assert str(city.edu_a.pk) not in offered  # an education bureau may not
