"""Check-in API: who may check in where, the verdict with its distance, idempotency keys (a
re-sent offline check-in counts once), QR and manual proofs, the lists' scope, and the query
count of the hot ``POST /checkins`` pinned."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huxiao.patrols import services
from huxiao.patrols.models import CheckIn, DutyShift

from .conftest import SCHOOL_DAY, local, offset

URL = "/api/v1/checkins"


@pytest.fixture
def clock(monkeypatch):
    """The server's clock at 07:20 on a school day (inside 上学 07:00–08:30); ``set`` moves it.
    Take it before signing in: the session's expiry is counted on this clock."""

    class Clock:
        def __init__(self):
            self.now = local(SCHOOL_DAY, 7, 20).astimezone(dt.UTC)

        def set(self, hh, mm=0, day=SCHOOL_DAY):
            self.now = local(day, hh, mm).astimezone(dt.UTC)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def body(post, metres=0, **extra):
    lat, lon = offset(post.latitude, post.longitude, metres)
    data = {
        "post_id": post.pk,
        "latitude": float(lat),
        "longitude": float(lon),
        "accuracy_m": 12.4,
        "idempotency_key": uuid.uuid4().hex,
        "proof": "gps",
    }
    data.update(extra)
    return data


def post_json(client, data, path=URL):
    return client.post(path, data, content_type="application/json")


# ---- recording -----------------------------------------------------------------------------------


def test_it_records_a_valid_gps_check_in_with_its_distance(clock, posts, people, client_for):
    post_a = posts[0]
    response = post_json(client_for("guard"), body(post_a, metres=30))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["is_valid"] is True and answer["duplicate"] is False
    assert 25 <= answer["distance_m"] <= 35 and answer["accuracy_m"] == 12
    assert (answer["proof"], answer["proof_label"], answer["window"]) == ("gps", "GPS定位", "am")
    assert answer["window_name"] == "上学" and answer["post_name"] == "南门护学岗"
    assert answer["school_name"] == "甲小学" and answer["user_name"] == "guard"
    assert answer["at"].startswith("2026-11-23T07:20") and answer["at"].endswith("+08:00")
    row = CheckIn.objects.get(pk=answer["id"])
    assert (row.user, row.post, row.school_id, row.person_kind) == (
        people.guard,
        post_a,
        post_a.school_id,
        "guard",
    )


def test_it_refuses_500_metres_away_and_says_how_far(clock, posts, client_for):
    response = post_json(client_for("guard"), body(posts[0], metres=500))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["is_valid"] is False and answer["distance_m"] == 500
    assert answer["problem"] == "距岗点 500 米，超出打卡范围（100 米）。"


def test_it_counts_a_resent_key_once(clock, posts, people, client_for):
    clock.set(7, 40)  # synced 35 minutes after the phone's fix, keeping the phone's time
    guard = client_for("guard")
    data = body(posts[0], metres=10, at="2026-11-23T07:05:00+08:00", was_offline=True)
    first = post_json(guard, data)
    again = post_json(guard, data)
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["duplicate"] is True and again.json()["is_valid"] is True
    assert CheckIn.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1
    row = CheckIn.objects.get()
    assert row.was_offline and timezone.localtime(row.at).strftime("%H:%M") == "07:05"
    assert timezone.localtime(row.received_at).strftime("%H:%M") == "07:40"
    # Someone else sending the same key is refused, not merged.
    stolen = post_json(client_for("chief"), data)
    assert stolen.status_code == 400 and "幂等键" in stolen.json()["detail"]


def test_it_reads_a_naive_time_as_beijing_time(clock, posts, client_for):
    clock.set(7, 30)
    response = post_json(client_for("guard"), body(posts[0], at="2026-11-23T07:25:00"))
    assert response.status_code == 201, response.content
    assert response.json()["at"] == "2026-11-23T07:25:00+08:00"


