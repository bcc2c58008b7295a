"""The roster pages: the shift list and its export, a post's day/week roster with the staffing
gaps, bulk rostering over school days (the 2026 National Day), 调班 and cancelling.

officer_a rosters post_a; officer_b gets 404 on post_a's roster and shifts; edu_officer and the
guard read; the chief rosters school_a; the volunteer (仅本人) sees only their own shifts and no
post's roster; anonymous visitors go to the sign-in page.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core.models import AuditRecord
from huxiao.patrols import services
from huxiao.patrols.models import DutyShift
from tests.core.test_pages_csp import assert_csp_clean

from .conftest import SCHOOL_DAY

# The pages' today: Friday 2026-11-20; SCHOOL_DAY (Monday 2026-11-23) is still to come.
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


def shift(post, person, day=SCHOOL_DAY, window="am", **extra):
    return DutyShift.objects.create(
        post=post,
        date=day,
        window=window,
        person=person,
        person_name=person.full_name or person.username,
        person_kind=services.person_kind_of(person),
        **extra,
    )


@pytest.fixture
def shifts(posts, people):
    post_a, post_b = posts
    return {
        "guard": shift(post_a, people.guard),
        "volunteer": shift(post_a, people.volunteer, window="pm"),
        "officer_b": shift(post_b, people.officer_b),
    }


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def listed(html: str, rows: dict) -> set[str]:
    return {name for name, s in rows.items() if f'data-shift="{s.pk}"' in html}


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_a", {"guard", "volunteer"}),
        ("officer_b", {"officer_b"}),
        ("commander", {"guard", "volunteer", "officer_b"}),
        ("edu_officer", {"guard", "volunteer"}),
        ("chief", {"guard", "volunteer"}),
        ("guard", {"guard", "volunteer"}),
        ("volunteer", {"volunteer"}),
        ("outsider", set()),
    ],
)
def test_it_lists_and_exports_only_shifts_in_scope(client_for, shifts, who, expected):
    client = client_for(who)
    html = client.get(reverse("patrols:shift_list")).content.decode()
    assert listed(html, shifts) == expected
    rows = xlsx_rows(client.get(reverse("patrols:shift_export")))
    names = {r[6] for r in rows[1:]}
    assert names == {shifts[k].person_name for k in expected}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("chief", 200),
        ("edu_officer", 200),
        ("guard", 200),
        ("commander", 200),
        ("officer_b", 404),
        ("volunteer", 404),  # may see own shifts, but no post
        ("outsider", 404),
        ("auditor", 403),
    ],
)
def test_it_answers_each_role_on_a_roster(client_for, shifts, posts, who, status):
    post_a, _ = posts
    url = reverse("patrols:post_roster", args=[post_a.pk])
    assert client_for(who).get(url, {"day": SCHOOL_DAY.isoformat()}).status_code == status


@pytest.mark.parametrize(
    ("who", "bulk", "change_a", "change_b"),
    [
        ("officer_a", 200, 200, 404),
        ("chief", 200, 200, 404),
        ("officer_b", 200, 404, 200),
        ("edu_officer", 403, 403, 403),
        ("guard", 403, 403, 403),
        ("volunteer", 403, 403, 403),
        ("commander", 403, 403, 403),
    ],
)
def test_it_lets_only_those_who_roster_change_shifts(
    client_for, shifts, who, bulk, change_a, change_b
):
    client = client_for(who)
    assert client.get(reverse("patrols:shift_bulk_create")).status_code == bulk
    a, b = shifts["guard"], shifts["officer_b"]
    for name in ("patrols:shift_swap", "patrols:shift_cancel"):
        assert client.get(reverse(name, args=[a.pk])).status_code == change_a, name
        assert client.get(reverse(name, args=[b.pk])).status_code == change_b, name
    # a POST is answered the same way and changes nothing it may not
    response = client.post(reverse("patrols:shift_cancel", args=[a.pk]), {"note": "x"})
    assert response.status_code == (302 if change_a == 200 else change_a)
    a.refresh_from_db()
    assert (a.status == "cancelled") is (change_a == 200)


def test_it_sends_anonymous_visitors_to_sign_in(client, shifts, posts):
    post_a, _ = posts
    s = shifts["guard"]
    for url in (
        reverse("patrols:shift_list"),
        reverse("patrols:shift_export"),
        reverse("patrols:shift_bulk_create"),
        reverse("patrols:post_roster", args=[post_a.pk]),
        reverse("patrols:shift_swap", args=[s.pk]),
        reverse("patrols:shift_cancel", args=[s.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("core:login")), url


# ---- the list ----------------------------------------------------------------------------------


def test_it_starts_the_list_today_unless_dates_are_given(client_for, posts, people):
    post_a, _ = posts
    past = shift(post_a, people.guard, day=dt.date(2026, 11, 16))
    coming = shift(post_a, people.guard, day=SCHOOL_DAY)
    client = client_for("officer_a")
    html = client.get(reverse("patrols:shift_list")).content.decode()
    assert listed(html, {"past": past, "coming": coming}) == {"coming"}
    assert 'value="2026-11-20"' in html
    html = client.get(reverse("patrols:shift_list"), {"date_from": "2026-11-01"}).content.decode()
    assert listed(html, {"past": past, "coming": coming}) == {"past", "coming"}
    html = client.get(reverse("patrols:shift_list"), {"date_to": "2026-11-17"}).content.decode()
    assert listed(html, {"past": past, "coming": coming}) == {"past"}


def test_it_filters_by_post_window_kind_and_status(client_for, shifts, posts):
    post_a, post_b = posts
    services.shift_cancel(shift=shifts["guard"])
    client = client_for("officer_a")

    def names(**query):
        return listed(client.get(reverse("patrols:shift_list"), query).content.decode(), shifts)

    assert names(post=post_a.pk) == {"guard", "volunteer"}
    assert names(window="pm") == {"volunteer"}
    assert names(person_kind="guard") == {"guard"}
    assert names(status="cancelled") == {"guard"}
    assert names(school=post_a.school_id) == {"guard", "volunteer"}
    assert names(post=post_b.pk) == set()  # outside the scope: invalid, shows nothing


def test_it_exports_the_columns_on_screen(client_for, shifts):
    rows = xlsx_rows(client_for("officer_a").get(reverse("patrols:shift_export"), {"window": "am"}))
    assert rows[0] == [
        "日期",
        "星期",
        "学校",
        "护学岗",
        "时段",
        "时间",
        "值守人员",
        "人员类别",
        "状态",
        "备注",
    ]
    [row] = rows[1:]
    assert row[1:9] == [
        "周一",
        "甲小学",
        "南门护学岗",
        "上学",
        "07:00–08:30",
        "guard",
        "保安",
        "已排班",
    ]
    assert row[0].date() == SCHOOL_DAY


# ---- the roster --------------------------------------------------------------------------------


def test_it_shows_who_stands_where_and_the_staffing_gaps(client_for, shifts, posts):
    post_a, _ = posts  # default staffing: 民警1 保安1
    html = (
        client_for("officer_a")
        .get(
            reverse("patrols:post_roster", args=[post_a.pk]),
            {"day": SCHOOL_DAY.isoformat(), "span": "day"},
        )
        .content.decode()
    )
    row = html.split('data-day="2026-11-23"', 1)[1].split("</tr>", 1)[0]
    am, pm = row.split('data-window="am"', 1)[1].split('data-window="pm"', 1)
    assert f'data-shift="{shifts["guard"].pk}"' in am and 'class="hx-roster-gap"' in row
    assert '<span class="hx-need hx-need-short">民警 0/1</span>' in am
    assert '<span class="hx-need">保安 1/1</span>' in am
    assert f'data-shift="{shifts["volunteer"].pk}"' in pm
    assert '<span class="hx-need hx-need-short">保安 0/1</span>' in pm
    assert '<span class="hx-need">志愿者 1/0</span>' in pm
    assert 'data-testid="roster-gaps"' in html and "2 个时段人员不足" in html


def test_it_shows_a_week_with_holidays_and_adjusted_workdays(client_for, posts):
    post_a, _ = posts
    html = (
        client_for("officer_a")
        .get(reverse("patrols:post_roster", args=[post_a.pk]), {"day": "2026-10-08"})
        .content.decode()
    )
    days = re.findall(r'data-day="([0-9-]+)" class="([^"]*)"', html)
    assert [d for d, _ in days] == [f"2026-10-{n:02d}" for n in range(5, 12)]
    off = {d for d, cls in days if "hx-roster-off" in cls}
    assert off == {"2026-10-05", "2026-10-06", "2026-10-07", "2026-10-11"}
    assert "国庆节" in html
    # school days with nobody rostered are gaps (3 days × 2 windows); holidays are not
    assert "6 个时段人员不足" in html


def test_it_marks_swapped_and_cancelled_shifts_and_offers_actions_only_ahead(
    client_for, posts, people
):
    post_a, _ = posts
    coming = shift(post_a, people.guard)
    gone = shift(post_a, people.chief, day=dt.date(2026, 11, 19))
    services.shift_swap(shift=coming, person=people.volunteer)
    client = client_for("officer_a")
    url = reverse("patrols:post_roster", args=[post_a.pk])
    html = client.get(url, {"day": SCHOOL_DAY.isoformat()}).content.decode()
    assert f'data-shift="{coming.pk}"' not in html  # swapped away: its replacement shows
    replacement = DutyShift.objects.get(swapped_from=coming)
    assert f'data-shift="{replacement.pk}"' in html
    assert reverse("patrols:shift_swap", args=[replacement.pk]) in html
    assert f'data-shift="{gone.pk}"' not in html  # another week
    html = client.get(url, {"day": "2026-11-16"}).content.decode()
    assert (
        f'data-shift="{gone.pk}"' in html
        and reverse("patrols:shift_swap", args=[gone.pk]) not in html
    )
    # a reader sees the roster but no actions
    html = client_for("edu_officer").get(url, {"day": SCHOOL_DAY.isoformat()}).content.decode()
    assert f'data-shift="{replacement.pk}"' in html and "/swap/" not in html


# ---- bulk rostering ----------------------------------------------------------------------------


def bulk_data(post, people, start="2026-09-28", end="2026-10-11", windows=("am", "pm"), **extra):
    return {
        "post": post.pk,
        "start": start,
        "end": end,
        "windows": list(windows),
        "people": [p.pk for p in people],
        **extra,
    }


NATIONAL_DAY_SCHOOL_DAYS = {
    dt.date(2026, 9, 28),
    dt.date(2026, 9, 29),
    dt.date(2026, 9, 30),
    dt.date(2026, 10, 8),
    dt.date(2026, 10, 9),
    dt.date(2026, 10, 10),  # Saturday: the 调休 working day
}


def test_it_rosters_only_school_days_over_national_day(client_for, posts, people):
    post_a, _ = posts
    client = client_for("officer_a")
    data = bulk_data(post_a, [people.guard, people.volunteer])
    response = client.post(reverse("patrols:shift_bulk_create"), data)
    assert response.status_code == 302
    assert response.url == reverse("patrols:post_roster", args=[post_a.pk]) + "?day=2026-09-28"
    rows = DutyShift.objects.filter(post=post_a)
    assert {s.date for s in rows} == NATIONAL_DAY_SCHOOL_DAYS
    assert rows.count() == 6 * 2 * 2
    assert {s.person_kind for s in rows} == {"guard", "volunteer"}
    assert set(rows.values_list("created_by", flat=True)) == {people.officer_a.pk}
    message = client.get(response.url).content.decode()
    assert "已在 6 个上学日排班 24 班" in message and "其余 8 天" in message
    # again: nothing doubled
    assert client.post(reverse("patrols:shift_bulk_create"), data).status_code == 302
    assert DutyShift.objects.filter(post=post_a).count() == 24
    assert AuditRecord.objects.filter(object_type="patrols.dutyshift").count() == 2


def test_it_previews_how_many_school_days_a_range_holds(client_for, posts, people):
    post_a, _ = posts
    response = client_for("officer_a").post(
        reverse("patrols:shift_bulk_create"), bulk_data(post_a, [people.guard], action="preview")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "所选 14 天中有 6 个上学日，8 天不排班" in html
    assert "其中 1 天为调休上班日" in html and "预计排 12 班" in html
    assert not DutyShift.objects.exists()


def test_it_explains_the_school_day_rule_on_the_form(client_for, posts):
    post_a, _ = posts
    html = (
        client_for("chief").get(reverse("patrols:shift_bulk_create"), {"post": post_a.pk}).content
    )
    html = html.decode()
    assert 'data-testid="school-day-rule"' in html and "调休上班日照常排" in html
    assert re.search(rf'<option value="{post_a.pk}" selected>', html)
    assert 'value="am"' in html and "上学 07:00–08:30" in html


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"end": "2026-09-01"}, 400, "结束日期不能早于开始日期"),
        ({"end": "2027-06-30"}, 400, "一次最多排 200 天"),
        ({"windows": ["noon"]}, 400, "noon"),
        ({"people": []}, 400, "这个字段是必填项"),
    ],
)
def test_it_refuses_bad_rosters_in_chinese(client_for, posts, people, changes, status, message):
    post_a, _ = posts
    data = {**bulk_data(post_a, [people.guard]), **changes}
    response = client_for("officer_a").post(reverse("patrols:shift_bulk_create"), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not DutyShift.objects.exists()


def test_it_refuses_posts_and_people_outside_the_scope(client_for, posts, people):
    post_a, post_b = posts
    client = client_for("officer_a")
    response = client.post(reverse("patrols:shift_bulk_create"), bulk_data(post_b, [people.guard]))
    assert response.status_code == 404
    response = client.post(
        reverse("patrols:shift_bulk_create"), bulk_data(post_a, [people.officer_b])
    )
    assert response.status_code == 400
    assert not DutyShift.objects.exists()
    # the chief's people are the school's own
    html = client_for("chief").get(reverse("patrols:shift_bulk_create")).content.decode()
    assert f'<option value="{people.guard.pk}"' in html
    assert f'<option value="{people.officer_a.pk}"' not in html


# ---- 调班 and cancelling -------------------------------------------------------------------------


def test_it_swaps_a_shift_to_another_person(client_for, shifts, people):
    s = shifts["guard"]
    client = client_for("chief")
    html = client.get(reverse("patrols:shift_swap", args=[s.pk])).content.decode()
    assert f'<option value="{people.guard.pk}"' not in html  # not to the same person
    response = client.post(
        reverse("patrols:shift_swap", args=[s.pk]), {"person": people.chief.pk, "note": "病假"}
    )
    assert response.status_code == 302
    assert response.url == reverse("patrols:post_roster", args=[s.post_id]) + "?day=2026-11-23"
    s.refresh_from_db()
    assert s.status == "swapped"
    new = DutyShift.objects.get(swapped_from=s)
    assert new.person == people.chief and new.note == "病假" and new.status == "planned"
    assert "已调班" in client.get(response.url).content.decode()
    # once swapped, it cannot be swapped or cancelled again
    response = client.post(reverse("patrols:shift_swap", args=[s.pk]), {"person": people.chief.pk})
    assert response.status_code == 400 and "该班次已调班或已取消" in response.content.decode()
    response = client.post(reverse("patrols:shift_cancel", args=[s.pk]), {"note": ""})
    assert response.status_code == 400 and "只有已排班的班次可以取消" in response.content.decode()


def test_it_refuses_to_swap_a_past_shift(client_for, posts, people):
    post_a, _ = posts
    gone = shift(post_a, people.guard, day=dt.date(2026, 11, 19))
    response = client_for("officer_a").post(
        reverse("patrols:shift_swap", args=[gone.pk]), {"person": people.chief.pk}
    )
    assert response.status_code == 400
    assert "已过去的班次不能调班" in response.content.decode()
    assert not DutyShift.objects.filter(swapped_from=gone).exists()


def test_it_refuses_to_swap_to_someone_outside_the_scope(client_for, shifts, people):
    s = shifts["guard"]
    response = client_for("officer_a").post(
        reverse("patrols:shift_swap", args=[s.pk]), {"person": people.officer_b.pk}
    )
    assert response.status_code == 400
    s.refresh_from_db()
    assert s.status == "planned"


def test_it_cancels_a_shift_and_the_roster_shows_the_gap(client_for, posts, people):
    post_a, _ = posts
    s = shift(post_a, people.officer_a)
    client = client_for("officer_a")
    url = reverse("patrols:post_roster", args=[post_a.pk])
    day = {"day": SCHOOL_DAY.isoformat(), "span": "day"}
    assert "民警 1/1" in client.get(url, day).content.decode()
    response = client.post(reverse("patrols:shift_cancel", args=[s.pk]), {"note": "临时任务"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "cancelled" and s.note == "临时任务"
    html = client.get(url, day).content.decode()
    assert "民警 0/1" in html and "hx-shift-cancelled" in html


# ---- CSP and queries ---------------------------------------------------------------------------


def test_it_renders_every_roster_page_without_inline_script_or_style(client_for, shifts, posts):
    post_a, _ = posts
    s = shifts["guard"]
    for who in ("officer_a", "chief", "volunteer"):
        client = client_for(who)
        for url in (
            reverse("patrols:shift_list"),
            reverse("patrols:post_roster", args=[post_a.pk]),
            reverse("patrols:shift_bulk_create"),
            reverse("patrols:shift_swap", args=[s.pk]),
            reverse("patrols:shift_cancel", args=[s.pk]),
        ):
            response = client.get(url)
            if response.status_code == 200:
                assert_csp_clean(response.content.decode(), url)


# Each count includes the shell's own (the session; the user with its role and scope organisation
# in one statement; the unread badge). Update only after checking that the new query is not
# per row.
PINNED = {"patrols:shift_list": 8, "patrols:post_roster": 5}


def count_queries(client, url, query=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_it_costs_the_same_number_of_queries_for_1_and_60_shifts(client_for, posts, people):
    post_a, _ = posts

    def add(n, start):
        for i in range(start, start + n):
            shift(
                post_a,
                people.guard,
                day=SCHOOL_DAY + dt.timedelta(days=i // 2),
                window="am" if i % 2 else "pm",
            )

    add(1, 0)
    client = client_for("officer_a")
    url = reverse("patrols:shift_list")
    client.get(url)
    few = count_queries(client, url)
    add(59, 1)
    many = count_queries(client, url)
    assert few == many == PINNED["patrols:shift_list"]


def test_it_costs_a_fixed_number_of_queries_for_a_full_week(client_for, posts, people):
    post_a, _ = posts
    client = client_for("officer_a")
    url = reverse("patrols:post_roster", args=[post_a.pk])
    query = {"day": SCHOOL_DAY.isoformat()}
    shift(post_a, people.guard)
    client.get(url, query)
    few = count_queries(client, url, query)
    for n in range(5):
        for window in ("am", "pm"):
            for person in (people.guard, people.officer_a, people.volunteer, people.chief):
                shift(post_a, person, day=SCHOOL_DAY + dt.timedelta(days=n), window=window)
    many = count_queries(client, url, query)
    assert few == many == PINNED["patrols:post_roster"]
