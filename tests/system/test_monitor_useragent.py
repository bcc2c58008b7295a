"""The small parsers of the monitoring pages: the user agent (browser and operating system) of
在线用户 and 登录日志, and the crontab of 定时任务 in Chinese."""

from __future__ import annotations

import pytest

from huxiao.system import schedules, useragent
from tests.system.test_monitor import CHROME_WINDOWS, WECHAT_ANDROID


@pytest.mark.parametrize(
    ("agent", "browser", "system"),
    [
        (CHROME_WINDOWS, "Chrome 124", "Windows 10/11"),
        (WECHAT_ANDROID, "微信 8", "Android 13"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Safari 17",
            "iOS 17",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "Edge 120",
            "Windows 10/11",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
            "Firefox 115",
            "Linux",
        ),
        ("", "其他", "其他"),
    ],
)
def test_the_user_agent_reads_as_browser_and_system(agent, browser, system):
    parsed = useragent.parse(agent)
    assert (parsed.browser, parsed.os) == (browser, system)


@pytest.mark.parametrize(
    ("sets", "text"),
    [
        ({"hour": {7}, "minute": {5}}, "每天 07:05"),
        ({"minute": set(range(0, 60, 15))}, "每15分钟"),
        ({"weekday": {1}, "hour": {8}, "minute": {0}}, "每周一 08:00"),
        ({"day": {1}, "hour": {3}, "minute": {30}}, "每月1日 03:30"),
        ({}, "每分钟"),
    ],
)
def test_a_crontab_reads_in_chinese(sets, text):
    full = {k: set(v) for k, v in schedules._FULL.items()}
    assert schedules.describe_sets(full | sets) == text