def test_it_refuses_what_the_service_refuses_in_chinese(clock, posts, client_for):
    guard = client_for("guard")
    future = post_json(guard, body(posts[0], at="2026-11-23T09:00:00+08:00"))
    assert future.status_code == 400 and future.json()["detail"] == "打卡时间晚于当前时间。"
    stale = post_json(guard, body(posts[0], at="2026-11-10T07:25:00+08:00"))
    assert stale.status_code == 400 and "超过7天" in stale.json()["detail"]
    half = post_json(guard, {**body(posts[0]), "longitude": None})
    assert half.status_code == 400 and "纬度和经度" in half.json()["detail"]
    bad_proof = post_json(guard, body(posts[0], proof="face"))
    assert bad_proof.status_code == 400 and bad_proof.json()["detail"] == "证明方式不正确。"
    missing = post_json(guard, {"latitude": 26.58, "longitude": 101.72})
    assert missing.status_code == 422 and "post_id" in missing.json()["detail"]
    garbage = guard.post(URL, "{not json", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["detail"] == "请求体不是有效的JSON。"
    assert not CheckIn.objects.exists()


def test_it_refuses_an_inactive_post(clock, posts, client_for):
    services.post_update(post=posts[0], is_active=False)
    response = post_json(client_for("guard"), body(posts[0]))
    assert response.status_code == 400 and "停用" in response.json()["detail"]


# ---- who may check in where ------------------------------------------------------------------------


def test_it_answers_by_role_and_jurisdiction(clock, posts, people, client, client_for):
    post_a = posts[0]
    assert post_json(client, body(post_a)).status_code == 401
    for name in ("edu_officer", "commander", "auditor"):
        assert post_json(client_for(name), body(post_a)).status_code == 403, name
    for name in ("officer_b", "outsider"):
        answer = post_json(client_for(name), body(post_a))
        assert answer.status_code == 404, name
        assert answer.json()["detail"] == "对象不存在，或不在您的数据范围内。"
    for name in ("officer_a", "chief", "guard"):
        assert post_json(client_for(name), body(post_a)).status_code == 201, name
    assert post_json(client_for("officer_b"), body(posts[1])).status_code == 201
    assert CheckIn.objects.count() == 4


def test_it_lets_a_volunteer_check_in_only_at_own_shifts_posts(clock, posts, people, client_for):
    post_a, post_b = posts
    volunteer = client_for("volunteer")
    assert post_json(volunteer, body(post_a)).status_code == 404
    services.shift_bulk_create(
        post=post_a, start=SCHOOL_DAY, end=SCHOOL_DAY, windows=["am"], people=[people.volunteer]
    )
    answer = post_json(volunteer, body(post_a, metres=20))
    assert answer.status_code == 201, answer.content
    row = CheckIn.objects.get(pk=answer.json()["id"])
    assert row.person_kind == "volunteer" and row.shift == DutyShift.objects.get()
    assert post_json(volunteer, body(post_b)).status_code == 404


# ---- QR and manual proofs --------------------------------------------------------------------------


def test_it_takes_todays_qr_code_as_proof(clock, posts, client_for):
    post_a = posts[0]
    guard = client_for("guard")
    token = services.post_qr_token(post_a, SCHOOL_DAY)
    scan = post_json(guard, body(post_a, metres=700, proof="qr", qr_token=token))
    assert scan.status_code == 201 and scan.json()["is_valid"] is True
    assert scan.json()["proof_label"] == "岗点二维码"
    old = services.post_qr_token(post_a, SCHOOL_DAY - dt.timedelta(days=1))
    stale = post_json(guard, body(post_a, proof="qr", qr_token=old))
    assert stale.status_code == 400 and "二维码无效" in stale.json()["detail"]


def test_it_records_a_manual_check_in_only_with_record_checkin(clock, posts, people, client_for):
    post_a = posts[0]
    manual = {"post_id": post_a.pk, "proof": "manual", "user_id": people.guard.pk}
    assert post_json(client_for("guard"), manual).status_code == 403
    chief = client_for("chief")
    no_person = post_json(chief, {"post_id": post_a.pk, "proof": "manual"})
    assert no_person.status_code == 400 and "被补录人" in no_person.json()["detail"]
    outsider = post_json(chief, {**manual, "user_id": people.officer_b.pk})
    assert outsider.status_code == 400 and "不在您的数据范围内" in outsider.json()["detail"]
    recorded = post_json(chief, manual)
    assert recorded.status_code == 201, recorded.content
    answer = recorded.json()
    assert (answer["proof"], answer["user_id"], answer["recorded_by_id"]) == (
        "manual",
        people.guard.pk,
        people.chief.pk,
    )
    assert answer["recorded_by_name"] == "chief" and answer["distance_m"] is None
    assert answer["is_valid"] is True


# ---- reading -------------------------------------------------------------------------------------


def _record(post, user, hh, mm, metres=0, **kw):
    lat, lon = offset(post.latitude, post.longitude, metres)
    at = local(SCHOOL_DAY, hh, mm)
    checkin, _created = services.checkin_record(
        post=post,
        user=user,
        at=at,
        latitude=lat,
        longitude=lon,
        accuracy_m=10,
        now=at + dt.timedelta(minutes=1),
        **kw,
    )
    return checkin


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["items"])
    return [row["id"] for row in data["items"]]


