"""Browser and operating system from a user agent (在线用户, 登录日志): a small parser for
what officers and school staff use — 360, QQ, Sogou, WeChat and DingTalk's built-in browsers
next to Edge, Chrome, Firefox and Safari, on Windows, macOS, Android, iOS, HarmonyOS, Linux
and the domestic Kylin/UOS desktops. Unknown agents read "其他"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Agent:
    browser: str
    os: str

    def __str__(self) -> str:
        return f"{self.browser} / {self.os}"


# The first match wins: the embedded browsers and the Chromium-based ones name themselves in
# front of "Chrome"/"Safari", so they are looked for first.
_BROWSERS = (
    ("微信", re.compile(r"MicroMessenger/([\d.]+)")),
    ("钉钉", re.compile(r"DingTalk/([\d.]+)")),
    ("QQ浏览器", re.compile(r"(?:MQQBrowser|QQBrowser)/([\d.]+)")),
    ("360浏览器", re.compile(r"(?:QIHU 360\w*|360SE|360EE)(?:/([\d.]+))?")),
    ("搜狗浏览器", re.compile(r"(?:SE 2\.X MetaSr|SogouMobileBrowser)(?:[ /]([\d.]+))?")),
    ("UC浏览器", re.compile(r"UCBrowser/([\d.]+)")),
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/([\d.]+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/([\d.]+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/([\d.]+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/([\d.]+)")),
    ("Safari", re.compile(r"Version/([\d.]+).*Safari/")),
    ("IE", re.compile(r"(?:MSIE |Trident/.*rv:)([\d.]+)")),
    ("curl", re.compile(r"^curl/([\d.]+)")),
    ("Python", re.compile(r"python-(?:requests|httpx|urllib\d?)/([\d.]+)", re.I)),
)

_WINDOWS = {"10.0": "10/11", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista", "5.1": "XP"}

_SYSTEMS = (
    ("HarmonyOS", re.compile(r"(?:HarmonyOS|OpenHarmony)[ /]?([\d.]*)")),
    ("Android", re.compile(r"Android[ /]?([\d.]*)")),
    ("iOS", re.compile(r"(?:iPhone|iPad|iPod).*? OS ([\d_]+)")),
    ("Windows", re.compile(r"Windows NT ([\d.]+)")),
    ("macOS", re.compile(r"Mac OS X ([\d_.]+)")),
    ("麒麟", re.compile(r"Kylin()", re.I)),
    ("统信UOS", re.compile(r"\bUOS\b()|UnionTech()")),
    ("Linux", re.compile(r"Linux()")),
)


def _major(version: str | None, parts: int = 1) -> str:
    if not version:
        return ""
    return ".".join(version.replace("_", ".").split(".")[:parts])


def parse(user_agent: str) -> Agent:
    """The browser (with its major version) and the operating system of ``user_agent``."""
    agent = user_agent or ""
    browser = os_name = ""
    for name, pattern in _BROWSERS:
        match = pattern.search(agent)
        if match:
            version = _major(match.group(1))
            browser = f"{name} {version}".strip()
            break
    for name, pattern in _SYSTEMS:
        match = pattern.search(agent)
        if match:
            version = next((g for g in match.groups() if g), "")
            if name == "Windows":
                version = _WINDOWS.get(version, version)
            elif name in ("iOS", "Android", "HarmonyOS"):
                version = _major(version)
            elif name == "macOS":
                version = _major(version, 2)
            os_name = f"{name} {version}".strip()
            break
    return Agent(browser=browser or _("其他"), os=os_name or _("其他"))
