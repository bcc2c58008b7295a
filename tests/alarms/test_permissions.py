"""Who may do what on the alarm pages and API, for users of different jurisdictions.

Alice is officer_a (station 01, over school_a): she reads and acts on school_a's alarms; Bob is
officer_b (station 02): school_a's alarm, test window and device answer 404 to him, exactly as a
missing id. The commander (city) acts on both. The education officer (bureau A) and school_a's
security chief see school_a's alarm read-only, without the police-only details; the chief
registers test windows. The gate guard reads; the volunteer and the auditor get 403; the
security company's "officer" holds the permissions but no jurisdiction: nothing to see, no
step to take. Anonymous callers are sent to sign in (pages) or get 401 (API).
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huxiao.alarms import services
from huxiao.alarms.choices import AlarmAction
from huxiao.alarms.models import DeviceCredential

pytestmark = pytest.mark.django_db

MISSING = 999_999
API = "/api/v1"


@pytest.fixture
def world(alarms, devices, people):
    a, b = alarms
    for alarm, officer in ((a, people.officer_a), (b, people.officer_b)):
        services.alarm_transition(alarm=alarm, action=AlarmAction.ACKNOWLEDGE, actor=officer)
        services.alarm_transition(
            alarm=alarm, action=AlarmAction.DISPATCH, actor=officer, unit="机密巡逻组"
        )
    now = timezone.now()
    windows = [
        services.test_window_create(
            school=d.school,
            starts_at=now + dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=1, hours=1),
        )
        for d in devices
    ]
    return SimpleNamespace(
        alarm={"a": a.pk, "b": b.pk, "missing": MISSING},
        device={"a": devices[0].device.pk, "b": devices[1].device.pk, "missing": MISSING},
        windows=windows,
    )


def _statuses(client, url_for, sides=("a", "b", "missing"), method="get", data=None):
    answers = {}
    for side in sides:
        url = url_for(side)
        if method == "get":
            answers[side] = client.get(url).status_code
        elif url.startswith(API):
            answers[side] = client.post(
                url, data or {}, content_type="application/json"
            ).status_code
        else:
            answers[side] = client.post(url, data or {}).status_code
    return tuple(answers.values())


# user: (list, detail a/b/missing, step a/b/missing, windows list, window form, devices,
#        device a/b/missing)
PAGES = {
    "officer_a": (200, (200, 404, 404), (302, 404, 404), 200, 200, 200, (200, 404, 404)),
    "officer_b": (200, (404, 200, 404), (404, 302, 404), 200, 200, 200, (404, 200, 404)),
    "commander": (200, (200, 200, 404), (302, 302, 404), 200, 403, 200, (200, 200, 404)),
    "edu_officer": (200, (200, 404, 404), (403, 403, 403), 200, 403, 403, (403, 403, 403)),
    "chief": (200, (200, 404, 404), (403, 403, 403), 200, 200, 403, (403, 403, 403)),
    "guard": (200, (200, 404, 404), (403, 403, 403), 200, 403, 403, (403, 403, 403)),
    "volunteer": (403, (403, 403, 403), (403, 403, 403), 403, 403, 403, (403, 403, 403)),
    "auditor": (403, (403, 403, 403), (403, 403, 403), 403, 403, 403, (403, 403, 403)),
    "outsider": (200, (404, 404, 404), (403, 403, 403), 200, 200, 200, (404, 404, 404)),
    "admin": (200, (200, 200, 404), (403, 403, 403), 200, 403, 200, (200, 200, 404)),
}


@pytest.mark.parametrize("user", PAGES)
def test_each_user_gets_the_pages_of_their_jurisdiction(world, client_for, user):
    client = client_for(user)
    got = (
        client.get(reverse("alarms:alarm_list")).status_code,
        _statuses(client, lambda s: reverse("alarms:alarm_detail", args=[world.alarm[s]])),
        _statuses(
            client,
            lambda s: reverse("alarms:alarm_step", args=[world.alarm[s], "on_scene"]),
            method="post",
        ),
        client.get(reverse("alarms:test_window_list")).status_code,
        client.get(reverse("alarms:test_window_create")).status_code,
        client.get(reverse("alarms:device_list")).status_code,
        _statuses(client, lambda s: reverse("alarms:device_detail", args=[world.device[s]])),
    )
    assert got == PAGES[user]
    # The exports follow their lists.
    assert client.get(reverse("alarms:alarm_export")).status_code == PAGES[user][0]
    assert client.get(reverse("alarms:test_window_export")).status_code == PAGES[user][3]


def test_the_lists_show_only_the_jurisdictions_records(world, client_for):
    for user, shown in (
        ("officer_a", {"a"}),
        ("officer_b", {"b"}),
        ("commander", {"a", "b"}),
        ("edu_officer", {"a"}),
        ("chief", {"a"}),
        ("outsider", set()),
    ):
        client = client_for(user)
        page = client.get(reverse("alarms:alarm_list")).content.decode()
        assert {s for s in "ab" if f'data-alarm="{world.alarm[s]}"' in page} == shown, user
        rows = client.get(f"{API}/alarms").json()["items"]
        assert {r["id"] for r in rows} == {world.alarm[s] for s in shown}, user
        windows = client.get(f"{API}/alarm-test-windows").json()["items"]
        assert len(windows) == len(shown), user


def test_the_school_and_the_bureau_see_the_record_without_police_details(world, client_for):
    url = reverse("alarms:alarm_detail", args=[world.alarm["a"]])
    police = client_for("officer_a").get(url).content.decode()
    assert "机密巡逻组" in police and 'data-testid="acknowledge"' not in police
    assert 'data-testid="on-scene"' in police
    for user in ("edu_officer", "chief"):
        page = client_for(user).get(url).content.decode()
        assert "机密巡逻组" not in page, user
        assert 'data-testid="dispatched-at"' in page  # the time itself is shown
        assert 'id="alarm-actions"' not in page, user
        detail = client_for(user).get(f"{API}/alarms/{world.alarm['a']}").json()
        assert detail["dispatched_at"] is not None
        assert detail["dispatch_unit"] is None and detail["acknowledged_by"] is None
        assert detail["allowed_actions"] == []
    assert (
        client_for("officer_a").get(f"{API}/alarms/{world.alarm['a']}").json()["dispatch_unit"]
        == "机密巡逻组"
    )


# user: (list, detail a/b/missing, transitions a/b/missing, windows list, window create)
API_ROWS = {
    "officer_a": (200, (200, 404, 404), (200, 404, 404), 200, 201),
    "officer_b": (200, (404, 200, 404), (404, 200, 404), 200, 400),
    "commander": (200, (200, 200, 404), (200, 200, 404), 200, 403),
    "edu_officer": (200, (200, 404, 404), (403, 403, 403), 200, 403),
    "chief": (200, (200, 404, 404), (403, 403, 403), 200, 201),
    "guard": (200, (200, 404, 404), (403, 403, 403), 200, 403),
    "volunteer": (403, (403, 403, 403), (403, 403, 403), 403, 403),
    "auditor": (403, (403, 403, 403), (403, 403, 403), 403, 403),
    "outsider": (200, (404, 404, 404), (403, 403, 403), 200, 400),
    "admin": (200, (200, 200, 404), (403, 403, 403), 200, 403),
}


@pytest.mark.parametrize("user", API_ROWS)
def test_each_user_gets_the_api_of_their_jurisdiction(world, client_for, people, user):
    client = client_for(user)
    start = timezone.now() + dt.timedelta(days=2)
    window = {
        "school_id": world.windows[0].school_id,  # school_a's
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
    }
    got = (
        client.get(f"{API}/alarms").status_code,
        _statuses(client, lambda s: f"{API}/alarms/{world.alarm[s]}"),
        _statuses(
            client,
            lambda s: f"{API}/alarms/{world.alarm[s]}/transitions",
            method="post",
            data={"action": "on_scene"},
        ),
        client.get(f"{API}/alarm-test-windows").status_code,
        client.post(
            f"{API}/alarm-test-windows", window, content_type="application/json"
        ).status_code,
    )
    assert got == API_ROWS[user]


def test_anonymous_callers_sign_in_first(world):
    client = Client()
    page = client.get(reverse("alarms:alarm_detail", args=[world.alarm["a"]]))
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert client.get(f"{API}/alarms").status_code == 401
    assert (
        client.post(
            f"{API}/alarms/{world.alarm['a']}/transitions",
            {"action": "acknowledge"},
            content_type="application/json",
        ).status_code
        == 401
    )


def test_the_credential_page_shows_a_secret_once_and_rotates_it(world, client_for, devices):
    client = client_for("officer_a")
    device = devices[0]
    page = client.get(reverse("alarms:device_detail", args=[device.device.pk])).content.decode()
    assert device.secret not in page and device.credential.code in page
    again = client.post(reverse("alarms:device_issue", args=[device.device.pk]), {"place": "x"})
    assert again.status_code == 400 and "更换密钥" in again.content.decode()
    rotated = client.post(reverse("alarms:device_rotate", args=[device.device.pk]))
    assert rotated.status_code == 200
    assert "no-store" in rotated["Cache-Control"]
    device.credential.refresh_from_db()
    assert device.credential.secret in rotated.content.decode()
    later = client.get(reverse("alarms:device_detail", args=[device.device.pk])).content.decode()
    assert device.credential.secret not in later
    assert (
        client_for("officer_b")
        .post(reverse("alarms:device_rotate", args=[device.device.pk]))
        .status_code
        == 404
    )


def test_a_device_without_a_credential_gets_one_issued(schools, client_for):
    from huxiao.schools import services as school_services

    device = school_services.device_create(school=schools[0], kind="one_key_alarm")
    client = client_for("officer_a")
    issued = client.post(reverse("alarms:device_issue", args=[device.pk]), {"place": "行政楼"})
    assert issued.status_code == 200
    credential = DeviceCredential.objects.get(device=device)
    assert credential.place == "行政楼"
    assert credential.secret in issued.content.decode()
    camera = school_services.device_create(school=schools[0], kind="camera")
    assert client.post(reverse("alarms:device_issue", args=[camera.pk])).status_code == 404


def test_the_chief_registers_a_test_window_for_the_own_school_only(world, client_for, schools):
    client = client_for("chief")
    start = timezone.localtime() + dt.timedelta(hours=2)
    data = {
        "school": schools[0].pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "note": "季度测试",
    }
    assert client.post(reverse("alarms:test_window_create"), data).status_code == 302
    other = client.post(reverse("alarms:test_window_create"), data | {"school": schools[1].pk})
    assert other.status_code == 400
    too_long = data | {"ends_at": (start + dt.timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")}
    refused = client.post(reverse("alarms:test_window_create"), too_long)
    assert refused.status_code == 400 and "24" in refused.content.decode()
