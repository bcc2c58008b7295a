"""指标统计 (/reports/figures/): every figure of the user's role for a jurisdiction and period,
each number a link to its records with the same filters; the same table as an .xlsx. And the
lists it opens: their ``?org=`` keeps to the jurisdiction and shows it as a chip."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huxiao.core import modules
from huxiao.reports import figures, periods
from tests.figures_support import export_rows

TABLE = reverse("reports:figure_table")
EXPORT = reverse("reports:figure_export")


def test_the_table_shows_each_figure_as_a_link_to_its_records(demo):
    officer = demo.user("officer01")
    response = demo.client("officer01").get(TABLE, {"period": "year"})
    assert response.status_code == 200
    html = response.content.decode()
    period = periods.preset("year", timezone.localdate())
    for v in figures.values(user=officer, org=officer.organization, period=period):
        assert f'data-testid="figure-{v.code}"' in html, v.code
        assert v.url.replace("&", "&amp;") in html, v.code
    assert "重点人员" in html


def test_every_count_opens_a_list_of_as_many_rows_in_the_jurisdiction(demo):
    """The acceptance's promise for each figure that counts rows: the list it opens, exported
    with the same query, has exactly that many rows (for a sub-bureau of the commander's city)."""
    commander = demo.user("commander")
    client = demo.client("commander")
    period = periods.preset("year", timezone.localdate())
    sub_bureau = next(
        c for c in figures.children(commander, commander.organization) if c.kind == "sub_bureau"
    )
    checked = 0
    for v in figures.values(user=commander, org=sub_bureau, period=period):
        if modules.figure(v.code).measure != "count":
            continue
        assert parse_qs(urlsplit(v.url).query)["org"] == [str(sub_bureau.pk)], v.code
        assert export_rows(client, v.url) == v.value, v.code
        checked += 1
    assert checked >= 20


def test_the_education_officer_sees_no_police_only_figure(demo):
    html = demo.client("edu01").get(TABLE).content.decode()
    assert 'data-testid="figure-schools.rate_staffing"' in html
    assert 'data-testid="figure-persons.' not in html


def test_a_bad_scope_says_so_and_shows_the_users_own_jurisdiction(demo):
    other = demo.user("officer02").organization
    response = demo.client("officer01").get(TABLE, {"org": other.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "单位不存在或不在您的数据范围内" in html
    assert other.name not in html
    assert demo.user("officer01").organization.name in html


def test_the_export_is_the_table(demo):
    officer = demo.user("officer01")
    response = demo.client("officer01").get(EXPORT, {"period": "last_month"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("模块", "指标代码", "指标", "数值")
    period = periods.preset("last_month", timezone.localdate())
    expected = figures.values(user=officer, org=officer.organization, period=period)
    assert [(r[1], r[3]) for r in rows] == [(v.code, v.value) for v in expected]


def test_a_list_opened_in_a_jurisdiction_shows_it_and_can_drop_it(demo):
    officer = demo.user("officer01")
    station = officer.organization
    url = modules.figure("inspections.hazards_found").url(
        periods.preset("year", timezone.localdate()), station
    )
    html = demo.client("officer01").get(url).content.decode()
    assert f"辖区：{station.name}" in html
    assert 'data-testid="jurisdiction-chip"' in html
    outside = demo.client("officer01").get(
        f"{url.split('?')[0]}?org={demo.user('officer02').organization_id}"
    )
    assert "单位不存在或不在您的数据范围内" in outside.content.decode()


def test_the_breakdown_export_has_a_row_per_child_and_a_column_per_figure(demo):
    commander = demo.user("commander")
    response = demo.client("commander").get(
        reverse("reports:figure_breakdown_export"), {"period": "year"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    period = periods.preset("year", timezone.localdate())
    shown, expected = figures.breakdown(
        user=commander, org=commander.organization, period=period, codes=None
    )
    assert len(header) == 2 + len(shown) and header[2].startswith(str(shown[0].label))
    assert [r[0] for r in rows] == [child.name for child, _cells in expected]
    assert [list(r[2:]) for r in rows] == [[c.value for c in cells] for _child, cells in expected]
