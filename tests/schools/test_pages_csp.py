"""Every school page keeps to the Content-Security-Policy (no inline script, style or handler)."""

import pytest
from django.urls import reverse

from huxiao.schools.models import Device, Guard
from tests.core.test_pages_csp import assert_csp_clean
from tests.schools.test_pages_support import grant_school_permissions


@pytest.fixture
def pages(city, schools, client_for):
    grant_school_permissions()
    return client_for


def test_it_renders_every_school_page_without_inline_script_or_style(pages, schools):
    a, _ = schools
    guard = Guard.objects.filter(school=a).first()
    device = Device.objects.filter(school=a).first()
    urls = [
        reverse("schools:school_list"),
        reverse("schools:school_list") + "?failing=staffing&org=1",
        reverse("schools:school_detail", args=[a.pk]),
        reverse("schools:school_edit", args=[a.pk]),
        reverse("schools:school_guard_list", args=[a.pk]),
        reverse("schools:school_guard_add", args=[a.pk]),
        reverse("schools:school_guard_edit", args=[a.pk, guard.pk]),
        reverse("schools:school_guard_delete", args=[a.pk, guard.pk]),
        reverse("schools:school_device_list", args=[a.pk]),
        reverse("schools:school_device_add", args=[a.pk]),
        reverse("schools:school_device_edit", args=[a.pk, device.pk]),
        reverse("schools:school_device_delete", args=[a.pk, device.pk]),
        reverse("schools:school_equipment", args=[a.pk]),
    ]
    client = pages("officer_a")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode(), url)
    invalid = client.post(reverse("schools:school_guard_add", args=[a.pk]), {"name": ""})
    assert invalid.status_code == 400
    assert_csp_clean(invalid.content.decode(), "guard add (invalid)")
