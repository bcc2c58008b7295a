"""Who may open which school page: anonymous → login, no permission → 403, out of scope → 404.

Alice (officer_a, station 01) works on school 01; Bob (officer_b) on school 02; the
security chief and the gate guard belong to school 01; the education officer supervises
school 01 only; the outsider (a security company) must see no school at all.
"""

import pytest
from django.test import Client
from django.urls import reverse

from huxiao.schools.models import Device, Guard
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def school_roles(city):
    grant_school_permissions()


@pytest.fixture
def pages(school_roles, schools, client_for):
    return client_for


READ_PAGES = [
    ("schools:school_detail", "schools.view_school"),
    ("schools:school_guard_list", "schools.view_guard"),
    ("schools:school_guard_export", "schools.view_guard"),
    ("schools:school_device_list", "schools.view_device"),
    ("schools:school_device_export", "schools.view_device"),
    ("schools:school_equipment", "schools.view_equipmentstock"),
    ("schools:school_equipment_export", "schools.view_equipmentstock"),
]
FORM_PAGES = ["schools:school_edit", "schools:school_guard_add", "schools:school_device_add"]
ITEM_PAGES = [
    "schools:school_guard_edit",
    "schools:school_guard_delete",
    "schools:school_device_edit",
    "schools:school_device_delete",
]


def item_of(name, school):
    model = Guard if "guard" in name else Device
    return model.objects.filter(school=school).first()


def url(name, school, item=None):
    if name in ITEM_PAGES:
        item = item or item_of(name, school)
        return reverse(name, args=[school.pk, item.pk])
    return reverse(name, args=[school.pk])


def every_url(school):
    return [url(n, school) for n, _ in READ_PAGES] + [
        url(n, school) for n in FORM_PAGES + ITEM_PAGES
    ]


def test_it_sends_anonymous_visitors_to_the_login_page(client, school_roles, schools):
    a, _ = schools
    for target in [reverse("schools:school_list"), reverse("schools:school_export"), *every_url(a)]:
        response = client.get(target)
        assert response.status_code == 302, target
        assert response.url == f"{reverse('core:login')}?next={target}"


def test_it_sends_anonymous_posts_to_the_login_page(client, school_roles, schools):
    a, _ = schools
    targets = [url(n, a) for n in FORM_PAGES + ITEM_PAGES] + [url("schools:school_equipment", a)]
    for target in targets:
        response = client.post(target, {"name": "x"})
        assert response.status_code == 302, target
        assert response.url.startswith(reverse("core:login"))
    assert Guard.objects.filter(school=a).count() == 2


LIST_ALLOWED = [
    "admin",
    "commander",
    "officer_a",
    "officer_b",
    "edu_officer",
    "chief",
    "guard",
    "outsider",
]
EVERYONE = [*LIST_ALLOWED, "volunteer", "auditor"]


@pytest.mark.parametrize("who", EVERYONE)
def test_it_opens_the_school_list_to_the_roles_holding_view_school(pages, who):
    expected = 200 if who in LIST_ALLOWED else 403
    assert pages(who).get(reverse("schools:school_list")).status_code == expected
    assert pages(who).get(reverse("schools:school_export")).status_code == expected


# What each user of school 01 may open there (all in scope for them).
ON_SCHOOL_A = {
    "admin": {"read": "all", "write": True},
    "officer_a": {"read": "all", "write": True},
    "chief": {"read": "all", "write": True},
    "commander": {"read": "all", "write": False},
    "edu_officer": {"read": "all", "write": False},
    "guard": {"read": {"schools:school_detail"}, "write": False},
}


@pytest.mark.parametrize("who", sorted(ON_SCHOOL_A))
def test_it_opens_each_page_of_school_01_only_with_its_permission(pages, schools, who):
    a, _ = schools
    client = pages(who)
    rights = ON_SCHOOL_A[who]
    for name, _perm in READ_PAGES:
        allowed = rights["read"] == "all" or name in rights["read"]
        assert client.get(url(name, a)).status_code == (200 if allowed else 403), (who, name)
    for name in FORM_PAGES + ITEM_PAGES:
        assert client.get(url(name, a)).status_code == (200 if rights["write"] else 403), (
            who,
            name,
        )


@pytest.mark.parametrize("who", ["commander", "edu_officer", "guard"])
def test_it_refuses_writes_without_the_permission(pages, schools, who):
    a, _ = schools
    client = pages(who)
    guard = Guard.objects.filter(school=a).first()
    assert client.post(url("schools:school_edit", a), {"name": "改名"}).status_code == 403
    assert client.post(url("schools:school_guard_add", a), {"name": "新保安"}).status_code == 403
    assert client.post(url("schools:school_guard_delete", a, guard)).status_code == 403
    assert client.post(url("schools:school_equipment", a), {"helmet": "9"}).status_code == 403
    assert Guard.objects.filter(pk=guard.pk).exists()
    assert a.organization.name == "甲小学"


def assert_same_404(client, target, missing):
    out, none = client.get(target), client.get(missing)
    assert out.status_code == none.status_code == 404, target
    assert out.context["message"] == none.context["message"]
    assert "乙中学" not in out.content.decode()


@pytest.mark.parametrize("who", ["officer_a", "chief", "guard", "edu_officer", "outsider"])
def test_it_answers_404_for_another_school_exactly_as_for_a_missing_one(pages, schools, who):
    _, b = schools
    client = pages(who)
    assert_same_404(
        client,
        reverse("schools:school_detail", args=[b.pk]),
        reverse("schools:school_detail", args=[999_999]),
    )
    if who == "guard":
        return  # the gate guard gets 403 on the ledgers before any lookup
    for name in [n for n, _ in READ_PAGES] + FORM_PAGES + ITEM_PAGES:
        if who == "edu_officer" and name in FORM_PAGES + ITEM_PAGES:
            continue  # no write permission: 403 comes first
        target = url(name, b)
        missing = target.replace(f"/schools/{b.pk}/", "/schools/999999/", 1)
        assert_same_404(client, target, missing)


def test_it_answers_404_for_a_guard_or_device_of_another_school_under_this_one(pages, schools):
    a, b = schools
    client = pages("officer_a")
    for name in ITEM_PAGES:
        foreign = item_of(name, b)
        target = url(name, a, foreign)
        missing = target.replace(f"/{foreign.pk}/", "/999999/")
        assert_same_404(client, target, missing)
        assert client.post(target, {"name": "x"}).status_code == 404
    assert Guard.objects.filter(school=b).count() == 2
    assert Device.objects.filter(school=b).count() == 2


def test_it_refuses_a_post_without_the_csrf_token(school_roles, schools, people):
    a, _ = schools
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.officer_a)
    guard = Guard.objects.filter(school=a).first()
    assert client.post(url("schools:school_guard_delete", a, guard)).status_code == 403
    assert client.post(url("schools:school_edit", a), {"name": "改名"}).status_code == 403
    assert Guard.objects.filter(pk=guard.pk).exists()


def test_it_shows_the_schools_entry_in_the_navigation_only_with_the_permission(pages):
    link = f'href="{reverse("schools:school_list")}"'
    assert link in pages("guard").get(reverse("core:home")).content.decode()
    assert link not in pages("volunteer").get(reverse("core:home")).content.decode()


def test_it_keeps_the_schools_entry_highlighted_on_a_school_s_sub_pages(pages, schools):
    a, _ = schools
    html = (
        pages("officer_a").get(reverse("schools:school_guard_list", args=[a.pk])).content.decode()
    )
    assert (
        f'<a class="nav-link active" href="{reverse("schools:school_list")}" aria-current="page">'
        in html
    )
