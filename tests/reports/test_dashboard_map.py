"""The dashboards' map and the CSP: without MAP_TILE_URL the schools are drawn on a plain
background (no tile URL reaches the page, nothing is fetched from outside); with it, the map
element carries the configured tiles. The dashboard, its fragments and the big screen carry
no inline script or style (chart and map data in json_script elements or data attributes)."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.core.test_pages_csp import assert_csp_clean

# json_script's elements are data, not script (the CSP does not run them)
JSON_DATA = re.compile(r'<script id="[\w-]+" type="application/json">', re.IGNORECASE)

PAGES = ("reports:dashboard", "reports:bigscreen")


def test_the_map_has_no_tiles_unless_configured(demo, settings):
    client = demo.client("commander")
    settings.MAP_TILE_URL = ""
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        assert 'data-dash-map="' in html, name
        assert 'data-tile-url=""' in html, name
    settings.MAP_TILE_URL = "https://t{s}.example.cn/vec_w/{z}/{x}/{y}?tk=KEY"
    settings.MAP_TILE_ATTRIBUTION = "天地图"
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        assert 'data-tile-url="https://t{s}.example.cn/vec_w/{z}/{x}/{y}?tk=KEY"' in html, name
        assert 'data-tile-attribution="天地图"' in html, name


def test_the_pages_carry_no_inline_script_or_style(demo):
    for username in ("commander", "officer01", "edu01"):
        client = demo.client(username)
        for name in (*PAGES, "reports:dashboard_breakdown", "reports:dashboard_trend"):
            url = reverse(name)
            response = client.get(url)
            assert response.status_code == 200, (username, name)
            html = response.content.decode()
            assert_csp_clean(JSON_DATA.sub("<data>", html), url)
            if name == "reports:dashboard":
                assert "vendor/echarts-5.6.0/echarts.min.js" in html
                assert "huxiao/css/dashboard.css" in html
