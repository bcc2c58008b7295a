"""``GET /api/v1/figures``: the registered figures counted for the caller, in a jurisdiction
and over a period; the same values as the registry computes, the same refusals as every list
(a bad ``org`` or date is a 400 in Chinese, out of scope reads exactly as missing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huxiao.core import modules
from huxiao.core.modules import Period
from huxiao.reports import figures, periods

URL = "/api/v1/figures"


def _get(client, **query):
    response = client.get(URL, query)
    return response, response.json()


def test_the_commander_gets_every_figure_with_the_registrys_values(demo):
    commander = demo.user("commander")
    response, body = _get(demo.client("commander"), **{"from": "2026-09-01", "to": "2026-09-30"})
    assert response.status_code == 200
    assert body["org"]["id"] == commander.organization_id
    assert (body["start"], body["end"]) == ("2026-09-01", "2026-09-30")
    period = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    got = {f["code"]: f for f in body["figures"]}
    assert set(got) == {f.code for f in modules.figures() if f.visible_to(commander)}
    assert any(code.startswith("persons.") for code in got)
    for code, f in got.items():
        figure = modules.figure(code)
        assert f["value"] == figure.value(commander, period, commander.organization), code
        assert f["url"] == figure.url(period, commander.organization), code
        assert f"org={commander.organization_id}" in f["url"], code
        assert f["label"] and f["definition"].endswith("。"), code


def test_the_education_bureau_gets_no_police_only_figure(demo):
    _response, body = _get(demo.client("edu01"))
    codes = {f["code"] for f in body["figures"]}
    assert codes and not any(c.startswith("persons.") for c in codes)
    assert "schools.rate_staffing" in codes


def test_a_jurisdiction_narrows_every_count_and_the_children_add_up(demo):
    """Every record of the demo city lies under one of the city bureau's children, so each
    count (or sum) in the city is the sum of the same figure in its children — which fails
    when a list ignores ``?org=`` (each child would count the whole city)."""
    commander = demo.user("commander")
    period = periods.preset("year", timezone.localdate())
    city = figures.values(user=commander, org=commander.organization, period=period)
    children = figures.children(commander, commander.organization)
    assert len(children) >= 2
    per_child = [figures.values(user=commander, org=c, period=period) for c in children]
    checked = 0
    for i, total in enumerate(city):
        if modules.figure(total.code).measure not in ("count", "sum"):
            continue
        parts = [values[i].value for values in per_child]
        assert sum(parts) == total.value, (total.code, parts, total.value)
        checked += bool(total.value)
    assert checked >= 25


def test_codes_keep_only_those_figures(demo):
    response, body = _get(
        demo.client("officer01"), codes="schools.schools,inspections.hazards_found"
    )
    assert response.status_code == 200
    assert [f["code"] for f in body["figures"]] == ["schools.schools", "inspections.hazards_found"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01"}, "不是有效日期"),
        ({"from": "2026-10-01", "to": "2026-09-01"}, "起始日期不能晚于截止日期"),
        ({"from": "2025-01-01", "to": "2026-06-30"}, "不能超过一年"),
        ({"period": "decade"}, "未知的统计期间"),
        ({"codes": "persons.listed"}, "指标不存在或您无权查看"),
    ],
)
def test_bad_requests_answer_400_in_chinese(demo, query, message):
    response, body = _get(demo.client("edu01"), **query)
    assert response.status_code == 400
    assert message in body["detail"]


def test_an_org_that_is_not_a_number_breaks_the_interface(demo):
    response, body = _get(demo.client("edu01"), org="abc")
    assert response.status_code == 422
    assert "org" in str(body) and "detail" in body


def test_an_org_outside_the_scope_reads_exactly_as_a_missing_one(demo):
    other = demo.user("officer02").organization
    client = demo.client("officer01")
    outside, missing = client.get(URL, {"org": other.pk}), client.get(URL, {"org": 9_999_999})
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["detail"].replace(str(other.pk), "#") == missing.json()["detail"].replace(
        "9999999", "#"
    )


def test_without_the_permission_or_a_session(demo, client):
    for url in (URL, URL + "/breakdown"):
        assert client.get(url).status_code == 401
        assert demo.client("guard01").get(url).status_code == 403


def test_the_breakdown_gives_each_child_the_figures_counted_there(demo):
    commander = demo.user("commander")
    response = demo.client("commander").get(
        URL + "/breakdown", {"period": "year", "codes": "schools.schools,inspections.hazards_found"}
    )
    assert response.status_code == 200
    body = response.json()
    period = periods.preset("year", timezone.localdate())
    kids = figures.children(commander, commander.organization)
    assert [c["org"]["id"] for c in body["children"]] == [k.pk for k in kids]
    for child, row in zip(kids, body["children"], strict=True):
        expected = figures.values(
            user=commander,
            org=child,
            period=period,
            codes=["schools.schools", "inspections.hazards_found"],
        )
        assert [(f["code"], f["value"]) for f in row["figures"]] == [
            (v.code, v.value) for v in expected
        ]
    refused = demo.client("edu01").get(URL + "/breakdown", {"codes": "persons.listed"})
    assert refused.status_code == 400
    assert demo.client("guard01").get(URL + "/breakdown").status_code == 403