def test_it_lists_check_ins_in_scope_or_ones_own(clock, posts, people, client, client_for):
    post_a, post_b = posts
    far = _record(post_a, people.guard, 7, 5, metres=400)  # then a valid one: both stay
    mine = _record(post_a, people.guard, 7, 10)
    chiefs = _record(post_a, people.chief, 7, 20)
    other = _record(post_b, people.officer_b, 7, 5)
    assert client.get(URL).status_code == 401
    assert set(ids(client_for("officer_a").get(URL))) == {mine.pk, far.pk, chiefs.pk}
    assert set(ids(client_for("edu_officer").get(URL))) == {mine.pk, far.pk, chiefs.pk}
    assert ids(client_for("officer_b").get(URL)) == [other.pk]
    assert set(ids(client_for("commander").get(URL))) == {mine.pk, far.pk, chiefs.pk, other.pk}
    # The guard only checks in: their own, newest first.
    assert ids(client_for("guard").get(URL)) == [mine.pk, far.pk]
    assert client_for("auditor").get(URL).status_code == 403
    officer = client_for("officer_a")
    assert ids(officer.get(URL, {"valid": "false"})) == [far.pk]
    assert ids(officer.get(URL, {"user": people.chief.pk})) == [chiefs.pk]
    assert ids(officer.get(URL, {"date": "2026-11-22"})) == []
    assert set(ids(officer.get(URL, {"school": post_a.school_id, "proof": "gps"}))) == {
        mine.pk,
        far.pk,
        chiefs.pk,
    }
    assert officer.get(URL, {"proof": "face"}).status_code == 400
    detail = officer.get(f"{URL}/{far.pk}")
    assert detail.status_code == 200 and detail.json()["distance_m"] == 400
    assert client_for("officer_b").get(f"{URL}/{far.pk}").status_code == 404
    assert client_for("guard").get(f"{URL}/{chiefs.pk}").status_code == 404


def test_it_lists_check_ins_in_a_fixed_number_of_queries(
    clock, posts, people, client_for, django_assert_num_queries
):
    officer = client_for("officer_a")
    _record(posts[0], people.guard, 7, 1)
    officer.get(URL)  # warm the session and the permission caches of the first request
    # session, user, role, the page, the count, the session's save
    with CaptureQueriesContext(connection) as one:
        assert len(ids(officer.get(URL))) == 1
    for n in range(30):  # tries from too far: one person has one valid check-in a window
        _record(posts[0], people.chief if n % 2 else people.officer_a, 7, 2 + n, metres=400)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(ids(officer.get(URL, {"limit": 50}))) == 31


def test_it_pins_the_queries_of_a_check_in(clock, posts, people, client_for):
    """The hot path: what the endpoint adds to the request's session and user loading is the
    scoped post (1) and the INSERT (1, in a savepoint: the test's transaction), which finds the
    planned shift itself; a new key is not looked up first (the unique index refuses a
    re-send, see the next test)."""
    guard = client_for("guard")
    # Warms the calendar's cache, as a running server has (a try from too far: the measured
    # check-in is then the guard's first valid one in the window, not a second one).
    post_json(guard, body(posts[0], metres=500))
    with CaptureQueriesContext(connection) as queries:
        assert post_json(guard, body(posts[0], metres=5)).status_code == 201
    sql = [q["sql"] for q in queries.captured_queries]
    ours = [s for s in sql if "patrols_" in s]
    assert len(ours) == 2, "\n".join(ours)
    assert ours[0].startswith("SELECT") and "patrols_guardpost" in ours[0]
    assert ours[1].startswith("INSERT INTO") and "patrols_checkin" in ours[1]
    assert "patrols_dutyshift" in ours[1]
    assert not any("auth_permission" in s or "auth_group" in s for s in sql), "\n".join(sql)
    assert len(sql) == PINNED_REQUEST_QUERIES, "\n".join(sql)


def test_a_re_sent_key_costs_the_refused_insert_and_one_read(clock, posts, people, client_for):
    guard = client_for("guard")
    data = body(posts[0], metres=5)
    first = post_json(guard, data)
    with CaptureQueriesContext(connection) as queries:
        again = post_json(guard, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"] is True
    ours = [q["sql"] for q in queries.captured_queries if "patrols_checkin" in q["sql"]]
    assert [s.split(" ", 1)[0] for s in ours] == ["INSERT", "SELECT"], "\n".join(ours)
    assert CheckIn.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1


# The whole request with the page's session: the session (1), the user with its role and the
# organisation the scope starts from (1, core.backends.RoleBackend); then ours: the post (1), the
# INSERT with the shift's subquery in its savepoint (3). The session is not saved again within a
# minute of its last save (core.middleware.SessionIdleMiddleware). Django's per-user and
# per-group permission tables are not read (roles carry the permissions).
PINNED_REQUEST_QUERIES = 6
