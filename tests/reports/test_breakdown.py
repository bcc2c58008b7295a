"""The breakdown by child organisation counts each figure in one pass where it can (a module's
``batch``, a figure's ``rows`` grouped by child); whatever the path, each cell must be exactly
the figure counted in that child's jurisdiction, and the cell's link opens those records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from huxiao.reports import dashboard, figures, periods


@pytest.mark.parametrize("username", ["commander", "officer01", "edu01"])
def test_each_cell_is_the_figure_counted_in_that_child(demo, username):
    user = demo.user(username)
    org = figures.home_org(user)
    period = periods.preset("year", timezone.localdate())
    every, rows = figures.breakdown(user=user, org=org, period=period, codes=None)
    assert rows, username
    assert [f.code for f in every] == [f.code for f in figures.visible(user)]
    for child, cells in rows:
        expected = figures.values(user=user, org=child, period=period)
        assert [(c.code, c.value, c.url) for c in cells] == [
            (v.code, v.value, v.url) for v in expected
        ], (username, child.name)


def test_the_education_bureau_is_broken_down_by_the_schools_that_answer_to_it(demo):
    edu = demo.user("edu01")
    kids = figures.children(edu, edu.organization)
    assert kids and all(k.kind == "school" for k in kids)
    period = periods.preset("year", timezone.localdate())
    _figures, rows = figures.breakdown(
        user=edu, org=edu.organization, period=period, codes=["schools.schools"]
    )
    assert [cells[0].value for _child, cells in rows] == [1] * len(kids)


@pytest.mark.parametrize("username", ["commander", "officer01", "edu01", "school01"])
def test_each_month_of_the_trend_is_the_figure_counted_over_that_month(demo, username):
    """The trend counts a figure declaring ``period_field`` over all the months in one query;
    each month must be what the figure counts over that month alone (and link to it)."""
    user = demo.user(username)
    org = figures.home_org(user)
    grouped = [f.code for f in figures.visible(user) if f.period_field]
    assert grouped, username
    today = timezone.localdate()
    months = dashboard.months_before(today, today, 6)
    heads, rows = figures.trend(user=user, org=org, periods=months, codes=grouped)
    assert [f.code for f in heads] == grouped
    found = 0
    for period, cells in rows:
        expected = figures.values(user=user, org=org, period=period, codes=grouped)
        assert [(c.code, c.value, c.url) for c in cells] == [
            (v.code, v.value, v.url) for v in expected
        ], (username, period)
        found += sum(c.value or 0 for c in cells)
    assert found, username  # the demo's half year has records to count
