"""Check-in pages: the phone page (posts of the scope or of a volunteer's own shifts, today's
windows with the current one marked, the person's shifts and check-ins with their proof), a
QR sign's confirmation (a GET never writes) and a supervisor's 补录, with the permissions of
every role and the page's query count pinned."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from huxiao.core.models import AuditRecord
from huxiao.patrols import services
from huxiao.patrols.models import CheckIn
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import SCHOOL_DAY, local, offset
from .test_api_checkins import clock  # noqa: F401 (the fixture)

# The server's clock: 07:20 on a school day, inside 上学.
pytestmark = pytest.mark.usefixtures("clock")

PAGE = "/patrols/checkin/"
MANUAL = "/patrols/checkin/manual/"


def record(post, user, hh, mm, metres=0, **kw):
    lat, lon = offset(post.latitude, post.longitude, metres)
    at = local(SCHOOL_DAY, hh, mm)
    checkin, _created = services.checkin_record(
        post=post,
        user=user,
        at=at,
        latitude=lat,
        longitude=lon,
        accuracy_m=8,
        now=at + dt.timedelta(minutes=1),
        **kw,
    )
    return checkin


def cards(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-post-card data-post-id="(\d+)"', html)]


# ---- the phone page ------------------------------------------------------------------------------


def test_it_shows_the_guard_the_schools_posts_with_the_current_window(posts, client_for):
    post_a, _post_b = posts
    response = client_for("guard").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert cards(html) == [post_a.pk]
    assert "南门护学岗" in html and "甲小学" in html
    assert re.search(r'data-now="true">上学 07:00–08:30 · 当前<', html)
    assert "放学 16:00–18:00<" in html
    assert 'data-api="/api/v1/checkins"' in html and 'data-csrf="' in html
    assert "huxiao/js/checkin.js" in html and 'data-testid="pending-count"' in html
    assert f'href="{MANUAL}"' not in html  # 补录 is the supervisor's
    assert_csp_clean(html, PAGE)


def test_it_answers_each_role_on_the_page(posts, client, client_for):
    post_a, post_b = posts
    assert client.get(PAGE).status_code == 302
    assert client.get(PAGE)["Location"].startswith(reverse("core:login"))
    for name in ("edu_officer", "commander", "auditor"):
        assert client_for(name).get(PAGE).status_code == 403, name
    assert cards(client_for("officer_a").get(PAGE).content.decode()) == [post_a.pk]
    assert cards(client_for("officer_b").get(PAGE).content.decode()) == [post_b.pk]
    assert cards(client_for("outsider").get(PAGE).content.decode()) == []
    chief = client_for("chief").get(PAGE).content.decode()
    assert cards(chief) == [post_a.pk] and f'href="{MANUAL}"' in chief


def test_it_shows_a_volunteer_only_the_posts_of_this_weeks_own_shifts(posts, people, client_for):
    post_a, post_b = posts
    volunteer = client_for("volunteer")
    html = volunteer.get(PAGE).content.decode()
    assert cards(html) == [] and 'data-testid="no-posts"' in html
    services.shift_bulk_create(
        post=post_b,
        start=SCHOOL_DAY + dt.timedelta(days=14),
        end=SCHOOL_DAY + dt.timedelta(days=14),
        windows=["am"],
        people=[people.volunteer],
    )
    assert cards(volunteer.get(PAGE).content.decode()) == []  # not this week
    services.shift_bulk_create(
        post=post_a, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["pm"], people=[people.volunteer]
    )
    html = volunteer.get(PAGE).content.decode()
    assert cards(html) == [post_a.pk]
    assert 'data-testid="has-shift"' in html and "我的排班：放学" in html


def test_it_lists_todays_own_check_ins_with_proof_and_verdict(posts, people, client_for):
    post_a = posts[0]
    # One valid check-in a person, post and window: a try from too far then a valid one (上学),
    # a QR scan in 放学, and a supervisor's entry at the school's other post.
    north = services.post_create(
        school=post_a.school,
        name="北门护学岗",
        latitude=post_a.latitude,
        longitude=post_a.longitude,
    )
    record(post_a, people.guard, 7, 2, metres=500)
    record(post_a, people.guard, 7, 5, metres=30)
    record(
        post_a, people.guard, 16, 8, proof="qr", qr_token=services.post_qr_token(post_a, SCHOOL_DAY)
    )
    record(north, people.guard, 7, 9, proof="manual", recorded_by=people.chief)
    record(post_a, people.chief, 7, 10)  # someone else's: not on the guard's card
    html = client_for("guard").get(PAGE).content.decode()
    rows = re.findall(r'<li class="list-group-item px-0" data-checkin="(\d+)"', html)
    assert len(rows) == 4
    assert html.count('data-testid="checkin-valid"') == 3
    assert html.count('data-testid="checkin-invalid"') == 1
    assert "距岗点 500 米，超出打卡范围（100 米）。" in html
    assert 'data-proof="qr">岗点二维码 · 强<' in html
    assert 'data-proof="manual">负责人补录 · 弱<' in html
    assert 'data-proof="gps">GPS定位<' in html
    assert "chief 补录" in html


def test_it_renders_the_page_in_a_fixed_number_of_queries(
    pschools, posts, people, client_for, django_assert_num_queries
):
    guard = client_for("guard")
    record(posts[0], people.guard, 7, 1)
    guard.get(PAGE)  # warm the session and the calendar's cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        guard.get(PAGE)
    for n in range(8):
        post = services.post_create(
            school=pschools[0],
            name=f"侧门{n}",
            latitude=posts[0].latitude,
            longitude=posts[0].longitude,
        )
        record(post, people.guard, 7, 2 + n)
        services.shift_bulk_create(
            post=post, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.guard]
        )
    with django_assert_num_queries(len(one.captured_queries)):
        html = guard.get(PAGE).content.decode()
    assert len(cards(html)) == 9
    # Posts with the person's shift today come first.
    assert cards(html)[-1] == posts[0].pk


# ---- QR sign -------------------------------------------------------------------------------------


def qr_path(post, day=SCHOOL_DAY):
    return reverse("patrols:checkin_qr", args=[post.pk, services.post_qr_token(post, day)])


def test_it_confirms_a_qr_check_in_before_recording_it(posts, client_for):
    post_a = posts[0]
    guard = client_for("guard")
    page = guard.get(qr_path(post_a))
    assert page.status_code == 200 and not CheckIn.objects.exists()  # a GET never writes
    html = page.content.decode()
    assert 'data-testid="qr-confirm"' in html and "南门护学岗" in html
    assert_csp_clean(html, "qr")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    form = {
        "idempotency_key": key,
        "latitude": "26.580100",
        "longitude": "101.720000",
        "accuracy_m": "9",
    }
    done = guard.post(qr_path(post_a), form)
    assert done.status_code == 302 and done["Location"] == f"{PAGE}#post-{post_a.pk}"
    checkin = CheckIn.objects.get()
    assert (checkin.proof, checkin.is_valid, checkin.distance_m) == ("qr", True, 11)
    again = guard.post(qr_path(post_a), form, follow=True)
    assert CheckIn.objects.count() == 1 and "未重复计数" in again.content.decode()
    shown = guard.get(PAGE).content.decode()
    assert 'data-proof="qr">岗点二维码 · 强<' in shown


def test_it_refuses_yesterdays_qr_code(posts, client_for):
    post_a = posts[0]
    guard = client_for("guard")
    stale = qr_path(post_a, SCHOOL_DAY - dt.timedelta(days=1))
    page = guard.get(stale)
    assert page.status_code == 400 and "二维码无效或已过期" in page.content.decode()
    assert guard.post(stale, {"idempotency_key": "a" * 32}).status_code == 400
    assert not CheckIn.objects.exists()


def test_it_answers_each_role_on_the_qr_page(posts, people, client, client_for):
    post_a = posts[0]
    path = qr_path(post_a)
    assert client.get(path)["Location"].startswith(reverse("core:login"))
    assert client_for("edu_officer").get(path).status_code == 403
    assert client_for("officer_b").get(path).status_code == 404
    assert client_for("volunteer").get(path).status_code == 404
    services.shift_bulk_create(
        post=post_a, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.volunteer]
    )
    assert client_for("volunteer").get(path).status_code == 200
    assert client_for("officer_a").get(path).status_code == 200


# ---- 补录 ------------------------------------------------------------------------------------------


def test_it_lets_a_supervisor_record_a_manual_check_in(posts, people, client_for):
    post_a, post_b = posts
    chief = client_for("chief")
    page = chief.get(MANUAL)
    assert page.status_code == 200
    html = page.content.decode()
    assert_csp_clean(html, MANUAL)
    assert f'value="{post_a.pk}"' in html and f'value="{post_b.pk}"' not in html
    assert f'value="{people.guard.pk}"' in html and f'value="{people.chief.pk}"' not in html
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    form = {
        "idempotency_key": key,
        "post": post_a.pk,
        "person": people.guard.pk,
        "at": "2026-11-23T07:05",
        "note": "手机无法定位，现场确认到岗",
    }
    done = chief.post(MANUAL, form, follow=True)
    assert (
        done.status_code == 200
        and "guard在南门护学岗打卡有效（负责人补录）" in done.content.decode()
    )
    checkin = CheckIn.objects.get()
    assert (checkin.user, checkin.recorded_by, checkin.proof) == (
        people.guard,
        people.chief,
        "manual",
    )
    assert timezone.localtime(checkin.at).strftime("%H:%M") == "07:05"
    record_ = AuditRecord.objects.get(object_type="patrols.checkin")
    assert record_.after["note"] == "手机无法定位，现场确认到岗" and record_.actor == people.chief
    chief.post(MANUAL, form)  # the same form again: counted once
    assert CheckIn.objects.count() == 1
    # A post out of the supervisor's scope is not a choice; a time over 7 days ago is refused.
    out = chief.post(MANUAL, {**form, "idempotency_key": "b" * 32, "post": post_b.pk})
    assert out.status_code == 400 and CheckIn.objects.count() == 1
    old = chief.post(MANUAL, {**form, "idempotency_key": "c" * 32, "at": "2026-11-01T07:05"})
    assert old.status_code == 400 and "离线打卡超过7天" in old.content.decode()


def test_it_answers_each_role_on_the_manual_page(posts, client, client_for):
    assert client.get(MANUAL)["Location"].startswith(reverse("core:login"))
    for name in ("guard", "volunteer", "edu_officer", "commander"):
        assert client_for(name).get(MANUAL).status_code == 403, name
    for name in ("chief", "officer_a"):
        assert client_for(name).get(MANUAL).status_code == 200, name
