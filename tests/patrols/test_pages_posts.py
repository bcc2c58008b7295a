"""The 护学岗 pages: list (map, filters, export), detail (map, today's duty, QR sign), create and
edit (windows editor, staffing, 护学通道 drawn on the map), for every role.

officer_a (station 01) works post_a; officer_b (station 02) gets 404 on it and never sees it
listed; edu_officer reads it but may create or change nothing; the chief (school_a) edits
school_a's post but not school_b's and creates none; the guard reads and edits nothing; the
volunteer (仅本人) may not open post pages; anonymous visitors go to the sign-in page.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.patrols import services, views_posts
from huxiao.patrols.models import DutyShift, GuardPost
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import GATE_A, SCHOOL_DAY, local, offset

# A small 护学通道 around school_a's gate: about 200 m × 200 m, drawn anticlockwise.
CORRIDOR = [
    [101.719, 26.579],
    [101.721, 26.579],
    [101.721, 26.581],
    [101.719, 26.581],
]
BOW_TIE = [[101.719, 26.579], [101.721, 26.581], [101.721, 26.579], [101.719, 26.581]]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages' today is a school day (Monday 2026-11-23), whatever the machine's clock says."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: SCHOOL_DAY)
    return SCHOOL_DAY


def form_data(school=None, **changes) -> dict:
    data = {
        "name": "东门护学岗",
        "kind": "fixed",
        "latitude": str(GATE_A[0]),
        "longitude": str(GATE_A[1]),
        "radius_m": "120",
        "staff_police": "1",
        "staff_auxiliary": "0",
        "staff_guard": "2",
        "staff_volunteer": "3",
        "is_active": "on",
        "corridor": "",
        "window_code_0": "am",
        "window_name_0": "上学",
        "window_start_0": "07:00",
        "window_end_0": "08:30",
        "window_code_1": "pm",
        "window_name_1": "放学",
        "window_start_1": "16:00",
        "window_end_1": "18:00",
    }
    if school is not None:
        data["school"] = school.pk
    data.update(changes)
    return data


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def map_points(html: str) -> list[dict]:
    raw = re.search(r'data-points="([^"]*)"', html).group(1)
    return json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("commander", 200),
        ("edu_officer", 200),
        ("chief", 200),
        ("guard", 200),
        ("officer_b", 404),
        ("outsider", 404),
        ("volunteer", 403),
        ("auditor", 403),
    ],
)
def test_it_answers_each_role_on_a_post_page(client_for, posts, who, status):
    post_a, _ = posts
    response = client_for(who).get(reverse("patrols:post_detail", args=[post_a.pk]))
    assert response.status_code == status
    if status == 200:
        assert post_a.name in response.content.decode()


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("officer_a", {"南门护学岗"}),
        ("officer_b", {"正门护学岗"}),
        ("commander", {"南门护学岗", "正门护学岗"}),
        ("edu_officer", {"南门护学岗"}),
        ("chief", {"南门护学岗"}),
        ("guard", {"南门护学岗"}),
        ("outsider", set()),
    ],
)
def test_it_lists_maps_and_exports_only_posts_in_scope(client_for, posts, who, listed):
    client = client_for(who)
    html = client.get(reverse("patrols:post_list")).content.decode()
    shown = {p.name for p in posts if f'data-post="{p.pk}"' in html}
    assert shown == listed
    assert {p["name"].split(" · ")[1] for p in map_points(html)} == listed
    rows = xlsx_rows(client.get(reverse("patrols:post_export")))
    assert {r[1] for r in rows[1:]} == listed


@pytest.mark.parametrize("who", ["volunteer", "auditor"])
def test_it_refuses_the_list_and_export_to_roles_without_posts(client_for, posts, who):
    client = client_for(who)
    for url in (
        reverse("patrols:post_list"),
        reverse("patrols:post_export"),
        reverse("patrols:post_create"),
    ):
        assert client.get(url).status_code == 403, url


def test_it_sends_anonymous_visitors_to_sign_in(client, posts):
    post_a, _ = posts
    for url in (
        reverse("patrols:post_list"),
        reverse("patrols:post_export"),
        reverse("patrols:post_create"),
        reverse("patrols:post_detail", args=[post_a.pk]),
        reverse("patrols:post_edit", args=[post_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("core:login")), url
    response = client.post(reverse("patrols:post_create"), form_data())
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


@pytest.mark.parametrize(
    ("who", "create", "edit_a", "edit_b"),
    [
        ("officer_a", 200, 200, 404),
        ("officer_b", 200, 404, 200),
        ("chief", 403, 200, 404),
        ("edu_officer", 403, 403, 403),
        ("guard", 403, 403, 403),
        ("volunteer", 403, 403, 403),
        ("commander", 403, 403, 403),
    ],
)
def test_it_lets_only_those_who_run_posts_create_and_edit(
    client_for, posts, who, create, edit_a, edit_b
):
    post_a, post_b = posts
    client = client_for(who)
    assert client.get(reverse("patrols:post_create")).status_code == create
    assert client.get(reverse("patrols:post_edit", args=[post_a.pk])).status_code == edit_a
    assert client.get(reverse("patrols:post_edit", args=[post_b.pk])).status_code == edit_b
    # and the same answer when they post
    response = client.post(reverse("patrols:post_edit", args=[post_b.pk]), form_data(name="改名"))
    assert response.status_code == (302 if edit_b == 200 else edit_b)


def test_it_shows_no_edit_or_create_buttons_to_readers(client_for, posts):
    post_a, _ = posts
    for who in ("edu_officer", "guard"):
        client = client_for(who)
        assert (
            'data-testid="new-post"'
            not in client.get(reverse("patrols:post_list")).content.decode()
        )
        html = client.get(reverse("patrols:post_detail", args=[post_a.pk])).content.decode()
        assert 'data-testid="edit-post"' not in html
    html = (
        client_for("chief").get(reverse("patrols:post_detail", args=[post_a.pk])).content.decode()
    )
    assert 'data-testid="edit-post"' in html


# ---- the QR sign -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("officer_a", True),
        ("chief", True),
        ("guard", False),
        ("edu_officer", False),
        ("commander", False),
    ],
)
def test_it_shows_todays_qr_sign_only_to_those_who_run_the_post(client_for, posts, who, shown):
    post_a, _ = posts
    html = client_for(who).get(reverse("patrols:post_detail", args=[post_a.pk])).content.decode()
    token = services.post_qr_token(post_a, SCHOOL_DAY)
    assert ('data-testid="qr-code"' in html) is shown
    assert (f"/patrols/checkin/qr/{post_a.pk}/{token}/" in html) is shown
    if shown:
        sign = html.split('data-testid="qr-code"', 1)[1]
        assert "<svg" in sign.split("</svg>", 1)[0]
        assert "http://testserver/patrols/checkin/qr/" in html  # an absolute URL for the phone
        assert "2026-11-23" in html
        # the code encodes exactly the check-in page's URL with today's token
        path = reverse("patrols:checkin_qr", args=[post_a.pk, token])
        assert views_posts.qr_svg("http://testserver" + path) in html


def test_it_points_the_qr_sign_at_the_check_in_page(client_for, posts):
    post_a, _ = posts
    path = reverse(
        "patrols:checkin_qr", args=[post_a.pk, services.post_qr_token(post_a, SCHOOL_DAY)]
    )
    assert (
        path
        in client_for("chief")
        .get(reverse("patrols:post_detail", args=[post_a.pk]))
        .content.decode()
    )
    assert client_for("guard").get(path).status_code == 200


def test_it_changes_the_qr_code_every_day(posts):
    post_a, _ = posts
    tomorrow = SCHOOL_DAY + dt.timedelta(days=1)
    assert services.post_qr_token(post_a, SCHOOL_DAY) != services.post_qr_token(post_a, tomorrow)


# ---- today's duty on the detail page -----------------------------------------------------------


def test_it_shows_todays_shifts_and_checkins_with_their_proof(client_for, posts, people):
    post_a, _ = posts
    DutyShift.objects.create(
        post=post_a,
        date=SCHOOL_DAY,
        window="am",
        person=people.guard,
        person_name="门卫老王",
        person_kind="guard",
    )
    near = offset(*GATE_A, 20)
    now = local(SCHOOL_DAY, 7, 40)
    services.checkin_record(
        post=post_a,
        user=people.guard,
        at=local(SCHOOL_DAY, 7, 30),
        latitude=near[0],
        longitude=near[1],
        accuracy_m=10,
        now=now,
    )
    far = offset(*GATE_A, 500)
    services.checkin_record(
        post=post_a,
        user=people.officer_a,
        at=local(SCHOOL_DAY, 7, 35),
        latitude=far[0],
        longitude=far[1],
        accuracy_m=10,
        now=now,
    )
    services.checkin_record(  # the guard is checked in already: the volunteer is recorded
        post=post_a,
        user=people.volunteer,
        at=local(SCHOOL_DAY, 7, 36),
        proof="manual",
        recorded_by=people.chief,
        now=now,
    )
    html = (
        client_for("officer_a")
        .get(reverse("patrols:post_detail", args=[post_a.pk]))
        .content.decode()
    )
    assert "门卫老王" in html
    assert html.count('data-proof="gps"') == 2 and html.count('data-proof="manual"') == 1
    assert "距岗点 500 米" in html and "超出打卡范围" in html
    assert "补录" in html
    # the guard sees the roster but not the check-ins (no view_checkin)
    html = (
        client_for("guard").get(reverse("patrols:post_detail", args=[post_a.pk])).content.decode()
    )
    assert "门卫老王" in html and 'id="today-checkins"' not in html


def test_it_says_when_today_is_not_a_school_day(client_for, posts, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 1))
    post_a, _ = posts
    html = (
        client_for("officer_a")
        .get(reverse("patrols:post_detail", args=[post_a.pk]))
        .content.decode()
    )
    assert 'data-testid="not-school-day"' in html


# ---- create and edit ---------------------------------------------------------------------------


def test_it_creates_a_post_with_a_corridor_drawn_on_the_map(client_for, posts, pschools):
    school_a, _ = pschools
    data = form_data(school_a, corridor=json.dumps(CORRIDOR), is_pilot="on", kind="peak")
    response = client_for("officer_a").post(reverse("patrols:post_create"), data)
    assert response.status_code == 302
    post = GuardPost.objects.get(name="东门护学岗")
    assert response.url == reverse("patrols:post_detail", args=[post.pk])
    assert post.school == school_a and post.kind == "peak" and post.is_pilot and post.is_active
    assert post.corridor == CORRIDOR
    assert post.radius_m == 120
    assert post.staffing == {"police": 1, "auxiliary": 0, "guard": 2, "volunteer": 3}
    assert post.windows == [
        {"code": "am", "name": "上学", "start": "07:00", "end": "08:30"},
        {"code": "pm", "name": "放学", "start": "16:00", "end": "18:00"},
    ]
    assert post.qr_secret
    html = client_for("officer_a").get(response.url).content.decode()
    assert "已划定（4 个点）" in html and "民警<b>1</b>" in html


@pytest.mark.parametrize(
    ("corridor", "message"),
    [
        (BOW_TIE, "边不能交叉"),
        (CORRIDOR[:2], "至少需要3个点"),
        ("not json", "无法识别"),
        ([[101.719, "x"], [1, 2], [3, 4]], "坐标点的列表"),
        ([[101.719, 95.0], [101.72, 26.58], [101.721, 26.58]], "超出范围"),
        ([[101.819, 26.579], [101.821, 26.579], [101.821, 26.581]], "超过 3000 米"),
    ],
)
def test_it_refuses_a_bad_corridor_in_chinese(client_for, pschools, corridor, message):
    school_a, _ = pschools
    raw = corridor if isinstance(corridor, str) else json.dumps(corridor)
    response = client_for("officer_a").post(
        reverse("patrols:post_create"), form_data(school_a, corridor=raw)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'data-testid="corridor-error"' in html
    assert not GuardPost.objects.filter(name="东门护学岗").exists()
    assert_csp_clean(html, "post_create 400")


def test_it_keeps_the_drawn_corridor_when_the_form_comes_back(client_for, pschools):
    school_a, _ = pschools
    response = client_for("officer_a").post(
        reverse("patrols:post_create"), form_data(school_a, name="", corridor=json.dumps(CORRIDOR))
    )
    assert response.status_code == 400
    assert "101.719" in re.search(r'name="corridor"[^>]*', response.content.decode()).group(0)


def test_it_refuses_a_school_outside_the_scope(client_for, pschools):
    _, school_b = pschools
    response = client_for("officer_a").post(reverse("patrols:post_create"), form_data(school_b))
    assert response.status_code == 400
    assert not GuardPost.objects.filter(name="东门护学岗").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_end_0": "06:30"}, "结束时间应晚于开始时间"),
        ({"window_start_1": "08:00"}, "时间重叠"),
        ({"window_name_1": ""}, "请填写时段名称"),
        ({"window_end_1": ""}, "请填写开始和结束时间"),
        ({"window_start_0": "7点"}, "输入一个有效的时间"),
        (
            {
                "window_name_0": "",
                "window_start_0": "",
                "window_end_0": "",
                "window_name_1": "",
                "window_start_1": "",
                "window_end_1": "",
            },
            "至少要有一个值守时段",
        ),
        ({"staff_police": "-1"}, "确保该值大于或等于0"),
        ({"radius_m": "5"}, "确保该值大于或等于10"),
        ({"latitude": "126.5"}, "确保该值小于或等于90"),
    ],
)
def test_it_checks_the_windows_and_staffing(client_for, pschools, changes, message):
    school_a, _ = pschools
    response = client_for("officer_a").post(
        reverse("patrols:post_create"), form_data(school_a, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GuardPost.objects.filter(name="东门护学岗").exists()


def test_it_edits_windows_keeping_their_codes_and_naming_new_ones(client_for, posts):
    post_a, _ = posts
    data = form_data(
        name="南门护学岗（改）",
        window_name_0="早高峰",
        window_start_0="06:50",
        window_code_2="",
        window_name_2="午间",
        window_start_2="11:30",
        window_end_2="12:30",
    )
    response = client_for("chief").post(reverse("patrols:post_edit", args=[post_a.pk]), data)
    assert response.status_code == 302
    post_a.refresh_from_db()
    assert post_a.name == "南门护学岗（改）"
    assert post_a.windows == [
        {"code": "am", "name": "早高峰", "start": "06:50", "end": "08:30"},
        {"code": "w1", "name": "午间", "start": "11:30", "end": "12:30"},
        {"code": "pm", "name": "放学", "start": "16:00", "end": "18:00"},
    ]


def test_it_keeps_every_window_of_a_post_with_more_than_the_editor_shows(client_for, posts):
    post_a, _ = posts
    windows = [
        {
            "code": f"w{n}",
            "name": f"时段{n}",
            "start": f"{6 + 3 * n:02d}:00",
            "end": f"{7 + 3 * n:02d}:00",
        }
        for n in range(5)
    ]
    services.post_update(post=post_a, windows=windows)
    client = client_for("officer_a")
    html = client.get(reverse("patrols:post_edit", args=[post_a.pk])).content.decode()
    assert 'name="window_name_4"' in html
    data = form_data(name=post_a.name)
    for n, w in enumerate(windows):
        data.update(
            {
                f"window_code_{n}": w["code"],
                f"window_name_{n}": w["name"],
                f"window_start_{n}": w["start"],
                f"window_end_{n}": w["end"],
            }
        )
    assert client.post(reverse("patrols:post_edit", args=[post_a.pk]), data).status_code == 302
    post_a.refresh_from_db()
    assert post_a.windows == windows


def test_it_shows_the_stored_post_in_the_edit_form(client_for, posts):
    post_a, _ = posts
    services.post_update(post=post_a, corridor=CORRIDOR, staffing={"police": 2, "volunteer": 1})
    html = (
        client_for("officer_a").get(reverse("patrols:post_edit", args=[post_a.pk])).content.decode()
    )
    assert 'name="window_name_0" value="上学"' in html.replace(' maxlength="16"', "")
    assert 'value="07:00"' in html and 'value="18:00"' in html
    assert re.search(r'name="staff_police"[^>]*value="2"', html)
    assert re.search(r'name="staff_guard"[^>]*value="0"', html)
    assert 'data-hx-map="editor"' in html and "101.719" in html
    assert 'name="school"' not in html  # a post stays at its school


def test_it_clears_the_corridor_when_the_drawing_is_cleared(client_for, posts):
    post_a, _ = posts
    services.post_update(post=post_a, corridor=CORRIDOR)
    response = client_for("officer_a").post(
        reverse("patrols:post_edit", args=[post_a.pk]), form_data(name=post_a.name, corridor="")
    )
    assert response.status_code == 302
    post_a.refresh_from_db()
    assert post_a.corridor is None


# ---- the list ----------------------------------------------------------------------------------


def test_it_filters_the_list(client_for, posts, pschools):
    post_a, _ = posts
    school_a, _ = pschools
    services.post_update(post=post_a, corridor=CORRIDOR, is_pilot=True)
    other = services.post_create(
        school=school_a,
        name="北门护学岗",
        latitude=GATE_A[0] + Decimal("0.002"),
        longitude=GATE_A[1],
        kind="peak",
        is_active=False,
    )
    client = client_for("officer_a")

    def listed(**query):
        html = client.get(reverse("patrols:post_list"), query).content.decode()
        return {p.name for p in (post_a, other) if f'data-post="{p.pk}"' in html}

    assert listed() == {"南门护学岗", "北门护学岗"}
    assert listed(corridor="1") == {"南门护学岗"}
    assert listed(corridor="0") == {"北门护学岗"}
    assert listed(pilot="1") == {"南门护学岗"}
    assert listed(active="0") == {"北门护学岗"}
    assert listed(kind="peak") == {"北门护学岗"}
    assert listed(q="北门") == {"北门护学岗"}
    assert listed(school=school_a.pk) == {"南门护学岗", "北门护学岗"}
    assert listed(station=school_a.organization.parent_id) == {"南门护学岗", "北门护学岗"}
    # a school outside the scope makes the filter invalid: nothing, never everything
    assert listed(school=pschools[1].pk) == set()


def test_it_exports_the_columns_on_screen(client_for, posts):
    post_a, _ = posts
    services.post_update(post=post_a, staffing={"police": 1, "guard": 1, "volunteer": 2})
    rows = xlsx_rows(client_for("officer_a").get(reverse("patrols:post_export"), {"q": "南门"}))
    header, row = rows[0], rows[1]
    assert header[:9] == [
        "学校",
        "岗位名称",
        "类型",
        "值守时段",
        "人员配置要求",
        "打卡半径（米）",
        "“警校家”试点",
        "护学通道",
        "启用",
    ]
    assert row[:9] == [
        "甲小学",
        "南门护学岗",
        "固定岗",
        "上学 07:00–08:30；放学 16:00–18:00",
        "民警1 辅警0 保安1 志愿者2",
        100,
        "否",
        "否",
        "是",
    ]
    assert len(rows) == 2


def test_it_shows_windows_staffing_and_map_markers_in_the_list(client_for, posts):
    post_a, _ = posts
    services.post_update(post=post_a, corridor=CORRIDOR, is_pilot=True)
    html = client_for("officer_a").get(reverse("patrols:post_list")).content.decode()
    assert "上学 07:00–08:30；放学 16:00–18:00" in html
    assert "民警<b>1</b>" in html and "辅警<b>0</b>" in html
    [point] = map_points(html)
    assert point["status"] == "pilot" and point["corridor"] == CORRIDOR
    assert point["url"] == reverse("patrols:post_detail", args=[post_a.pk])
    assert point["lat"] == float(GATE_A[0]) and point["lon"] == float(GATE_A[1])


# ---- CSP and maps ------------------------------------------------------------------------------


def test_it_renders_every_post_page_without_inline_script_or_style(client_for, posts):
    post_a, _ = posts
    services.post_update(post=post_a, corridor=CORRIDOR)
    for who in ("officer_a", "chief", "edu_officer"):
        client = client_for(who)
        for url in (
            reverse("patrols:post_list"),
            reverse("patrols:post_detail", args=[post_a.pk]),
            reverse("patrols:post_edit", args=[post_a.pk]),
            reverse("patrols:post_create"),
        ):
            response = client.get(url)
            if response.status_code == 200:
                html = response.content.decode()
                assert_csp_clean(html, url)
                assert "vendor/leaflet/leaflet.js" in html and "huxiao/js/map.js" in html


def test_it_draws_maps_without_tiles_unless_configured(client_for, posts, settings):
    post_a, _ = posts
    url = reverse("patrols:post_detail", args=[post_a.pk])
    settings.MAP_TILE_URL = ""
    assert 'data-tile-url=""' in client_for("officer_a").get(url).content.decode()
    settings.MAP_TILE_URL = "https://t{s}.example.cn/vec_w/{z}/{x}/{y}?tk=KEY"
    settings.MAP_TILE_ATTRIBUTION = "天地图"
    html = client_for("officer_a").get(url).content.decode()
    assert 'data-tile-url="https://t{s}.example.cn/vec_w/{z}/{x}/{y}?tk=KEY"' in html
    assert 'data-tile-attribution="天地图"' in html


# ---- pinned queries ----------------------------------------------------------------------------

# Each count includes the shell's own (the session; the user with its role and scope organisation
# in one statement; the unread badge). Update only after checking that the new query is not
# per row.
PINNED = {"patrols:post_list": 8, "patrols:post_detail": 6}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_60_posts(client_for, pschools):
    school_a, _ = pschools

    def add(n, start):
        for i in range(start, start + n):
            services.post_create(
                school=school_a,
                name=f"岗{i:03d}",
                latitude=GATE_A[0] + Decimal(i) / 10000,
                longitude=GATE_A[1],
                corridor=CORRIDOR if i % 2 else None,
            )

    add(1, 0)
    client = client_for("officer_a")
    url = reverse("patrols:post_list")
    client.get(url)
    few = count_queries(client, url)
    add(59, 1)
    many = count_queries(client, url)
    assert few == many == PINNED["patrols:post_list"]


def test_it_costs_a_fixed_number_of_queries_for_a_busy_post(client_for, posts, people):
    post_a, _ = posts
    client = client_for("officer_a")
    url = reverse("patrols:post_detail", args=[post_a.pk])

    def busy(n, start):
        for i in range(start, start + n):
            DutyShift.objects.create(
                post=post_a,
                date=SCHOOL_DAY,
                window="am" if i % 2 else "pm",
                person=people.guard,
                person_name=f"人员{i}",
                person_kind="guard",
            )
            far = offset(*GATE_A, 300 + i)  # tries from too far: each one stored
            services.checkin_record(
                post=post_a,
                user=people.guard if i % 2 else people.officer_a,
                at=local(SCHOOL_DAY, 7, i % 50),
                latitude=far[0],
                longitude=far[1],
                now=local(SCHOOL_DAY, 8, 0),
            )

    busy(1, 0)
    client.get(url)
    few = count_queries(client, url)
    busy(30, 1)
    many = count_queries(client, url)
    assert few == many == PINNED["patrols:post_detail"]
