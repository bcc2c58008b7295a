"""The response-time statistics page (/alarms/statistics/) per station, per school and per
month, for users of two jurisdictions, narrowed by ?org= and by period; each count opens the
alarm list with the same rows; the .xlsx read back with openpyxl holds the page's numbers."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html
from openpyxl import load_workbook

from huxiao.alarms.views.statistics import default_period
from tests.alarms.test_statistics_figures import history  # noqa: F401  (fixture)
from tests.demo.conftest import _seeded_city, demo  # noqa: F401  (fixtures)
from tests.figures_support import export_rows

pytestmark = pytest.mark.django_db

URL = "/alarms/statistics/"
EXPORT = "/alarms/statistics/export/"
# 接警数 测试 报备测试 误报/误触 误报率 签收中位数 P90 派警中位数 P90 到场中位数 P90 升级
STATION_A = ["6", "2", "1", "2", "50.0", "2.0", "3.6", "4.0", "4.8", "12.5", "14.5", "1"]
STATION_B = ["2", "0", "0", "1", "50.0", "5.5", "9.5", "1.5", "1.5", "5.0", "5.0", "1"]
TOTAL = ["8", "2", "1", "3", "50.0", "2.0", "7.9", "3.0", "4.6", "10.0", "14.0", "2"]


def _last_30_days() -> str:
    today = timezone.localdate()
    return f"date_from={today - dt.timedelta(days=30)}&date_to={today}"


def table(client, query: str) -> dict[str, dict]:
    """The page's rows: label → cells (texts) and the count's link."""
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    rows = {}
    for tr in tree.xpath('//table[@id="alarm-statistics"]//tr[@data-key]'):
        label = tr.xpath("./th")[0].text_content().strip()
        cells = [td.text_content().strip() for td in tr.xpath("./td")]
        links = tr.xpath('.//a[@data-testid="count"]/@href')
        link = links[0] if links else None
        rows[label] = {"cells": cells, "link": link}
    return rows


def test_per_station_for_the_city_and_for_one_station(history, client_for, city):  # noqa: F811
    commander = client_for("commander")
    rows = table(commander, f"{_last_30_days()}&by=station")
    assert list(rows) == ["甲派出所", "乙派出所", "合计"]
    assert rows["甲派出所"]["cells"] == STATION_A
    assert rows["乙派出所"]["cells"] == STATION_B
    assert rows["合计"]["cells"] == TOTAL
    # Each count opens the alarm list with the same rows.
    for label, row in rows.items():
        assert export_rows(commander, row["link"]) == int(row["cells"][0]), label
    # Officer A's own jurisdiction reads the same numbers for station 01 and nothing else.
    mine = table(client_for("officer_a"), f"{_last_30_days()}&by=station")
    assert list(mine) == ["甲派出所", "合计"]
    assert mine["甲派出所"]["cells"] == STATION_A == mine["合计"]["cells"]
    # ?org= narrows the commander's page to station 02.
    narrowed = table(commander, f"{_last_30_days()}&by=station&org={city.station_b.pk}")
    assert narrowed["乙派出所"]["cells"] == STATION_B and "甲派出所" not in narrowed
    # Station 01 is outside officer B's scope: nothing, exactly as for an unknown one.
    assert table(client_for("officer_b"), f"by=station&org={city.station_a.pk}") == {}
    assert table(client_for("officer_b"), "by=station&org=999999") == {}


def test_per_school_for_the_education_bureau(history, client_for):  # noqa: F811
    rows = table(client_for("edu_officer"), f"{_last_30_days()}&by=school")
    assert list(rows) == ["甲小学", "合计"]
    assert rows["甲小学"]["cells"] == STATION_A
    assert export_rows(client_for("edu_officer"), rows["甲小学"]["link"]) == 6
    # Grouped by station, the bureau reads its schools' stations by name; a station is not a
    # jurisdiction of its own, so the row opens no list (the list would refuse ?org=).
    stations = table(client_for("edu_officer"), f"{_last_30_days()}&by=station")
    assert stations["甲派出所"]["cells"] == STATION_A and stations["甲派出所"]["link"] is None
    # The bureau's page opens per school, the police's per station.
    page = client_for("edu_officer").get(f"{URL}?{_last_30_days()}").content.decode()
    assert 'data-by="school"' in page
    page = client_for("officer_a").get(f"{URL}?{_last_30_days()}").content.decode()
    assert 'data-by="station"' in page
    both = table(client_for("commander"), f"{_last_30_days()}&by=school")
    assert [both[s]["cells"] for s in ("甲小学", "乙中学")] == [STATION_A, STATION_B]


def test_per_month_counts_each_alarm_in_its_month(history, client_for):  # noqa: F811
    start, end = default_period(timezone.localdate())
    months = Counter(
        f"{timezone.localtime(a.received_at):%Y-%m}"
        for a in history.alarms
        if start <= timezone.localtime(a.received_at).date() <= end
    )
    client = client_for("commander")
    rows = table(client, "by=month")  # the last twelve months by default
    assert {k: int(v["cells"][0]) for k, v in rows.items() if k != "合计"} == dict(months)
    assert int(rows["合计"]["cells"][0]) == len(history.alarms) == 9  # the 45-day-old one too
    assert list(rows)[:-1] == sorted(months)
    for label, row in rows.items():
        assert export_rows(client, row["link"]) == int(row["cells"][0]), label
    # Officer B's months hold school_b's two in the last 30 days and the older one.
    theirs = table(client_for("officer_b"), "by=month")
    assert int(theirs["合计"]["cells"][0]) == 3


def test_the_export_holds_the_pages_numbers(history, client_for):  # noqa: F811
    client = client_for("commander")
    response = client.get(f"{EXPORT}?{_last_30_days()}&by=station")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "派出所" and rows[0][1] == "接警数" and rows[0][-1] == "升级报警"
    assert len(rows[0]) == 13
    body = {r[0]: [None if v in (None, "") else float(v) for v in r[1:]] for r in rows[1:]}
    assert body == {
        "甲派出所": [float(v) for v in STATION_A],
        "乙派出所": [float(v) for v in STATION_B],
        "合计": [float(v) for v in TOTAL],
    }
    # Officer A's export holds station 01 only.
    mine = client_for("officer_a").get(f"{EXPORT}?{_last_30_days()}")
    sheet = load_workbook(io.BytesIO(mine.content), read_only=True).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["甲派出所", "合计"]


# The statistics page and its export: police and education roles; the school's own roles,
# the administrator and the auditor are refused; the security company's "officer" holds the
# permission but no jurisdiction and reads an empty table.
STATUSES = {
    "commander": 200,
    "officer_a": 200,
    "officer_b": 200,
    "edu_officer": 200,
    "chief": 403,
    "guard": 403,
    "volunteer": 403,
    "auditor": 403,
    "admin": 403,
    "outsider": 200,
}


@pytest.mark.parametrize("user", STATUSES)
def test_each_user_gets_the_statistics_of_their_jurisdiction(history, client_for, user):  # noqa: F811
    client = client_for(user)
    page = client.get(reverse("alarms:statistics") + "?by=station")
    assert page.status_code == STATUSES[user]
    assert client.get(reverse("alarms:statistics_export")).status_code == STATUSES[user]
    if page.status_code != 200:
        return
    text = page.content.decode()
    shown = set(re.findall(r"(甲派出所|乙派出所)", text))
    expected = {
        "commander": {"甲派出所", "乙派出所"},
        "officer_a": {"甲派出所"},
        "officer_b": {"乙派出所"},
        "edu_officer": {"甲派出所"},
        "outsider": set(),
    }[user]
    assert shown == expected, user
    menu = 'href="/alarms/statistics/"' in text
    assert menu, user


def test_a_bad_period_shows_nothing_and_no_error(history, client_for):  # noqa: F811
    client = client_for("commander")
    response = client.get(f"{URL}?date_from=not-a-day&by=station")
    assert response.status_code == 200
    assert table(client, "date_from=not-a-day") == {}
    assert "所选期间和辖区内没有报警" in response.content.decode()


def test_the_demo_stations_statistics_add_up_to_its_figures(demo):  # noqa: F811
    """officer01 on the demo city: the month before seeding, per school and per month, adds up
    to the station's figures for the same period."""
    from huxiao.core.modules import Period, figure

    officer = demo.user("officer01")
    client = demo.client("officer01")
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=40), today)
    query = f"date_from={period.start}&date_to={period.end}"
    received = figure("alarms.received").value(officer, period)
    assert received > 0
    for by in ("station", "school", "month"):
        rows = table(client, f"{query}&by={by}")
        assert int(rows["合计"]["cells"][0]) == received, by
        assert sum(int(r["cells"][0]) for k, r in rows.items() if k != "合计") == received, by
    rate = figure("alarms.false_press_rate").value(officer, period)
    shown = table(client, f"{query}&by=station")["合计"]["cells"][4]
    assert shown == ("—" if rate is None else f"{rate}")
