"""统计看板 for each kind of jurisdiction: the city (commander), a sub-bureau (an officer of a
sub-bureau, which the demo has no account for: made here), a station (officer01), an
education bureau (edu01) and a school (school01). For each, every tile is the figure that
``figures.values`` gives the same user, organisation and period, and links to the same list;
the children are the user's ``figures.children``; an organisation above the user's scope
shows the message and the user's own numbers."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from huxiao.core.choices import OrgKind
from huxiao.reports import dashboard, figures, periods
from tests.conftest import make_user
from tests.reports.test_dashboard import URL, json_of, tiles_of

OUT_OF_SCOPE = "单位不存在或不在您的数据范围内"


@pytest.fixture
def sub_officer(demo):
    commander = demo.user("commander")
    sub = next(
        c
        for c in figures.children(commander, commander.organization)
        if c.kind == OrgKind.SUB_BUREAU and figures.children(commander, c)
    )
    return make_user("subbureau01", sub, "officer")


def _users(demo, sub_officer):
    return {
        "commander": demo.user("commander"),
        "subbureau01": sub_officer,
        "officer01": demo.user("officer01"),
        "edu01": demo.user("edu01"),
        "school01": demo.user("school01"),
    }


def _client(demo, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", ["commander", "subbureau01", "officer01", "edu01", "school01"])
@pytest.mark.parametrize("preset", ["month", "year"])
def test_every_tile_is_the_figure_of_the_users_jurisdiction(demo, sub_officer, username, preset):
    user = _users(demo, sub_officer)[username]
    response = _client(demo, user).get(URL, {"period": preset})
    assert response.status_code == 200, username
    html = response.content.decode()
    org = user.organization
    assert re.search(rf'data-testid="current-org">{re.escape(org.name)}<', html), username
    period = periods.preset(preset, timezone.localdate())
    expected = figures.by_code(
        figures.values(user=user, org=org, period=period, codes=dashboard.tile_codes())
    )
    shown = tiles_of(html)
    assert shown, username
    # every tile the user may read is shown, and nothing else
    main_codes = {t.code for group in dashboard.TILE_GROUPS for t in group.tiles}
    assert set(shown) == main_codes & set(expected), username
    for code, (url, value) in shown.items():
        v = expected[code]
        assert url == v.url, (username, code)
        assert value == ("" if v.value is None else str(v.value)), (username, code)
    police = username in ("commander", "subbureau01", "officer01")
    assert ("persons.in_control" in shown) is police, username
    kids = figures.children(user, org)
    names = re.findall(r'data-testid="child-org">([^<]+)<', html)
    assert names == [k.short_name or k.name for k in kids], username


def test_the_sub_bureau_sees_its_stations_and_not_the_city(demo, sub_officer):
    client = _client(demo, sub_officer)
    sub = sub_officer.organization
    html = client.get(URL).content.decode()
    kids = figures.children(sub_officer, sub)
    assert kids and all(k.kind == OrgKind.STATION for k in kids)
    # the city is above the scope: no crumb, and asking for it shows the sub-bureau's numbers
    city = demo.user("commander").organization
    assert 'data-testid="crumb"' not in html
    above = client.get(URL, {"org": city.pk}).content.decode()
    assert OUT_OF_SCOPE in above
    assert re.search(rf'data-testid="current-org">{re.escape(sub.name)}<', above)
    assert tiles_of(above) == tiles_of(html)
    # the map holds the sub-bureau's schools only: as many as its schools figure counts
    points = json_of(html, "dashboard-map-data")
    schools = figures.by_code(
        figures.values(
            user=sub_officer,
            org=sub,
            period=periods.default(timezone.localdate()),
            codes=["schools.schools"],
        )
    )["schools.schools"].value
    assert sum(points["counts"][k] for k in ("ok", "bad")) == schools > 0
    # a station of another sub-bureau is out of scope like a missing one
    commander = demo.user("commander")
    other = next(
        s
        for c in figures.children(commander, city)
        if c.kind == OrgKind.SUB_BUREAU and c.pk != sub.pk
        for s in figures.children(commander, c)
    )
    elsewhere = client.get(URL, {"org": other.pk}).content.decode()
    assert OUT_OF_SCOPE in elsewhere and other.name not in elsewhere


def test_the_education_bureau_map_and_children_are_its_schools(demo):
    edu = demo.user("edu01")
    html = _client(demo, edu).get(URL).content.decode()
    points = json_of(html, "dashboard-map-data")
    schools = figures.by_code(
        figures.values(
            user=edu,
            org=edu.organization,
            period=periods.default(timezone.localdate()),
            codes=["schools.schools"],
        )
    )["schools.schools"].value
    assert sum(points["counts"][k] for k in ("ok", "bad")) == schools > 0
    # no police unit is named on the education bureau's page
    commander = demo.user("commander")
    for station in figures.children(commander, commander.organization)[:3]:
        assert station.name not in html


# Queries per request, whatever the jurisdiction's size: the city (6 children, 81 schools)
# reads as many as a station (6 schools). Each includes the shell's own (session, user,
# permissions, scope, calendar). Raise only after checking the new query is not per child,
# per school or per month.
PINNED = {
    # one per tile figure that no module batches (漏岗岗次, 日均民警人次, 7日内到期走访: ~1 ms each);
    # the gate's tiles: one for its visits, one for its seizures (gate.figures' batches)
    "reports:dashboard": 36,
    "reports:dashboard_breakdown": 16,
    "reports:dashboard_trend": 40,  # five periodic figures × six months, one query each
    "reports:bigscreen_data": 39,  # with the gate tile group (its two batched reads)
}


@pytest.mark.parametrize("username", ["commander", "subbureau01", "officer01"])
def test_the_queries_do_not_grow_with_the_jurisdiction(
    demo, sub_officer, username, django_assert_max_num_queries
):
    from django.urls import reverse

    client = _client(demo, _users(demo, sub_officer)[username])
    for name, most in PINNED.items():
        url = reverse(name)
        assert client.get(url).status_code == 200  # warm the session and the caches
        with django_assert_max_num_queries(most, info=f"{username} {name}"):
            assert client.get(url).status_code == 200


SUB = re.compile(r'<a class="hx-tile-sub" href="(?P<url>[^"]+)" data-testid="sub-(?P<code>[\w.]+)"')


@pytest.mark.parametrize("username", ["commander", "subbureau01", "officer01", "edu01", "school01"])
def test_every_number_opens_a_page_the_user_may_read(demo, sub_officer, username):
    import html as htmllib

    client = _client(demo, _users(demo, sub_officer)[username])
    html = client.get(URL).content.decode()
    links = {code: url for code, (url, _value) in tiles_of(html).items()}
    links.update({m["code"]: htmllib.unescape(m["url"]) for m in SUB.finditer(html)})
    assert len(links) > len(tiles_of(html)), username  # the tiles' second figures too
    for code, url in links.items():
        response = client.get(url)
        assert response.status_code == 200, (username, code, url, response.status_code)


def test_the_home_page_and_the_menu_lead_to_the_dashboards_the_user_may_open(demo):
    from django.urls import reverse

    dashboard_url, bigscreen_url = reverse("reports:dashboard"), reverse("reports:bigscreen")
    for username, dash, big in (
        ("commander", True, True),
        ("edu01", True, True),
        ("school01", True, False),
        ("guard01", False, False),
    ):
        html = demo.client(username).get(reverse("core:home")).content.decode()
        assert ('data-testid="home-dashboard"' in html) is dash, username
        assert (f'href="{dashboard_url}"' in html) is dash, username
        assert (f'href="{bigscreen_url}"' in html) is big, username
